#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The logarithm of the beta function, `log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)`.
  ///
  /// `B(a, b)` normalises the beta, t and F densities. Summing three `logGamma` values would
  /// lose absolute accuracy when the arguments are large (each term is ≈ a log a, while the
  /// result may be small), so with `p = min(a, b)`, `q = max(a, b)` and Stirling's correction
  /// `δ` (Abramowitz & Stegun 6.1.40):
  ///
  ///     p ≥ 10:        log B = ½ log 2π − ½ log q + (p − ½) log(p/(p+q)) + q log1p(−p/(p+q))
  ///                            + δ(p) + δ(q) − δ(p+q)
  ///     p < 10 ≤ q:    log B = log Γ(p) − (q − ½) log1p(p/q) − p log(p+q) + p + δ(q) − δ(p+q)
  ///     otherwise:     log Γ(p) + log Γ(q) − log Γ(p+q)
  ///
  /// (the device of DiDonato & Morris 1992, ACM TOMS 18(3), functions `betaln` and `algdiv`).
  ///
  /// - Parameters:
  ///   - a: First shape, `a > 0`.
  ///   - b: Second shape, `b > 0`.
  /// - Returns: `log B(a, b)`; `+∞` if either argument is 0; `−∞` if either is `+∞` and the
  ///   other finite; `NaN` for `NaN` or negative arguments.
  public static func logBeta(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN || a < 0 || b < 0 { return .nan }
    if a == 0 || b == 0 { return .infinity }
    let p = min(a, b)
    let q = max(a, b)
    if q.isInfinite { return -.infinity }
    if p >= 10 {
      let correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
      let ratio = p / (p + q)
      return logSqrtTwoPi - 0.5 * log(q) + (p - 0.5) * log(ratio) + q * log1p(-ratio)
        + correction
    }
    if q >= 10 {
      return logGamma(p) + logGammaRatio(q, p)
    }
    return logGamma(p) + logGamma(q) - logGamma(p + q)
  }

  /// `log Γ(q) − log Γ(q + p)` for `q ≥ 10`, `p > 0`, without the cancellation of subtracting
  /// two large log-gammas (DiDonato & Morris 1992, `algdiv`).
  ///
  ///     log Γ(q) − log Γ(q + p) = −(q − ½) log1p(p/q) − p log(q + p) + p + δ(q) − δ(q + p)
  static func logGammaRatio(_ q: Double, _ p: Double) -> Double {
    let s = q + p
    let correction = stirlingCorrection(q) - stirlingCorrection(s)
    // −(q − ½)·log1p(t) + p = −(q − ½)·(log1p(t) − t) + t/2 with t = p/q: the large −p and
    // +p cancel analytically instead of in floating point.
    let t = p / q
    return -(q - 0.5) * log1pmx(t) - p * log(s) + 0.5 * t + correction
  }
}
