import Testing

@Test("placeholder suite builds") func placeholderTrajCLI() { #expect(1 + 1 == 2) }
