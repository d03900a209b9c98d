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
  /// subject with random effects. Two passes: the first forms P_r, K_rs and `tr(ΦQ_rs) =
  /// Σ_ab (V⁻¹V_rV⁻¹V_sV⁻¹)_ab tr(ΦS_ab)`, hence W; the second forms U's weight matrix
  /// `V⁻¹(Σ_rs W_rs V_rV⁻¹V_s − ¼ Σ_rs W_rs V_rs)V⁻¹` per block and contracts it with S once,
  /// so no Q_rs or R_rs (p × p each, R² of them) is ever stored. `Σ_rs W_rs V_rs` is
  /// `Σ_k λ_k ∂²V/∂u_k²` over W's eigenpairs (λ_k, u_k): R second directional derivatives
  /// instead of R²/2 mixed ones. V_r and the directional derivatives come from central
  /// finite differences of the block's V (steps 1e-4 and 1e-3 relative); no N × N matrix is
  /// formed.
  /// - Complexity: per block O(R² m³ + R m² p²) plus O(k m² p²) for its k subjects.
  init(mmrm model: MMRMModel, fit: MMRMFit) throws {
    guard fit.method == .reml else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger", reason: "it is defined for REML fits only")
    }
    let x0 = fit.theta + fit.phi
    let r = x0.count
    let pc = fit.fixedEffects.count
    let pp = pc * pc
    let phi = (0..<pc).map { i in (0..<pc).map { fit.fixedEffectsCovariance[i, $0] } }
    var phiFlat = Matrix(rows: pp, columns: 1)
    for a in 0..<pc {
      for b in 0..<pc { phiFlat.storage[a * pc + b] = phi[a][b] }
    }
    let blocks = model.covarianceBlocks

    // Pass 1: P_r (pp × r, column r row-major p × p), K_rs and tr(ΦQ_rs).
    var pSum = Matrix(rows: pp, columns: r)
    var kSum = [Double](repeating: 0, count: r * r)
    var traceQ = [Double](repeating: 0, count: r * r)
    for block in blocks {
      let d = try BlockDerivatives(model: model, block: block, at: x0)
      let m = d.m
      let sPairs = Self.visitPairSums(model: model, subjectRows: block.subjectRows, visits: m)
      var pWeights = Matrix(rows: m * m, columns: r)
      for s in 0..<r where !d.zero[s] {
        for a in 0..<m {
          for b in 0..<m { pWeights[a * m + b, s] = -d.middle[s][a][b] }
        }
      }
      pSum.multiplyAdd(sPairs, pWeights)
      // t_ab = tr(Φ S_ab), then tr(ΦQ_st) = Σ_ab (middle_s V_t V⁻¹)_ab t_ab.
      let t = Matrix.product(sPairs, transposeA: true, phiFlat)
      let products = d.middleTimesRight()
      let count = Double(block.subjectRows.count)
      for s in 0..<r where !d.zero[s] {
        for u in 0..<r where !d.zero[u] {
          var sum = 0.0
          for a in 0..<m {
            for b in 0..<m { sum += products[s * m + a, u * m + b] * t.storage[a * m + b] }
          }
          traceQ[s * r + u] += sum
          kSum[s * r + u] += count * Dense.traceOfProduct(d.left[s], d.left[u])
        }
      }
    }
    func block(_ sums: Matrix, _ column: Int) -> [[Double]] {
      (0..<pc).map { a in (0..<pc).map { sums.storage[column * pp + a * pc + $0] } }
    }
    let pMatrices = (0..<r).map { block(pSum, $0) }
    let w = Self.parameterCovariance(
      phi: phi, p: pMatrices, traceQ: { traceQ[$0 * r + $1] }, k: { kSum[$0 * r + $1] })
    let (eigenvalues, eigenvectors) = Dense.symmetricEigen(w)

    // Pass 2: Σ_rs W_rs (Q_rs − ¼R_rs) = Σ_blocks S · vec(V⁻¹(Σ W_rs V_rV⁻¹V_s − ¼ΣW_rs V_rs)V⁻¹).
    var flat = Matrix(rows: pp, columns: 1)
    for block in blocks {
      let d = try BlockDerivatives(model: model, block: block, at: x0)
      let m = d.m
      // C = Σ_r V_r V⁻¹ (Σ_s W_rs V_s).
      var c = Dense.zeros(m, m)
      for s in 0..<r where !d.zero[s] {
        var mixed = Dense.zeros(m, m)
        for u in 0..<r where !d.zero[u] && w[s][u] != 0 {
          mixed = Dense.add(mixed, d.first[u], scale: w[s][u])
        }
        c = Dense.add(c, Dense.multiply(d.right[s], mixed))
      }
      // Σ_rs W_rs V_rs = Σ_k λ_k ∂²V/∂u_k², central differences along each eigenvector.
      var second = Dense.zeros(m, m)
      let scale = max(1, x0.map(abs).max() ?? 1)
      for (k, lambda) in eigenvalues.enumerated() where lambda != 0 {
        let direction = (0..<r).map { eigenvectors[$0][k] }
        let h = 1e-3 * scale
        let up = try d.covariance(at: zip(x0, direction).map { $0 + h * $1 })
        let down = try d.covariance(at: zip(x0, direction).map { $0 - h * $1 })
        for i in 0..<m {
          for j in 0..<m {
            let value = (up[i + j * m] - 2 * d.v0[i + j * m] + down[i + j * m]) / (h * h)
            second[i][j] += lambda * value
          }
        }
      }
      let inner = Dense.add(c, second, scale: -0.25)
      let weights = Dense.multiply(Dense.multiply(d.vInverse, inner), d.vInverse)
      var vecWeights = Matrix(rows: m * m, columns: 1)
      for a in 0..<m {
        for b in 0..<m { vecWeights.storage[a * m + b] = weights[a][b] }
      }
      let sPairs = Self.visitPairSums(model: model, subjectRows: block.subjectRows, visits: m)
      flat.multiplyAdd(sPairs, vecWeights)
    }
    // U = that − Σ_rs W_rs P_rΦP_s, the latter as Σ_r P_rΦM_r with M = P·W.
    var wMatrix = Matrix(rows: r, columns: r)
    for i in 0..<r {
      for j in 0..<r { wMatrix[i, j] = w[i][j] }
    }
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

/// One block of V at the fitted parameters and its first derivatives (central differences).
private struct BlockDerivatives {
  let model: MMRMModel
  let block: MMRMCovarianceBlock
  /// Visits in the block.
  let m: Int
  /// V, m × m column-major.
  let v0: [Double]
  /// V⁻¹.
  let vInverse: [[Double]]
  /// V_r = ∂V/∂ϑ_r.
  let first: [[[Double]]]
  /// Whether V_r is zero (a parameter of another group).
  let zero: [Bool]
  /// V⁻¹V_r.
  let left: [[[Double]]]
  /// V⁻¹V_rV⁻¹.
  let middle: [[[Double]]]
  /// V_rV⁻¹.
  let right: [[[Double]]]

  init(model: MMRMModel, block: MMRMCovarianceBlock, at x0: [Double]) throws {
    self.model = model
    self.block = block
    let m = block.visits.count
    self.m = m
    guard let v0 = model.marginalCovariance(block, parameters: x0) else {
      throw InferenceError.numerical(reason: "a block covariance is not finite")
    }
    self.v0 = v0
    guard let vInverse = Dense.inverseSPD((0..<m).map { a in (0..<m).map { v0[a + $0 * m] } })
    else {
      throw InferenceError.numerical(reason: "a block covariance is not positive definite")
    }
    self.vInverse = vInverse
    var first = [[[Double]]]()
    for s in x0.indices {
      let h = 1e-4 * max(1, abs(x0[s]))
      var up = x0
      var down = x0
      up[s] += h
      down[s] -= h
      guard let a = model.marginalCovariance(block, parameters: up),
        let b = model.marginalCovariance(block, parameters: down)
      else { throw InferenceError.numerical(reason: "a block covariance is not finite") }
      first.append(
        (0..<m).map { i in (0..<m).map { j in (a[i + j * m] - b[i + j * m]) / (2 * h) } })
    }
    self.first = first
    self.zero = first.map { d in d.allSatisfy { $0.allSatisfy { $0 == 0 } } }
    self.left = first.map { Dense.multiply(vInverse, $0) }
    self.middle = left.map { Dense.multiply($0, vInverse) }
    self.right = first.map { Dense.multiply($0, vInverse) }
  }

  /// V at other parameters, m × m column-major.
  func covariance(at x: [Double]) throws -> [Double] {
    guard let value = model.marginalCovariance(block, parameters: x) else {
      throw InferenceError.numerical(reason: "a block covariance is not finite")
    }
    return value
  }

  /// Every product `V⁻¹V_rV⁻¹ · V_sV⁻¹` at once: (R·m × m) · (m × R·m), block (r, s).
  func middleTimesRight() -> Matrix {
    let r = first.count
    var stackedMiddle = Matrix(rows: r * m, columns: m)
    var stackedRight = Matrix(rows: m, columns: r * m)
    for s in 0..<r {
      for i in 0..<m {
        for j in 0..<m {
          stackedMiddle[s * m + i, j] = middle[s][i][j]
          stackedRight[i, s * m + j] = right[s][i][j]
        }
      }
    }
    return Matrix.product(stackedMiddle, stackedRight)
  }
}
