#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The inverse of the regularized incomplete beta function: the `x` with `I_x(a, b) = p`
  /// (`tail: .lower`) or `1 − I_x(a, b) = p` (`tail: .upper`).
  ///
  /// This is the Beta(a, b) quantile; the t and F quantiles are built on it. The solution is
  /// sought in whichever of `x` and `1 − x` is below ½ (decided by evaluating `I_½(a, b)`), so
  /// both are returned accurately, and matched in the requested tail. Starting values are those
  /// of Press et al. (2007, §6.14.10; after Abramowitz & Stegun 26.5.22), or `x ≈ (p a B(a,b))^(1/a)`
  /// in the far lower tail; then safeguarded Newton steps on the log-probability in `log x`
  /// until the relative change is below 1e-15.
  ///
  /// - Parameters:
  ///   - p: Probability in `[0, 1]`.
  ///   - a: First shape, `a > 0`.
  ///   - b: Second shape, `b > 0`.
  ///   - tail: Which tail `p` is.
  /// - Returns: `x` in `[0, 1]`.
  /// - Precondition: `0 ≤ p ≤ 1`, `a > 0`, `b > 0`.
  public static func inverseRegularizedIncompleteBeta(
    _ p: Double, a: Double, b: Double, tail: Tail = .lower
  ) -> Double {
    if a.isNaN || b.isNaN || p.isNaN { return .nan }
    precondition(a > 0 && b > 0, "shapes must be positive")
    precondition(p >= 0 && p <= 1, "probability must lie in [0, 1]")
    let lowerP = tail == .lower ? p : 1 - p
    let upperP = tail == .lower ? 1 - p : p
    return inverseIncompleteBeta(a, b, lower: lowerP, upper: upperP, solveLower: tail == .lower).x
  }
}

/// The pair `(x, y = 1 − x)` with `I_x(a, b) = lower`, `1 − I_x(a, b) = upper`, matched in the
/// tail named by `solveLower`; both coordinates keep full relative accuracy.
func inverseIncompleteBeta(
  _ a: Double, _ b: Double, lower: Double, upper: Double, solveLower: Bool
) -> (x: Double, y: Double) {
  if lower <= 0 { return (0, 1) }
  if upper <= 0 { return (1, 0) }
  let middle = incompleteBetaPair(a, b, 0.5, 0.5)
  let solutionBelowHalf = solveLower ? lower <= middle.lower : upper >= middle.upper
  if !solutionBelowHalf {
    // Solve for y = 1 − x ≤ ½ in the mirrored problem: I_y(b, a) = upper.
    let mirrored = inverseIncompleteBetaBelowHalf(
      b, a, lower: upper, upper: lower, solveLower: !solveLower)
    return (mirrored.y, mirrored.x)
  }
  return inverseIncompleteBetaBelowHalf(a, b, lower: lower, upper: upper, solveLower: solveLower)
}

/// As `inverseIncompleteBeta` when the solution is known to satisfy `x ≤ ½`.
private func inverseIncompleteBetaBelowHalf(
  _ a: Double, _ b: Double, lower: Double, upper: Double, solveLower: Bool
) -> (x: Double, y: Double) {
  var start = initialIncompleteBetaGuess(a, b, lower: lower, upper: upper)
  if !(start > 0 && start < 0.5) { start = 0.25 }
  let logTarget = log(solveLower ? lower : upper)
  let x = solveIncreasingInLogSpace(initial: start, lower: 0, upper: 0.5) { x in
    let y = 1 - x
    let (l, u) = incompleteBetaPair(a, b, x, y)
    let logKernel = logBetaPowerTerm(a, b, x, y) - log(y)  // x·density
    if solveLower {
      return (log(l) - logTarget, exp(logKernel - log(l)))
    }
    return (logTarget - log(u), exp(logKernel - log(u)))
  }
  return (x, 1 - x)
}

/// A starting value for the beta quantile.
///
/// Starting value for the beta quantile (Press et al. 2007, `invbetai`, after A&S 26.5.22),
/// replaced by the leading term of the lower-tail expansion when that is smaller.
private func initialIncompleteBetaGuess(_ a: Double, _ b: Double, lower: Double, upper: Double)
  -> Double
{
  var guess: Double
  if a >= 1 && b >= 1 {
    let z =
      lower <= upper
      ? standardNormalQuantile(lower: lower) : -standardNormalQuantile(lower: upper)
    let al = (z * z - 3) / 6
    let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
    let w =
      z * (al + h).squareRoot() / h - (1 / (2 * b - 1) - 1 / (2 * a - 1))
      * (al + 5.0 / 6 - 2 / (3 * h))
    guess = a / (a + b * exp(2 * w))
  } else {
    let logA = log(a / (a + b))
    let logB = log(b / (a + b))
    let t = exp(a * logA) / a
    let u = exp(b * logB) / b
    let w = t + u
    if lower < t / w {
      guess = pow(a * w * lower, 1 / a)
    } else {
      guess = 1 - pow(b * w * upper, 1 / b)
    }
  }
  let leadingTerm = exp((log(lower) + log(a) + SpecialFunctions.logBeta(a, b)) / a)
  if leadingTerm < guess || !guess.isFinite { guess = leadingTerm }
  return guess
}
