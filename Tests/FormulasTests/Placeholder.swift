import Testing

@Test("placeholder suite builds") func placeholderFormulas() { #expect(1 + 1 == 2) }
