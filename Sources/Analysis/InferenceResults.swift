import Formulas
import Inference
import MixedModels

/// The inference `traj fit` was asked for, computed from one fit.
public struct InferenceResults: Sendable {
  /// What was asked.
  public let request: InferenceRequest
  /// Per-coefficient tests under `request.degreesOfFreedom` (empty when not asked).
  public let coefficientTests: [ContrastEstimate]
  /// Type III tests (empty when not asked).
  public let anova: [(term: String, test: FTest)]
  /// The compared and grouping variables of the means.
  public let meansVariables: (specs: [String], by: [String])
  /// Estimated marginal means (empty when not asked).
  public let means: [MarginalMean]
  /// Contrasts among the means (empty when not asked).
  public let contrasts: [MarginalContrast]
  /// Concerns about the tests (Satterthwaite: a deviance Hessian in (θ, σ) that is not
  /// positive definite, as lmerTest warns).
  public let concerns: [String]

  /// Computes what `request` asks for, for a fit of any family.
  /// - Parameters:
  ///   - request: The request.
  ///   - frame: The fit's model frame.
  ///   - fit: The fit (with the model it used).
  /// - Throws: `InferenceError` for bad specifications, unknown names, non-estimable means,
  ///   or a method the fit does not support.
  public init(request: InferenceRequest, frame: ModelFrame, fit: any FittedModel) throws {
    self.request = request
    let inference = try MixedModelInference(
      fit: fit, method: request.method, estimator: request.covarianceEstimator)
    let small = inference.hessianConcerns
    let parameters =
      fit.family == .linearMixed
      ? "the deviance in (theta, sigma)" : "the REML/ML criterion in the covariance parameters"
    let consequence =
      fit.family == .linearMixed
      ? "Satterthwaite df may be unreliable (the model may not have converged)"
      : "Satterthwaite df may be unreliable"
    concerns =
      small.isEmpty
      ? []
      : [
        "the Hessian of \(parameters) has \(small.count) eigenvalue(s) at or below 1e-8; "
          + consequence
      ]
    coefficientTests = request.degreesOfFreedom == nil ? [] : inference.coefficientTests()
    anova = request.anova ? try inference.typeIIITests(frame: frame) : []
    if let spec = request.emmeans {
      meansVariables = (spec.specs, spec.by)
      let means = try MarginalMeans.compute(
        specs: spec.specs, by: spec.by, frame: frame, inference: inference,
        weights: request.weights)
      self.means = means
      if let contrast = request.contrast {
        contrasts = try MarginalMeans.contrasts(
          means, method: contrast.method, adjustment: request.adjustment,
          inference: inference)
      } else {
        contrasts = []
      }
    } else {
      meansVariables = ([], [])
      means = []
      contrasts = []
    }
  }
}
