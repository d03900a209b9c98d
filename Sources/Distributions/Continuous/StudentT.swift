#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Student's t distribution with `ν` degrees of freedom (any real `ν > 0`, including the
/// non-integer df of Satterthwaite and Kenward–Roger, and `ν = ∞`, the standard normal).
///
/// The reference distribution of t-tests for fixed effects and contrasts.
///
///     f(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν B(ν/2, ½))
///     P(T ≤ t) = ½ I_{ν/(ν+t²)}(ν/2, ½)          for t ≤ 0
///     P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½)
///
/// (Abramowitz & Stegun 26.7.1). `ν/(ν+t²)` and `t²/(ν+t²)` are both formed directly and
/// handed to the incomplete beta together, so neither tail suffers cancellation; large `ν`
/// (10⁶ and beyond) is handled by the incomplete beta's large-shape expansion, with no switch
/// to a normal approximation. Quantiles invert the incomplete beta (see
/// `SpecialFunctions.inverseRegularizedIncompleteBeta(_:a:b:tail:)`); `ν = 1` and `ν = 2`
/// use their closed forms.
///
/// Invariant: `df > 0` (possibly `+∞`). Created by callers, typically with a df from the
/// Satterthwaite or Kenward–Roger approximation.
public struct StudentT: ContinuousDistribution, Hashable {
  /// The degrees of freedom `ν`.
  public let df: Double

  /// Creates a t distribution with `df` degrees of freedom.
  ///
  /// - Parameter df: Degrees of freedom, `> 0`; `.infinity` gives the standard normal.
  /// - Precondition: `df > 0` (not `NaN`).
  public init(df: Double) {
    precondition(df > 0, "StudentT df must be positive, got \(df)")
    self.df = df
  }

  /// 0 for `ν > 1`; undefined (`NaN`) otherwise.
  public var mean: Double { df > 1 ? 0 : .nan }

  /// `ν/(ν − 2)` for `ν > 2`, `+∞` for `1 < ν ≤ 2`, `NaN` for `ν ≤ 1`.
  public var variance: Double {
    if df.isInfinite { return 1 }
    if df > 2 { return df / (df - 2) }
    return df > 1 ? .infinity : .nan
  }

  /// The density; see the type's discussion.
  ///
  /// - Parameter t: Any real number.
  /// - Returns: The density.
  public func density(_ t: Double) -> Double { exp(logDensity(t)) }

  /// `−(ν+1)/2 · log1p(t²/ν) − ½ log ν − log B(ν/2, ½)`.
  ///
  /// - Parameter t: Any real number.
  /// - Returns: The log density.
  public func logDensity(_ t: Double) -> Double {
    if df.isInfinite { return Normal.standard.logDensity(t) }
    if t.isInfinite { return -.infinity }
    return -0.5 * (df + 1) * log1p(t * t / df) - 0.5 * log(df)
      - SpecialFunctions.logBeta(0.5 * df, 0.5)
  }

  /// `P(T ≤ t)`.
  ///
  /// - Parameter t: Any real number (±∞ allowed).
  /// - Returns: The lower-tail probability.
  public func cdf(_ t: Double) -> Double { tails(t).lower }

  /// `P(T > t)`, computed directly (the one-sided p-value for an upper alternative).
  ///
  /// - Parameter t: Any real number (±∞ allowed).
  /// - Returns: The upper-tail probability.
  public func ccdf(_ t: Double) -> Double { tails(t).upper }

  /// The two-sided p-value `P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½)` of a t statistic, computed
  /// as one incomplete beta (not as twice a tail), accurate in relative terms however small.
  ///
  /// - Parameter t: The observed statistic.
  /// - Returns: A probability in `[0, 1]`; `NaN` for `NaN`.
  public func twoSidedPValue(t: Double) -> Double {
    if t.isNaN { return .nan }
    if df.isInfinite { return Normal.twoSidedPValue(z: t) }
    if abs(t) > 1e150 { return 2 * tails(-abs(t)).lower }
    let (x, y) = betaArguments(t)
    return incompleteBetaPair(0.5 * df, 0.5, x, y).lower
  }

  /// The quantile: the `t` with `P(T ≤ t) = p`.
  ///
  /// - Parameter p: Lower-tail probability in `[0, 1]`.
  /// - Returns: The quantile; `∓∞` at 0 and 1.
  /// - Precondition: `0 ≤ p ≤ 1` (or `NaN`).
  public func quantile(_ p: Double) -> Double {
    checkProbability(p)
    if p > 0.5 { return -lowerQuantile(1 - p) }  // 1 − p is exact for p ≥ ½
    return lowerQuantile(p)
  }

  /// The upper critical value: the `t` with `P(T > t) = q`, for example `quantile(upperTail: 0.025)`
  /// for a 95% interval.
  ///
  /// - Parameter q: Upper-tail probability in `[0, 1]`.
  /// - Returns: The critical value.
  /// - Precondition: `0 ≤ q ≤ 1` (or `NaN`).
  public func quantile(upperTail q: Double) -> Double {
    checkProbability(q)
    return -quantile(q)
  }

  // MARK: - Internals

  /// `(ν/(ν+t²), t²/(ν+t²))`, each formed without cancellation or overflow.
  private func betaArguments(_ t: Double) -> (x: Double, y: Double) {
    let magnitude = abs(t)
    if magnitude > 1e150 {
      let r = df / magnitude / magnitude
      return (r / (1 + r), 1 / (1 + r))
    }
    let t2 = magnitude * magnitude
    let denominator = df + t2
    return (df / denominator, t2 / denominator)
  }

  /// Both tails at `t`.
  private func tails(_ t: Double) -> (lower: Double, upper: Double) {
    if t.isNaN { return (.nan, .nan) }
    if df.isInfinite {
      let normal = Normal.standard
      return (normal.cdf(t), normal.ccdf(t))
    }
    if t == 0 { return (0.5, 0.5) }
    if abs(t) > 1e150 {
      // ν/(ν+t²) may underflow; the tail is the leading term x^(ν/2)/((ν/2) B(ν/2, ½)) / 2
      // with log x = log ν − 2 log|t| (the series' next term is O(x)).
      let a = 0.5 * df
      let logX = log(df) - 2 * log(abs(t))
      let far = 0.5 * exp(a * logX - log(a) - SpecialFunctions.logBeta(a, 0.5))
      return t < 0 ? (far, 1 - far) : (1 - far, far)
    }
    let (x, y) = betaArguments(t)
    let (twoSided, central) = incompleteBetaPair(0.5 * df, 0.5, x, y)
    let far = 0.5 * twoSided  // P(T ≤ −|t|)
    let near = 0.5 + 0.5 * central  // P(T ≤ |t|)
    return t < 0 ? (far, near) : (near, far)
  }

  /// The quantile for `p ≤ ½` (so the result is ≤ 0).
  private func lowerQuantile(_ p: Double) -> Double {
    if p.isNaN { return .nan }
    if p == 0 { return -.infinity }
    if p == 0.5 { return 0 }
    if df.isInfinite { return standardNormalQuantile(lower: p) }
    if df == 1 {
      // Cauchy: t = −cot(πp).
      return -cos(Double.pi * p) / sinPi(p)
    }
    if df == 2 {
      // t = (2p − 1)/√(2p(1 − p)).
      return (2 * p - 1) / (2 * p * (1 - p)).squareRoot()
    }
    // Solve I_x(ν/2, ½) = 2p, the two-sided tail; 1 − 2p is exact for p ≥ ¼, so match in
    // whichever of the two is smaller.
    let (x, y) = inverseIncompleteBeta(
      0.5 * df, 0.5, lower: 2 * p, upper: 1 - 2 * p, solveLower: p < 0.25)
    if x == 0 { return -.infinity }
    return -(df.squareRoot() * y.squareRoot() / x.squareRoot())
  }
}
