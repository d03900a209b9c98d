#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// MARK: - Gamma power term

/// `log(x^a e^(−x) / Γ(a))`, the log of the factor in front of the incomplete gamma series and
/// continued fraction (and `x` times the gamma density).
///
/// For `a ≥ 10` it is written about the mode (Temme 1996, §11.2; DiDonato & Morris 1986,
/// `rcomp`), so that no large terms cancel:
///
///     log(x^a e^(−x)/Γ(a)) = a·log1pmx((x − a)/a) + ½ log(a/2π) − δ(a)
///
/// with `δ` Stirling's correction; otherwise `a log x − x − log Γ(a)`.
func logGammaPowerTerm(_ a: Double, _ x: Double) -> Double {
  if x == 0 { return -.infinity }
  if x.isInfinite { return -.infinity }
  if a >= 10 {
    // a·(log λ − (λ − 1)) with λ = x/a; log1pmx of (x − a)/a near the mode, log(x/a) away from
    // it (where forming 1 + (x − a)/a would lose x's digits).
    let mu = (x - a) / a
    let exponent = abs(mu) <= 0.5 ? a * log1pmx(mu) : a * log(x / a) - (x - a)
    return exponent + 0.5 * log(a) - logSqrtTwoPi - stirlingCorrection(a)
  }
  if a < 1 {
    // log Γ(a) = log Γ(1 + a) − log a keeps full accuracy for tiny a.
    return a * log(x) - x - SpecialFunctions.logGammaOnePlus(a) + log(a)
  }
  return a * log(x) - x - SpecialFunctions.logGamma(a)
}

/// `x^a e^(−x) / Γ(a)`; see `logGammaPowerTerm`.
func gammaPowerTerm(_ a: Double, _ x: Double) -> Double {
  exp(logGammaPowerTerm(a, x))
}

// MARK: - Beta power term

/// `log(x^a y^b / B(a, b))` with `y = 1 − x` supplied separately (so that neither is formed by
/// cancellation), the factor in front of the incomplete beta series and continued fraction.
///
/// For `a, b ≥ 10` it is written about the mean `x₀ = a/(a+b)` (DiDonato & Morris 1992,
/// `brcomp`): with `λ = a − (a+b)x`, `e₁ = −λ/a = x/x₀ − 1`, `e₂ = λ/b = y/y₀ − 1`,
///
///     log(x^a y^b/B) = ½ log(b x₀/2π) − δ(a) − δ(b) + δ(a+b)
///                      + a·log1pmx(e₁) + b·log1pmx(e₂)        (the a e₁ + b e₂ = 0 terms dropped)
///
/// so the result keeps full relative accuracy near the mean even for huge shapes. Otherwise the
/// logarithms are summed directly, using `log1p` for whichever of `x`, `y` is near 1.
func logBetaPowerTerm(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
  if x <= 0 || y <= 0 { return -.infinity }
  if min(a, b) >= 10 {
    let lambda: Double
    let x0: Double
    let y0: Double
    if a > b {
      let h = b / a
      x0 = 1 / (1 + h)
      y0 = h / (1 + h)
      lambda = (a + b) * y - b
    } else {
      let h = a / b
      x0 = h / (1 + h)
      y0 = 1 / (1 + h)
      lambda = a - (a + b) * x
    }
    let e1 = -lambda / a
    let e2 = lambda / b
    // a·log(x/x₀) + b·log(y/y₀) = a·(log(1+e₁) − e₁) + b·(log(1+e₂) − e₂) since a e₁ + b e₂ = 0;
    // each bracket from log1pmx near 0, else from the ratio x/x₀ (or y/y₀), which stays
    // accurate when e is near −1 where 1 + e would not.
    let termA = abs(e1) <= 0.6 ? a * log1pmx(e1) : a * (log(x / x0) - e1)
    let termB = abs(e2) <= 0.6 ? b * log1pmx(e2) : b * (log(y / y0) - e2)
    let exponent = termA + termB
    let correction = stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(a + b)
    return 0.5 * log(b * x0) - logSqrtTwoPi - correction + exponent
  }
  let logX = x <= y ? log(x) : log1p(-y)
  let logY = y <= x ? log(y) : log1p(-x)
  return a * logX + b * logY - SpecialFunctions.logBeta(a, b)
}

/// `x^a y^b / B(a, b)`; see `logBetaPowerTerm`.
func betaPowerTerm(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
  exp(logBetaPowerTerm(a, b, x, y))
}
