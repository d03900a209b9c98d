#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The regularized incomplete gamma function in the requested tail: `P(a, x)` (lower) or
  /// `Q(a, x) = 1 − P(a, x)` (upper).
  ///
  /// `P(a, x)` is the cdf of a Gamma(shape `a`, scale 1) variable at `x`; the χ² cdf with `k`
  /// degrees of freedom is `P(k/2, x/2)`. Both tails are computed directly:
  ///
  ///     P(a, x) = γ(a, x)/Γ(a) = x^a e^(−x)/Γ(a+1) · Σ_{n≥0} x^n / ((a+1)…(a+n))      (x < a + 1)
  ///     Q(a, x) = Γ(a, x)/Γ(a) = x^a e^(−x)/Γ(a) · 1/(x+1−a − 1(1−a)/(x+3−a − …))     (x ≥ a + 1)
  ///
  /// (Abramowitz & Stegun 6.5.29 and 6.5.31; the fraction evaluated by the modified Lentz
  /// method, Press et al. 2007 §6.2), and for `a < 1`, `x < 1.1`, where `Q` is small compared
  /// with `P`, from `Q = −u − (1+u)(S − 1)` with `u = x^a/Γ(1+a) − 1` and
  /// `S = a Σ (−x)^n/(n!(a+n))` (DiDonato & Morris 1986, eq. 15). The prefactor is formed about
  /// the mode for large `a` (see `logGammaPowerTerm`).
  ///
  /// - Parameters:
  ///   - a: Shape, `a > 0`.
  ///   - x: Argument, `x ≥ 0` (`+∞` allowed).
  ///   - tail: `.lower` for `P(a, x)`, `.upper` for `Q(a, x)`.
  /// - Returns: The probability, with close to full relative accuracy in either tail.
  /// - Complexity: O(1 + √a) terms near the mode, fewer away from it.
  public static func regularizedGamma(_ a: Double, _ x: Double, tail: Tail = .lower) -> Double {
    let (lower, upper) = incompleteGammaPair(a, x)
    return tail == .lower ? lower : upper
  }
}

/// Both tails `(P(a, x), Q(a, x))`, each computed so that the smaller one is accurate.
func incompleteGammaPair(_ a: Double, _ x: Double) -> (lower: Double, upper: Double) {
  if a.isNaN || x.isNaN || a < 0 || x < 0 { return (.nan, .nan) }
  if x == 0 { return (0, 1) }
  if x.isInfinite { return (1, 0) }
  if a == 0 { return (1, 0) }
  if a.isInfinite { return (0, 1) }
  if a < 1 && x < 1.1 {
    return incompleteGammaSmallShape(a, x)
  }
  if x < a + 1 {
    let p = incompleteGammaSeries(a, x)
    return (p, 1 - p)
  }
  let q = incompleteGammaContinuedFraction(a, x)
  return (1 - q, q)
}

/// `P(a, x)` from the power series, each term `x/(a+n)` times the last; all terms positive.
private func incompleteGammaSeries(_ a: Double, _ x: Double) -> Double {
  let logPrefactor = logGammaPowerTerm(a, x) - log(a)  // x^a e^(−x)/Γ(a+1)
  if logPrefactor < -745.2 { return 0 }
  var term = 1.0
  var sum = 1.0
  var n = 1.0
  while n < 1e7 {
    term *= x / (a + n)
    sum += term
    if term <= sum * 1e-17 { break }
    n += 1
  }
  return exp(logPrefactor) * sum
}

/// `Q(a, x)` from Legendre's continued fraction, evaluated by the modified Lentz method.
private func incompleteGammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
  let logPrefactor = logGammaPowerTerm(a, x)
  if logPrefactor < -745.2 { return 0 }
  let tiny = 1e-300
  var b = x + 1 - a
  var c = 1 / tiny
  var d = 1 / b
  var h = d
  var i = 1.0
  while i < 1e7 {
    let an = -i * (i - a)
    b += 2
    d = an * d + b
    if abs(d) < tiny { d = tiny }
    c = b + an / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) <= 1e-16 { break }
    i += 1
  }
  return exp(logPrefactor) * h
}

/// Both incomplete gamma tails for small shapes and arguments.
///
/// Both tails for `a < 1`, `x < 1.1` (DiDonato & Morris 1986, eq. 15): `P` from its series and
/// `Q = −u − (1 + u)(S − 1)`, `u = x^a/Γ(1+a) − 1`, `S − 1 = a Σ_{n≥1} (−x)^n/(n!(a+n))`.
private func incompleteGammaSmallShape(_ a: Double, _ x: Double) -> (lower: Double, upper: Double) {
  var term = 1.0
  var sum = 0.0
  var n = 1.0
  while n < 200 {
    term *= -x / n
    let contribution = term / (a + n)
    sum += contribution
    if abs(contribution) <= 1e-17 * abs(sum) { break }
    n += 1
  }
  let sMinusOne = a * sum
  let logLeading = a * log(x) - SpecialFunctions.logGammaOnePlus(a)  // log(x^a/Γ(1+a))
  let u = expm1(logLeading)
  let q = -u - (1 + u) * sMinusOne
  let p = exp(logLeading) * (1 + sMinusOne)  // not (1 + u): that loses P when P is tiny
  return (p, q)
}
