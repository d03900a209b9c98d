#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The χ² distribution with `k` degrees of freedom (any real `k > 0`).
///
/// The reference distribution of likelihood-ratio tests and of Wald tests of several
/// contrasts with known variance.
///
///     f(x) = x^(k/2 − 1) e^(−x/2) / (2^(k/2) Γ(k/2))
///     P(X ≤ x) = P(k/2, x/2),   P(X > x) = Q(k/2, x/2)
///
/// with `P`, `Q` the regularized incomplete gamma functions (Abramowitz & Stegun 26.4.19),
/// each tail computed directly.
///
/// Invariant: `df > 0` and finite.
public struct ChiSquared: ContinuousDistribution, Hashable {
  /// The degrees of freedom `k`.
  public let df: Double

  /// Creates a χ² distribution with `df` degrees of freedom.
  ///
  /// - Parameter df: Degrees of freedom, finite and `> 0`.
  /// - Precondition: `df > 0` and finite.
  public init(df: Double) {
    precondition(df > 0 && df.isFinite, "ChiSquared df must be finite and positive, got \(df)")
    self.df = df
  }

  /// `k`.
  public var mean: Double { df }

  /// `2k`.
  public var variance: Double { 2 * df }

  /// The density; see the type's discussion.
  ///
  /// - Parameter x: Any real number (0 for `x < 0`).
  /// - Returns: The density.
  public func density(_ x: Double) -> Double { exp(logDensity(x)) }

  /// The log density, `log(z^(k/2) e^(−z)/Γ(k/2)) − log x` with `z = x/2`, formed about the
  /// mode for large `k` so that it keeps its accuracy.
  ///
  /// - Parameter x: Any real number.
  /// - Returns: The log density (`−∞` for `x < 0`).
  public func logDensity(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x < 0 || x.isInfinite { return -.infinity }
    if x == 0 {
      if df < 2 { return .infinity }
      return df == 2 ? -log(2.0) : -.infinity
    }
    return logGammaPowerTerm(0.5 * df, 0.5 * x) - log(x)
  }

  /// `P(X ≤ x) = P(k/2, x/2)`.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The lower-tail probability.
  public func cdf(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    return x <= 0 ? 0 : incompleteGammaPair(0.5 * df, 0.5 * x).lower
  }

  /// `P(X > x) = Q(k/2, x/2)`: the p-value of a χ² (for example likelihood-ratio) statistic.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The upper-tail probability, accurate relative however small.
  public func ccdf(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    return x <= 0 ? 1 : incompleteGammaPair(0.5 * df, 0.5 * x).upper
  }

  /// The quantile `2 P⁻¹(k/2, p)`.
  ///
  /// - Parameter p: Lower-tail probability in `[0, 1]`.
  /// - Returns: The quantile; 0 at 0 and `+∞` at 1.
  /// - Precondition: `0 ≤ p ≤ 1` (or `NaN`).
  public func quantile(_ p: Double) -> Double {
    checkProbability(p)
    if p.isNaN { return .nan }
    return 2 * inverseIncompleteGamma(0.5 * df, lower: p, upper: 1 - p, solveLower: p <= 0.5)
  }

  /// The upper critical value `2 Q⁻¹(k/2, q)`.
  ///
  /// - Parameter q: Upper-tail probability in `[0, 1]`.
  /// - Returns: The `x` with `P(X > x) = q`.
  /// - Precondition: `0 ≤ q ≤ 1` (or `NaN`).
  public func quantile(upperTail q: Double) -> Double {
    checkProbability(q)
    if q.isNaN { return .nan }
    return 2 * inverseIncompleteGamma(0.5 * df, lower: 1 - q, upper: q, solveLower: q > 0.5)
  }
}
