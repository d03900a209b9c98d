/// Named tolerances for comparing the Distributions module with R.
///
/// Named tolerances for comparing the Distributions module with R, each with its reason.
/// Set from measured agreement (see `TRAJ_PRINT_ACCURACY=1 swift test --filter DistributionsTests`)
/// with about a factor 10–100 of head room.
enum Tolerance {
  /// Probabilities (cdf or ccdf) ≥ 1e-20: both implementations are accurate to ~1e-14 relative
  /// here; 1e-12 leaves room for the few-ulp error of long continued fractions and R's own.
  static let probabilityBody = 1e-12

  /// Probabilities below 1e-20: the relative condition number of a tail probability grows with
  /// its argument (for example x²·ε for the normal), so both sides carry larger rounding error.
  static let probabilityFarTail = 1e-10

  /// Quantiles, relative: inversions are iterated to 1e-15 of the argument; R's own
  /// quantiles (AS 241, qbeta, qgamma Newton steps) are good to ~1e-14.
  static let quantile = 1e-10

  /// `log Γ`, relative: ours is accurate to a few ulps; R's is `log(gamma(x))` for x ≤ 10.
  static let logGamma = 1e-14

  /// `log Γ` absolute floor: next to the zeros at 1 and 2 R's value is only absolutely accurate
  /// (`log` of a rounded Γ), so relative agreement there is meaningless.
  static let logGammaAbsolute = 1e-15

  /// Densities, relative: closed forms through `log Γ`/`log B` and `log1p`.
  static let density = 1e-12

  /// Round trips `cdf(quantile(p)) ≈ p` on our side only; limited by the cdf's own rounding
  /// and the quantile's 1e-15 stopping rule, scaled by the local condition number.
  static let roundTrip = 1e-11

  /// R's `pt` for df > 4e5 is a normal approximation with error O(1/df²), ~1e-12 at df = 1e6
  /// (measured agreement 4e-14); its `qt` inverts that approximation.
  static let approximatedStudentT = 1e-11

  /// Rows the R script flags `consistent = 0`: R's quantile does not reproduce its own
  /// probability to 1e-12 (for example `qt(1e-300, 2.5)` is off by 1e-5 relative, checked against
  /// mpmath), so R is the less accurate side; ours is also checked by round trips.
  static let rSelfInconsistent = 1e-4

  /// Probabilities below which a value counts as "far tail".
  static let farTailThreshold = 1e-20

  /// The probability tolerance appropriate to an expected value.
  static func probability(_ expected: Double) -> Double {
    expected < farTailThreshold ? probabilityFarTail : probabilityBody
  }
}
