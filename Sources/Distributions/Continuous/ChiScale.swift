#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The t scale `s(u) = √(χ²_ν⁻¹(u)/ν)` of the multivariate t integrand, tabulated once per `ν`.
///
/// Inverting the incomplete gamma at every quasi-Monte Carlo point would dominate the cost, so
/// `log s` is tabulated against `z = Φ⁻¹(u)`, in which it is smooth (nearly linear: Wilson and
/// Hilferty's cube-root approximation), at 1,025 nodes on `[−9, 9]`, with its exact derivative
/// `d log s/dz = φ(z) / (2q f_χ²(q))`, `q = ν s²`, and read by cubic Hermite interpolation:
/// relative error below 1e-10 (checked in the tests). Points beyond `|z| = 9` (probability
/// 2e-19) take the end values.
struct ChiScale: Sendable, Equatable {
  let df: Double
  private let values: [Double]
  private let slopes: [Double]
  private static let intervals = 1024
  private static let bound = 9.0
  private static var step: Double { 2 * bound / Double(intervals) }

  init(df: Double) {
    self.df = df
    let chi = ChiSquared(df: df)
    var values = [Double]()
    var slopes = [Double]()
    values.reserveCapacity(Self.intervals + 1)
    slopes.reserveCapacity(Self.intervals + 1)
    for k in 0...Self.intervals {
      let z = -Self.bound + Double(k) * Self.step
      let u = standardNormalLowerTail(z)
      let upper = standardNormalLowerTail(-z)
      let q = u <= 0.5 ? chi.quantile(u) : chi.quantile(upperTail: upper)
      values.append(0.5 * log(q / df))
      let logPhi = -0.5 * z * z - 0.5 * log(2 * Double.pi)
      slopes.append(exp(logPhi - chi.logDensity(q) - log(2 * q)))
    }
    self.values = values
    self.slopes = slopes
  }

  /// `s` at the lower-tail probability `u`.
  func scale(_ u: Double) -> Double {
    let z = min(
      max(standardNormalQuantile(lower: min(max(u, 1e-300), 1 - 0x1p-53)), -Self.bound), Self.bound)
    let position = (z + Self.bound) / Self.step
    let k = min(Int(position), Self.intervals - 1)
    let t = position - Double(k)
    let h = Self.step
    let t2 = t * t
    let t3 = t2 * t
    let logS =
      (2 * t3 - 3 * t2 + 1) * values[k] + (t3 - 2 * t2 + t) * h * slopes[k]
      + (-2 * t3 + 3 * t2) * values[k + 1] + (t3 - t2) * h * slopes[k + 1]
    return exp(logS)
  }

  /// `s` at `u` from the incomplete gamma directly (the reference for the table).
  func exactScale(_ u: Double) -> Double {
    (ChiSquared(df: df).quantile(u) / df).squareRoot()
  }
}
