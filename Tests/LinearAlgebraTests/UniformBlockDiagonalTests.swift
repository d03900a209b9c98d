import Foundation
import LinearAlgebra
import TestSupport
import Testing

@Suite("Uniform block-diagonal matrices")
struct UniformBlockDiagonalTests {
  static let widths = [1, 2, 3, 5]

  @Test("a new matrix is zero; order is q·count; blocks are stored one after another")
  func layout() {
    var m = UniformBlockDiagonal(q: 3, count: 4)
    #expect(m.order == 12)
    #expect(m.dense == Matrix(rows: 12, columns: 12))
    m[2, 1, 0] = 5
    let block = m.block(2)
    #expect(block.rows == 3 && block.columns == 3)
    #expect(block[1, 0] == 5 && block.elements.filter { $0 != 0 }.count == 1)
    #expect(m.dense[2 * 3 + 1, 2 * 3 + 0] == 5)
    #expect(m.block(1) == Matrix(rows: 3, columns: 3))
  }

  @Test("addOuterProduct accumulates v·vᵀ into one block", arguments: widths)
  func addOuterProduct(q: Int) {
    var generator = TestGenerator(state: UInt64(q))
    var m = UniformBlockDiagonal(q: q, count: 3)
    var expected = Matrix(rows: q, columns: q)
    for _ in 0..<4 {
      let v = (0..<q).map { _ in generator.symmetricUniform() }
      m.addOuterProduct(block: 1, values: v[...])
      let column = Matrix(rows: q, columns: 1, columnMajor: v)
      expected = naiveCombination(1, expected, 1, naiveProduct(column, column.transposed))
    }
    expectClose(m.block(1).elements, expected.elements, .reorderedArithmetic, "Σ v vᵀ")
    #expect(m.block(0) == Matrix(rows: q, columns: q) && m.block(2) == m.block(0))
  }

  @Test(
    "setCongruence is Tᵀ A_b T (+ I) block by block, as the dense product",
    arguments: widths, [false, true])
  func setCongruence(q: Int, addIdentity: Bool) {
    var generator = TestGenerator(state: UInt64(100 + q))
    let count = 4
    let a = randomPositiveDefiniteBlocks(q: q, count: count, using: &generator)
    let t = randomTemplate(q: q, using: &generator)
    var out = UniformBlockDiagonal(q: q, count: count)
    out.setCongruence(of: a, by: t, addIdentity: addIdentity)
    let lambda = repeatedBlockDiagonal(t, q: q, count: count)
    var expected = naiveProduct(naiveProduct(lambda.transposed, a.dense), lambda)
    if addIdentity { expected.addToDiagonal(1) }
    expectClose(out.dense.elements, expected.elements, .reorderedArithmetic, "TᵀAT")
  }

  @Test("choleskyInPlace gives lower factors with L_b·L_bᵀ = A_b", arguments: widths)
  func cholesky(q: Int) throws {
    var generator = TestGenerator(state: UInt64(200 + q))
    let a = randomPositiveDefiniteBlocks(q: q, count: 5, using: &generator)
    var l = a
    try l.choleskyInPlace()
    let dense = l.dense
    for j in 0..<l.order {
      for i in 0..<j { #expect(dense[i, j] == 0) }
      #expect(dense[j, j] > 0)
    }
    expectClose(
      naiveProduct(dense, dense.transposed).elements, a.dense.elements, .reorderedArithmetic,
      "L·Lᵀ")
    let naive = try #require(naiveCholesky(a.dense))
    expectClose(dense.elements, naive.elements, .reorderedArithmetic, "vs textbook Cholesky")
  }

  @Test("a block that is not positive definite throws, naming the leading minor LAPACK names")
  func notPositiveDefinite() throws {
    var generator = TestGenerator(state: 300)
    var a = randomPositiveDefiniteBlocks(q: 2, count: 4, using: &generator)
    // Block 2 fails at its first diagonal element: leading minor 2·2 + 1 of the whole matrix.
    a[2, 0, 0] = -1
    var dense = a.dense
    let lapackError = #expect(throws: LinearAlgebraError.self) {
      try dense.choleskyLowerInPlace()
    }
    var blocks = a
    let blockError = #expect(throws: LinearAlgebraError.self) { try blocks.choleskyInPlace() }
    #expect(blockError == lapackError)
    #expect(blockError == .notPositiveDefinite(order: 5))
  }

  @Test("a block failing at its second column names that leading minor, as LAPACK does")
  func notPositiveDefiniteInsideBlock() throws {
    // Block 1 = [[1, 2], [2, 1]]: the first minor is fine, the second (order 2·1 + 2) is not.
    var a = UniformBlockDiagonal(q: 2, count: 3)
    for b in 0..<3 {
      a[b, 0, 0] = 1
      a[b, 1, 1] = 1
    }
    a[1, 1, 0] = 2
    a[1, 0, 1] = 2
    var dense = a.dense
    let lapackError = #expect(throws: LinearAlgebraError.self) {
      try dense.choleskyLowerInPlace()
    }
    #expect(lapackError == .notPositiveDefinite(order: 4))
    var blocks = a
    let blockError = #expect(throws: LinearAlgebraError.self) { try blocks.choleskyInPlace() }
    #expect(blockError == lapackError)
  }

  @Test("logDeterminantOfFactor is log det(L·Lᵀ), the sum of the logs of A's eigenvalues")
  func logDeterminant() throws {
    for q in Self.widths {
      var generator = TestGenerator(state: UInt64(400 + q))
      let a = randomPositiveDefiniteBlocks(q: q, count: 6, using: &generator)
      var l = a
      try l.choleskyInPlace()
      let eigenvalues = try a.dense.symmetricEigenvalues()
      expectClose(
        l.logDeterminantOfFactor, eigenvalues.reduce(0.0) { $0 + log($1) }, .reorderedArithmetic,
        "log det, q = \(q)")
    }
  }

  @Test(
    "solve gives x with L·x = v, or Lᵀ·x = v when transposed", arguments: widths, [false, true])
  func solve(q: Int, transpose: Bool) {
    var generator = TestGenerator(state: UInt64(500 + q))
    let count = 5
    let l = randomLowerTriangularBlocks(q: q, count: count, using: &generator)
    let v = (0..<(q * count)).map { _ in generator.symmetricUniform() }
    var x = v
    l.solve(&x, transpose: transpose)
    let dense = l.dense
    let back = naiveProduct(
      transpose ? dense.transposed : dense, Matrix(rows: x.count, columns: 1, columnMajor: x))
    expectClose(back.elements, v, .reorderedArithmetic, "op(L)·x")
  }
}
