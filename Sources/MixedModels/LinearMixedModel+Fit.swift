import Foundation
import LinearAlgebra
import Optimization

extension LinearMixedModel {
  /// The profiled criterion at θ, refactoring `workspace` (`setθ → updateFactor → objective`).
  /// - Parameters:
  ///   - theta: Covariance parameters.
  ///   - method: REML or ML.
  ///   - workspace: The workspace to refactor.
  /// - Returns: −2ℓ (profiled), or +∞ where undefined.
  public func objective(
    theta: [Double], method: EstimationMethod, workspace: inout PLSWorkspace
  ) -> Double {
    guard workspace.updateFactor(theta: theta) else { return .infinity }
    return workspace.objective(reml: method == .reml)
  }

  /// Fits the model by minimising the profiled deviance or REML criterion over θ, following
  /// lme4's `lmer` step by step so that the diagnostics agree with lme4, then converging to
  /// the optimum: BOBYQA from θ = (1, 0, …) with lme4's settings; a restart when a boundary
  /// parameter has a descent direction (`restart_edge`); BOBYQA restarted with tolerances near
  /// the criterion's rounding until it no longer improves (beyond lme4, whose default stop
  /// can be short of the optimum on flat surfaces); parameters within 1e-5 of their bound set
  /// onto it when that does not raise the criterion (`check.boundary`); finite-difference
  /// derivatives at the optimum (`deriv12`); then the singular, gradient and Hessian checks
  /// (`checkConv`).
  /// - Parameters:
  ///   - method: REML (default) or ML.
  ///   - optimizer: Optimiser settings (lme4's defaults).
  ///   - start: A warm start for θ in `thetaNames` order (a full-data fit's θ̂ for a refit of
  ///     imputed or simulated data, say); nil for lme4's θ = (1, 0, …). The steps after
  ///     BOBYQA's first run are the same either way, and `optimization.start` records it.
  /// - Returns: The fit.
  /// - Throws: `FitError` when the model cannot be fitted; `startLength` or `startValue` for a
  ///   start of the wrong length, not finite or below a bound.
  public func fit(
    method: EstimationMethod = .reml, optimizer: BoundedMinimizer = BoundedMinimizer(),
    start: [Double]? = nil
  ) throws -> LinearMixedModelFit {
    if let start {
      try FitError.check(start: start, names: thetaNames, lowerBounds: thetaLowerBounds)
    }
    // The fitted values are computed once `estimate`'s workspace is gone: the factor and the
    // n fitted values are never held together (16 MB less at the peak at 100,000 subjects).
    var fit = try estimate(method: method, optimizer: optimizer, start: start ?? thetaStart)
    fit.fitted = fittedValues(beta: fit.fixedEffects, b: fit.randomEffects)
    return fit
  }

  /// The fit at given covariance parameters, without optimising: every quantity `fit`
  /// reports, read off the blocked factor at `theta` (the profiled β̂(θ), σ̂(θ), b̂(θ), …).
  ///
  /// What the criterion's neighbourhood looks like (profiles, the sensitivity of an estimate
  /// to θ, refits at a known θ) is computed from it. It is not an optimum: `converged` is
  /// false, the derivatives are empty and `optimization` records the one evaluation.
  /// - Parameters:
  ///   - theta: Covariance parameters in `thetaNames` order, within `thetaLowerBounds`.
  ///   - method: REML (default) or ML.
  /// - Returns: The fit at `theta`.
  /// - Throws: `FitError.tooFewObservations`; `FitError.singularFixedEffects` when the
  ///   criterion is not finite at `theta`.
  public func fit(atTheta theta: [Double], method: EstimationMethod = .reml) throws
    -> LinearMixedModelFit
  {
    precondition(theta.count == thetaCount, "fit(atTheta:): \(theta.count) parameters")
    let n = observationCount
    let p = fixedEffectCount
    if n <= p { throw FitError.tooFewObservations(n: n, needed: p) }
    var workspace = PLSWorkspace(model: self)
    let value = objective(theta: theta, method: method, workspace: &workspace)
    guard value.isFinite else { throw FitError.singularFixedEffects }
    let evaluation = OptimizationSummary(
      algorithm: "none", start: theta, x: theta, f: value, evaluations: 1, code: 1)
    var fit = try summarize(
      workspace: workspace, method: method, theta: theta, objective: value,
      optimization: evaluation, derivatives: Derivatives(gradient: [], hessian: [], point: []),
      converged: false, singular: !singularTermNames(theta: theta).isEmpty, warnings: [])
    fit.fitted = fittedValues(beta: fit.fixedEffects, b: fit.randomEffects)
    return fit
  }

  /// `Xβ + Zb`.
  private func fittedValues(beta: [Double], b: [[Double]]) -> [Double] {
    let n = observationCount
    var fitted = X.rowSums(times: beta)
    for (k, term) in terms.enumerated() {
      let q = term.q
      for i in 0..<n {
        let base = Int(term.levelIndex[i]) * q
        var s = 0.0
        for c in 0..<q { s += term.values[i * q + c] * b[k][base + c] }
        fitted[i] += s
      }
    }
    if let offset = responseModel.offset {
      for i in 0..<n { fitted[i] += offset[i] }
    }
    return fitted
  }

  /// Everything `fit` returns but the fitted values.
  private func estimate(
    method: EstimationMethod, optimizer: BoundedMinimizer, start: [Double]
  ) throws -> LinearMixedModelFit {
    let n = observationCount
    let p = fixedEffectCount
    if n <= p { throw FitError.tooFewObservations(n: n, needed: p) }
    var workspace = PLSWorkspace(model: self)
    let lower = thetaLowerBounds
    let upper = [Double](repeating: .infinity, count: lower.count)
    let f: ([Double]) -> Double = { theta in
      self.objective(theta: theta, method: method, workspace: &workspace)
    }
    guard f(start).isFinite else { throw FitError.initialEvaluationFailed }

    var opt = optimizer.minimize(start: start, lower: lower, upper: upper, objective: f)
    // Beyond lme4: a template diagonal that BOBYQA left inside the singular band (0, 1e-4) is
    // put on its bound when that does not raise the criterion by more than the optimiser's
    // tolerance, and the other parameters are then re-optimised from there. BOBYQA stops
    // anywhere in that flat band, and the remaining parameters were tuned to the wrong value
    // of the singular one; lme4 does the same kind of restart for parameters exactly on a bound.
    let snapped = snapToBounds(opt.x, value: opt.f, tolerance: optimizer.ftolAbs, objective: f)
    if snapped.changed {
      let evaluations = opt.evaluations
      opt = optimizer.minimize(start: snapped.theta, lower: lower, upper: upper, objective: f)
      opt = opt.adding(evaluations: evaluations)
    }
    // restart_edge (lme4): a parameter exactly on its bound with a descending one-sided slope.
    let onBound = opt.x.indices.filter { opt.x[$0] == lower[$0] }
    if !onBound.isEmpty {
      let descends = onBound.contains { i in
        var t = opt.x
        t[i] = lower[i] + 1e-5
        return (f(t) - opt.f) / 1e-5 < 0
      }
      if descends {
        let evaluations = opt.evaluations + onBound.count
        opt = optimizer.minimize(start: opt.x, lower: lower, upper: upper, objective: f)
        opt = opt.adding(evaluations: evaluations)
      }
    }
    // check.boundary (lme4): within 1e-5 of the bound and strictly better there.
    var theta = opt.x
    var best = opt.f
    for i in theta.indices where theta[i] - lower[i] > 0 && theta[i] - lower[i] < 1e-5 {
      var t = theta
      t[i] = lower[i]
      let value = f(t)
      if value < best {
        theta = t
        best = value
      }
    }
    // Beyond lme4: from there to the optimum itself (`LinearMixedModel+Optimum.swift`).
    let optimum = convergeToOptimum(
      theta: theta, value: best, lower: lower, upper: upper, objective: f)
    theta = optimum.theta
    let derivatives = optimum.derivatives
    // Evaluations of the search (as lme4's `feval`); the derivative checks are not counted.
    opt = OptimizationSummary(
      algorithm: opt.algorithm, start: opt.start, x: theta, f: optimum.value,
      evaluations: opt.evaluations + optimum.evaluations,
      code: optimum.code ?? opt.code)
    let objectiveValue = objective(theta: theta, method: method, workspace: &workspace)
    guard objectiveValue.isFinite else { throw FitError.singularFixedEffects }

    // Diagnostics (lme4's checkConv): singular first; derivative checks only when not singular.
    var warnings = [FitWarning]()
    let singularTerms = singularTermNames(theta: theta)
    var converged = opt.succeeded && opt.code != 5
    if !opt.succeeded || opt.code == 5 {
      warnings.append(.optimizerStopped(message: opt.message))
    }
    if !singularTerms.isEmpty {
      warnings.append(.singular(terms: singularTerms))
    } else {
      let concerns = derivatives.convergenceConcerns()
      if concerns.contains(where: \.failsConvergence) { converged = false }
      warnings.append(contentsOf: concerns)
    }
    return try summarize(
      workspace: workspace, method: method, theta: theta, objective: objectiveValue,
      optimization: opt, derivatives: derivatives, converged: converged,
      singular: !singularTerms.isEmpty, warnings: warnings)
  }

  /// Sets template diagonals in (0, 1e-4) to 0 where the criterion rises by at most
  /// `tolerance`; returns the new point and whether anything changed.
  func snapToBounds(
    _ start: [Double], value: Double, tolerance: Double, objective f: ([Double]) -> Double
  ) -> (theta: [Double], changed: Bool) {
    let lower = thetaLowerBounds
    var theta = start
    var best = value
    var changed = false
    for i in theta.indices where lower[i] == 0 && theta[i] > 0 && theta[i] < 1e-4 {
      var t = theta
      t[i] = 0
      let candidate = f(t)
      if candidate <= best + tolerance {
        theta = t
        best = min(best, candidate)
        changed = true
      }
    }
    return (theta, changed)
  }

  /// Group names of terms with a template diagonal below lme4's singularity tolerance (1e-4).
  func singularTermNames(theta: [Double]) -> [String] {
    var names = [String]()
    var offset = 0
    for term in terms {
      var singular = false
      for j in 0..<term.q {
        for i in j..<term.q {
          if i == j && theta[offset] < 1e-4 { singular = true }
          offset += 1
        }
      }
      if singular { names.append(term.groupName) }
    }
    return names
  }

  /// The solutions at θ̂ of a factored workspace: r², β̂, the unscaled covariance of β̂, the
  /// conditional modes b̂, the unscaled conditional variances and the templates Λ.
  private static func solutions(of workspace: consuming PLSWorkspace) throws -> (
    r2: Double, beta: [Double], vcov: Matrix, b: [[Double]], condVar: [[[Double]]],
    templates: [[Double]]
  ) {
    // The same θ as the factor's: the per-level blocks are positive definite as well.
    let complete = workspace.completeFactor()
    precondition(complete, "solutions: the factor cannot be completed at its own θ")
    let beta = workspace.fixedEffects
    let u = workspace.sphericalModes(beta: beta)
    return (
      workspace.penalizedResidualSumOfSquares, beta,
      try workspace.unscaledFixedEffectsCovariance(), workspace.conditionalModes(spherical: u),
      workspace.unscaledConditionalVariances(), workspace.templates
    )
  }

  /// Reads every reported quantity off a workspace factored at θ̂.
  private func summarize(
    workspace: consuming PLSWorkspace, method: EstimationMethod, theta: [Double], objective: Double,
    optimization: OptimizationSummary, derivatives: Derivatives, converged: Bool,
    singular: Bool, warnings: [FitWarning]
  ) throws -> LinearMixedModelFit {
    let n = observationCount
    let p = fixedEffectCount
    // Everything is read off the workspace first; it is released when `solutions` returns, so
    // its factor is not held alongside the fitted values.
    let (r2, solvedBeta, unscaledVcov, b, condVar, templates) = try Self.solutions(
      of: workspace)
    var beta = solvedBeta
    responseShift?.restore(&beta)
    let sigma2 = r2 / Double(method == .reml ? n - p : n)
    let sigma = sigma2.squareRoot()
    var vcov = unscaledVcov
    for i in 0..<p * p { vcov.storage[i] *= sigma2 }
    let se = (0..<p).map { vcov[$0, $0].squareRoot() }
    let condSD = terms.indices.map { k -> [Double] in
      let q = terms[k].q
      var sd = [Double](repeating: 0, count: terms[k].dimension)
      for level in 0..<terms[k].levelCount {
        for c in 0..<q { sd[level * q + c] = (sigma2 * condVar[k][level][c + c * q]).squareRoot() }
      }
      return sd
    }

    let components = terms.indices.map { k -> VarianceComponent in
      let q = terms[k].q
      let t = templates[k]
      let cov = LinearMixedModel.covariance(template: t, order: q, sigma2: sigma2)
      return VarianceComponent(
        groupName: terms[k].groupName, columnNames: terms[k].columnNames, covariance: cov)
    }

    let k = p + theta.count + 1
    let logLik = -objective / 2
    return LinearMixedModelFit(
      method: method, observationCount: n, theta: theta, thetaNames: thetaNames,
      thetaLowerBounds: thetaLowerBounds, fixedEffectNames: fixedEffectNames,
      fixedEffects: beta, standardErrors: se, fixedEffectsCovariance: vcov, sigma: sigma,
      objective: objective, logLikelihood: logLik, parameterCount: k,
      aic: objective + 2 * Double(k), bic: objective + log(Double(n)) * Double(k),
      terms: terms.map {
        TermSummary(
          groupName: $0.groupName, factorName: $0.factorName, columnNames: $0.columnNames,
          levels: $0.levels)
      },
      varianceComponents: components, randomEffects: b, randomEffectsConditionalSD: condSD,
      response: response, fitted: [], converged: converged, isSingular: singular,
      warnings: warnings, optimization: optimization, gradient: derivatives.gradient,
      hessian: derivatives.hessian, model: self)
  }
}

extension OptimizationSummary {
  /// The same summary with `evaluations` more evaluations counted (a restart's earlier run).
  func adding(evaluations more: Int) -> OptimizationSummary {
    OptimizationSummary(
      algorithm: algorithm, start: start, x: x, f: f, evaluations: evaluations + more, code: code)
  }
}
