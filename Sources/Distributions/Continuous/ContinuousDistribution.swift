/// A univariate continuous distribution with accurate tails in both directions.
///
/// Conforming types are small immutable values (`Normal`, `StudentT`, `FisherF`, `ChiSquared`).
/// The contract every conformer keeps:
///
/// - `cdf(x) = P(X ≤ x)` and `ccdf(x) = P(X > x)` are each computed directly, never as `1 −`
///   the other, so an upper-tail p-value of 1e-200 is returned as such;
/// - `quantile(p)` inverts `cdf` and `quantile(upperTail:)` inverts `ccdf`, to about 1e-13
///   relative wherever the quantile is finite and non-zero;
/// - `NaN` arguments give `NaN`; probabilities outside `[0, 1]` are a programming error.
public protocol ContinuousDistribution: Sendable {
  /// The probability density at `x`.
  func density(_ x: Double) -> Double
  /// The natural logarithm of the density at `x` (finite far beyond where `density` underflows).
  func logDensity(_ x: Double) -> Double
  /// The lower-tail probability `P(X ≤ x)`.
  func cdf(_ x: Double) -> Double
  /// The upper-tail probability `P(X > x)`, accurate in relative terms far into the tail.
  func ccdf(_ x: Double) -> Double
  /// The `x` with `cdf(x) = p`.
  func quantile(_ p: Double) -> Double
  /// The `x` with `ccdf(x) = q`: the upper critical value for tail probability `q`.
  func quantile(upperTail q: Double) -> Double
  /// The expectation `E[X]` (`NaN` when it does not exist).
  var mean: Double { get }
  /// The variance `Var[X]` (`+∞` when infinite, `NaN` when undefined).
  var variance: Double { get }
}

/// Checks a probability argument of a quantile function.
func checkProbability(_ p: Double) {
  precondition(p.isNaN || (p >= 0 && p <= 1), "probability must lie in [0, 1], got \(p)")
}
