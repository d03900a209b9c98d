import Inference

/// What `traj fit` is asked to infer beyond the fit: df and p-values for the fixed effects, a
/// type III table, estimated marginal means and contrasts among them.
public struct InferenceRequest: Sendable, Equatable {
  /// df method for the `df`/`p` columns of the fixed effects; nil = no such columns (type III
  /// tables, means and contrasts then use Satterthwaite).
  public var degreesOfFreedom: DegreesOfFreedomMethod?
  /// Whether to add the type III table.
  public var anova: Bool
  /// The estimated marginal means asked for, parsed (`arm`, `arm | visit`); nil for none.
  public var emmeans: MeansSpecification?
  /// Contrasts among the means, parsed (`pairwise`, `revpairwise`, `trt.vs.ctrl(placebo)`,
  /// `custom(...)`); nil for none.
  public var contrast: ContrastSpecification?
  /// Multiplicity adjustment of the contrasts' p-values (within each `by` group).
  public var adjustment: PValueAdjustment
  /// Weights for the factors the means average over.
  public var weights: MarginalWeights

  /// Creates a request, parsing the means and contrast specifications, so that every error
  /// in them is reported before any data is read or model fitted.
  /// - Parameters:
  ///   - degreesOfFreedom: df method for the coefficient table.
  ///   - anova: Add the type III table.
  ///   - emmeans: Means specification text.
  ///   - contrast: Contrast specification text (needs `emmeans`).
  ///   - adjustment: Multiplicity adjustment.
  ///   - weights: Averaging weights.
  /// - Throws: `InferenceError.invalidSpecification` for a specification that does not
  ///   parse, or a contrast without means.
  public init(
    degreesOfFreedom: DegreesOfFreedomMethod? = nil, anova: Bool = false, emmeans: String? = nil,
    contrast: String? = nil, adjustment: PValueAdjustment = .none,
    weights: MarginalWeights = .equal
  ) throws {
    self.degreesOfFreedom = degreesOfFreedom
    self.anova = anova
    self.emmeans = try emmeans.map { try MeansSpecification(parsing: $0) }
    self.contrast = try contrast.map { try ContrastSpecification(parsing: $0) }
    self.adjustment = adjustment
    self.weights = weights
    if let contrast, emmeans == nil {
      throw InferenceError.invalidSpecification(
        text: contrast, reason: "a contrast needs --emmeans to name the means")
    }
  }

  /// Covariance of β̂ for the tests (MMRM fits only): model-based or empirical (sandwich).
  public var covarianceEstimator: CovarianceEstimator = .model

  /// The df method used for tests: the one asked for, else Satterthwaite (residual with the
  /// empirical covariance).
  public var method: DegreesOfFreedomMethod {
    degreesOfFreedom ?? (covarianceEstimator == .empirical ? .residual : .satterthwaite)
  }
}
