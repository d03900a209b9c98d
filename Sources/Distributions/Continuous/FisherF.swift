#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Snedecor's F distribution with `d₁` numerator and `d₂` denominator degrees of freedom (any
/// real `d₁, d₂ > 0`, either may be `+∞`).
///
/// The reference distribution of Wald F-tests of several contrasts (type III tests, with
/// Satterthwaite or Kenward–Roger denominator df).
///
///     P(F ≤ f) = I_u(d₁/2, d₂/2),   u = d₁f/(d₁f + d₂),   1 − u = d₂/(d₁f + d₂)
///     f(x) = u^(d₁/2) (1−u)^(d₂/2) / (B(d₁/2, d₂/2) · x)
///
/// (Abramowitz & Stegun 26.6.2), with `u` and `1 − u` each formed directly. `d₂ = ∞` gives
/// `χ²(d₁)/d₁`, `d₁ = ∞` gives `d₂/χ²(d₂)`; both infinite is the point mass at 1.
///
/// Invariant: `df1 > 0`, `df2 > 0` (possibly `+∞`).
public struct FisherF: ContinuousDistribution, Hashable {
  /// Numerator degrees of freedom `d₁`.
  public let df1: Double
  /// Denominator degrees of freedom `d₂`.
  public let df2: Double

  /// Creates an F distribution.
  ///
  /// - Parameters:
  ///   - df1: Numerator degrees of freedom, `> 0` (may be `.infinity`).
  ///   - df2: Denominator degrees of freedom, `> 0` (may be `.infinity`).
  /// - Precondition: both positive (not `NaN`).
  public init(df1: Double, df2: Double) {
    precondition(df1 > 0 && df2 > 0, "FisherF df must be positive, got \(df1), \(df2)")
    self.df1 = df1
    self.df2 = df2
  }

  /// `d₂/(d₂ − 2)` for `d₂ > 2` (1 for `d₂ = ∞`); undefined (`NaN`) for `d₂ ≤ 2`.
  public var mean: Double {
    if df2.isInfinite { return 1 }
    return df2 > 2 ? df2 / (df2 - 2) : .nan
  }

  /// `2d₂²(d₁ + d₂ − 2) / (d₁(d₂ − 2)²(d₂ − 4))` for `d₂ > 4`, `+∞` for `2 < d₂ ≤ 4`, else
  /// `NaN`.
  public var variance: Double {
    if df2.isInfinite { return df1.isInfinite ? 0 : 2 / df1 }
    if df2 > 4 {
      if df1.isInfinite { return 2 * df2 * df2 / ((df2 - 2) * (df2 - 2) * (df2 - 4)) }
      return 2 * df2 * df2 * (df1 + df2 - 2) / (df1 * (df2 - 2) * (df2 - 2) * (df2 - 4))
    }
    return df2 > 2 ? .infinity : .nan
  }

  /// The density; see the type's discussion.
  ///
  /// - Parameter x: Any real number (0 for `x < 0`).
  /// - Returns: The density.
  public func density(_ x: Double) -> Double { exp(logDensity(x)) }

  /// The log density, via the beta power term `u^(d₁/2)(1−u)^(d₂/2)/B` formed about its mean
  /// for large df.
  ///
  /// - Parameter x: Any real number.
  /// - Returns: The log density (`−∞` for `x < 0`).
  public func logDensity(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x < 0 || x.isInfinite { return -.infinity }
    if df1.isInfinite || df2.isInfinite {
      if df1.isInfinite && df2.isInfinite { return x == 1 ? .infinity : -.infinity }
      if df2.isInfinite {  // χ²(d₁)/d₁
        return ChiSquared(df: df1).logDensity(x * df1) + log(df1)
      }
      // d₂/χ²(d₂): density d₂/x² · g(d₂/x).
      if x == 0 { return -.infinity }
      return ChiSquared(df: df2).logDensity(df2 / x) + log(df2) - 2 * log(x)
    }
    if x == 0 {
      if df1 < 2 { return .infinity }
      if df1 > 2 { return -.infinity }
      return -SpecialFunctions.logBeta(1, 0.5 * df2) + log(df1 / df2)  // d₁ = 2: f(0) = 1
    }
    let (u, v) = betaArguments(x)
    return logBetaPowerTerm(0.5 * df1, 0.5 * df2, u, v) - log(x)
  }

  /// `P(F ≤ f)`.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The lower-tail probability.
  public func cdf(_ x: Double) -> Double { tails(x).lower }

  /// `P(F > f)`: the p-value of an F statistic, accurate relative however small.
  ///
  /// - Parameter x: Any real number (±∞ allowed).
  /// - Returns: The upper-tail probability.
  public func ccdf(_ x: Double) -> Double { tails(x).upper }

  /// The quantile: the `f` with `P(F ≤ f) = p`.
  ///
  /// - Parameter p: Lower-tail probability in `[0, 1]`.
  /// - Returns: The quantile; 0 at 0 and `+∞` at 1.
  /// - Precondition: `0 ≤ p ≤ 1` (or `NaN`).
  public func quantile(_ p: Double) -> Double {
    checkProbability(p)
    return quantile(lower: p, upper: 1 - p, solveLower: p <= 0.5)
  }

  /// The upper critical value: the `f` with `P(F > f) = q`.
  ///
  /// - Parameter q: Upper-tail probability in `[0, 1]`.
  /// - Returns: The critical value.
  /// - Precondition: `0 ≤ q ≤ 1` (or `NaN`).
  public func quantile(upperTail q: Double) -> Double {
    checkProbability(q)
    return quantile(lower: 1 - q, upper: q, solveLower: q > 0.5)
  }

  // MARK: - Internals

  /// `(d₁x/(d₁x + d₂), d₂/(d₁x + d₂))`, scaled to avoid overflow.
  private func betaArguments(_ x: Double) -> (u: Double, v: Double) {
    let numerator = df1 * x
    if numerator.isInfinite || numerator > 1e300 {
      let r = df2 / df1 / x
      return (1 / (1 + r), r / (1 + r))
    }
    let denominator = numerator + df2
    return (numerator / denominator, df2 / denominator)
  }

  private func tails(_ x: Double) -> (lower: Double, upper: Double) {
    if x.isNaN { return (.nan, .nan) }
    if x <= 0 { return (0, 1) }
    if x.isInfinite { return (1, 0) }
    if df1.isInfinite && df2.isInfinite { return x < 1 ? (0, 1) : (1, 0) }
    if df2.isInfinite {
      let p = incompleteGammaPair(0.5 * df1, 0.5 * df1 * x)
      return (p.lower, p.upper)
    }
    if df1.isInfinite {
      // F ≤ x  ⇔  χ²(d₂) ≥ d₂/x.
      let p = incompleteGammaPair(0.5 * df2, 0.5 * df2 / x)
      return (p.upper, p.lower)
    }
    let (u, v) = betaArguments(x)
    let p = incompleteBetaPair(0.5 * df1, 0.5 * df2, u, v)
    return (p.lower, p.upper)
  }

  private func quantile(lower: Double, upper: Double, solveLower: Bool) -> Double {
    if lower.isNaN || upper.isNaN { return .nan }
    if lower <= 0 { return 0 }
    if upper <= 0 { return .infinity }
    if df1.isInfinite && df2.isInfinite { return 1 }
    if df2.isInfinite {
      let g = inverseIncompleteGamma(0.5 * df1, lower: lower, upper: upper, solveLower: solveLower)
      return 2 * g / df1
    }
    if df1.isInfinite {
      let g = inverseIncompleteGamma(
        0.5 * df2, lower: upper, upper: lower, solveLower: !solveLower)
      return df2 / (2 * g)
    }
    let (u, v) = inverseIncompleteBeta(
      0.5 * df1, 0.5 * df2, lower: lower, upper: upper, solveLower: solveLower)
    if v == 0 { return .infinity }
    return df2 / df1 * (u / v)
  }
}
