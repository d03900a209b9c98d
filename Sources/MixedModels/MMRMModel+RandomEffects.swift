import Foundation
import LinearAlgebra

extension MMRMModel {
  /// Λ (q×q column-major, block diagonal over the terms, each block lower triangular) from θ.
  func randomEffectsFactor(theta: [Double]) -> [Double] {
    let q = randomEffectCount
    var lambda = [Double](repeating: 0, count: q * q)
    var offset = 0
    var index = 0
    for term in randomTerms {
      let qt = term.columnNames.count
      for j in 0..<qt {
        for i in j..<qt {
          lambda[(offset + i) + (offset + j) * q] = theta[index]
          index += 1
        }
      }
      offset += qt
    }
    return lambda
  }

  /// Starting θ: Λ diagonal at half the least-squares SD, no correlation.
  func randomEffectsStart(sd: Double) -> [Double] {
    randomTerms.flatMap { term -> [Double] in
      let qt = term.columnNames.count
      var theta: [Double] = []
      for j in 0..<qt {
        for i in j..<qt { theta.append(i == j ? 0.5 * sd : 0) }
      }
      return theta
    }
  }

  /// SDs and correlations of G = ΛΛᵀ per term.
  func randomEffectsComponents(theta: [Double]) -> [VarianceComponent] {
    let q = randomEffectCount
    let lambda = randomEffectsFactor(theta: theta)
    var offset = 0
    return randomTerms.map { term in
      let qt = term.columnNames.count
      var g = [Double](repeating: 0, count: qt * qt)
      for i in 0..<qt {
        for j in 0..<qt {
          var s = 0.0
          for c in 0..<q { s += lambda[(offset + i) + c * q] * lambda[(offset + j) + c * q] }
          g[i * qt + j] = s
        }
      }
      offset += qt
      let sd = (0..<qt).map { g[$0 * qt + $0].squareRoot() }
      var corr = [Double](repeating: 0, count: qt * qt)
      for i in 0..<qt {
        for j in 0..<qt {
          corr[i * qt + j] =
            i == j ? 1 : (sd[i] > 0 && sd[j] > 0 ? g[i * qt + j] / (sd[i] * sd[j]) : .nan)
        }
      }
      return VarianceComponent(
        groupName: term.groupName, columnNames: term.columnNames, standardDeviations: sd,
        correlations: corr)
    }
  }

  /// Replaces `ŴᵀŴ` (already in `a`) by `[X y]ᵀV⁻¹[X y]` for a pattern's subjects and returns
  /// `Σ_j log|M_j|` (see `crossProducts`), or nil when some M_j is not positive definite.
  /// - Parameters:
  ///   - whitenedZ: L⁻¹Z, m × k·q, column `l·k + j` is column l of subject j.
  ///   - whitenedData: L⁻¹[X y], m × k(p+1), same layout.
  ///   - lambda: Λ, q × q.
  ///   - k: Subjects in the pattern.
  ///   - m: Visits in the pattern.
  ///   - q: Random effects per subject.
  ///   - width: p + 1.
  ///   - a: The cross-products (lower triangle).
  /// - Returns: `Σ_j log|M_j|`, or nil when some M_j is not positive definite.
  static func removeRandomEffects(
    whitenedZ: Matrix, whitenedData: Matrix, lambda: [Double], subjects k: Int, visits m: Int,
    q: Int, width: Int, from a: inout Matrix
  ) -> Double? {
    var logDet = 0.0
    var zhat = [Double](repeating: 0, count: m * q)
    var factor = [Double](repeating: 0, count: q * q)
    var c = Matrix(rows: k * q, columns: width)
    let z = whitenedZ.elements
    let w = whitenedData.elements
    for j in 0..<k {
      // Ẑ = (L⁻¹Z_j) Λ.
      for col in 0..<q {
        for r in 0..<m {
          var s = 0.0
          for c2 in col..<q { s += z[(c2 * k + j) * m + r] * lambda[c2 + col * q] }
          zhat[r + col * m] = s
        }
      }
      // M = I + ẐᵀẐ and its Cholesky factor (lower, in place).
      for col in 0..<q {
        for row in col..<q {
          var s = row == col ? 1.0 : 0.0
          for r in 0..<m { s += zhat[r + row * m] * zhat[r + col * m] }
          factor[row + col * q] = s
        }
      }
      for col in 0..<q {
        var d = factor[col + col * q]
        for c2 in 0..<col { d -= factor[col + c2 * q] * factor[col + c2 * q] }
        guard d > 0 else { return nil }
        let root = d.squareRoot()
        factor[col + col * q] = root
        logDet += 2 * log(root)
        for row in (col + 1)..<max(col + 1, q) {
          var s = factor[row + col * q]
          for c2 in 0..<col { s -= factor[row + c2 * q] * factor[col + c2 * q] }
          factor[row + col * q] = s / root
        }
      }
      // C = L_M⁻¹ ẐᵀŴ_j, one column of [X y] at a time, into rows j·q ..< (j+1)·q.
      for l in 0..<width {
        var b = [Double](repeating: 0, count: q)
        for row in 0..<q {
          var s = 0.0
          for r in 0..<m { s += zhat[r + row * m] * w[(l * k + j) * m + r] }
          for c2 in 0..<row { s -= factor[row + c2 * q] * b[c2] }
          b[row] = s / factor[row + row * q]
        }
        for row in 0..<q { c.storage[(j * q + row) + l * (k * q)] = b[row] }
      }
    }
    a.symmetricRankUpdate(c, transpose: true, alpha: -1)
    return logDet
  }
}
