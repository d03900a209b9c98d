import Foundation
import LinearAlgebra

// MARK: - Solutions read off the factor: β̂, the conditional modes, covariance matrices.

extension PLSWorkspace {
  /// `L_X`, the p×p fixed-effects block of the factor.
  var fixedEffectsFactor: Matrix {
    let p = model.fixedEffectCount
    var l = Matrix(rows: p, columns: p)
    for j in 0..<p {
      for i in j..<p { l[i, j] = xyxy[i, j] }
    }
    return l
  }

  /// β̂ = L_X⁻ᵀ c_X, the conditional (profiled) estimate of the fixed effects.
  public var fixedEffects: [Double] {
    precondition(isFactored, "fixedEffects needs a factored workspace")
    let p = model.fixedEffectCount
    var c = Matrix(rows: p, columns: 1)
    for i in 0..<p { c[i, 0] = xyxy[p, i] }
    c.solveLeftLower(fixedEffectsFactor, transpose: true)
    return c.elements
  }

  /// `(L_X L_Xᵀ)⁻¹`: the covariance of β̂ divided by σ².
  /// - Throws: `LinearAlgebraError` if `L_X` is singular.
  public func unscaledFixedEffectsCovariance() throws -> Matrix {
    try fixedEffectsFactor.inverseFromCholesky()
  }

  /// The spherical conditional modes `u` per term, from the back substitution
  /// `L_kkᵀ u_k = c_k − L_Xkᵀ β̂ − Σ_{j>k} L_jkᵀ u_j`.
  /// - Parameter beta: β̂ (from `fixedEffects`).
  /// - Precondition: `hasFullFactor` (after `completeFactor()`).
  /// - Returns: One vector of length `r_k` per term.
  public func sphericalModes(beta: [Double]) -> [[Double]] {
    precondition(hasFullFactor, "sphericalModes needs completeFactor()")
    let terms = model.terms
    let p = model.fixedEffectCount
    var u = terms.map { [Double](repeating: 0, count: $0.dimension) }
    for k in stride(from: terms.count - 1, through: 0, by: -1) {
      var rhs = [Double](repeating: 0, count: terms[k].dimension)
      for c in 0..<terms[k].dimension {
        var s = xyRow[k][p, c]
        for a in 0..<p { s -= xyRow[k][a, c] * beta[a] }
        rhs[c] = s
      }
      for j in (k + 1)..<max(k + 1, terms.count) {
        // rhs -= L_jkᵀ u_j
        let l = offDiagonal[j][k]
        for c in 0..<l.columns {
          var s = 0.0
          for r in 0..<l.rows { s += l[r, c] * u[j][r] }
          rhs[c] -= s
        }
      }
      if k == 0 {
        diagonal0.solve(&rhs, transpose: true)
      } else {
        var m = Matrix(rows: rhs.count, columns: 1, columnMajor: rhs)
        m.solveLeftLower(diagonal[k], transpose: true)
        rhs = m.elements
      }
      u[k] = rhs
    }
    return u
  }

  /// The conditional modes `b_k = Λ_k u_k` per term (BLUPs on the response scale).
  /// - Parameter u: Spherical modes from `sphericalModes(beta:)`.
  /// - Returns: One vector of length `r_k` per term, level-major (`b[level*q + column]`).
  public func conditionalModes(spherical u: [[Double]]) -> [[Double]] {
    model.terms.indices.map { k in
      let q = model.terms[k].q
      let t = templates[k]
      var b = [Double](repeating: 0, count: u[k].count)
      for level in 0..<model.terms[k].levelCount {
        for i in 0..<q {
          var s = 0.0
          for j in 0...i { s += t[i + j * q] * u[k][level * q + j] }
          b[level * q + i] = s
        }
      }
      return b
    }
  }

  /// Diagonal blocks of `Λ (ΛᵀZᵀZΛ + I)⁻¹ Λᵀ`: the conditional covariance of each level's
  /// random effects divided by σ², as lme4's `ranef(condVar = TRUE)` reports (`postVar`).
  ///
  /// For term j and level l, `x = L_Z⁻¹ E` (E the unit columns of that level) is found by block
  /// forward substitution; the block is `T_j (xᵀx) T_jᵀ`.
  /// - Returns: Per term, per level, a q×q column-major block.
  /// - Precondition: `hasFullFactor` (after `completeFactor()`).
  public func unscaledConditionalVariances() -> [[[Double]]] {
    precondition(hasFullFactor, "conditional variances need completeFactor()")
    let terms = model.terms
    var result = [[[Double]]]()
    for j in terms.indices {
      let q = terms[j].q
      let t = templates[j]
      var perLevel = [[Double]]()
      perLevel.reserveCapacity(terms[j].levelCount)
      for level in 0..<terms[j].levelCount {
        // x[k] for k ≥ j; only block `level` of x[j] is nonzero when j == 0.
        var gram = [Double](repeating: 0, count: q * q)
        var xs = [Matrix](repeating: Matrix(rows: 0, columns: 0), count: terms.count)
        if j == 0 {
          // x_0 restricted to the level's block: L_b⁻¹.
          var inv = Matrix.identity(q)
          inv.solveLeftLower(diagonal0.block(level))
          // Only the level's own q columns of L_k0 meet the nonzero block of x_0, so keep
          // just that block (inv) and its column range; a full r_0 × q x_0 would make this
          // O(levels²) for nested factors.
          xs[0] = inv
          addGram(&gram, inv)
        } else {
          var e = Matrix(rows: terms[j].dimension, columns: q)
          for c in 0..<q { e[level * q + c, c] = 1 }
          e.solveLeftLower(diagonal[j])
          addGram(&gram, e)
          xs[j] = e
        }
        for k in (j + 1)..<max(j + 1, terms.count) {
          var x = Matrix(rows: terms[k].dimension, columns: q)
          for m in j..<k {
            if m == 0 {
              let columns = offDiagonal[k][0].selectingColumns(
                Array((level * q)..<((level + 1) * q)))
              x.multiplyAdd(columns, xs[0], alpha: -1, beta: 1)
            } else {
              x.multiplyAdd(offDiagonal[k][m], xs[m], alpha: -1, beta: 1)
            }
          }
          x.solveLeftLower(diagonal[k])
          addGram(&gram, x)
          xs[k] = x
        }
        // T (gram) Tᵀ
        var block = [Double](repeating: 0, count: q * q)
        for a in 0..<q {
          for b in 0..<q {
            var s = 0.0
            for c in 0...a {
              for d in 0...b { s += t[a + c * q] * gram[c + d * q] * t[b + d * q] }
            }
            block[a + b * q] = s
          }
        }
        perLevel.append(block)
      }
      result.append(perLevel)
    }
    return result
  }
}

/// gram += xᵀx for an r × q matrix x.
private func addGram(_ gram: inout [Double], _ x: Matrix) {
  let q = x.columns
  for a in 0..<q {
    for b in 0..<q {
      var s = 0.0
      for r in 0..<x.rows { s += x[r, a] * x[r, b] }
      gram[a + b * q] += s
    }
  }
}
