import Formulas
import Inference
import MixedModels

extension InferenceResults {
  /// Computes what `request` asks for on an MMRM fit (df methods and the empirical covariance
  /// as `MixedModelInference.init(model:fit:method:estimator:)` describes them).
  /// - Parameters:
  ///   - request: The request.
  ///   - frame: The fit's model frame.
  ///   - model: The fitted structure (with the fit's covariance structure).
  ///   - fit: The fit.
  /// - Throws: `InferenceError` for bad specifications, unknown names, non-estimable means,
  ///   or a method the fit does not support.
  public init(request: InferenceRequest, frame: ModelFrame, model: MMRMModel, fit: MMRMFit)
    throws
  {
    if request.contrast != nil && request.emmeans == nil {
      throw InferenceError.invalidSpecification(
        text: request.contrast ?? "", reason: "a contrast needs --emmeans to name the means")
    }
    let inference = try MixedModelInference(
      model: model, fit: fit, method: request.method, estimator: request.covarianceEstimator)
    let small = inference.hessianConcerns
    let concerns =
      small.isEmpty
      ? []
      : [
        "the Hessian of the REML/ML criterion in the covariance parameters has \(small.count) "
          + "eigenvalue(s) at or below 1e-8; Satterthwaite df may be unreliable"
      ]
    var variables: (specs: [String], by: [String]) = ([], [])
    var means: [MarginalMean] = []
    var contrasts: [MarginalContrast] = []
    if let text = request.emmeans {
      variables = try InferenceRequest.parseMeans(text)
      means = try MarginalMeans.compute(
        specs: variables.specs, by: variables.by, frame: frame, inference: inference,
        weights: request.weights)
      if let contrast = request.contrast {
        contrasts = try MarginalMeans.contrasts(
          means, method: ContrastMethod(parsing: contrast), adjustment: request.adjustment,
          inference: inference)
      }
    }
    self.request = request
    self.concerns = concerns
    self.coefficientTests = request.degreesOfFreedom == nil ? [] : inference.coefficientTests()
    self.anova = request.anova ? try inference.typeIIITests(frame: frame) : []
    self.meansVariables = variables
    self.means = means
    self.contrasts = contrasts
  }
}
