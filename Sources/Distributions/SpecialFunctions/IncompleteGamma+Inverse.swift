#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The inverse of the regularized incomplete gamma function: the `x` with `P(a, x) = p`
  /// (`tail: .lower`) or `Q(a, x) = p` (`tail: .upper`).
  ///
  /// This is the Gamma(a, 1) quantile; the χ² quantile with `k` degrees of freedom is
  /// `2·inverseRegularizedGamma(k/2, p)`. Starts from the Wilson–Hilferty approximation
  /// (`x ≈ a(1 − 1/(9a) + z/(3√a))³`, Johnson, Kotz & Balakrishnan 1994, eq. 18.24) or, in the
  /// lower tail of small shapes, from `x ≈ (p Γ(a+1))^(1/a)`; then Newton steps on
  /// `log P(a, x) − log p` (or the upper-tail analogue) in `log x`, safeguarded by bisection,
  /// until the relative change is below 1e-15. Working with the requested tail keeps upper-tail
  /// quantiles accurate for `p` down to the smallest doubles.
  ///
  /// - Parameters:
  ///   - a: Shape, `a > 0`.
  ///   - p: Probability in `[0, 1]`.
  ///   - tail: Which tail `p` is.
  /// - Returns: `x ≥ 0`; `0` and `+∞` at the ends; `NaN` for `NaN` input.
  /// - Precondition: `0 ≤ p ≤ 1` and `a > 0`.
  public static func inverseRegularizedGamma(_ a: Double, _ p: Double, tail: Tail = .lower)
    -> Double
  {
    if a.isNaN || p.isNaN { return .nan }
    precondition(a > 0, "shape must be positive")
    precondition(p >= 0 && p <= 1, "probability must lie in [0, 1]")
    let lowerP = tail == .lower ? p : 1 - p
    let upperP = tail == .lower ? 1 - p : p
    return inverseIncompleteGamma(a, lower: lowerP, upper: upperP, solveLower: tail == .lower)
  }
}

/// The `x` with `P(a, x) = lower` (equivalently `Q(a, x) = upper`), matching in the tail named
/// by `solveLower` (the one the caller gave exactly).
func inverseIncompleteGamma(_ a: Double, lower: Double, upper: Double, solveLower: Bool)
  -> Double
{
  if lower <= 0 { return 0 }
  if upper <= 0 { return .infinity }
  let target = solveLower ? lower : upper
  let logTarget = log(target)
  // Starting point.
  let z =
    solveLower
    ? standardNormalQuantile(lower: lower) : -standardNormalQuantile(lower: upper)
  let c = 1 / (9 * a)
  let wilsonHilferty = a * pow(1 - c + z * c.squareRoot(), 3)
  var start = wilsonHilferty
  let powerGuess = exp((log(lower) + SpecialFunctions.logGammaOnePlus(a)) / a)
  if !(start > 0) || (lower < 0.1 && a < 1) || (solveLower && powerGuess < 0.5 * start) {
    start = powerGuess
  }
  if !(start > 0) || !start.isFinite { start = a }
  return solveIncreasingInLogSpace(initial: start, lower: 0, upper: .infinity) { x in
    let (p, q) = incompleteGammaPair(a, x)
    let logKernel = logGammaPowerTerm(a, x)  // x·density
    if solveLower {
      return (log(p) - logTarget, exp(logKernel - log(p)))
    }
    return (logTarget - log(q), exp(logKernel - log(q)))
  }
}
