import LinearAlgebra
import TestSupport
import Testing

@Suite("Sufficient statistics")
struct SufficientStatisticsTests {
  @Test("ZᵀZ blocks and [X y]ᵀZ panels are the sums over each level's rows", arguments: [1, 2, 3])
  func termBlocks(q: Int) {
    var generator = TestGenerator(state: UInt64(q))
    let (n, p, levels) = (90, 3, 7)
    let x = randomMatrix(rows: n, columns: p, using: &generator)
    let y = (0..<n).map { _ in generator.symmetricUniform() }
    let levelIndex = (0..<n).map { Int32(($0 * 5 + $0 / 3) % levels) }
    // Some exact zeros, as a random slope on a covariate that is sometimes 0.
    let values = (0..<(n * q)).map { k in k % 4 == 1 ? 0 : generator.symmetricUniform() }
    let (zz, xyz) = SufficientStatistics.termBlocks(
      levelIndex: levelIndex, values: values, q: q, levels: levels, x: x, y: y)
    #expect(zz.q == q && zz.count == levels)
    #expect(xyz.rows == p + 1 && xyz.columns == levels * q)

    // Dense Z (n × levels·q) and [X y] (n × (p+1)), then the textbook products.
    var z = Matrix(rows: n, columns: levels * q)
    for i in 0..<n {
      for b in 0..<q { z[i, Int(levelIndex[i]) * q + b] = values[i * q + b] }
    }
    let xy = Matrix(columns: (0..<p).map { x.column($0) } + [y])
    let ztz = naiveProduct(z.transposed, z)
    // Each row of Z has one level, so ZᵀZ is exactly block diagonal.
    expectClose(zz.dense.elements, ztz.elements, .reorderedArithmetic, "ZᵀZ")
    expectClose(
      xyz.elements, naiveProduct(xy.transposed, z).elements, .reorderedArithmetic, "[X y]ᵀZ")
  }

  @Test("[X y]ᵀ[X y] fills the lower triangle and leaves the upper zero")
  func crossProduct() {
    var generator = TestGenerator(state: 10)
    let (n, p) = (50, 4)
    let x = randomMatrix(rows: n, columns: p, using: &generator)
    let y = (0..<n).map { _ in generator.symmetricUniform() }
    let product = SufficientStatistics.crossProduct(x: x, y: y)
    let xy = Matrix(columns: (0..<p).map { x.column($0) } + [y])
    let expected = naiveProduct(xy.transposed, xy)
    var lower = [Double]()
    var expectedLower = [Double]()
    for j in 0...p {
      for i in 0...p {
        if i >= j {
          lower.append(product[i, j])
          expectedLower.append(expected[i, j])
        } else {
          #expect(product[i, j] == 0)
        }
      }
    }
    expectClose(lower, expectedLower, .reorderedArithmetic, "[X y]ᵀ[X y]")
  }
}
