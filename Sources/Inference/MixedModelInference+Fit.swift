import MixedModels

extension MixedModelInference {
  /// Prepares tests for a fit of any family, from the model the fit carries: the one place
  /// where inference dispatches on the family.
  /// - Parameters:
  ///   - fit: The fit (`LinearMixedModelFit` or `MMRMFit`).
  ///   - method: The df method.
  ///   - estimator: Model-based or empirical (sandwich) covariance of β̂; the empirical one
  ///     is defined for MMRMs.
  /// - Throws: `InferenceError.unsupported` for an estimator or method the family does not
  ///   have, and what the family's preparation throws.
  public init(
    fit: any FittedModel, method: DegreesOfFreedomMethod, estimator: CovarianceEstimator = .model
  ) throws {
    switch fit {
    case let lmm as LinearMixedModelFit:
      guard estimator == .model else {
        throw InferenceError.unsupported(
          method: estimator.rawValue,
          reason: "the empirical covariance is for MMRMs (a residual covariance term)")
      }
      try self.init(model: lmm.model, fit: lmm, method: method)
    case let mmrm as MMRMFit:
      try self.init(model: mmrm.model, fit: mmrm, method: method, estimator: estimator)
    default:
      throw InferenceError.unsupported(
        method: method.rawValue, reason: "no tests for \(fit.family.rawValue) fits")
    }
  }
}
