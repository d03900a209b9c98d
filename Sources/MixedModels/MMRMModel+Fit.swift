import Foundation
import LinearAlgebra
import Optimization

extension MMRMModel {
  /// The factored weighted cross-products at (θ, φ): `Σ_i log|V_i|` and the Cholesky factor of
  /// `Σ_i [X_i y_i]ᵀ V_i⁻¹ [X_i y_i]`, or nil where some V_i or `XᵀV⁻¹X` is not positive
  /// definite.
  ///
  /// V_i = Σ_i(φ) without random effects; with them V_i = Z_i Λ Λᵀ Z_iᵀ + Σ_i(φ) (SAS's
  /// RANDOM + REPEATED), handled per subject by the Woodbury identity after whitening with
  /// Σ_i's factor L: with Ẑ = L⁻¹Z_iΛ, Ŵ = L⁻¹[X_i y_i] and M = I + ẐᵀẐ,
  ///
  ///     log|V_i| = log|Σ_i| + log|M|,   [X y]ᵀV_i⁻¹[X y] = ŴᵀŴ − (L_M⁻¹ẐᵀŴ)ᵀ(L_M⁻¹ẐᵀŴ).
  ///
  /// With cluster-level terms (design U, factor Λ_c) the blocks of V are the clusters,
  /// V_c = diag(V_i) + U_cΛ_cΛ_cᵀU_cᵀ. The per-subject step above is applied to `[U X y]`,
  /// giving `S_c = Σ_{i∈c} [U X y]_iᵀV_i⁻¹[U X y]_i`, and a second Woodbury step per cluster,
  /// with `M_c = I + Λ_cᵀS_UUΛ_c` and `B = L_M⁻¹Λ_cᵀS_U,[X y]`, gives
  ///
  ///     log|V_c| = Σ_{i∈c} log|V_i| + log|M_c|,   [X y]ᵀV_c⁻¹[X y] = S_[X y] − BᵀB.
  ///
  /// - Parameter parameters: θ (random effects, if any) then φ.
  /// - Returns: `Σ_i log|V_i|` and the factor, or nil (not positive definite).
  /// - Complexity: O(Σ_patterns (m³ + k m² (p+1) + k m (p+1)²)) plus O(c³ + c²(p+1) +
  ///   c(p+1)²) per cluster (c cluster-level columns); no n × n matrix.
  func crossProducts(parameters: [Double]) -> (logDetSigma: Double, factor: Matrix)? {
    let t = covariance.visitCount
    let p = fixedEffectCount
    let q = subjectEffectCount
    let qc = clusterEffectCount
    let width = qc + p + 1
    let theta = Array(parameters.prefix(thetaCount))
    let lambda = randomEffectsFactor(theta: theta, clusterLevel: false)
    let phi = Array(parameters.dropFirst(thetaCount))
    let perGroup = covariance.parametersPerGroup
    var sigmas: [[Double]] = []
    for g in 0..<covariance.groupCount {
      var s = [Double](repeating: 0, count: t * t)
      covariance.fill(&s, phi: Array(phi[(g * perGroup)..<((g + 1) * perGroup)]))
      guard s.allSatisfy(\.isFinite) else { return nil }
      sigmas.append(s)
    }
    // One accumulator without clusters (it is the result), one per cluster with them.
    var sums = [Matrix](
      repeating: Matrix(rows: width, columns: width), count: qc > 0 ? clusterCount : 1)
    var weights = Matrix(rows: pairSums.columns, columns: 1)
    var logDet = 0.0
    for pattern in patterns {
      let m = pattern.visits.count
      let k = pattern.subjectCount
      let full = sigmas[pattern.group]
      var sub = [Double](repeating: 0, count: m * m)
      for (c, vc) in pattern.visits.enumerated() {
        for (r, vr) in pattern.visits.enumerated() { sub[r + c * m] = full[vr + vc * t] }
      }
      var l = Matrix(rows: m, columns: m, columnMajor: sub)
      do { try l.choleskyLowerInPlace() } catch { return nil }
      var d = 0.0
      for r in 0..<m { d += log(l[r, r]) }
      logDet += 2 * d * Double(k)
      if let offset = pattern.pairOffset {
        guard let w = try? l.inverseFromCholesky() else { return nil }
        for s in 0..<m {
          for r in 0...s { weights.storage[offset + s * (s + 1) / 2 + r] = w[r, s] }
        }
      } else {
        var w = Matrix(rows: m, columns: k * width, columnMajor: pattern.data)
        w.solveLeftLower(l)
        let stacked = Matrix(rows: m * k, columns: width, columnMajor: w.storage)
        sums[pattern.cluster].symmetricRankUpdate(stacked, transpose: true)
        if q > 0 {
          var z = Matrix(rows: m, columns: k * q, columnMajor: pattern.randomData)
          z.solveLeftLower(l)
          guard
            let extra = Self.removeRandomEffects(
              whitenedZ: z, whitenedData: w, lambda: lambda, subjects: k, visits: m, q: q,
              width: width, from: &sums[pattern.cluster])
          else { return nil }
          logDet += extra
        }
      }
    }
    var a: Matrix
    if qc > 0 {
      let clusterLambda = randomEffectsFactor(theta: theta, clusterLevel: true)
      a = Matrix(rows: p + 1, columns: p + 1)
      for s in sums {
        guard
          let extra = Self.removeClusterEffects(
            s, lambda: clusterLambda, q: qc, width: width, into: &a)
        else { return nil }
        logDet += extra
      }
    } else {
      a = sums[0]
    }
    if pairSums.columns > 0 {
      var packed = Matrix(rows: pairSums.rows, columns: 1)
      packed.multiplyAdd(pairSums, weights, beta: 0)
      var idx = 0
      for j in 0...p {
        for i in j...p {
          a.storage[i + j * (p + 1)] += packed.storage[idx]
          idx += 1
        }
      }
    }
    do { try a.choleskyLowerInPlace() } catch { return nil }
    return (logDet, a)
  }

  /// −2 log-likelihood (ML) or −2 restricted log-likelihood (REML) at φ.
  ///
  /// As nlme's `gls` and mmrm define them:
  ///
  ///     ML:   Σ log|Σ_i| + Σ r_iᵀΣ_i⁻¹r_i + n log 2π
  ///     REML: Σ log|Σ_i| + log|Σ X_iᵀΣ_i⁻¹X_i| + Σ r_iᵀΣ_i⁻¹r_i + (n − p) log 2π
  ///
  /// with r_i = y_i − X_i β̂(φ) at the GLS estimate, read off the Cholesky factor of the
  /// weighted cross-products (its last diagonal squared is Σ r_iᵀΣ_i⁻¹r_i).
  /// - Parameters:
  ///   - parameters: Covariance parameters: θ of the random effects (if any), then φ.
  ///   - method: REML or ML.
  /// - Returns: The criterion, or `.infinity` where Σ is not positive definite.
  public func objective(parameters: [Double], method: EstimationMethod) -> Double {
    guard let (logDetSigma, l) = crossProducts(parameters: parameters) else { return .infinity }
    return Self.criterion(logDetSigma: logDetSigma, factor: l, n: observationCount, method: method)
  }

  private static func criterion(
    logDetSigma: Double, factor l: Matrix, n: Int, method: EstimationMethod
  ) -> Double {
    let p = l.rows - 1
    let r2 = l[p, p] * l[p, p]
    let log2pi = log(2 * Double.pi)
    switch method {
    case .ml:
      return logDetSigma + r2 + Double(n) * log2pi
    case .reml:
      var logDetX = 0.0
      for j in 0..<p { logDetX += 2 * log(l[j, j]) }
      return logDetSigma + logDetX + r2 + Double(n - p) * log2pi
    }
  }

  /// Checks a warm start: one finite value per parameter (the parameters are unbounded).
  func check(start: [Double]) throws {
    try FitError.check(
      start: start, names: parameterNames,
      lowerBounds: [Double](repeating: -.infinity, count: parameterNames.count))
  }

  /// The least-squares start: θ from the OLS residual SD, φ from the OLS SD with zero
  /// correlations.
  private func defaultStart() throws -> [Double] {
    let sd = try leastSquaresSD()
    return randomEffectsStart(sd: sd) + covariance.startingParameters(sd: sd)
  }

  /// Fits the model by minimising the REML (default) or ML criterion over φ.
  ///
  /// BOBYQA from the ordinary-least-squares SD and zero correlations, with tolerances tighter
  /// than lme4's (the surface is smooth and unbounded); then up to ten Newton steps with the
  /// finite-difference Hessian at BOBYQA's point and a fresh gradient at each step, each kept
  /// only if it lowers the criterion; then the gradient and Hessian checks lme4 applies
  /// (tolerances 0.002 and 1e-6).
  /// - Parameters:
  ///   - method: REML or ML.
  ///   - optimizer: Optimiser settings; `nil` for the defaults described above.
  ///   - start: A warm start, θ then φ in `parameterNames` order (another fit's `theta + phi`,
  ///     such as the full-data fit's for a refit of imputed or simulated data); nil for the
  ///     least-squares start. `optimization.start` records it.
  /// - Returns: The fit.
  /// - Throws: `FitError` when the model cannot be fitted, before any optimization when its
  ///   covariance parameters cannot be identified or held in memory (`checkIdentifiable`);
  ///   `startLength` or `startValue` for a start of the wrong length or not finite.
  public func fit(
    method: EstimationMethod = .reml, optimizer: BoundedMinimizer? = nil, start: [Double]? = nil
  ) throws -> MMRMFit {
    let n = observationCount
    let p = fixedEffectCount
    if n <= p { throw FitError.tooFewObservations(n: n, needed: p) }
    let settings =
      optimizer
      ?? BoundedMinimizer(ftolAbs: 1e-12, ftolRel: 1e-14, xtolAbs: 1e-10, xtolRel: 1e-10)
    try checkIdentifiable(algorithm: settings.algorithm)
    if let start { try check(start: start) }
    let start = try start ?? defaultStart()
    let f: ([Double]) -> Double = { self.objective(parameters: $0, method: method) }
    guard f(start).isFinite else { throw FitError.initialEvaluationFailed }
    let bounds = [Double](repeating: .infinity, count: start.count)
    var opt = settings.minimize(
      start: start, lower: bounds.map { -$0 }, upper: bounds, objective: f)
    // Polish: chord Newton steps with the finite-difference Hessian at BOBYQA's point and a
    // fresh central-difference gradient after each step (2k evaluations instead of 2k²).
    var derivatives = Self.derivatives(of: f, at: opt.x, value: opt.f)
    let k = opt.x.count
    var extra = 2 * k + k * (k - 1) / 2
    var x = opt.x
    var fx = opt.f
    for _ in 0..<10 {
      guard derivatives.gradient.contains(where: { abs($0) > 1e-7 }),
        let step = derivatives.newtonStep()
      else { break }
      let candidate = zip(x, step).map { $0 - $1 }
      let value = f(candidate)
      extra += 1
      guard value < fx else { break }
      x = candidate
      fx = value
      derivatives = Derivatives(
        gradient: FiniteDifferences.centralGradient(of: f, at: x), hessian: derivatives.hessian,
        point: x)
      extra += 2 * x.count
    }
    opt = OptimizationSummary(
      algorithm: opt.algorithm, start: opt.start, x: x, f: fx,
      evaluations: opt.evaluations + extra, code: opt.code)

    var warnings: [FitWarning] = []
    var converged = opt.succeeded && opt.code != 5
    if !converged { warnings.append(.optimizerStopped(message: opt.message)) }
    let concerns = derivatives.convergenceConcerns(
      remedy: randomTerms.isEmpty ? .covarianceStructure : .covarianceStructureOrRandomEffects)
    if concerns.contains(where: \.failsConvergence) { converged = false }
    warnings += concerns
    return try summarize(
      parameters: x, method: method, optimization: opt, derivatives: derivatives,
      converged: converged, warnings: warnings)
  }

  /// Finite-difference gradient and Hessian at the optimum, for the polish and the checks.
  ///
  /// `FiniteDifferences.centralGradientAndForwardHessian` (step 1e-4): 2k + k(k−1)/2
  /// evaluations instead of `Derivatives`' 2k², which matters with the 55 parameters of `us`
  /// on 10 visits; the O(δ) error of the off-diagonal entries is far below what the
  /// convergence checks and the Newton polish need.
  static func derivatives(
    of f: ([Double]) -> Double, at x: [Double], value fx: Double, delta: Double = 1e-4
  ) -> Derivatives {
    let (gradient, hessian) = FiniteDifferences.centralGradientAndForwardHessian(
      of: f, at: x, value: fx, step: delta)
    return Derivatives(gradient: gradient, hessian: hessian, point: x)
  }

  /// `√(RSS / (n − p))` of the ordinary least-squares fit, the starting scale.
  private func leastSquaresSD() throws -> Double {
    let n = observationCount
    let p = fixedEffectCount
    var xy = X.elements
    xy += responseShift?.apply(to: response) ?? response
    let design = Matrix(rows: n, columns: p + 1, columnMajor: xy)
    var a = Matrix(rows: p + 1, columns: p + 1)
    a.symmetricRankUpdate(design, transpose: true)
    do { try a.choleskyLowerInPlace() } catch { throw FitError.singularFixedEffects }
    return abs(a[p, p]) / Double(max(n - p, 1)).squareRoot()
  }

  private func summarize(
    parameters: [Double], method: EstimationMethod, optimization: OptimizationSummary,
    derivatives: Derivatives, converged: Bool, warnings: [FitWarning]
  ) throws -> MMRMFit {
    let n = observationCount
    let p = fixedEffectCount
    let theta = Array(parameters.prefix(thetaCount))
    let phi = Array(parameters.dropFirst(thetaCount))
    guard let (logDetSigma, l) = crossProducts(parameters: parameters) else {
      throw FitError.singularFixedEffects
    }
    let objective = Self.criterion(logDetSigma: logDetSigma, factor: l, n: n, method: method)
    // β̂ solves L_XXᵀ β = l_Xy; vcov = (L_XX L_XXᵀ)⁻¹.
    var lxx = Matrix(rows: p, columns: p)
    var rhs = Matrix(rows: p, columns: 1)
    for j in 0..<p {
      rhs.storage[j] = l[p, j]
      for i in j..<p { lxx.storage[i + j * p] = l[i, j] }
    }
    rhs.solveLeftLower(lxx, transpose: true)
    let vcov = try lxx.inverseFromCholesky()
    var beta = rhs.elements
    responseShift?.restore(&beta)
    let se = (0..<p).map { vcov[$0, $0].squareRoot() }
    let k = p + parameters.count
    let names = covariance.naturalParameterNames
    let values = covariance.naturalParameters(phi: phi)
    let bicN = method == .reml ? n - p : n
    return MMRMFit(
      method: method, observationCount: n, subjectCount: subjectCount,
      clusterFactor: clusterFactor, clusterCount: clusterCount, covariance: covariance,
      phi: phi, phiNames: covariance.parameterNames, theta: theta,
      thetaNames: Array(parameterNames.prefix(thetaCount)),
      randomEffects: randomEffectsComponents(theta: theta),
      parameters: zip(names, values).map { ($0, $1) },
      sigmaMatrices: (0..<covariance.groupCount).map { covariance.matrix(phi: phi, group: $0) },
      fixedEffectNames: fixedEffectNames, fixedEffects: beta, standardErrors: se,
      fixedEffectsCovariance: vcov, objective: objective, logLikelihood: -objective / 2,
      parameterCount: k, aic: objective + 2 * Double(k),
      bic: objective + log(Double(bicN)) * Double(k), converged: converged,
      warnings: warnings, optimization: optimization, gradient: derivatives.gradient,
      hessian: derivatives.hessian, model: self,
      attempts: [
        CovarianceAttempt(
          structure: covariance.structure.rawValue, converged: converged, criterion: objective,
          outcome: .kept)
      ])
  }
}
