import Testing

@Test("placeholder suite builds") func placeholderOptimization() { #expect(1 + 1 == 2) }
