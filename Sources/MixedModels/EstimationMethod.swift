/// Maximum likelihood or restricted (residual) maximum likelihood.
public enum EstimationMethod: String, Sendable, Codable, Equatable {
  /// REML: maximises the likelihood of error contrasts; unbiased-ish variance components.
  case reml = "REML"
  /// ML: maximises the full likelihood; needed to compare models differing in fixed effects.
  case ml = "ML"
}
