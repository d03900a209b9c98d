#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The logarithm of the absolute value of the gamma function, `log |Γ(x)|`.
  ///
  /// Used for normalising constants (`log B(a, b)`, the t and χ² densities) and in the
  /// Poisson sampler. Accurate to a few ulps *relative* everywhere, including near the zeros at
  /// `x = 1` and `x = 2`, where `log Γ` is computed from its Taylor series about 2 rather than as
  /// the logarithm of a rounded `Γ(x)`:
  ///
  ///     log Γ(2 + ε) = (1 − γ) ε + Σ_{k≥2} (−1)^k (ζ(k) − 1)/k · ε^k,   |ε| ≤ ½
  ///     log Γ(1 + ε) = log Γ(2 + ε) − log1p(ε)
  ///     log Γ(x)     = log Γ(x − n) + log((x−1)(x−2)…(x−n))   for 2.5 ≤ x < 10
  ///     log Γ(x)     = (x − ½) log x − x + ½ log 2π + Σ_k B₂ₖ/(2k(2k−1) x^(2k−1))   for x ≥ 10
  ///
  /// and, for `x < 0`, the reflection `log |Γ(x)| = log(π/|sin πx|) − log Γ(1 − x)`
  /// (Abramowitz & Stegun 6.1.17, 6.1.33, 6.1.40; Temme 1996, §3.6).
  ///
  /// - Parameter x: Any real number.
  /// - Returns: `log |Γ(x)|`; `+∞` at `x = 0` and at the negative integers (the poles), and
  ///   for `x` so large that the result overflows; `NaN` for `NaN`.
  public static func logGamma(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x.isInfinite { return .infinity }
    if x <= 0 {
      if x == x.rounded(.down) { return .infinity }  // pole
      let s = abs(sinPi(x))
      // |Γ(x)| = π / (|sin πx| Γ(1 − x)).
      return log(Double.pi / s) - logGamma(1 - x)
    }
    if x < 0.5 {
      // Γ(x) = Γ(1 + x)/x, and log Γ(1 + x) = S(x) − log1p(x) with ε = x exactly.
      return logGammaTwoPlus(x) - log1p(x) - log(x)
    }
    if x < 1.5 { return logGammaTwoPlus(x - 1) - log1p(x - 1) }  // x − 1 exact (Sterbenz)
    if x < 2.5 { return logGammaTwoPlus(x - 2) }  // x − 2 exact
    if x < 10 {
      var y = x
      var product = 1.0
      while y >= 2.5 {
        y -= 1  // exact: y keeps its binary exponent range below 16
        product *= y
      }
      return log(product) + logGammaTwoPlus(y - 2)
    }
    return (x - 0.5) * log(x) - x + logSqrtTwoPi + stirlingCorrection(x)
  }

  /// `log Γ(1 + x)`, accurate also for tiny `|x|` where `Γ(1 + x) ≈ 1`.
  ///
  /// - Parameter x: A real number greater than −1.
  /// - Returns: `log Γ(1 + x)`, with full relative accuracy near 0 and 1.
  static func logGammaOnePlus(_ x: Double) -> Double {
    if abs(x) <= 0.5 { return logGammaTwoPlus(x) - log1p(x) }
    return logGamma(1 + x)
  }
}

/// Taylor coefficients of `log Γ(2 + ε)`.
///
/// Coefficients `(ζ(k) − 1)/k` for k = 2…31 of the Taylor series of `log Γ(2 + ε)`.
/// Computed with 40-digit arithmetic (mpmath `zeta`); the series is alternating in ε.
private let logGammaSeriesCoefficients: [Double] = [
  0.322467033424113218236, 0.0673523010531980951332, 0.020580808427784547879,
  0.00738555102867398526627, 0.00289051033074152328575, 0.00119275391170326097711,
  0.000509669524743042422336, 0.000223154758453579379761, 0.0000994575127818085337146,
  0.0000449262367381331417002, 0.0000205072127756706915532, 0.00000943948827526839590399,
  0.00000437486678990748780418, 0.00000203921575380136623678, 9.55141213040741983286e-7,
  4.49246919876456604329e-7, 2.12071848055546658692e-7, 1.00432248239680996087e-7,
  4.76981016936398056576e-8, 2.27110946089431649103e-8, 1.08386592148969540911e-8,
  5.18347504197004665512e-9, 2.48367454380247831719e-9, 1.19214014058609120744e-9,
  5.73136724167886201333e-10, 2.75952288512423314518e-10, 1.33047643742444894815e-10,
  6.42296456383810002208e-11, 3.10442477473222727624e-11, 1.50213840807541421709e-11,
]

/// `log Γ(2 + ε)` for `|ε| ≤ ½`.
///
/// `log Γ(2 + ε)` for `|ε| ≤ ½` from its Taylor series (Abramowitz & Stegun 6.1.33 shifted by
/// one): `(1 − γ)ε + Σ_{k≥2} (ζ(k) − 1)/k · (−ε)^k`. Horner from the highest term.
func logGammaTwoPlus(_ epsilon: Double) -> Double {
  let oneMinusEulerGamma = 0.422_784_335_098_467_139_393
  var sum = 0.0
  for coefficient in logGammaSeriesCoefficients.reversed() {
    sum = (sum + coefficient) * -epsilon
  }
  // Here sum = Σ_{k≥2} c_k (−ε)^(k−1), so the series is (1 − γ)ε + (−ε)·sum.
  return epsilon * (oneMinusEulerGamma - sum)
}

/// Stirling's correction `δ(x)`.
///
/// Stirling's correction `δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π]` for `x ≥ 10`,
/// from the asymptotic series `Σ_{k=1}^{8} B₂ₖ / (2k(2k−1) x^(2k−1))` (Abramowitz & Stegun
/// 6.1.40); at `x = 10` the first omitted term is below 3·10⁻¹⁷ of `δ`. For `x < 10` the
/// correction is taken as the difference, which is accurate in absolute terms.
func stirlingCorrection(_ x: Double) -> Double {
  if x < 10 {
    return SpecialFunctions.logGamma(x) - ((x - 0.5) * log(x) - x + logSqrtTwoPi)
  }
  let coefficients: [Double] = [
    1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360_360, 1.0 / 156,
    -3617.0 / 122_400,
  ]
  let inverse = 1 / x
  let inverseSquared = inverse * inverse
  var sum = 0.0
  for coefficient in coefficients.reversed() {
    sum = sum * inverseSquared + coefficient
  }
  return sum * inverse
}
