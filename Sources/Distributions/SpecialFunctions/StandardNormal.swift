#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension SpecialFunctions {
  /// The error function `erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt`, from the C library (correctly
  /// rounded to within an ulp or two on glibc and Darwin).
  ///
  /// - Parameter x: Any real number.
  /// - Returns: `erf(x)` in `[−1, 1]`.
  public static func erf(_ x: Double) -> Double {
    #if canImport(Darwin)
      return Darwin.erf(x)
    #elseif canImport(Glibc)
      return Glibc.erf(x)
    #else
      return Musl.erf(x)
    #endif
  }

  /// The complementary error function `erfc(x) = 1 − erf(x)`, accurate in relative terms for
  /// large positive `x` (where `1 − erf(x)` would round to 0), from the C library.
  ///
  /// - Parameter x: Any real number.
  /// - Returns: `erfc(x)` in `[0, 2]`.
  public static func erfc(_ x: Double) -> Double {
    #if canImport(Darwin)
      return Darwin.erfc(x)
    #elseif canImport(Glibc)
      return Glibc.erfc(x)
    #else
      return Musl.erfc(x)
    #endif
  }
}

// MARK: - Standard normal cdf (Cody)

/// Cody's `ANORM` coefficients.
///
/// Coefficients of W. J. Cody's near-minimax rational approximations for the normal
/// distribution function (`ANORM`, SPECFUN, ACM TOMS Algorithm 715, 1993; derived from Cody,
/// "Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969).
private enum Cody {
  static let a = [
    2.2352520354606839287e00, 1.6102823106855587881e02, 1.0676894854603709582e03,
    1.8154981253343561249e04, 6.5682337918207449113e-2,
  ]
  static let b = [
    4.7202581904688241870e01, 9.7609855173777669322e02, 1.0260932208618978205e04,
    4.5507789335026729956e04,
  ]
  static let c = [
    3.9894151208813466764e-1, 8.8831497943883759412e00, 9.3506656132177855979e01,
    5.9727027639480026226e02, 2.4945375852903726711e03, 6.8481904505362823326e03,
    1.1602651437647350124e04, 9.8427148383839780218e03, 1.0765576773720192317e-8,
  ]
  static let d = [
    2.2266688044328115691e01, 2.3538790178262499861e02, 1.5193775994075548050e03,
    6.4855582982667607550e03, 1.8615571640885098091e04, 3.4900952721145977266e04,
    3.8912003286093271411e04, 1.9685429676859990727e04,
  ]
  static let p = [
    2.1589853405795699e-1, 1.274011611602473639e-1, 2.2235277870649807e-2,
    1.421619193227893466e-3, 2.9112874951168792e-5, 2.307344176494017303e-2,
  ]
  static let q = [
    1.28426009614491121e00, 4.68238212480865118e-1, 6.59881378689285515e-2,
    3.78239633202758244e-3, 7.29751555083966205e-5,
  ]
}

/// `Φ(x)`, the standard normal lower tail, accurate in relative terms for all `x` down to the
/// underflow limit (about −38.5); the upper tail is `Φ(−x)`.
///
/// Three ranges (Cody 1993, `ANORM`): `|x| ≤ 0.66291`, `Φ = ½ + x R₁(x²)`; `|x| ≤ √32`,
/// `Φ(−|x|) = e^(−x²/2) R₂(|x|)`; beyond, `Φ(−|x|) = e^(−x²/2)/|x| · (1/√(2π) − R₃(1/x²)/x²)`.
/// `e^(−x²/2)` is evaluated as `e^(−s²/2) e^(−(x−s)(x+s)/2)` with `s = ⌊16x⌋/16`, so that the
/// rounding of `x²` does not cost relative accuracy in the far tail.
func standardNormalLowerTail(_ x: Double) -> Double {
  if x.isNaN { return .nan }
  let y = abs(x)
  if y <= 0.66291 {
    let xsq = y > 1.1e-16 ? x * x : 0
    var numerator = Cody.a[4] * xsq
    var denominator = xsq
    for i in 0..<3 {
      numerator = (numerator + Cody.a[i]) * xsq
      denominator = (denominator + Cody.b[i]) * xsq
    }
    return 0.5 + x * (numerator + Cody.a[3]) / (denominator + Cody.b[3])
  }
  var tail: Double  // Φ(−|x|)
  if y <= 32.0.squareRoot() {
    var numerator = Cody.c[8] * y
    var denominator = y
    for i in 0..<7 {
      numerator = (numerator + Cody.c[i]) * y
      denominator = (denominator + Cody.d[i]) * y
    }
    tail = (numerator + Cody.c[7]) / (denominator + Cody.d[7])
  } else {
    if y > 40 { return x > 0 ? 1 : 0 }
    let xsq = 1 / (x * x)
    var numerator = Cody.p[5] * xsq
    var denominator = xsq
    for i in 0..<4 {
      numerator = (numerator + Cody.p[i]) * xsq
      denominator = (denominator + Cody.q[i]) * xsq
    }
    tail = xsq * (numerator + Cody.p[4]) / (denominator + Cody.q[4])
    tail = (0.398_942_280_401_432_677_94 - tail) / y
  }
  let s = (y * 16).rounded(.towardZero) / 16
  let del = (y - s) * (y + s)
  tail *= exp(-s * s * 0.5) * exp(-del * 0.5)
  return x > 0 ? 1 - tail : tail
}

// MARK: - Standard normal quantile (Wichura AS 241)

/// The standard normal quantile `Φ⁻¹(p)`.
///
/// `Φ⁻¹(p)` for a lower-tail probability `p`, by Wichura's algorithm AS 241 (`PPND16`,
/// Applied Statistics 37(3), 1988, 477–484): rational approximations in `p − ½` near the
/// centre and in `√(−log min(p, 1−p))` in the tails, accurate to about 1 part in 10¹⁶ for
/// `p ≥ 10⁻³⁰⁰`. For `p > ½` the tail branch uses `1 − p`, exact for `p ≥ ½`.
func standardNormalQuantile(lower p: Double) -> Double {
  if p.isNaN { return .nan }
  if p <= 0 { return -.infinity }
  if p >= 1 { return .infinity }
  let q = p - 0.5
  if abs(q) <= 0.425 {
    let r = 0.180625 - q * q
    let numerator =
      (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
        + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
        + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
        + 1.3314166789178437745e2) * r + 3.3871328727963666080e0)
    let denominator =
      (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
        + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
        + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
        + 4.2313330701600911252e1) * r + 1)
    return q * numerator / denominator
  }
  var r = q < 0 ? p : 1 - p
  r = (-log(r)).squareRoot()
  var value: Double
  if r <= 5 {
    r -= 1.6
    let numerator =
      (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
        + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
        + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
        + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
    let denominator =
      (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
        + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
        + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
        + 2.05319162663775882187e0) * r + 1)
    value = numerator / denominator
  } else {
    r -= 5
    let numerator =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
        + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
        + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
        + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
    let denominator =
      (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
        + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
        + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
        + 5.99832206555887937690e-1) * r + 1)
    value = numerator / denominator
  }
  return q < 0 ? -value : value
}
