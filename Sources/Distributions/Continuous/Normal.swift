#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The normal (Gaussian) distribution `N(μ, σ²)`.
///
/// Used for Wald z-tests and intervals, for large-df limits of the t distribution, and as the
/// starting point of other quantile iterations.
///
///     f(x) = exp(−z²/2) / (σ √(2π)),   z = (x − μ)/σ
///
/// The cdf uses Cody's rational approximations (ACM TOMS 715, 1993), with the upper tail taken
/// as `Φ(−z)` so that both tails are accurate to a few ulps down to 1e-300 and beyond; the
/// quantile is Wichura's AS 241 (1988), accurate to about 1e-16 relative.
///
/// Invariants: `sd > 0` and finite, `mean` finite. Created by callers directly.
public struct Normal: ContinuousDistribution, Hashable {
  /// The mean `μ`.
  public let mean: Double
  /// The standard deviation `σ > 0`.
  public let sd: Double

  /// Creates `N(mean, sd²)`.
  ///
  /// - Parameters:
  ///   - mean: The mean `μ` (finite).
  ///   - sd: The standard deviation `σ` (finite, positive).
  /// - Precondition: `mean` is finite and `sd` is finite and positive.
  public init(mean: Double = 0, sd: Double = 1) {
    precondition(mean.isFinite, "Normal mean must be finite")
    precondition(sd > 0 && sd.isFinite, "Normal sd must be finite and positive")
    self.mean = mean
    self.sd = sd
  }

  /// The standard normal `N(0, 1)`.
  public static let standard = Normal()

  /// The variance `σ²`.
  public var variance: Double { sd * sd }

  /// The density `exp(−z²/2)/(σ√(2π))`.
  ///
  /// - Parameter x: Any real number.
  /// - Returns: The density, `NaN` for `NaN`.
  public func density(_ x: Double) -> Double { exp(logDensity(x)) }

  /// The log density `−z²/2 − log σ − ½ log 2π`.
  ///
  /// - Parameter x: Any real number.
  /// - Returns: The log density, `NaN` for `NaN`.
  public func logDensity(_ x: Double) -> Double {
    let z = (x - mean) / sd
    return -0.5 * z * z - log(sd) - logSqrtTwoPi
  }

  /// `P(X ≤ x) = Φ((x − μ)/σ)`.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The lower-tail probability, accurate relative even when tiny.
  public func cdf(_ x: Double) -> Double { standardNormalLowerTail((x - mean) / sd) }

  /// `P(X > x) = Φ(−(x − μ)/σ)`, computed directly so that p-values keep their digits.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The upper-tail probability.
  public func ccdf(_ x: Double) -> Double { standardNormalLowerTail(-(x - mean) / sd) }

  /// The quantile `μ + σ Φ⁻¹(p)` (AS 241).
  ///
  /// - Parameter p: Lower-tail probability in `[0, 1]`.
  /// - Returns: The quantile; `−∞` at 0 and `+∞` at 1.
  /// - Precondition: `0 ≤ p ≤ 1` (or `NaN`).
  public func quantile(_ p: Double) -> Double {
    checkProbability(p)
    return mean + sd * standardNormalQuantile(lower: p)
  }

  /// The upper critical value `μ − σ Φ⁻¹(q)`, for example `quantile(upperTail: 0.025) ≈ μ + 1.96σ`.
  ///
  /// - Parameter q: Upper-tail probability in `[0, 1]`.
  /// - Returns: The `x` with `P(X > x) = q`.
  /// - Precondition: `0 ≤ q ≤ 1` (or `NaN`).
  public func quantile(upperTail q: Double) -> Double {
    checkProbability(q)
    return mean - sd * standardNormalQuantile(lower: q)
  }

  /// The two-sided p-value `P(|Z| ≥ |z|) = 2 Φ(−|z|)` of a standard normal (Wald) statistic.
  ///
  /// - Parameter z: The observed statistic.
  /// - Returns: A probability in `[0, 1]`, accurate relative down to ~1e-308; `NaN` for `NaN`.
  public static func twoSidedPValue(z: Double) -> Double {
    2 * standardNormalLowerTail(-abs(z))
  }
}
