#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Xoshiro256StarStar {
  // MARK: - Uniform

  /// A uniform deviate on `[0, 1)`: the top 53 bits of `next()` times 2⁻⁵³.
  ///
  /// Every multiple of 2⁻⁵³ in `[0, 1)` is equally likely; the value is an exact function of the
  /// integer stream, so it is identical on every platform.
  ///
  /// - Returns: A `Double` in `[0, 1)`.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform deviate on the open interval `(0, 1)`: `(⌊next()/2¹¹⌋ + ½) · 2⁻⁵³`, safe to take
  /// the logarithm of.
  ///
  /// - Returns: A `Double` in `(0, 1)`.
  public mutating func openUniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  // MARK: - Normal

  /// A standard normal deviate by Marsaglia's polar method (Marsaglia & Bray 1964).
  ///
  /// The method:
  ///
  ///     draw u, v uniform on (−1, 1) until s = u² + v² ∈ (0, 1);
  ///     return u·√(−2 log s / s)  (and keep v·√(−2 log s / s) for the next call)
  ///
  /// Each accepted pair yields two independent deviates; the second is cached in the generator
  /// and returned by the next call (and discarded by `jump()`). The accept test uses only exact
  /// arithmetic, so the amount of the stream consumed is the same on every platform.
  ///
  /// - Returns: A draw from `N(0, 1)`.
  public mutating func normal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    while true {
      let u = 2 * uniform() - 1
      let v = 2 * uniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * log(s) / s).squareRoot()
        spareNormal = v * factor
        return u * factor
      }
    }
  }

  /// A draw from `N(mean, sd²)`: `mean + sd · normal()`.
  ///
  /// - Parameters:
  ///   - mean: The mean.
  ///   - sd: The standard deviation, `≥ 0`.
  /// - Returns: The deviate.
  public mutating func normal(mean: Double, sd: Double) -> Double {
    mean + sd * normal()
  }

  // MARK: - Other continuous

  /// A standard exponential deviate, `−log U` with `U` on `(0, 1)`.
  ///
  /// - Returns: A draw from Exp(1).
  public mutating func exponential() -> Double {
    -log(openUniform())
  }

  /// A Gamma(shape, scale) deviate (mean `shape·scale`).
  ///
  /// Uses Marsaglia & Tsang's method (2000,
  /// ACM TOMS 26(3)):
  ///
  ///     d = a − 1/3, c = 1/√(9d); repeat: x ~ N(0,1), v = (1 + c x)³ > 0, U uniform;
  ///     accept d·v if U < 1 − 0.0331 x⁴ or log U < x²/2 + d(1 − v + log v)
  ///
  /// and, for `shape < 1`, `Gamma(a) = Gamma(a + 1) · U^(1/a)` (same paper, §6).
  ///
  /// - Parameters:
  ///   - shape: Shape `a > 0`.
  ///   - scale: Scale `θ > 0`.
  /// - Returns: The deviate.
  /// - Precondition: `shape > 0`, `scale > 0`.
  public mutating func gamma(shape: Double, scale: Double = 1) -> Double {
    precondition(shape > 0 && scale > 0, "gamma shape and scale must be positive")
    if shape < 1 {
      let boosted = gamma(shape: shape + 1, scale: scale)
      return boosted * pow(openUniform(), 1 / shape)
    }
    let d = shape - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = normal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = openUniform()
      let x2 = x * x
      if u < 1 - 0.0331 * x2 * x2 { return d * v * scale }
      if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v * scale }
    }
  }

  /// A χ²(df) deviate: `Gamma(df/2, scale 2)`.
  ///
  /// - Parameter df: Degrees of freedom, `> 0`.
  /// - Returns: The deviate.
  /// - Precondition: `df > 0`.
  public mutating func chiSquared(df: Double) -> Double {
    gamma(shape: 0.5 * df, scale: 2)
  }

  // MARK: - Discrete

  /// A Bernoulli deviate: `true` with probability `p` (`uniform() < p`).
  ///
  /// - Parameter p: Success probability in `[0, 1]`.
  /// - Returns: `true` with probability `p`.
  /// - Precondition: `0 ≤ p ≤ 1`.
  public mutating func bernoulli(_ p: Double) -> Bool {
    precondition(p >= 0 && p <= 1, "Bernoulli probability must lie in [0, 1]")
    return uniform() < p
  }

  /// A Poisson deviate with mean `λ`.
  ///
  /// For `λ < 10`, inversion by multiplication of uniforms (Knuth, TAOCP vol. 2, §3.4.1):
  /// count the uniforms whose running product stays above `e^(−λ)`. For `λ ≥ 10`, Hörmann's
  /// transformed rejection with squeeze, PTRS (Hörmann 1993, "The transformed rejection method
  /// for generating Poisson random variables", Insurance: Mathematics and Economics 12), whose
  /// cost is bounded in `λ`.
  ///
  /// - Parameter mean: The mean `λ ≥ 0`.
  /// - Returns: A non-negative count.
  /// - Precondition: `mean ≥ 0` and finite.
  public mutating func poisson(mean: Double) -> Int {
    precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and non-negative")
    if mean == 0 { return 0 }
    if mean < 10 {
      let limit = exp(-mean)
      var product = uniform()
      var count = 0
      while product > limit {
        product *= uniform()
        count += 1
      }
      return count
    }
    let logMean = log(mean)
    let b = 0.931 + 2.53 * mean.squareRoot()
    let a = -0.059 + 0.02483 * b
    let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = uniform() - 0.5
      let v = uniform()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
      if us >= 0.07 && v <= vr { return Int(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      let lhs = log(v) + log(inverseAlpha) - log(a / (us * us) + b)
      let rhs = -mean + k * logMean - SpecialFunctions.logGamma(k + 1)
      if lhs <= rhs { return Int(k) }
    }
  }
}
