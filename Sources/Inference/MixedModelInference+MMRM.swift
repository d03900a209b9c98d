import Foundation
import LinearAlgebra
import MixedModels
import Optimization

extension MixedModelInference {
  /// Prepares tests for an MMRM fit.
  ///
  /// The covariance parameters are the fit's θ (random effects, if any) and unconstrained φ.
  /// Residual df is n − p; between–within takes the covariance subject as the grouping factor
  /// (a column of X constant within every subject is between; also with a site term); Satterthwaite is mmrm's
  /// (`MMRMSatterthwaite`), Kenward–Roger is Kenward & Roger (1997) with the second-derivative
  /// terms (mmrm's `"Kenward-Roger"`, see `KenwardRogerAdjustment.init(mmrm:fit:)`).
  /// - Parameters:
  ///   - model: The model structure that was fitted.
  ///   - fit: Its fit.
  ///   - method: The df method.
  ///   - estimator: Model-based or empirical (sandwich) covariance of β̂.
  ///   - information: W of Kenward–Roger from the observed (default, as mmrm and SAS) or the
  ///     expected information.
  /// - Throws: `InferenceError.unsupported` (Kenward–Roger on ML fits; Satterthwaite or
  ///   Kenward–Roger with the empirical covariance), `InferenceError.numerical`.
  public init(
    model: MMRMModel, fit: MMRMFit, method: DegreesOfFreedomMethod,
    estimator: CovarianceEstimator = .model, information: KenwardRogerInformation = .observed
  ) throws {
    if estimator == .empirical && (method == .satterthwaite || method.isKenwardRoger) {
      throw InferenceError.unsupported(
        method: method.rawValue,
        reason: "its df describe the model-based covariance; use residual or between-within df "
          + "with --vcov empirical")
    }
    try self.init(
      method: method, coefficients: fit.fixedEffects, coefficientNames: fit.fixedEffectNames,
      covariance: fit.fixedEffectsCovariance, observationCount: fit.observationCount,
      betweenWithin: { try Self.betweenWithin(model: model) },
      satterthwaite: { try SatterthwaiteParameters(mmrm: model, fit: fit) },
      kenwardRoger: {
        try KenwardRogerAdjustment(
          mmrm: model, fit: fit, linear: method == .kenwardRogerLinear, information: information)
      },
      replacingCovariance: estimator == .empirical
        ? { try Self.empiricalCovariance(model: model, fit: fit) } : nil)
  }

  /// Between–within df with the covariance subject as the grouping factor.
  /// - Throws: `InferenceError.unsupported` when a df would not be positive.
  private static func betweenWithin(model: MMRMModel) throws -> [Double] {
    let p = model.fixedEffectCount
    let subjects = model.rowsBySubject
    var within = [Bool](repeating: false, count: p)
    for c in 0..<p {
      within[c] = subjects.contains { rows in
        guard let first = rows.first else { return false }
        let x0 = model.X[first, c]
        return rows.contains { abs(model.X[$0, c] - x0) > 1e-10 * max(1, abs(x0)) }
      }
    }
    return try betweenWithinDF(
      within: within, groups: subjects.count, observations: model.observationCount,
      groupLabel: "subjects")
  }

  /// The sandwich `Φ [Σ_i u_i u_iᵀ] Φ`, `u_i = X_iᵀV_i⁻¹(y_i − X_iβ̂)`, per subject, or per
  /// cluster (such as a site) when the model has random effects above the subject.
  /// - Parameters:
  ///   - model: The model structure.
  ///   - fit: Its fit.
  /// - Returns: The p × p empirical covariance of β̂.
  /// - Throws: `InferenceError.numerical` when some V_i is not positive definite.
  static func empiricalCovariance(model: MMRMModel, fit: MMRMFit) throws -> Matrix {
    let p = fit.fixedEffects.count
    let parameters = fit.theta + fit.phi
    let beta = fit.fixedEffects
    var meat = Matrix(rows: p, columns: p)
    for block in model.covarianceBlocks {
      let m = block.dimension
      guard let v = model.marginalCovariance(block, parameters: parameters),
        let vInverse = Matrix(rows: m, columns: m, columnMajor: v).inverseSPD()
      else {
        throw InferenceError.numerical(reason: "a subject's covariance is not positive definite")
      }
      for rows in block.subjectRows {
        let x = rows.map { row in (0..<p).map { model.X[row, $0] } }
        let residual = rows.indices.map { r in
          model.response[rows[r]] - zip(x[r], beta).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let w = vInverse.multiplied(by: residual)
        let u = (0..<p).map { c in (0..<m).reduce(0) { $0 + x[$1][c] * w[$1] } }
        for a in 0..<p {
          for b in 0..<p { meat[a, b] += u[a] * u[b] }
        }
      }
    }
    let phi = fit.fixedEffectsCovariance
    return phi.multiplied(by: meat).multiplied(by: phi)
  }
}

extension SatterthwaiteParameters {
  /// mmrm's Satterthwaite for an MMRM fit: `A = 2 H⁺`, H the Richardson finite-difference
  /// Hessian of the (REML or ML) criterion −2ℓ in the covariance parameters (θ, φ) at the
  /// optimum, and the Richardson Jacobian of `vcov(β̂)(θ, φ) = (Σ X_iᵀV_i⁻¹X_i)⁻¹`.
  /// - Parameters:
  ///   - model: The model structure.
  ///   - fit: Its fit.
  /// - Throws: `InferenceError.numerical` when a derivative is not finite.
  init(mmrm model: MMRMModel, fit: MMRMFit) throws {
    let method = fit.method
    let x = fit.theta + fit.phi
    let h = Matrix(
      rows: x.count, columns: x.count,
      columnMajor: FiniteDifferences.richardsonHessian(
        of: { model.objective(parameters: $0, method: method) }, at: x))
    guard h.elements.allSatisfy(\.isFinite) else {
      throw InferenceError.numerical(reason: "the Hessian of the MMRM criterion is not finite")
    }
    let (values, _) = h.jacobiEigen()
    let p = fit.fixedEffects.count
    let columns = FiniteDifferences.richardsonJacobian(
      of: {
        model.fixedEffectsCovariance(parameters: $0)?.elements
          ?? Array(repeating: .nan, count: p * p)
      }, at: x)
    let jacobian = columns.map { Matrix(rows: p, columns: p, columnMajor: $0) }
    guard jacobian.allSatisfy({ $0.elements.allSatisfy(\.isFinite) }) else {
      throw InferenceError.numerical(reason: "the Jacobian of vcov(β̂) is not finite")
    }
    self.init(
      covariance: h.pseudoInverse(tolerance: 1e-8).scaled(by: 2),
      jacobian: jacobian, nonPositiveEigenvalues: values.filter { $0 <= 1e-8 })
  }

  /// Creates the parameters from their parts.
  init(covariance: Matrix, jacobian: [Matrix], nonPositiveEigenvalues: [Double]) {
    self.covariance = covariance
    self.jacobian = jacobian
    self.nonPositiveEigenvalues = nonPositiveEigenvalues
  }
}
