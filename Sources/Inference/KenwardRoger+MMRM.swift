import Foundation
import LinearAlgebra
import MixedModels

extension KenwardRogerAdjustment {
  /// Kenward & Roger (1997) for a REML-fitted MMRM, in the fit's own (nonlinear) covariance
  /// parameters ϑ = (θ, φ), *with* the second-derivative terms — mmrm's `"Kenward-Roger"`, not
  /// its `"Kenward-Roger-Linear"` (which drops R). With V_r = ∂V/∂ϑ_r and V_rs = ∂²V/∂ϑ_r∂ϑ_s,
  ///
  ///     P_r = −XᵀV⁻¹V_rV⁻¹X,  Q_rs = XᵀV⁻¹V_rV⁻¹V_sV⁻¹X,  R_rs = XᵀV⁻¹V_rsV⁻¹X,
  ///     Φ_A = Φ + 2Φ [Σ_rs W_rs (Q_rs − P_rΦP_s − ¼R_rs)] Φ,
  ///
  /// W = 2 I⁻¹ with the expected REML information (times 2)
  /// `I_rs = tr(V⁻¹V_rV⁻¹V_s) − 2 tr(ΦQ_rs) + tr(ΦP_rΦP_s)` (KR 1997; SAS). The df and F
  /// scaling (from P_r and W) do not depend on the parameterisation; Φ_A does: R is the
  /// correction the nonlinear parameters need, and with it Φ_A differs from the linear
  /// parameterisation's (for `us` with saturated visit means the linear Φ_A is Φ, ours is not).
  ///
  /// Every sum runs over blocks of V: a visit pattern (all its subjects share V_i, so with
  /// `S_ab = Σ_i x_ia x_ibᵀ` over its subjects, `Σ_i X_iᵀ A X_i = Σ_ab A_ab S_ab`), or one
  /// subject with random effects. V_r and V_rs come from central finite differences of the
  /// block's V (steps 1e-4 and 1e-3 relative); no N × N matrix is formed.
  /// - Complexity: per block O(R² (m³ + m² p²)) for R parameters; independent of the number
  ///   of subjects in a pattern.
  init(mmrm model: MMRMModel, fit: MMRMFit) throws {
    guard fit.method == .reml else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger", reason: "it is defined for REML fits only")
    }
    let x0 = fit.theta + fit.phi
    let r = x0.count
    let pc = fit.fixedEffects.count
    let pp = pc * pc
    // Accumulators, pp × (number of matrices) column-major: column s (P), s·r + t (Q, R).
    var pSum = Matrix(rows: pp, columns: r)
    var qSum = Matrix(rows: pp, columns: r * r)
    var rSum = Matrix(rows: pp, columns: r * r)
    var kSum = [Double](repeating: 0, count: r * r)
    for block in model.covarianceBlocks {
      let m = block.visits.count
      let mm = m * m
      let count = Double(block.subjectRows.count)
      func v(_ x: [Double]) throws -> [Double] {
        guard let value = model.marginalCovariance(block, parameters: x) else {
          throw InferenceError.numerical(reason: "a block covariance is not finite")
        }
        return value
      }
      let v0 = try v(x0)
      guard let vInverse = Dense.inverseSPD((0..<m).map { a in (0..<m).map { v0[a + $0 * m] } })
      else {
        throw InferenceError.numerical(reason: "a block covariance is not positive definite")
      }
      // First derivatives (row-major m × m each).
      var first = [[[Double]]]()
      for s in 0..<r {
        let h = 1e-4 * max(1, abs(x0[s]))
        var up = x0
        var down = x0
        up[s] += h
        down[s] -= h
        let a = try v(up)
        let b = try v(down)
        first.append(
          (0..<m).map { i in (0..<m).map { j in (a[i + j * m] - b[i + j * m]) / (2 * h) } })
      }
      let zero = first.map { d in d.allSatisfy { $0.allSatisfy { $0 == 0 } } }
      // Σ_i X_iᵀ A X_i = Σ_ab A_ab S_ab = S · vec(A) (vec row-major) over the block's subjects.
      let sPairs = Self.visitPairSums(model: model, subjectRows: block.subjectRows, visits: m)
      let left = first.map { Dense.multiply(vInverse, $0) }  // V⁻¹V_s
      let middle = left.map { Dense.multiply($0, vInverse) }  // V⁻¹V_sV⁻¹
      // All products middle[s] · V_t · V⁻¹ at once: (r·m × m) · (m × r·m), block (s, t).
      var stackedMiddle = Matrix(rows: r * m, columns: m)
      var stackedRight = Matrix(rows: m, columns: r * m)
      for s in 0..<r {
        let right = Dense.multiply(first[s], vInverse)
        for i in 0..<m {
          for j in 0..<m {
            stackedMiddle[s * m + i, j] = middle[s][i][j]
            stackedRight[i, s * m + j] = right[i][j]
          }
        }
      }
      let products = Matrix.product(stackedMiddle, stackedRight)
      // Weights, m² × (number of matrices): vec(A) of each matrix contracted with S.
      var pWeights = Matrix(rows: mm, columns: r)
      var qWeights = Matrix(rows: mm, columns: r * r)
      var rWeights = Matrix(rows: mm, columns: r * r)
      for s in 0..<r where !zero[s] {
        for a in 0..<m {
          for b in 0..<m { pWeights[a * m + b, s] = -middle[s][a][b] }
        }
        for t in 0..<r where !zero[t] {
          for a in 0..<m {
            for b in 0..<m { qWeights[a * m + b, s * r + t] = products[s * m + a, t * m + b] }
          }
          kSum[s * r + t] += count * Dense.traceOfProduct(left[s], left[t])
          guard t >= s else { continue }
          let hs = 1e-3 * max(1, abs(x0[s]))
          let ht = 1e-3 * max(1, abs(x0[t]))
          var corners = [[Double]]()
          for (ds, dt) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
            var y = x0
            y[s] += ds * hs
            y[t] += dt * ht
            corners.append(try v(y))
          }
          let second = (0..<m).map { i in
            (0..<m).map { j in
              let k = i + j * m
              return (corners[0][k] - corners[1][k] - corners[2][k] + corners[3][k]) / (4 * hs * ht)
            }
          }
          let weights = Dense.multiply(Dense.multiply(vInverse, second), vInverse)
          for a in 0..<m {
            for b in 0..<m {
              rWeights[a * m + b, s * r + t] = weights[a][b]
              rWeights[a * m + b, t * r + s] = weights[a][b]
            }
          }
        }
      }
      pSum.multiplyAdd(sPairs, pWeights)
      qSum.multiplyAdd(sPairs, qWeights)
      rSum.multiplyAdd(sPairs, rWeights)
    }
    func block(_ sums: Matrix, _ column: Int) -> [[Double]] {
      (0..<pc).map { a in (0..<pc).map { sums.storage[column * pp + a * pc + $0] } }
    }
    let phi = (0..<pc).map { i in (0..<pc).map { fit.fixedEffectsCovariance[i, $0] } }
    let pMatrices = (0..<r).map { block(pSum, $0) }
    let w = Self.parameterCovariance(
      phi: phi, p: pMatrices, q: { block(qSum, $0 * r + $1) }, k: { kSum[$0 * r + $1] })
    // U = Σ_ij W_ij (Q_ij − P_iΦP_j − ¼R_ij), as products: Σ_ij W_ij Q_ij = Q·vec(W),
    // and Σ_ij W_ij P_iΦP_j = Σ_i P_iΦ(Σ_j W_ij P_j) = Σ_i P_iΦM_i with M = P·W.
    var weights = Matrix(rows: r * r, columns: 1)
    var wMatrix = Matrix(rows: r, columns: r)
    for i in 0..<r {
      for j in 0..<r {
        weights.storage[i * r + j] = w[i][j]
        wMatrix[i, j] = w[i][j]
      }
    }
    var flat = Matrix(rows: pp, columns: 1)
    flat.multiplyAdd(qSum, weights, alpha: 1, beta: 0)
    flat.multiplyAdd(rSum, weights, alpha: -0.25, beta: 1)
    let mixed = Matrix.product(pSum, wMatrix)
    var u = block(flat, 0)
    for i in 0..<r {
      let term = Dense.multiply(Dense.multiply(pMatrices[i], phi), block(mixed, i))
      u = Dense.add(u, term, scale: -1)
    }
    let correction = Dense.multiply(Dense.multiply(phi, u), phi)
    self.init(phi: phi, adjusted: Dense.add(phi, correction, scale: 2), p: pMatrices, w: w)
  }

  /// `S`, pp × m² column-major: column a·m + b holds `S_ab = Σ_i x_iaᵀ x_ib` (row-major p × p)
  /// over the subjects, with x_ia the row of X of subject i's a-th visit.
  ///
  /// Formed as the Gram matrix `GᵀG` of the subjects' visit rows laid side by side
  /// (G: subjects × m·p, one BLAS product per chunk of 4,096 subjects), whose block (a, b) is
  /// S_ab.
  /// - Parameters:
  ///   - model: The model (for X).
  ///   - subjectRows: Each subject's rows, in visit order (m each).
  ///   - m: Visits per subject.
  /// - Returns: The pair sums.
  static func visitPairSums(model: MMRMModel, subjectRows: [[Int]], visits m: Int) -> Matrix {
    let pc = model.fixedEffectCount
    let width = m * pc
    var gram = Matrix(rows: width, columns: width)
    let chunk = 4096
    var start = 0
    while start < subjectRows.count {
      let end = min(subjectRows.count, start + chunk)
      var g = Matrix(rows: end - start, columns: width)
      for (j, rows) in subjectRows[start..<end].enumerated() {
        for a in 0..<m {
          for c in 0..<pc { g.storage[j + (a * pc + c) * g.rows] = model.X[rows[a], c] }
        }
      }
      gram.multiplyAdd(g, transposeA: true, g, alpha: 1, beta: 1)
      start = end
    }
    var pairs = Matrix(rows: pc * pc, columns: m * m)
    for a in 0..<m {
      for b in 0..<m {
        let base = (a * m + b) * pc * pc
        for c in 0..<pc {
          for e in 0..<pc {
            pairs.storage[base + c * pc + e] = gram.storage[(a * pc + c) + (b * pc + e) * width]
          }
        }
      }
    }
    return pairs
  }

  /// Creates the adjustment from its parts.
  init(phi: [[Double]], adjusted: [[Double]], p: [[[Double]]], w: [[Double]]) {
    self.phi = phi
    self.adjusted = adjusted
    self.p = p
    self.w = w
  }
}
