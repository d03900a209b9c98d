import LinearAlgebra
import TestSupport
import Testing

/// A symmetric positive-definite 4 × 4 matrix with condition number ≈ 30.
private let spd = Matrix(rows: [
  [4, 1, 0.5, 0.2],
  [1, 3, 0.3, 0.1],
  [0.5, 0.3, 2, 0.4],
  [0.2, 0.1, 0.4, 1],
])

/// A general (non-symmetric) 3 × 3 matrix that needs row pivoting.
private let general = Matrix(rows: [[0, 2, 1], [1, 1, 0], [3, 0, 1]])

@Suite("Matrix: hand-loop dense algebra")
struct MatrixSmallDenseTests {
  @Test("rows in, rows out, stored column-major")
  func rowsRoundTrip() {
    let rows: [[Double]] = [[1, 2, 3], [4, 5, 6]]
    let m = Matrix(rows: rows)
    #expect(m.rows == 2 && m.columns == 3)
    #expect(m.elements == [1, 4, 2, 5, 3, 6])
    #expect(m.rowArrays == rows)
    #expect(Matrix(rows: [[Double]]()).rowArrays.isEmpty)
  }

  @Test("the hand-loop product equals BLAS's on small matrices, and skips zero terms")
  func productMatchesBLAS() {
    let a = Matrix(rows: [[1, 0, 2], [0, 3, -1]])
    let b = Matrix(rows: [[1, 2], [3, 4], [5, 6]])
    expectClose(
      a.multiplied(by: b).elements, Matrix.product(a, b).elements, .reorderedArithmetic, "A·B")
    // A zero coefficient contributes nothing, not even an infinity's NaN.
    let infinite = Matrix(rows: [[.infinity, 1], [2, 3]])
    let zeroFirst = Matrix(rows: [[0, 1]])
    #expect(zeroFirst.multiplied(by: infinite).elements == [2, 3])
    #expect(a.multiplied(by: [1, 1, 1]) == [3, 2])
  }

  @Test("quadratic form, trace and trace of a product agree with their definitions")
  func formsAndTraces() {
    let x = [1.0, -2, 0, 0.5]
    let y = [0.5, 1, 2, -1]
    var expected = 0.0
    for i in 0..<4 { for j in 0..<4 { expected += x[i] * spd[i, j] * y[j] } }
    expectClose(spd.quadraticForm(x, y), expected, .reorderedArithmetic, "xᵀAy")
    #expect(spd.trace == 10)
    expectClose(
      spd.traceOfProduct(spd), spd.multiplied(by: spd).trace, .reorderedArithmetic, "tr(AA)")
    #expect(spd.adding(spd, scaledBy: -1).elements.allSatisfy { $0 == 0 })
    #expect(spd.scaled(by: 2).elements == spd.elements.map { 2 * $0 })
  }

  @Test("inverses: SPD by Cholesky, general by Gauss–Jordan, both give A·A⁻¹ = I")
  func inverses() throws {
    let identity4 = Matrix.identity(4).elements
    let spdInverse = try #require(spd.inverseSPD())
    expectClose(spd.multiplied(by: spdInverse).elements, identity4, .reorderedArithmetic, "SPD")
    let generalInverse = try #require(general.inverse())
    expectClose(
      general.multiplied(by: generalInverse).elements, Matrix.identity(3).elements,
      .reorderedArithmetic, "general")
    #expect(Matrix(rows: [[1, 2], [2, 1]]).inverseSPD() == nil)
    #expect(Matrix(rows: [[1, 2], [2, 4]]).inverse() == nil)
  }

  @Test("Jacobi eigenpairs: decreasing values, A v = λ v, and LAPACK's eigenvalues")
  func jacobi() throws {
    let (values, vectors) = spd.jacobiEigen()
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
    let lapack = try spd.symmetricEigenvalues()
    expectClose(values, lapack.reversed(), .reorderedArithmetic, "eigenvalues")
    for k in 0..<4 {
      let v = vectors.column(k)
      expectClose(spd.multiplied(by: v), v.map { values[k] * $0 }, .reorderedArithmetic, "Av")
    }
  }

  @Test("the pseudo-inverse drops the null space and inverts the rest")
  func pseudoInverse() {
    // Rank 1: u uᵀ with |u|² = 5, pseudo-inverse u uᵀ / 25.
    let singular = Matrix(rows: [[1, 2], [2, 4]])
    let expected = singular.elements.map { $0 / 25 }
    expectClose(
      singular.pseudoInverse(tolerance: 1e-10).elements, expected, .reorderedArithmetic, "A⁺")
    let inverse = spd.inverseSPD() ?? spd
    expectClose(
      spd.pseudoInverse(tolerance: 1e-10).elements, inverse.elements, .reorderedArithmetic,
      "full rank")
  }

  @Test("row rank counts independent rows")
  func rank() {
    #expect(spd.rowRank() == 4)
    #expect(Matrix(rows: [[1, 2, 3], [2, 4, 6], [0, 1, 0]]).rowRank() == 2)
    #expect(Matrix(rows: [[0, 0]]).rowRank() == 0)
  }
}
