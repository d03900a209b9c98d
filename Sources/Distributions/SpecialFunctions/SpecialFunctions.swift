#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Namespace for the special functions behind the distributions: log-gamma, log-beta, the error
/// function, and the regularized incomplete beta and gamma functions with their inverses.
///
/// Every function here takes and returns `Double`, is pure and thread-safe, and aims for close to
/// full double precision *relative* accuracy in both tails, because p-values are read off the
/// upper tail and must stay accurate long after `1 − p` has rounded to 1.
///
/// The functions are static members of this enum (rather than free functions) so that names such
/// as `erf` never collide with the C library's when a client also imports Foundation.
///
/// References: DiDonato & Morris (1986, 1992), ACM TOMS 12(4) and 18(3); Temme (1996),
/// *Special Functions*, ch. 11; Press et al. (2007), *Numerical Recipes*, §6.1–6.4.
public enum SpecialFunctions {}

/// Which tail of a distribution a probability refers to.
///
/// `.lower` is `P(X ≤ x)` (the cdf), `.upper` is `P(X > x)` (the complementary cdf, or
/// survival function). Functions that accept a `Tail` compute the requested tail directly, so an
/// upper-tail probability of `1e-300` is returned as such instead of as `1 − 1` = 0.
public enum Tail: Sendable, Hashable {
  /// The lower tail, `P(X ≤ x)`.
  case lower
  /// The upper tail, `P(X > x)`.
  case upper
}

// MARK: - Elementary helpers

/// `log(1 + x) − x`, accurate for small `|x|` where the two terms nearly cancel.
///
/// For `−0.6 ≤ x ≤ 1` uses `r = x/(2 + x)`, `log(1+x) = 2 atanh r`, and `x − 2r = r·x`:
///
///     log(1+x) − x = −r·x + 2 (r³/3 + r⁵/5 + …),   |r| ≤ 0.43
///
/// Outside that range the direct difference loses at most a couple of bits.
func log1pmx(_ x: Double) -> Double {
  guard x >= -0.6 && x <= 1 else { return log1p(x) - x }
  let r = x / (2 + x)
  let r2 = r * r
  var power = r * r2
  var sum = 0.0
  var k = 3.0
  while true {
    let term = power / k
    sum += term
    if abs(term) <= 1e-17 * abs(sum) { break }
    power *= r2
    k += 2
  }
  return -r * x + 2 * sum
}

/// `sin(πx)` with the argument reduced exactly before multiplying by π, so that it is zero at
/// integers and accurate for large `|x|`.
func sinPi(_ x: Double) -> Double {
  var r = x.truncatingRemainder(dividingBy: 2)  // exact, in (−2, 2)
  if r < -1 { r += 2 } else if r > 1 { r -= 2 }  // now in [−1, 1]
  if r > 0.5 { r = 1 - r } else if r < -0.5 { r = -1 - r }  // sin(π(1−r)) = sin(πr)
  return sin(Double.pi * r)
}

/// log(√(2π)).
let logSqrtTwoPi = 0.918_938_533_204_672_741_78
