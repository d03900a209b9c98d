import Testing

@Test("placeholder suite builds") func placeholderLinearAlgebra() { #expect(1 + 1 == 2) }
