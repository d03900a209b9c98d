import Testing

@Test("placeholder suite builds") func placeholderDistributions() { #expect(1 + 1 == 2) }
