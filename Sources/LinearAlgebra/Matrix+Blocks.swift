// MARK: - Operations on matrices partitioned into equal-width column or row blocks.
//
// In the penalised least-squares system, a block row of `L` against a grouping factor with
// `q` random effects per level is a dense matrix whose columns come in q-wide groups, one per
// level; each group is multiplied by the same small template or by that level's own small
// triangular factor. These loops are hand-written for the same reason as the
// `UniformBlockDiagonal` kernels: q is tiny and the number of groups is large.

extension Matrix {
  /// `M_b := M_b · t` for every q-wide column block `M_b`, with one lower-triangular `t`.
  /// - Parameters:
  ///   - q: Block width; must divide `columns`.
  ///   - t: Lower-triangular q×q template, column-major.
  public mutating func multiplyColumnBlocks(width q: Int, by t: [Double]) {
    precondition(q > 0 && columns % q == 0 && t.count == q * q, "multiplyColumnBlocks: shape")
    let m = rows
    let blocks = columns / q
    if q == 1 {
      scale(by: t[0])
      return
    }
    var row = [Double](repeating: 0, count: q)
    storage.withUnsafeMutableBufferPointer { s in
      for b in 0..<blocks {
        let base = b * q * m
        for i in 0..<m {
          for k in 0..<q { row[k] = s[base + i + k * m] }
          for j in 0..<q {
            var sum = 0.0
            for k in j..<q { sum += row[k] * t[k + j * q] }
            s[base + i + j * m] = sum
          }
        }
      }
    }
  }

  /// `M_a := tᵀ · M_a` for every q-high row block `M_a`, with one lower-triangular `t`.
  /// - Parameters:
  ///   - q: Block height; must divide `rows`.
  ///   - t: Lower-triangular q×q template, column-major.
  public mutating func multiplyRowBlocksTransposed(height q: Int, by t: [Double]) {
    precondition(q > 0 && rows % q == 0 && t.count == q * q, "multiplyRowBlocksTransposed")
    let m = rows
    if q == 1 {
      scale(by: t[0])
      return
    }
    var v = [Double](repeating: 0, count: q)
    storage.withUnsafeMutableBufferPointer { s in
      for j in 0..<columns {
        for a in 0..<(m / q) {
          let base = a * q + j * m
          for k in 0..<q { v[k] = s[base + k] }
          for i in 0..<q {
            var sum = 0.0
            for k in i..<q { sum += t[k + i * q] * v[k] }
            s[base + i] = sum
          }
        }
      }
    }
  }

  /// `M_b := M_b · L_b⁻ᵀ` for every column block, `L_b` the lower factors in `factors`.
  /// - Parameter factors: Lower Cholesky factors, one per column block of width `factors.q`.
  public mutating func solveColumnBlocksTransposed(by factors: UniformBlockDiagonal) {
    let q = factors.q
    precondition(columns == factors.order, "solveColumnBlocksTransposed: shape")
    let m = rows
    storage.withUnsafeMutableBufferPointer { s in
      factors.storage.withUnsafeBufferPointer { f in
        for b in 0..<factors.count {
          let base = b * q * m
          let fb = b * q * q
          // Solve X · Lᵀ = B for X, column by column: X_j = (B_j − Σ_{k<j} X_k L_jk) / L_jj.
          for j in 0..<q {
            let ljj = f[fb + j + j * q]
            for k in 0..<j {
              let ljk = f[fb + j + k * q]
              if ljk == 0 { continue }
              for i in 0..<m { s[base + i + j * m] -= s[base + i + k * m] * ljk }
            }
            for i in 0..<m { s[base + i + j * m] /= ljj }
          }
        }
      }
    }
  }

  /// Copies a block-diagonal matrix into this dense square matrix (zeros elsewhere).
  /// - Parameter blocks: A block-diagonal matrix of the same order.
  public mutating func assign(blockDiagonal blocks: UniformBlockDiagonal) {
    precondition(rows == blocks.order && columns == blocks.order, "assign(blockDiagonal:)")
    fill(0)
    let q = blocks.q
    for b in 0..<blocks.count {
      for j in 0..<q {
        for i in 0..<q { storage[(b * q + i) + (b * q + j) * rows] = blocks[b, i, j] }
      }
    }
  }

  /// Multiplies every element by `factor` (the q = 1 case of the block products above).
  /// - Parameter factor: The scale.
  public mutating func scale(by factor: Double) {
    if factor == 1 { return }
    storage.withUnsafeMutableBufferPointer { s in
      for i in s.indices { s[i] *= factor }
    }
  }

  /// Adds `value` to each diagonal element.
  /// - Parameter value: The amount.
  public mutating func addToDiagonal(_ value: Double) {
    for i in 0..<min(rows, columns) { storage[i + i * rows] += value }
  }
}
