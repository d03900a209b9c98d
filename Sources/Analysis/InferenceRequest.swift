import Inference

/// What `traj fit` is asked to infer beyond the fit: df and p-values for the fixed effects, a
/// type III table, estimated marginal means and contrasts among them.
public struct InferenceRequest: Sendable, Equatable {
  /// df method for the `df`/`p` columns of the fixed effects; nil = no such columns (type III
  /// tables, means and contrasts then use Satterthwaite).
  public var degreesOfFreedom: DegreesOfFreedomMethod?
  /// Whether to add the type III table.
  public var anova: Bool
  /// emmeans-like specification: `arm`, `arm | visit`, `arm | visit, site`.
  public var emmeans: String?
  /// Contrast among the means: `pairwise`, `revpairwise`, `trt.vs.ctrl(placebo)`, `custom(...)`.
  public var contrast: String?
  /// Multiplicity adjustment of the contrasts' p-values (within each `by` group).
  public var adjustment: PValueAdjustment
  /// Weights for the factors the means average over.
  public var weights: MarginalWeights

  /// Creates a request.
  /// - Parameters:
  ///   - degreesOfFreedom: df method for the coefficient table.
  ///   - anova: Add the type III table.
  ///   - emmeans: Means specification.
  ///   - contrast: Contrast specification (needs `emmeans`).
  ///   - adjustment: Multiplicity adjustment.
  ///   - weights: Averaging weights.
  public init(
    degreesOfFreedom: DegreesOfFreedomMethod? = nil, anova: Bool = false, emmeans: String? = nil,
    contrast: String? = nil, adjustment: PValueAdjustment = .none,
    weights: MarginalWeights = .equal
  ) {
    self.degreesOfFreedom = degreesOfFreedom
    self.anova = anova
    self.emmeans = emmeans
    self.contrast = contrast
    self.adjustment = adjustment
    self.weights = weights
  }

  /// Covariance of β̂ for the tests (MMRM fits only): model-based or empirical (sandwich).
  public var covarianceEstimator: CovarianceEstimator = .model

  /// The df method used for tests: the one asked for, else Satterthwaite (residual with the
  /// empirical covariance).
  public var method: DegreesOfFreedomMethod {
    degreesOfFreedom ?? (covarianceEstimator == .empirical ? .residual : .satterthwaite)
  }

  /// Splits an emmeans specification `a [+ b] [| c, d]` into its variables.
  /// - Parameter text: The specification (a leading `~` is allowed).
  /// - Returns: The compared variables and the grouping ones.
  /// - Throws: `InferenceError.invalidSpecification` when no variable is named.
  public static func parseMeans(_ text: String) throws -> (specs: [String], by: [String]) {
    var body = Substring(text)
    if let tilde = body.firstIndex(of: "~") { body = body[body.index(after: tilde)...] }
    let parts = body.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
    func names(_ s: Substring) -> [String] {
      s.split(whereSeparator: { "+*:, ".contains($0) }).map(String.init)
    }
    let specs = names(parts[0])
    let by = parts.count > 1 ? names(parts[1]) : []
    guard !specs.isEmpty, parts.count == 1 || !by.isEmpty else {
      throw InferenceError.invalidSpecification(
        text: text, reason: "expected 'factor' or 'factor | by-factor' (as emmeans' ~ arm | visit)")
    }
    return (specs, by)
  }
}
