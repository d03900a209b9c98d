import Foundation
import LinearAlgebra
import Parallelism

/// The per-level work of one evaluation of the profiled criterion when the random effects have
/// a single grouping factor (the common longitudinal case: subjects), fused into one pass.
///
/// For each level b, with `A_b` the q×q block of `ZᵀZ`, `B_b` the m×q panel of `[X y]ᵀZ` for
/// that level and `T` the template:
///
///     L_b = chol(Tᵀ A_b T + I)           (factors)
///     P_b = B_b T L_b⁻ᵀ                   (projected)
///     G   = Σ_b P_b P_bᵀ                  (lower triangle, m×m)
///     Σ_b log|L_b|²                       (returned)
///
/// The levels are split into a number of chunks that depends only on the number of levels,
/// never on the number of threads; each chunk sums its own part of G and of the log
/// determinant, and the parts are added in chunk order. The result is therefore bit-identical
/// whether the chunks run on one thread or on several.
enum SingleFactorKernel {
  /// Levels per chunk below which the work stays on the calling thread.
  static let levelsPerChunk = 2048
  /// Upper bound on the number of chunks.
  static let maximumChunks = 64

  /// The chunks of `levels` levels (a function of the problem only).
  /// - Parameter levels: Number of levels.
  /// - Returns: The split of `0..<levels`.
  static func chunks(levels: Int) -> ChunkedRange {
    ChunkedRange(count: levels, itemsPerChunk: levelsPerChunk, maximumChunks: maximumChunks)
  }

  /// Number of chunks for `levels` levels (a function of the problem only).
  /// - Parameter levels: Number of levels.
  /// - Returns: A count ≥ 1.
  static func chunkCount(levels: Int) -> Int { chunks(levels: levels).chunkCount }

  /// Runs the fused kernel.
  /// - Parameters:
  ///   - blocks: `A_b`, one q×q block per level.
  ///   - template: Lower-triangular q×q `T`, column-major.
  ///   - panels: m × (levels·q) matrix of panels `B_b`.
  ///   - factors: Receives `L_b` (same shape as `blocks`).
  ///   - projected: Receives `P_b` (same shape as `panels`).
  ///   - gram: Receives `G` in its lower triangle (m×m); the upper triangle is zeroed.
  ///   - threads: Threads to use (the result does not depend on it).
  ///   - store: Write `L_b` and `P_b` into `factors` and `projected`. Evaluations inside the
  ///     optimiser need only G and the log determinant; skipping the stores halves the memory
  ///     traffic of a pass.
  /// - Returns: `Σ_b log|L_b|²`, or nil if some `Tᵀ A_b T + I` is not positive definite.
  static func run(
    blocks: UniformBlockDiagonal, template: [Double], panels: Matrix,
    factors: inout UniformBlockDiagonal, projected: inout Matrix, gram: inout Matrix,
    threads: Int, store: Bool = true
  ) -> Double? {
    let q = blocks.q
    let levels = blocks.count
    let m = panels.rows
    precondition(template.count == q * q && panels.columns == levels * q, "kernel: shapes")
    precondition(factors.q == q && factors.count == levels, "kernel: factor shape")
    precondition(projected.rows == m && projected.columns == panels.columns, "kernel: panel shape")
    precondition(gram.rows == m && gram.columns == m, "kernel: gram shape")
    let split = chunks(levels: levels)
    let chunks = split.chunkCount
    var partialGrams = [Double](repeating: 0, count: chunks * m * m)
    var partialLogs = [Double](repeating: 0, count: chunks)
    var failures = [Bool](repeating: false, count: chunks)

    blocks.storage.withUnsafeBufferPointer { aBuffer in
      panels.storage.withUnsafeBufferPointer { bBuffer in
        template.withUnsafeBufferPointer { tBuffer in
          factors.storage.withUnsafeMutableBufferPointer { lBuffer in
            projected.storage.withUnsafeMutableBufferPointer { pBuffer in
              partialGrams.withUnsafeMutableBufferPointer { gBuffer in
                partialLogs.withUnsafeMutableBufferPointer { logBuffer in
                  failures.withUnsafeMutableBufferPointer { failBuffer in
                    let context = KernelPointers(
                      a: aBuffer.baseAddress, b: bBuffer.baseAddress, t: tBuffer.baseAddress,
                      l: lBuffer.baseAddress, p: pBuffer.baseAddress, g: gBuffer.baseAddress,
                      logs: logBuffer.baseAddress, failed: failBuffer.baseAddress)
                    // Each chunk calls BLAS on its own thread; OpenBLAS runs one thread of
                    // its own (the policy is set once, where the shim loads it: see
                    // `BLASThreads`), so nested threading cannot halve the speed and each
                    // call keeps its summation order.
                    split.forEach(threads: threads) { chunk, range in
                      context.runChunk(chunk, levels: range, q: q, m: m, store: store)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    if failures.contains(true) { return nil }
    gram.fill(0)
    var logDeterminant = 0.0
    for chunk in 0..<chunks {
      logDeterminant += partialLogs[chunk]
      let base = chunk * m * m
      for j in 0..<m {
        for i in j..<m { gram.storage[i + j * m] += partialGrams[base + i + j * m] }
      }
    }
    return logDeterminant
  }
}

/// Raw pointers into the kernel's buffers, shared read-only by the chunk workers; each chunk
/// writes only its own levels' factors and panels and its own partial sums.
private struct KernelPointers: @unchecked Sendable {
  let a: UnsafePointer<Double>?
  let b: UnsafePointer<Double>?
  let t: UnsafePointer<Double>?
  let l: UnsafeMutablePointer<Double>?
  let p: UnsafeMutablePointer<Double>?
  let g: UnsafeMutablePointer<Double>?
  let logs: UnsafeMutablePointer<Double>?
  let failed: UnsafeMutablePointer<Bool>?

  func runChunk(_ chunk: Int, levels: Range<Int>, q: Int, m: Int, store: Bool) {
    guard let a, let b, let t, let l, let p, let g, let logs, let failed else { return }
    let gram = g + chunk * m * m
    // Work space: w (q×q), a private L_b (q×q) used when not storing, and, when not storing,
    // the chunk's panels P_b side by side (m × q·levels), so that G's share of this chunk is
    // one BLAS rank-k update instead of a hand-written loop per level.
    let panelCount = store ? 0 : m * q * levels.count
    var work = [Double](repeating: 0, count: 2 * q * q + panelCount)
    // Product of the factor diagonals, kept as mantissa × 2^exponent so that one logarithm
    // per chunk replaces one per diagonal element.
    var mantissa = 1.0
    var exponent = 0
    work.withUnsafeMutableBufferPointer { wBuffer in
      guard let w = wBuffer.baseAddress else { return }
      let privateL = w + q * q
      let panels = store ? p + levels.lowerBound * q * m : w + 2 * q * q
      for level in levels {
        let lb = store ? l + level * q * q : privateL
        let ok =
          q == 2
          ? factorLevel2(a + level * 4, t, lb)
          : factorLevel(a + level * q * q, t, lb, w, q)
        guard ok else {
          failed[chunk] = true
          return
        }
        for i in 0..<q {
          mantissa *= lb[i + i * q]
          if mantissa > 0x1p500 || mantissa < 0x1p-500 {
            exponent += Int(mantissa.exponent)
            mantissa = mantissa.significand
          }
        }
        let bb = b + level * q * m
        let pb = panels + (level - levels.lowerBound) * q * m
        if q == 2 {
          projectLevel2(bb, t, lb, pb, m)
        } else {
          projectLevel(bb, t, lb, pb, q, m)
        }
      }
      // G_chunk = P Pᵀ over the chunk's panels (lower triangle; BLAS on this thread only).
      let width = q * levels.count
      if width > 0 && !failed[chunk] {
        PointerBLAS.symmetricRankUpdateLower(
          n: m, k: width, alpha: 1, a: panels, lda: m, beta: 0, c: gram, ldc: m)
      }
    }
    logs[chunk] = 2 * (Foundation.log(mantissa) + Double(exponent) * M_LN2)
  }

  /// `L_b = chol(Tᵀ A_b T + I)` for any q; false if not positive definite.
  @inline(__always)
  private func factorLevel(
    _ ab: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ lb: UnsafeMutablePointer<Double>,
    _ w: UnsafeMutablePointer<Double>, _ q: Int
  ) -> Bool {
    // w = A_b T (T lower: column j nonzero in rows j..<q)
    for j in 0..<q {
      for i in 0..<q {
        var s = 0.0
        for k in j..<q { s += ab[i + k * q] * t[k + j * q] }
        w[i + j * q] = s
      }
    }
    for j in 0..<q {
      for i in j..<q {
        var s = 0.0
        for k in i..<q { s += t[k + i * q] * w[k + j * q] }
        if i == j { s += 1 }
        lb[i + j * q] = s
        lb[j + i * q] = s
      }
    }
    return choleskyLower(lb, q)
  }

  /// The q = 2 case of `factorLevel`, unrolled (random intercept and slope).
  @inline(__always)
  private func factorLevel2(
    _ ab: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ lb: UnsafeMutablePointer<Double>
  ) -> Bool {
    let t00 = t[0]
    let t10 = t[1]
    let t11 = t[3]
    let a00 = ab[0]
    let a10 = ab[1]
    let a11 = ab[3]
    // M = Tᵀ A T + I with T = [t00 0; t10 t11]
    let w00 = a00 * t00 + a10 * t10
    let w10 = a10 * t00 + a11 * t10
    let w01 = a10 * t11
    let w11 = a11 * t11
    let m00 = t00 * w00 + t10 * w10 + 1
    let m10 = t11 * w10
    let m11 = t11 * w11 + 1
    _ = w01
    guard m00 > 0 else { return false }
    let l00 = m00.squareRoot()
    let l10 = m10 / l00
    let d = m11 - l10 * l10
    guard d > 0 else { return false }
    lb[0] = l00
    lb[1] = l10
    lb[2] = 0
    lb[3] = d.squareRoot()
    return true
  }

  /// `P_b = B_b T L_b⁻ᵀ` for any q.
  @inline(__always)
  private func projectLevel(
    _ bb: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ lb: UnsafePointer<Double>,
    _ pb: UnsafeMutablePointer<Double>, _ q: Int, _ m: Int
  ) {
    for j in 0..<q {
      for i in 0..<m {
        var s = 0.0
        for k in j..<q { s += bb[i + k * m] * t[k + j * q] }
        pb[i + j * m] = s
      }
    }
    for j in 0..<q {
      let inverse = 1 / lb[j + j * q]
      for k in 0..<j {
        let ljk = lb[j + k * q]
        if ljk == 0 { continue }
        for i in 0..<m { pb[i + j * m] -= pb[i + k * m] * ljk }
      }
      for i in 0..<m { pb[i + j * m] *= inverse }
    }
  }

  /// The q = 2 case of `projectLevel`, with the two columns handled together.
  @inline(__always)
  private func projectLevel2(
    _ bb: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ lb: UnsafePointer<Double>,
    _ pb: UnsafeMutablePointer<Double>, _ m: Int
  ) {
    let t00 = t[0]
    let t10 = t[1]
    let t11 = t[3]
    let inverse0 = 1 / lb[0]
    let l10 = lb[1]
    let inverse1 = 1 / lb[3]
    let p0 = pb
    let p1 = pb + m
    for i in 0..<m {
      let b0 = bb[i]
      let b1 = bb[i + m]
      let x0 = (b0 * t00 + b1 * t10) * inverse0
      let x1 = (b1 * t11 - x0 * l10) * inverse1
      p0[i] = x0
      p1[i] = x1
    }
  }
}
