import Distributions

/// The single-step ("Dunnett-style") multiplicity adjustment of a family of t statistics by
/// their joint multivariate t distribution, as emmeans' `adjust = "mvt"`.
///
/// The t statistics `T_k = (l_kᵀβ̂ − l_kᵀβ)/SE_k` of one family share the estimated covariance
/// of `β̂`, so they are jointly multivariate t with correlation `R_jk = l_jᵀ C l_k /
/// (SE_j SE_k)` (`C` the covariance used for the SEs: Φ_A under Kenward–Roger). The adjusted
/// p-value and the simultaneous critical value are
///
///     p̃_j = 1 − P(max_k |T_k| < |t_j|),     P(max_k |T_k| ≤ c) = level
///
/// (Hothorn, Bretz & Westfall 2008, Biometrical Journal 50:346–363; for treatment-versus-control
/// families this is Dunnett's (1955) test). Probabilities come from `MultivariateT` (Genz and
/// Bretz's algorithm, deterministic quasi-Monte Carlo, absolute error about 1e-5).
///
/// Degrees of freedom follow emmeans (1.8): each contrast's p-value uses that contrast's own df
/// for the whole family, and the df is made an integer as emmeans does for mvtnorm,
/// `⌊max(1, ν) + 0.25⌋`, with `ν > 9999` or `ν = ∞` taken as the normal. When the df of a
/// family are all equal there is one critical value for it; otherwise each contrast gets the
/// critical value for its own df. A family of one contrast is not adjusted.
public enum SingleStepAdjustment {
  /// emmeans' df for the multivariate t: `⌊max(1, ν) + 0.25⌋`, `∞` beyond 9999.
  ///
  /// - Parameter df: A contrast's df (Satterthwaite, Kenward–Roger, residual…).
  /// - Returns: The integer df used (as a `Double`), or `.infinity`.
  public static func degreesOfFreedom(_ df: Double) -> Double {
    if df.isNaN { return .infinity }
    let d = max(1, df)
    if d.isInfinite || d > 9999 { return .infinity }
    return (d + 0.25).rounded(.down)
  }

  /// Adjusted p-values `1 − P(max_k |T_k| < |t_j|)`, one per statistic.
  ///
  /// - Parameters:
  ///   - t: The family's t statistics.
  ///   - df: Their df (each made an integer by `degreesOfFreedom(_:)`).
  ///   - correlation: The correlation matrix of the statistics.
  ///   - accuracy: The integration's target error.
  /// - Returns: Adjusted p-values in `[0, 1]`, in input order; `NaN` for a `NaN` statistic.
  /// - Precondition: `t`, `df` and `correlation` have one entry (row) per statistic.
  public static func adjustedPValues(
    t: [Double], df: [Double], correlation: [[Double]],
    accuracy: MultivariateT.Accuracy = .standard
  ) -> [Double] {
    precondition(t.count == df.count && t.count == correlation.count, "one df and row per t")
    if t.count == 1 {
      return [df[0] > 0 ? StudentT(df: df[0]).twoSidedPValue(t: t[0]) : .nan]
    }
    let cleaned = clean(correlation)
    var cache: [Pair: Double] = [:]
    return zip(t, df).map { statistic, nu in
      if statistic.isNaN { return .nan }
      let key = Pair(a: abs(statistic), b: degreesOfFreedom(nu))
      if let cached = cache[key] { return cached }
      let limit = [Double](repeating: key.a, count: t.count)
      let p = MultivariateT(correlation: cleaned, df: key.b)
        .probability(lower: limit.map { -$0 }, upper: limit, accuracy: accuracy)
      let adjusted = min(1, max(0, 1 - p.value))
      cache[key] = adjusted
      return adjusted
    }
  }

  /// Simultaneous critical values `c` with `P(max_k |T_k| ≤ c) = level`, one per statistic.
  ///
  /// - Parameters:
  ///   - df: The family's df (each made an integer by `degreesOfFreedom(_:)`).
  ///   - correlation: The correlation matrix of the statistics.
  ///   - level: The simultaneous coverage, such as 0.95.
  ///   - accuracy: The integration's target error.
  /// - Returns: One critical value per statistic (all equal when the df are).
  public static func criticalValues(
    df: [Double], correlation: [[Double]], level: Double = 0.95,
    accuracy: MultivariateT.Accuracy = .standard
  ) -> [Double] {
    precondition(df.count == correlation.count, "one df per row")
    if df.count == 1 {
      return [df[0] > 0 ? StudentT(df: df[0]).quantile(upperTail: (1 - level) / 2) : .nan]
    }
    let cleaned = clean(correlation)
    var cache: [Double: Double] = [:]
    return df.map { nu in
      let d = degreesOfFreedom(nu)
      if let cached = cache[d] { return cached }
      let c = MultivariateT(correlation: cleaned, df: d)
        .twoSidedEquicoordinateQuantile(level: level, accuracy: accuracy).value
      cache[d] = c
      return c
    }
  }

  /// Symmetrises and sets a unit diagonal (rounding in `cov2cor`).
  private static func clean(_ r: [[Double]]) -> [[Double]] {
    var cleaned = r
    for i in r.indices {
      for j in r.indices {
        let mean: Double = 0.5 * (r[i][j] + r[j][i])
        cleaned[i][j] = i == j ? 1 : Swift.max(-1.0, Swift.min(1.0, mean))
      }
    }
    return cleaned
  }

  private struct Pair: Hashable {
    let a: Double
    let b: Double
  }
}
