import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// Every BLAS/LAPACK-backed operation against a textbook loop on seeded random matrices.
@Suite("Matrix BLAS/LAPACK operations")
struct MatrixBLASTests {
  @Test("fill and assign(from:) set every element", arguments: [(3, 4), (1, 1), (0, 5)])
  func fillAndAssign(shape: (Int, Int)) {
    var generator = TestGenerator(state: 1)
    let source = randomMatrix(rows: shape.0, columns: shape.1, using: &generator)
    var m = Matrix(rows: shape.0, columns: shape.1)
    m.fill(2.5)
    #expect(m.elements.allSatisfy { $0 == 2.5 })
    m.assign(from: source)
    #expect(m == source)
  }

  @Test(
    "multiplyAdd is alpha·op(a)·op(b) + beta·c for all four transpose combinations",
    arguments: [false, true], [false, true])
  func multiplyAdd(transposeA: Bool, transposeB: Bool) {
    var generator = TestGenerator(
      state: transposeA ? (transposeB ? 21 : 22) : (transposeB ? 23 : 24))
    let (m, k, n) = (7, 5, 9)
    let a = randomMatrix(
      rows: transposeA ? k : m, columns: transposeA ? m : k, using: &generator)
    let b = randomMatrix(
      rows: transposeB ? n : k, columns: transposeB ? k : n, using: &generator)
    let c0 = randomMatrix(rows: m, columns: n, using: &generator)
    let (alpha, beta) = (-0.75, 1.25)
    var c = c0
    c.multiplyAdd(a, transposeA: transposeA, b, transposeB: transposeB, alpha: alpha, beta: beta)
    let expected = naiveCombination(
      alpha, naiveProduct(transposeA ? a.transposed : a, transposeB ? b.transposed : b), beta, c0)
    expectClose(c.elements, expected.elements, .reorderedArithmetic, "multiplyAdd")

    let product = Matrix.product(a, transposeA: transposeA, b, transposeB: transposeB)
    let naive = naiveProduct(transposeA ? a.transposed : a, transposeB ? b.transposed : b)
    #expect(product.rows == m && product.columns == n)
    expectClose(product.elements, naive.elements, .reorderedArithmetic, "product")
  }

  @Test("multiplyAdd with an empty inner dimension only scales by beta")
  func emptyInnerDimension() {
    var generator = TestGenerator(state: 3)
    let c0 = randomMatrix(rows: 3, columns: 4, using: &generator)
    var c = c0
    c.multiplyAdd(Matrix(rows: 3, columns: 0), Matrix(rows: 0, columns: 4), alpha: 1, beta: 2)
    // Doubling is exact in binary floating point.
    #expect(c.elements == c0.elements.map { 2 * $0 })
    var d = c0
    d.multiplyAdd(Matrix(rows: 3, columns: 0), Matrix(rows: 0, columns: 4))
    #expect(d == c0)
  }

  @Test("beta = 0 ignores the previous contents, as BLAS specifies, even if they are NaN")
  func betaZeroIgnoresContents() {
    var generator = TestGenerator(state: 8)
    let a = randomMatrix(rows: 3, columns: 2, using: &generator)
    let b = randomMatrix(rows: 2, columns: 4, using: &generator)
    var c = Matrix(rows: 3, columns: 4, repeating: .nan)
    c.multiplyAdd(a, b, alpha: 1, beta: 0)
    expectClose(c.elements, naiveProduct(a, b).elements, .reorderedArithmetic, "a·b")
    var s = Matrix(rows: 3, columns: 3, repeating: .nan)
    s.symmetricRankUpdate(a, alpha: 1, beta: 0)
    #expect(!s[2, 0].isNaN && !s[2, 2].isNaN)
    // An empty inner dimension: the product is the zero matrix, so C := beta·C = 0.
    var empty = Matrix(rows: 3, columns: 4, repeating: .nan)
    empty.multiplyAdd(Matrix(rows: 3, columns: 0), Matrix(rows: 0, columns: 4), alpha: 1, beta: 0)
    #expect(empty.elements.allSatisfy { $0 == 0 })
  }

  @Test("symmetricRankUpdate with an empty inner dimension scales the lower triangle by beta")
  func symmetricRankUpdateEmptyInnerDimension() {
    var generator = TestGenerator(state: 9)
    let c0 = randomMatrix(rows: 3, columns: 3, using: &generator)
    var c = c0
    c.symmetricRankUpdate(Matrix(rows: 3, columns: 0), alpha: 1, beta: 2)
    // Doubling is exact, so the lower triangle must be exactly 2·C.
    #expect(c[1, 0] == 2 * c0[1, 0] && c[2, 2] == 2 * c0[2, 2])
  }

  @Test(
    "symmetricRankUpdate sets the lower triangle to alpha·a·aᵀ + beta·c and leaves the upper",
    arguments: [false, true])
  func symmetricRankUpdate(transpose: Bool) {
    var generator = TestGenerator(state: transpose ? 31 : 32)
    let (n, k) = (6, 4)
    let a = randomMatrix(rows: transpose ? k : n, columns: transpose ? n : k, using: &generator)
    let c0 = randomMatrix(rows: n, columns: n, using: &generator)
    var c = c0
    c.symmetricRankUpdate(a, transpose: transpose, alpha: 2, beta: -0.5)
    let gram = transpose ? naiveProduct(a.transposed, a) : naiveProduct(a, a.transposed)
    let expected = naiveCombination(2, gram, -0.5, c0)
    var lower = [Double]()
    var expectedLower = [Double]()
    for j in 0..<n {
      for i in 0..<n {
        if i >= j {
          lower.append(c[i, j])
          expectedLower.append(expected[i, j])
        } else {
          #expect(c[i, j] == c0[i, j], "upper triangle (\(i), \(j)) was modified")
        }
      }
    }
    expectClose(lower, expectedLower, .reorderedArithmetic, "lower triangle")
  }

  @Test("symmetrizeFromLower mirrors the lower triangle; zeroStrictUpper clears the upper")
  func triangles() {
    var generator = TestGenerator(state: 4)
    let m0 = randomMatrix(rows: 5, columns: 5, using: &generator)
    var s = m0
    s.symmetrizeFromLower()
    var z = m0
    z.zeroStrictUpper()
    for j in 0..<5 {
      for i in 0..<5 {
        #expect(s[i, j] == (i >= j ? m0[i, j] : m0[j, i]))
        #expect(z[i, j] == (i >= j ? m0[i, j] : 0))
      }
    }
  }

  @Test("Cholesky: lower factor, positive diagonal, L·Lᵀ reconstructs A", arguments: [1, 2, 7, 40])
  func cholesky(order n: Int) throws {
    var generator = TestGenerator(state: UInt64(100 + n))
    let a = randomPositiveDefinite(order: n, using: &generator)
    var l = a
    // Only the lower triangle is read: garbage above must not matter.
    for j in 0..<n {
      for i in 0..<j { l[i, j] = .nan }
    }
    try l.choleskyLowerInPlace()
    for j in 0..<n {
      #expect(l[j, j] > 0)
      for i in 0..<j { #expect(l[i, j] == 0) }
    }
    let reconstructed = naiveProduct(l, l.transposed)
    expectClose(reconstructed.elements, a.elements, .reorderedArithmetic, "L·Lᵀ")
    let naive = try #require(naiveCholesky(a))
    expectClose(l.elements, naive.elements, .reorderedArithmetic, "vs textbook Cholesky")
  }

  @Test("Cholesky of a matrix that is not positive definite names the failing leading minor")
  func choleskyNotPositiveDefinite() {
    // Leading minors of orders 1 and 2 are positive; order 3 is negative.
    var a = Matrix.identity(4)
    a[2, 2] = -1
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 3)) {
      try a.choleskyLowerInPlace()
    }
    // [[1, 2], [2, 1]]: determinant −3 < 0 at order 2.
    var b = Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 2, 1])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
      try b.choleskyLowerInPlace()
    }
    var zero = Matrix(rows: 1, columns: 1)
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 1)) {
      try zero.choleskyLowerInPlace()
    }
  }

  @Test("solveRightLowerTransposed gives X with X·Lᵀ = B")
  func solveRightLowerTransposed() {
    var generator = TestGenerator(state: 5)
    let l = randomLowerTriangular(order: 6, using: &generator)
    let b = randomMatrix(rows: 4, columns: 6, using: &generator)
    var x = b
    x.solveRightLowerTransposed(l)
    expectClose(
      naiveProduct(x, l.transposed).elements, b.elements, .reorderedArithmetic, "X·Lᵀ")
  }

  @Test(
    "solveLeftLower gives X with L·X = B, or Lᵀ·X = B when transposed", arguments: [false, true])
  func solveLeftLower(transpose: Bool) {
    var generator = TestGenerator(state: transpose ? 6 : 7)
    let l = randomLowerTriangular(order: 8, using: &generator)
    let b = randomMatrix(rows: 8, columns: 3, using: &generator)
    var x = b
    x.solveLeftLower(l, transpose: transpose)
    let back = naiveProduct(transpose ? l.transposed : l, x)
    expectClose(back.elements, b.elements, .reorderedArithmetic, "op(L)·X")
  }

  @Test("inverseFromCholesky is a symmetric inverse of L·Lᵀ", arguments: [1, 3, 12])
  func inverseFromCholesky(order n: Int) throws {
    var generator = TestGenerator(state: UInt64(200 + n))
    let a = randomPositiveDefinite(order: n, using: &generator)
    var l = a
    try l.choleskyLowerInPlace()
    let inverse = try l.inverseFromCholesky()
    #expect(inverse == inverse.transposed)
    expectClose(
      naiveProduct(a, inverse).elements, Matrix.identity(n).elements, .reorderedArithmetic,
      "A·A⁻¹")
  }

  @Test("inverseFromCholesky of a factor with a zero diagonal throws singular")
  func inverseOfSingularFactor() {
    var l = Matrix.identity(3)
    l[1, 1] = 0
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) { try l.inverseFromCholesky() }
  }

  @Test(
    "symmetric eigenvalues: ascending, sum = trace, sum of squares = ‖A‖², product = det",
    arguments: [1, 2, 5, 15])
  func eigenvalues(order n: Int) throws {
    var generator = TestGenerator(state: UInt64(300 + n))
    let a = randomPositiveDefinite(order: n, using: &generator)
    var upperGarbage = a
    for j in 0..<n {
      for i in 0..<j { upperGarbage[i, j] = .nan }
    }
    let values = try upperGarbage.symmetricEigenvalues()
    #expect(values.count == n)
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
    expectClose(values.reduce(0, +), trace, .reorderedArithmetic, "Σλ = tr A")
    let frobenius = a.elements.reduce(0.0) { $0 + $1 * $1 }
    expectClose(values.reduce(0.0) { $0 + $1 * $1 }, frobenius, .reorderedArithmetic, "Σλ² = ‖A‖²")
    // log det A from the textbook Cholesky: 2 Σ log L_ii.
    let l = try #require(naiveCholesky(a))
    let logDet = (0..<n).reduce(0.0) { $0 + 2 * log(l[$1, $1]) }
    expectClose(values.reduce(0.0) { $0 + log($1) }, logDet, .reorderedArithmetic, "Σ log λ")
    #expect(try Matrix(rows: 0, columns: 0).symmetricEigenvalues().isEmpty)
  }

  @Test("eigenvalues of an indefinite diagonal matrix are its sorted diagonal")
  func diagonalEigenvalues() throws {
    let diagonal = [3.0, -2.0, 0.5, 0, -7]
    var m = Matrix(rows: 5, columns: 5)
    for (i, d) in diagonal.enumerated() { m[i, i] = d }
    #expect(try m.symmetricEigenvalues() == diagonal.sorted())
  }

  @Test("OpenBLAS reports its configuration and a positive thread count")
  func blasThreads() {
    #expect(!BLASThreads.configuration.isEmpty)
    #expect(BLASThreads.count >= 1)
  }
}
