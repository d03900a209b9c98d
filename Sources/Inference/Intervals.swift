import Distributions

/// Confidence intervals that are not a test's (those are `ContrastEstimate.confidenceInterval`).
public enum Intervals {
  /// The Wald interval `estimate ± z_{1−α/2} · SE` with the normal quantile, for estimates
  /// reported without df.
  /// - Parameters:
  ///   - estimate: The estimate.
  ///   - standardError: Its standard error.
  ///   - level: Coverage (default 95 %).
  /// - Returns: Lower and upper limits.
  public static func wald(estimate: Double, standardError: Double, level: Double = 0.95) -> (
    lower: Double, upper: Double
  ) {
    let z = Normal.standard.quantile(1 - (1 - level) / 2)
    return (estimate - z * standardError, estimate + z * standardError)
  }

  /// The mean of `values` with its t interval `x̄ ± t_{n−1, 1−α/2} · s/√n` (a single value
  /// gets an interval of zero width).
  /// - Parameters:
  ///   - values: The sample (at least one value).
  ///   - level: Coverage (default 95 %).
  /// - Returns: The mean and the limits.
  public static func mean(_ values: [Double], level: Double = 0.95) -> (
    mean: Double, lower: Double, upper: Double
  ) {
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    var half = 0.0
    if values.count > 1 {
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
      half = StudentT(df: n - 1).quantile(1 - (1 - level) / 2) * (variance / n).squareRoot()
    }
    return (mean, mean - half, mean + half)
  }
}
