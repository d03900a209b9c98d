import Testing

@Test("placeholder suite builds") func placeholderMixedModels() { #expect(1 + 1 == 2) }
