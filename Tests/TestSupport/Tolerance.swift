/// A named agreement tolerance: |observed − expected| ≤ max(absolute, relative · |expected|).
public struct Tolerance: Sendable, CustomStringConvertible {
  /// Relative part.
  public let relative: Double
  /// Absolute floor, for values near zero.
  public let absolute: Double
  /// Why this tolerance is right for its quantity.
  public let reason: String

  /// Creates a tolerance.
  /// - Parameters:
  ///   - relative: Relative tolerance.
  ///   - absolute: Absolute floor.
  ///   - reason: One line: why.
  public init(relative: Double, absolute: Double = 0, reason: String) {
    self.relative = relative
    self.absolute = absolute
    self.reason = reason
  }

  /// Whether `observed` agrees with `expected`.
  /// - Parameters:
  ///   - observed: Our value.
  ///   - expected: The reference value.
  /// - Returns: `true` within tolerance; NaN never agrees, not even with NaN (a reference that
  ///   is legitimately NA is compared with `expectNaN`), and an infinity only with itself.
  public func accepts(_ observed: Double, _ expected: Double) -> Bool {
    if expected.isNaN || observed.isNaN { return false }
    if expected == observed { return true }
    if !expected.isFinite || !observed.isFinite { return false }
    return abs(observed - expected) <= max(absolute, relative * abs(expected))
  }

  /// `rel 1e-06, abs 1e-09`.
  public var description: String { "rel \(relative), abs \(absolute)" }

  // MARK: - Agreement with lme4 (issue #2 sets these; measured agreement is far tighter).

  /// The REML criterion / deviance: the optimised objective is flat at the optimum, so both
  /// tools reach it to many digits even where θ differs in the 5th digit.
  public static let deviance = Tolerance(
    relative: 1e-6, reason: "objective at the optimum; flat, so agrees to ~1e-10 in practice")
  /// β̂ and their standard errors: smooth functions of θ̂, which BOBYQA locates to ~1e-6.
  public static let fixedEffects = Tolerance(
    relative: 1e-5, absolute: 1e-8, reason: "β̂ and SEs depend smoothly on θ̂")
  /// Elements of vcov(β̂): squares and products of SE-scale quantities, so twice their
  /// relative error.
  public static let fixedEffectsCovariance = Tolerance(
    relative: 2e-5, absolute: 1e-10, reason: "products of two SE-scale quantities")
  /// θ, σ and the variance components: the likelihood surface is flat in these directions.
  public static let varianceComponents = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "flat likelihood in θ; lme4 itself tests at 1e-4")
  /// Conditional modes and their SDs: linear in the data given θ̂, so they inherit θ̂'s error.
  public static let randomEffects = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "BLUPs inherit θ̂'s optimisation error")
  /// Fitted values and residuals.
  public static let fitted = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "Xβ̂ + Zb̂: the Zb̂ part inherits θ̂'s 1e-4")

  // MARK: - Agreement of two optima of one criterion (lme4's tight refit; issue 13)

  /// The criterion at the optimum: ours at most lme4's tightly converged refit's plus this.
  ///
  /// The bound. Both optimisers stop within 4.3e-14 relative of each other on every
  /// fixture.
  public static let criterionAtOptimum = Tolerance(
    relative: 1e-10, reason: "ours and lme4's tight refit agree to 4.3e-14 relative")
  /// How closely two converged optimisers agree on the criterion, relative to it.
  ///
  /// The floor of the ε from which `OptimumAgreement` derives every estimate's tolerance.
  /// Measured: ours and lme4's tight refit within 4.3e-14 on every lmer fixture (9.8e-11 on
  /// pain_trial's 2286.1), with any OpenBLAS kernel; lme4's own tight fit, its restart and
  /// minqa's bobyqa within 1e-14 of one another.
  public static let optimumPrecision = Tolerance(
    relative: 1e-13, reason: "converged optimisers agree to 4.3e-14 relative; twice that")
  /// Factor on the quadratic bound √(2ε∇qᵀH⁻¹∇q): the criterion is quadratic only near the
  /// optimum, and H (step 1e-4) and ∇q (step 1e-5·|θ|) are finite differences accurate to a
  /// few per cent; 2 covers both with room.
  public static let optimumSafety = 2.0
  /// What two fits at the same θ̂ would still differ by: the rounding of the blocked solve
  /// (condition numbers of XᵀV⁻¹X up to ~1e6 on these fixtures, uncentred ages among them),
  /// relative to the largest element of the vector compared, and the fixtures' 15 digits.
  public static let optimumRounding = Tolerance(
    relative: 1e-9, absolute: 1e-12,
    reason: "rounding at a given θ: κ(XᵀV⁻¹X)·ulp, relative to the vector's largest element")

  // MARK: - Agreement with an independent computation in the test (no external reference).

  /// A BLAS/LAPACK routine or a hand-written kernel against a textbook loop on the same
  /// well-conditioned matrix (condition number ≲ 10³, order ≲ 50): the same sums in another
  /// order, so a few ulps per accumulated term, times the condition number for solves.
  public static let reorderedArithmetic = Tolerance(
    relative: 1e-11, absolute: 1e-14,
    reason: "same sums in another order on well-conditioned matrices: a few ulps per term")
  /// The profiled criterion evaluated at lme4's own θ̂: same θ ⇒ same criterion up to rounding;
  /// the fixture carries 15 significant digits and θ is flat-optimal, so its rounding costs
  /// nothing at first order.
  public static let profiledObjectiveAtReferenceTheta = Tolerance(
    relative: 1e-9, reason: "same θ ⇒ same criterion up to rounding; fixture has 15 digits")
  /// β̂ at lme4's own θ̂: a deterministic GLS solution given θ; the 15-digit θ of the fixture and
  /// the conditioning of XᵀV⁻¹X leave ~1e-10, so 1e-7 is generous.
  public static let fixedEffectsAtReferenceTheta = Tolerance(
    relative: 1e-7, absolute: 1e-10, reason: "β̂ given θ is a deterministic GLS solution")
  /// The blocked PLS factorisation against the criterion's dense definition (log|V|, V⁻¹ with
  /// n×n matrices) on small simulated data: two algorithms, both backward stable.
  public static let denseDefinition = Tolerance(
    relative: 1e-9, absolute: 1e-12,
    reason: "blocked PLS vs the n×n dense definition: two stable algorithms, κ(V) ≲ 10³")
  /// Central differences with δ = 1e-4 on an exact quadratic: no truncation error, only the
  /// rounding of f (~1e-16·|f|) amplified by 1/δ² ≈ 1e8 in the Hessian.
  public static let finiteDifferenceOnQuadratic = Tolerance(
    relative: 1e-6, absolute: 1e-6,
    reason: "no truncation error on a quadratic; rounding of f / δ² ≈ 1e-8·|f|")
  /// The forward-difference off-diagonal Hessian entries (step δ = 1e-4) on a smooth
  /// non-quadratic function: truncation O(δ·|f‴|) ≈ 1e-4 relative for O(1) third derivatives.
  public static let forwardDifferenceHessian = Tolerance(
    relative: 1e-3, absolute: 1e-3,
    reason: "forward off-diagonal Hessian: O(δ) = 1e-4 truncation times O(1) third derivatives")
  /// Richardson extrapolation (numDeriv, 4 halvings) on smooth analytic functions: truncation
  /// O(h⁸) is negligible; what is left is the rounding of f over the smallest step
  /// (~1e-16·|f|/(h₀/8)² with h₀ = 0.1·|x|), amplified ≈ 2× by the extrapolation.
  public static let richardsonOnSmooth = Tolerance(
    relative: 1e-8, absolute: 1e-8,
    reason: "Richardson: O(h⁸) truncation, rounding ~1e-16·|f|/h² with h ≈ 1e-2")

  // MARK: - Agreement with lmerTest, pbkrtest and emmeans (issue "Trial inference")

  /// Satterthwaite and Kenward–Roger df: functions of finite-difference derivatives (lmerTest)
  /// and of θ̂, which both tools locate to ~1e-6.
  public static let degreesOfFreedom = Tolerance(
    relative: 1e-3, reason: "df from finite-difference derivatives and θ̂; issue sets 1e-3")
  /// p-values of t and F tests: 1e-4 absolute as the issue sets, and 1e-3 relative so that
  /// tiny p-values are still compared.
  public static let pValue = Tolerance(
    relative: 1e-3, absolute: 1e-4, reason: "issue: p within 1e-4; tiny p compared relatively")
}
