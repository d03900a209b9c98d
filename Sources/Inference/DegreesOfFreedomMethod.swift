/// How the denominator degrees of freedom of t and F tests on fixed effects are found.
///
/// - `residual`: n − p for every test (what `lm` would use; anti-conservative for
///   between-subject effects).
/// - `betweenWithin`: SAS `DDFM=BW`, for the grouping factor with the most levels (m levels,
///   N observations). A column of X that is constant within every level is *between*, else
///   *within*; with p_b between columns (the intercept counts) and p_w within columns,
///   between df = m − p_b and within df = N − m − p_w. A contrast gets the smallest df of the
///   coefficients it involves (so any between-subject coefficient makes it between).
/// - `satterthwaite`: lmerTest's method: covariance parameters (θ, σ), their covariance from
///   the finite-difference Hessian of the (REML or ML) deviance, and the gradient of
///   `L vcov(β̂) Lᵀ` from the finite-difference Jacobian of vcov(β̂); multi-df F tests as
///   lmerTest's `contestMD` (eigen-decomposition of `L vcov Lᵀ`, one Satterthwaite df per
///   direction, combined by matching the F moments).
/// - `kenwardRoger`: pbkrtest's Kenward & Roger (1997) in its linear covariance
///   parameterisation (the entries of each random-effects covariance matrix G_k and σ²):
///   the small-sample adjusted covariance Φ_A of β̂, the df and the F scaling. With a linear
///   parameterisation the second derivatives of V vanish, so `kenwardRogerLinear` is the same
///   computation for these models. REML fits only.
///
/// For MMRM fits (`MixedModelInference.init(model:fit:method:estimator:)`) the covariance
/// subject is the between–within grouping factor, Satterthwaite is mmrm's (Hessian of the REML
/// or ML criterion and Jacobian of vcov(β̂) in the fit's unconstrained covariance parameters,
/// by Richardson finite differences) and Kenward–Roger uses those nonlinear parameters *with*
/// the second-derivative R terms (mmrm's `"Kenward-Roger"`; `kenwardRogerLinear` drops them,
/// mmrm's `"Kenward-Roger-Linear"`), with W from the observed information by default, as mmrm
/// and SAS (`KenwardRogerInformation`): its df and F scaling are parameterisation-invariant;
/// Φ_A is that of the nonlinear parameters (it equals the linear one only where the R terms
/// vanish).
public enum DegreesOfFreedomMethod: String, Sendable, CaseIterable {
  /// n − p.
  case residual
  /// SAS's between–within split.
  case betweenWithin = "between-within"
  /// Satterthwaite's approximation, as lmerTest.
  case satterthwaite
  /// Kenward–Roger, as pbkrtest (linear mixed models) and mmrm (MMRMs).
  case kenwardRoger = "kenward-roger"
  /// Kenward–Roger without the second-derivative terms R, as mmrm's
  /// `"Kenward-Roger-Linear"`; for linear mixed models the same as `kenwardRoger` (their
  /// covariance parameterisation is linear, so R vanishes).
  case kenwardRogerLinear = "kenward-roger-linear"

  /// Whether this is one of the Kenward–Roger methods.
  public var isKenwardRoger: Bool { self == .kenwardRoger || self == .kenwardRogerLinear }
}

/// Which information matrix gives W, the covariance of the covariance-parameter estimates,
/// in Kenward–Roger for an MMRM.
public enum KenwardRogerInformation: String, Sendable, CaseIterable {
  /// 2 H⁻¹ with H the (Richardson finite-difference) Hessian of the REML criterion −2ℓ at the
  /// estimate: the observed information, as mmrm and SAS PROC MIXED use.
  case observed
  /// Twice the inverse of the expected REML information
  /// `tr(V⁻¹V_rV⁻¹V_s) − 2 tr(ΦQ_rs) + tr(ΦP_rΦP_s)`, as Kenward & Roger (1997) and pbkrtest.
  case expected
}
