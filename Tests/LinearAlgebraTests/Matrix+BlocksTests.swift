import LinearAlgebra
import TestSupport
import Testing

/// The block operations on matrices partitioned into q-wide column or q-high row blocks, each
/// against the dense product with the equivalent block-diagonal matrix.
@Suite("Matrix block operations")
struct MatrixBlocksTests {
  static let widths = [1, 2, 3, 4]

  @Test("multiplyColumnBlocks(width:by:) is M · blockdiag(T, …, T)", arguments: widths)
  func multiplyColumnBlocks(q: Int) {
    var generator = TestGenerator(state: UInt64(10 + q))
    let count = 5
    let m0 = randomMatrix(rows: 4, columns: q * count, using: &generator)
    let t = randomTemplate(q: q, using: &generator)
    var m = m0
    m.multiplyColumnBlocks(width: q, by: t)
    let expected = naiveProduct(m0, repeatedBlockDiagonal(t, q: q, count: count))
    expectClose(m.elements, expected.elements, .reorderedArithmetic, "M·T")
  }

  @Test("multiplyRowBlocksTransposed(height:by:) is blockdiag(T, …, T)ᵀ · M", arguments: widths)
  func multiplyRowBlocksTransposed(q: Int) {
    var generator = TestGenerator(state: UInt64(20 + q))
    let count = 6
    let m0 = randomMatrix(rows: q * count, columns: 3, using: &generator)
    let t = randomTemplate(q: q, using: &generator)
    var m = m0
    m.multiplyRowBlocksTransposed(height: q, by: t)
    let expected = naiveProduct(repeatedBlockDiagonal(t, q: q, count: count).transposed, m0)
    expectClose(m.elements, expected.elements, .reorderedArithmetic, "Tᵀ·M")
  }

  @Test("a unit scalar template leaves the matrix unchanged")
  func unitTemplate() {
    var generator = TestGenerator(state: 30)
    let m0 = randomMatrix(rows: 3, columns: 4, using: &generator)
    var m = m0
    m.multiplyColumnBlocks(width: 1, by: [1])
    m.multiplyRowBlocksTransposed(height: 1, by: [1])
    #expect(m == m0)
  }

  @Test("solveColumnBlocksTransposed(by:) gives X with X · Lᵀ = M", arguments: widths)
  func solveColumnBlocksTransposed(q: Int) {
    var generator = TestGenerator(state: UInt64(40 + q))
    let count = 4
    let factors = randomLowerTriangularBlocks(q: q, count: count, using: &generator)
    let m0 = randomMatrix(rows: 5, columns: q * count, using: &generator)
    var x = m0
    x.solveColumnBlocksTransposed(by: factors)
    let back = naiveProduct(x, factors.dense.transposed)
    expectClose(back.elements, m0.elements, .reorderedArithmetic, "X·Lᵀ")
  }

  @Test("assign(blockDiagonal:) writes the blocks and zeroes everything else")
  func assignBlockDiagonal() {
    var generator = TestGenerator(state: 50)
    var blocks = UniformBlockDiagonal(q: 3, count: 4)
    for b in 0..<4 {
      for j in 0..<3 {
        for i in 0..<3 { blocks[b, i, j] = generator.symmetricUniform() }
      }
    }
    var m = Matrix(rows: 12, columns: 12, repeating: .nan)
    m.assign(blockDiagonal: blocks)
    for j in 0..<12 {
      for i in 0..<12 {
        #expect(m[i, j] == (i / 3 == j / 3 ? blocks[i / 3, i % 3, j % 3] : 0))
      }
    }
    #expect(m == blocks.dense)
  }

  @Test("addToDiagonal adds to the diagonal of the leading square only")
  func addToDiagonal() {
    var generator = TestGenerator(state: 60)
    let m0 = randomMatrix(rows: 3, columns: 5, using: &generator)
    var m = m0
    m.addToDiagonal(2)
    for j in 0..<5 {
      for i in 0..<3 { #expect(m[i, j] == (i == j ? m0[i, j] + 2 : m0[i, j])) }
    }
  }
}
