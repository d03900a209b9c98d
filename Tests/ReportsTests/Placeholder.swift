import Testing

@Test("placeholder suite builds") func placeholderReports() { #expect(1 + 1 == 2) }
