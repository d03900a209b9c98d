import Foundation
import LinearAlgebra
import TestSupport
import Testing

@testable import MixedModels

/// The kernel's inputs for `levels` levels of a q-column term and m = `m` rows of `[X y]ᵀZ`.
private struct KernelCase {
  let q: Int
  let m: Int
  let blocks: UniformBlockDiagonal
  let template: [Double]
  let panels: Matrix

  init(q: Int, levels: Int, m: Int = 4, seed: UInt64) {
    var generator = TestGenerator(state: seed)
    self.q = q
    self.m = m
    // ZᵀZ-like blocks: sums of outer products of a few random rows (positive semi-definite).
    var blocks = UniformBlockDiagonal(q: q, count: levels)
    for b in 0..<levels {
      for _ in 0..<(1 + b % 4) {
        let row = (0..<q).map { _ in generator.symmetricUniform() }
        blocks.addOuterProduct(block: b, values: row[...])
      }
    }
    self.blocks = blocks
    self.template = randomTemplate(q: q, using: &generator)
    self.panels = randomMatrix(rows: m, columns: levels * q, using: &generator)
  }

  struct Output: Equatable {
    var factors: UniformBlockDiagonal
    var projected: Matrix
    var gram: Matrix
    var logDeterminant: Double?
  }

  func run(threads: Int, store: Bool = true, fill: Double = 0) -> Output {
    var factors = UniformBlockDiagonal(q: q, count: blocks.count)
    for b in 0..<blocks.count {
      for j in 0..<q {
        for i in 0..<q { factors[b, i, j] = fill }
      }
    }
    var projected = Matrix(rows: m, columns: panels.columns, repeating: fill)
    var gram = Matrix(rows: m, columns: m, repeating: fill)
    let logDeterminant = SingleFactorKernel.run(
      blocks: blocks, template: template, panels: panels, factors: &factors,
      projected: &projected, gram: &gram, threads: threads, store: store)
    return Output(
      factors: factors, projected: projected, gram: gram, logDeterminant: logDeterminant)
  }

  /// The same quantities by the definitions, level by level with textbook loops.
  func naive() -> Output {
    let levels = blocks.count
    var factors = UniformBlockDiagonal(q: q, count: levels)
    var projected = Matrix(rows: m, columns: panels.columns)
    var gram = Matrix(rows: m, columns: m)
    var logDeterminant = 0.0
    let t = Matrix(rows: q, columns: q, columnMajor: template)
    for b in 0..<levels {
      var congruence = naiveProduct(naiveProduct(t.transposed, blocks.block(b)), t)
      congruence.addToDiagonal(1)
      guard let l = naiveCholesky(congruence) else {
        return Output(factors: factors, projected: projected, gram: gram, logDeterminant: nil)
      }
      for j in 0..<q {
        logDeterminant += 2 * log(l[j, j])
        for i in 0..<q { factors[b, i, j] = l[i, j] }
      }
      // P_b = B_b T L⁻ᵀ: for each row r, solve L x = (B_b T)_rᵀ by forward substitution.
      let bt = naiveProduct(panels.selectingColumns(Array((b * q)..<((b + 1) * q))), t)
      for r in 0..<m {
        var x = [Double](repeating: 0, count: q)
        for j in 0..<q {
          var s = bt[r, j]
          for k in 0..<j { s -= l[j, k] * x[k] }
          x[j] = s / l[j, j]
        }
        for j in 0..<q { projected[r, b * q + j] = x[j] }
      }
    }
    for j in 0..<m {
      for i in j..<m {
        var s = 0.0
        for c in 0..<panels.columns { s += projected[i, c] * projected[j, c] }
        gram[i, j] = s
      }
    }
    return Output(
      factors: factors, projected: projected, gram: gram, logDeterminant: logDeterminant)
  }
}

@Suite("Single-factor kernel")
struct SingleFactorKernelTests {
  /// Enough levels for several chunks.
  static let manyLevels = 2 * SingleFactorKernel.levelsPerChunk + 5

  @Test("the chunk count depends on the number of levels only, between 1 and the maximum")
  func chunkCount() {
    let perChunk = SingleFactorKernel.levelsPerChunk
    #expect(SingleFactorKernel.chunkCount(levels: 0) == 1)
    #expect(SingleFactorKernel.chunkCount(levels: perChunk - 1) == 1)
    #expect(SingleFactorKernel.chunkCount(levels: Self.manyLevels) == 2)
    #expect(SingleFactorKernel.chunkCount(levels: 3 * perChunk) == 3)
    let huge = 1000 * perChunk * SingleFactorKernel.maximumChunks
    #expect(SingleFactorKernel.chunkCount(levels: huge) == SingleFactorKernel.maximumChunks)
  }

  @Test(
    "factors, projected panels, Gram matrix and log-determinant match the definitions",
    arguments: [1, 2, 3], [1, 37, manyLevels])
  func matchesDefinition(q: Int, levels: Int) throws {
    let kernelCase = KernelCase(q: q, levels: levels, seed: UInt64(q * 1000 + levels))
    let observed = kernelCase.run(threads: 1)
    let expected = kernelCase.naive()
    let logDeterminant = try #require(observed.logDeterminant)
    expectClose(
      logDeterminant, try #require(expected.logDeterminant), .reorderedArithmetic, "Σ log|L_b|²")
    expectClose(
      observed.factors.storage, expected.factors.storage, .reorderedArithmetic, "L_b")
    expectClose(
      observed.projected.elements, expected.projected.elements, .reorderedArithmetic, "P_b")
    let m = kernelCase.m
    for j in 0..<m {
      let column = (j..<m).map { observed.gram[$0, j] }
      let reference = (j..<m).map { expected.gram[$0, j] }
      expectClose(column, reference, .reorderedArithmetic, "G column \(j)")
      for i in 0..<j { #expect(observed.gram[i, j] == 0, "upper triangle of G") }
    }
  }

  @Test("results are bit-identical for 1 and 2 threads", arguments: [1, 2, 3])
  func threadIndependence(q: Int) {
    let kernelCase = KernelCase(q: q, levels: Self.manyLevels, seed: UInt64(77 + q))
    #expect(SingleFactorKernel.chunkCount(levels: Self.manyLevels) > 1)
    let one = kernelCase.run(threads: 1)
    let two = kernelCase.run(threads: 2)
    #expect(one.logDeterminant != nil)
    #expect(one.logDeterminant == two.logDeterminant)
    #expect(one.gram.elements == two.gram.elements)
    #expect(one.factors.storage == two.factors.storage)
    #expect(one.projected.elements == two.projected.elements)
  }

  @Test("without storing, G and the log-determinant are the same bits and L, P untouched")
  func withoutStore() {
    for q in [1, 2, 3] {
      let kernelCase = KernelCase(q: q, levels: 300, seed: UInt64(500 + q))
      let stored = kernelCase.run(threads: 1, store: true)
      let skipped = kernelCase.run(threads: 1, store: false, fill: -7)
      #expect(skipped.logDeterminant == stored.logDeterminant)
      #expect(skipped.gram.elements == stored.gram.elements)
      #expect(skipped.factors.storage.allSatisfy { $0 == -7 })
      #expect(skipped.projected.elements.allSatisfy { $0 == -7 })
    }
  }

  @Test("the previous contents of the outputs do not matter")
  func outputsOverwritten() {
    let kernelCase = KernelCase(q: 2, levels: 50, seed: 9)
    let clean = kernelCase.run(threads: 1)
    let dirty = kernelCase.run(threads: 1, fill: .nan)
    #expect(clean == dirty)
  }

  @Test("a level whose Tᵀ A_b T + I is not positive definite makes the kernel return nil")
  func notPositiveDefinite() {
    for q in [1, 2, 3] {
      let levels = 40
      var blocks = UniformBlockDiagonal(q: q, count: levels)
      var identity = [Double](repeating: 0, count: q * q)
      for i in 0..<q {
        identity[i + i * q] = 1
        for b in 0..<levels { blocks[b, i, i] = 1 }
        // Level 17: A_b = −2 I, so Tᵀ A_b T + I = −I with T = I.
        blocks[17, i, i] = -2
      }
      var factors = UniformBlockDiagonal(q: q, count: levels)
      var projected = Matrix(rows: 2, columns: levels * q)
      var gram = Matrix(rows: 2, columns: 2)
      let result = SingleFactorKernel.run(
        blocks: blocks, template: identity, panels: Matrix(rows: 2, columns: levels * q),
        factors: &factors, projected: &projected, gram: &gram, threads: 1)
      #expect(result == nil, "q = \(q)")
    }
  }
}
