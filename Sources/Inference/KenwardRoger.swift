import Foundation
import LinearAlgebra
import MixedModels

/// Kenward & Roger's (1997) small-sample adjustment for a REML-fitted LMM, in pbkrtest's
/// linear covariance parameterisation: γ = (the distinct entries of each term's G_k, σ²), so
/// that `V = Σ_r γ_r G_r` with `G_r = Z_k E_ab Z_kᵀ` (E_ab the symmetric unit matrix) and `I`
/// for σ².
///
/// With Φ = vcov(β̂), `P_r = −XᵀV⁻¹G_rV⁻¹X`, `Q_rs = XᵀV⁻¹G_rV⁻¹G_sV⁻¹X`, the expected
/// information `I_rs = tr(V⁻¹G_rV⁻¹G_s) − 2 tr(ΦQ_rs) + tr(ΦP_rΦP_s)` and `W = 2 I⁻¹`,
///
///     Φ_A = Φ + 2 Φ [Σ_rs W_rs (Q_rs − P_r Φ P_s)] Φ
///
/// Every sum over observations is a sum over independent clusters (the blocks of V): subjects
/// for one grouping factor, the outermost level for nested factors. Crossed factors make one
/// large cluster; above `maximumClusterSize` observations that is refused rather than building
/// an n×n matrix.
struct KenwardRogerAdjustment: Sendable {
  /// Φ, the unadjusted covariance of β̂.
  let phi: Matrix
  /// Φ_A, the adjusted covariance.
  let adjusted: Matrix
  /// P_r, one per covariance parameter.
  let p: [Matrix]
  /// W = 2 I⁻¹.
  let w: Matrix

  /// Largest cluster (block of V) accepted, in observations.
  static let maximumClusterSize = 3000

  /// - Complexity: O(Σ_c n_c³ · R² + Σ_c n_c² · p · R²) for clusters of n_c observations and R
  ///   covariance parameters; memory O(max n_c² · R + p² R²).
  init(model: LinearMixedModel, fit: LinearMixedModelFit) throws {
    guard fit.method == .reml else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger", reason: "it is defined for REML fits only")
    }
    // Its V is ZGZᵀ + σ²I: with prior weights the residual part would be σ²W⁻¹.
    guard model.responseModel.weights == nil else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger", reason: "prior weights are not supported by it yet")
    }
    let terms = model.terms
    let n = model.observationCount
    let pCount = model.fixedEffectCount
    let clusters = try Self.clusters(terms: terms, count: n)
    let sigma2 = fit.sigma * fit.sigma
    // Parameters: per term the lower triangle (a ≥ b) of G_k, then σ².
    var parameters = [(term: Int, a: Int, b: Int)]()
    var covariances = [[Double]]()
    for (k, term) in terms.enumerated() {
      let q = term.q
      let t = model.template(theta: fit.theta, term: k)
      covariances.append(LinearMixedModel.covariance(template: t, order: q, sigma2: sigma2))
      for b in 0..<q { for a in b..<q { parameters.append((k, a, b)) } }
    }
    let r = parameters.count + 1
    let sums = try BlockSums.parallel(
      clusters: clusters, model: model, parameters: parameters, covariances: covariances,
      sigma2: sigma2, threads: model.threads)
    let pp = pCount * pCount
    // The sums are row-major p × p blocks.
    func block(_ flat: [Double], _ offset: Int) -> Matrix {
      Matrix(
        rows: pCount, columns: pCount, columnMajor: Array(flat[offset..<(offset + pp)])
      ).transposed
    }
    let pSum = (0..<r).map { block(sums.p, $0 * pp) }
    let qSum = (0..<r).map { s in (0..<r).map { block(sums.q, (s * r + $0) * pp) } }
    let phi = fit.fixedEffectsCovariance
    let w = Self.parameterCovariance(
      phi: phi, p: pSum, q: { qSum[$0][$1] }, k: { sums.k[$0 * r + $1] })
    var u = Matrix(rows: pCount, columns: pCount)
    for i in 0..<r {
      for j in 0..<r {
        let term = qSum[i][j].adding(
          pSum[i].multiplied(by: phi).multiplied(by: pSum[j]), scaledBy: -1)
        u = u.adding(term, scaledBy: w[i, j])
      }
    }
    let correction = phi.multiplied(by: u).multiplied(by: phi)
    self.phi = phi
    self.adjusted = phi.adding(correction, scaledBy: 2)
    self.p = pSum
    self.w = w
  }

  /// Observation indices of each independent block of V (union of levels over all terms).
  private static func clusters(terms: [RandomEffectsTerm], count n: Int) throws -> [[Int]] {
    var offsets = [Int]()
    var total = 0
    for term in terms {
      offsets.append(total)
      total += term.levelCount
    }
    var parent = Array(0..<total)
    func find(_ x: Int) -> Int {
      var x = x
      while parent[x] != x {
        parent[x] = parent[parent[x]]
        x = parent[x]
      }
      return x
    }
    for i in 0..<n {
      let first = find(Int(terms[0].levelIndex[i]))
      for k in 1..<max(1, terms.count) {
        let other = find(offsets[k] + Int(terms[k].levelIndex[i]))
        if other != first { parent[other] = first }
      }
    }
    var index = [Int: Int]()
    var clusters = [[Int]]()
    for i in 0..<n {
      let root = find(Int(terms[0].levelIndex[i]))
      if let c = index[root] {
        clusters[c].append(i)
      } else {
        index[root] = clusters.count
        clusters.append([i])
      }
    }
    if let largest = clusters.map(\.count).max(), largest > maximumClusterSize {
      throw InferenceError.unsupported(
        method: "Kenward-Roger",
        reason:
          "the random effects (crossed factors) tie \(largest) observations into one block of "
          + "the marginal covariance; the per-block computation allows at most "
          + "\(maximumClusterSize)")
    }
    return clusters
  }

  /// pbkrtest's KR statistics for hypothesis rows `l`: ddf, F scaling, and the intermediate
  /// A₂ (for the unscaled F).
  func statistics(_ l: Matrix) -> (df: Double, scaling: Double) {
    let q = Double(l.rowRank())
    let lt = l.transposed
    guard let middle = l.multiplied(by: phi).multiplied(by: lt).inverse() else {
      return (.nan, .nan)
    }
    let theta = lt.multiplied(by: middle).multiplied(by: l)
    let thetaPhi = theta.multiplied(by: phi)
    let u = p.map { thetaPhi.multiplied(by: $0).multiplied(by: phi) }
    let traces = u.map(\.trace)
    var a1 = 0.0
    var a2 = 0.0
    for i in u.indices {
      for j in u.indices {
        a1 += w[i, j] * traces[i] * traces[j]
        a2 += w[i, j] * u[i].traceOfProduct(u[j])
      }
    }
    let b = (a1 + 6 * a2) / (2 * q)
    let g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2)
    let denominator = 3 * q + 2 * (1 - g)
    let c1 = g / denominator
    let c2 = (q - g) / denominator
    let c3 = (q + 2 - g) / denominator
    var v0 = 1 + c1 * b
    if abs(v0) < 1e-10 { v0 = 0 }
    let v1 = 1 - c2 * b
    let v2 = 1 - c3 * b
    let ratio = v1 == 0 ? 0 : (1 - a2 / q) / v1
    let rho = ratio * ratio * v0 / v2 / q
    let df = 4 + (q + 2) / (q * rho - 1)
    let scaling = abs(df - 2) < 1e-2 ? 1 : df * (1 - a2 / q) / (df - 2)
    return (df, scaling)
  }
}

extension KenwardRogerAdjustment {
  /// W, the asymptotic covariance of the covariance parameters: twice the inverse of the
  /// expected REML information `I_ij = K_ij − 2 tr(Φ Q_ij) + tr(Φ P_i Φ P_j)` (a
  /// pseudo-inverse when I is numerically singular).
  /// - Parameters:
  ///   - phi: Φ, the covariance of β̂.
  ///   - p: P_i, one per covariance parameter.
  ///   - q: Q_ij.
  ///   - k: K_ij, the trace term.
  /// - Returns: W (r × r).
  static func parameterCovariance(
    phi: Matrix, p: [Matrix], q: (Int, Int) -> Matrix, k: (Int, Int) -> Double
  ) -> Matrix {
    parameterCovariance(phi: phi, p: p, traceQ: { phi.traceOfProduct(q($0, $1)) }, k: k)
  }

  /// W from `tr(Φ Q_ij)` directly (see `parameterCovariance(phi:p:q:k:)`).
  /// - Parameters:
  ///   - phi: Φ, the covariance of β̂.
  ///   - p: P_i, one per covariance parameter.
  ///   - traceQ: tr(Φ Q_ij).
  ///   - k: K_ij, the trace term.
  /// - Returns: W (r × r).
  static func parameterCovariance(
    phi: Matrix, p: [Matrix], traceQ: (Int, Int) -> Double, k: (Int, Int) -> Double
  ) -> Matrix {
    let r = p.count
    var information = Matrix(rows: r, columns: r)
    let phiP = p.map { phi.multiplied(by: $0) }
    for i in 0..<r {
      for j in i..<r {
        let value = k(i, j) - 2 * traceQ(i, j) + phiP[i].traceOfProduct(phiP[j])
        information[i, j] = value
        information[j, i] = value
      }
    }
    let smallest = information.jacobiEigen().values.map(abs).min() ?? 0
    if smallest > 1e-10, let inverse = information.inverse() {
      return inverse.scaled(by: 2)
    }
    return information.pseudoInverse(tolerance: 1e-10).scaled(by: 2)
  }
}
