/// Which covariance of β̂ the tests of an MMRM use.
///
/// - `model`: the model-based `Φ = (Σ X_iᵀV_i⁻¹X_i)⁻¹` (Φ_A under Kenward–Roger).
/// - `empirical`: the sandwich (SAS `EMPIRICAL`, mmrm `"Empirical"`, Liang & Zeger 1986)
///   `Φ [Σ_i X_iᵀV_i⁻¹ r_i r_iᵀ V_i⁻¹X_i] Φ`, r_i = y_i − X_iβ̂, without a small-sample
///   correction. Its tests use residual df (n − p) by default; between–within df are allowed;
///   Satterthwaite and Kenward–Roger are refused with it (their df describe the model-based
///   covariance).
public enum CovarianceEstimator: String, Sendable, CaseIterable {
  /// Model-based.
  case model
  /// Sandwich.
  case empirical
}
