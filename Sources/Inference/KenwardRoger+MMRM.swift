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
  /// subject with random effects, or one cluster (such as a site) with random effects above
  /// the subject (`accumulateCluster`, dense n_c × n_c). V_r and V_rs come from central
  /// finite differences of the block's V (steps 1e-4 and 1e-3 relative); no N × N matrix is
  /// formed.
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
    var pSum = [Double](repeating: 0, count: r * pp)
    var qSum = [Double](repeating: 0, count: r * r * pp)
    var rSum = [Double](repeating: 0, count: r * r * pp)
    var kSum = [Double](repeating: 0, count: r * r)
    for block in model.covarianceBlocks {
      if block.isCluster {
        try Self.accumulateCluster(
          block, model: model, at: x0, p: &pSum, q: &qSum, r: &rSum, k: &kSum)
        continue
      }
      let m = block.dimension
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
      var zero = [Bool]()
      for s in 0..<r {
        let h = 1e-4 * max(1, abs(x0[s]))
        var up = x0
        var down = x0
        up[s] += h
        down[s] -= h
        let a = try v(up)
        let b = try v(down)
        let d = (0..<m).map { i in (0..<m).map { j in (a[i + j * m] - b[i + j * m]) / (2 * h) } }
        first.append(d)
        zero.append(d.allSatisfy { $0.allSatisfy { $0 == 0 } })
      }
      // S_ab: p × p per visit pair, summed over the block's subjects.
      var sPairs = [Double](repeating: 0, count: mm * pp)
      for rows in block.subjectRows {
        for a in 0..<m {
          for b in 0..<m {
            let base = (a * m + b) * pp
            for c in 0..<pc {
              let xa = model.X[rows[a], c]
              for e in 0..<pc { sPairs[base + c * pc + e] += xa * model.X[rows[b], e] }
            }
          }
        }
      }
      func contract(
        _ weights: [[Double]], into target: inout [Double], at offset: Int, scale: Double
      ) {
        for a in 0..<m {
          for b in 0..<m {
            let w = weights[a][b] * scale
            if w == 0 { continue }
            let base = (a * m + b) * pp
            for k in 0..<pp { target[offset + k] += w * sPairs[base + k] }
          }
        }
      }
      let left = first.map { Dense.multiply(vInverse, $0) }  // V⁻¹V_s
      let middle = left.map { Dense.multiply($0, vInverse) }  // V⁻¹V_sV⁻¹
      for s in 0..<r where !zero[s] {
        contract(middle[s], into: &pSum, at: s * pp, scale: -1)
        for t in 0..<r where !zero[t] {
          contract(
            Dense.multiply(middle[s], Dense.multiply(first[t], vInverse)), into: &qSum,
            at: (s * r + t) * pp, scale: 1)
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
          contract(weights, into: &rSum, at: (s * r + t) * pp, scale: 1)
          if t != s { contract(weights, into: &rSum, at: (t * r + s) * pp, scale: 1) }
        }
      }
    }
    func block(_ flat: [Double], _ offset: Int) -> [[Double]] {
      (0..<pc).map { a in (0..<pc).map { flat[offset + a * pc + $0] } }
    }
    let phi = (0..<pc).map { i in (0..<pc).map { fit.fixedEffectsCovariance[i, $0] } }
    let pMatrices = (0..<r).map { block(pSum, $0 * pp) }
    let w = Self.parameterCovariance(
      phi: phi, p: pMatrices, q: { block(qSum, ($0 * r + $1) * pp) }, k: { kSum[$0 * r + $1] })
    var u = Dense.zeros(pc, pc)
    for i in 0..<r {
      for j in 0..<r where w[i][j] != 0 {
        var term = Dense.add(
          block(qSum, (i * r + j) * pp),
          Dense.multiply(Dense.multiply(pMatrices[i], phi), pMatrices[j]), scale: -1)
        term = Dense.add(term, block(rSum, (i * r + j) * pp), scale: -0.25)
        u = Dense.add(u, term, scale: w[i][j])
      }
    }
    let correction = Dense.multiply(Dense.multiply(phi, u), phi)
    self.init(phi: phi, adjusted: Dense.add(phi, correction, scale: 2), p: pMatrices, w: w)
  }

  /// Adds one cluster's terms to the Kenward–Roger sums.
  ///
  /// The sums are those of `init(mmrm:fit:)` (same layouts: p × p blocks row-major). V is the cluster's dense n_c × n_c covariance; with `A = V⁻¹X` and
  /// `U_s = V_sA`, `P_s = −AᵀU_s`, `Q_st = U_sᵀV⁻¹U_t`, `R_st = AᵀV_stA` and
  /// `K_st = tr(V⁻¹V_sV⁻¹V_t)`, all with BLAS.
  /// - Complexity: O(R n_c³ + R² (n_c² p + n_c p²)) per cluster for R parameters.
  private static func accumulateCluster(
    _ block: MMRMCovarianceBlock, model: MMRMModel, at x0: [Double], p pSum: inout [Double],
    q qSum: inout [Double], r rSum: inout [Double], k kSum: inout [Double]
  ) throws {
    let n = block.dimension
    let r = x0.count
    let pc = model.fixedEffectCount
    // R dense n × n matrices are kept per cluster: refuse sizes that would not fit in memory.
    guard r * n * n <= 50_000_000 else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger",
        reason: "with random effects above the subject it forms each cluster's dense "
          + "covariance; a cluster has \(n) rows and there are \(r) covariance parameters, "
          + "too large (use --df satterthwaite)")
    }
    let rows = block.subjectRows.flatMap { $0 }
    func v(_ x: [Double]) throws -> Matrix {
      guard let value = model.marginalCovariance(block, parameters: x) else {
        throw InferenceError.numerical(reason: "a cluster covariance is not finite")
      }
      return Matrix(rows: n, columns: n, columnMajor: value)
    }
    var factor = try v(x0)
    do { try factor.choleskyLowerInPlace() } catch {
      throw InferenceError.numerical(reason: "a cluster covariance is not positive definite")
    }
    guard let vInverse = try? factor.inverseFromCholesky() else {
      throw InferenceError.numerical(reason: "a cluster covariance is not positive definite")
    }
    var x = Matrix(rows: n, columns: pc)
    for (i, row) in rows.enumerated() {
      for c in 0..<pc { x.storage[i + c * n] = model.X[row, c] }
    }
    let a = Matrix.product(vInverse, x)
    func add(_ m: Matrix, to target: inout [Double], at offset: Int, scale: Double) {
      for c in 0..<pc {
        for e in 0..<pc { target[offset + c * pc + e] += scale * m[c, e] }
      }
    }
    var left: [Matrix?] = []  // V⁻¹V_s
    var u: [Matrix?] = []  // V_sA
    var vu: [Matrix?] = []  // V⁻¹V_sA
    for s in 0..<r {
      let h = 1e-4 * max(1, abs(x0[s]))
      var up = x0
      var down = x0
      up[s] += h
      down[s] -= h
      var d = try v(up)
      let b = try v(down)
      for i in d.storage.indices { d.storage[i] = (d.storage[i] - b.storage[i]) / (2 * h) }
      if d.storage.allSatisfy({ $0 == 0 }) {
        left.append(nil)
        u.append(nil)
        vu.append(nil)
        continue
      }
      let us = Matrix.product(d, a)
      add(Matrix.product(a, transposeA: true, us), to: &pSum, at: s * pc * pc, scale: -1)
      left.append(Matrix.product(vInverse, d))
      vu.append(Matrix.product(vInverse, us))
      u.append(us)
    }
    for s in 0..<r {
      guard let us = u[s], let ls = left[s] else { continue }
      for t in 0..<r {
        guard let vt = vu[t], let lt = left[t] else { continue }
        add(
          Matrix.product(us, transposeA: true, vt), to: &qSum, at: (s * r + t) * pc * pc, scale: 1)
        var trace = 0.0
        for i in 0..<n {
          for j in 0..<n { trace += ls.storage[i + j * n] * lt.storage[j + i * n] }
        }
        kSum[s * r + t] += trace
        guard t >= s else { continue }
        let hs = 1e-3 * max(1, abs(x0[s]))
        let ht = 1e-3 * max(1, abs(x0[t]))
        var second = Matrix(rows: n, columns: n)
        for (ds, dt, sign) in [
          (1.0, 1.0, 1.0), (1.0, -1.0, -1.0), (-1.0, 1.0, -1.0), (-1.0, -1.0, 1.0),
        ] {
          var y = x0
          y[s] += ds * hs
          y[t] += dt * ht
          let corner = try v(y)
          for i in second.storage.indices { second.storage[i] += sign * corner.storage[i] }
        }
        for i in second.storage.indices { second.storage[i] /= 4 * hs * ht }
        let rst = Matrix.product(a, transposeA: true, Matrix.product(second, a))
        add(rst, to: &rSum, at: (s * r + t) * pc * pc, scale: 1)
        if t != s { add(rst, to: &rSum, at: (t * r + s) * pc * pc, scale: 1) }
      }
    }
  }

  /// Creates the adjustment from its parts.
  init(phi: [[Double]], adjusted: [[Double]], p: [[[Double]]], w: [[Double]]) {
    self.phi = phi
    self.adjusted = adjusted
    self.p = p
    self.w = w
  }
}
