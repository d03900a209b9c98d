import Testing

@Test("placeholder suite builds") func placeholderAnalysis() { #expect(1 + 1 == 2) }
