import Testing

@Test("placeholder suite builds") func placeholderDataTable() { #expect(1 + 1 == 2) }
