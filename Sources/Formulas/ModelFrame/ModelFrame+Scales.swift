import Foundation
import LinearAlgebra

extension ModelFrame {
  /// Whether the continuous fixed-effect columns are on very different scales, by lme4's
  /// `checkScaleX` rule (its warning "Some predictor variables are on very different scales").
  ///
  /// The continuous columns are those of `X` holding a value other than 0 and 1 (so not the
  /// intercept nor dummy codes). With `s` their sample standard deviations, the scales are very
  /// different when some `|log(s_i / s_j)|` or some `|log(s_i)|` exceeds `log(1000)`: a ratio
  /// of SDs, or an SD against the unit scale of θ, beyond a factor of 1,000.
  /// - Complexity: O(n · p).
  public var hasPredictorsOnVeryDifferentScales: Bool {
    let limit = log(1000.0)
    var logs: [Double] = []
    for j in 0..<X.columns {
      let values = X.column(j)
      guard values.contains(where: { $0 != 0 && $0 != 1 }), values.count > 1 else { continue }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance =
        values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
      logs.append(log(variance.squareRoot()))
    }
    guard let smallest = logs.min(), let largest = logs.max() else { return false }
    return largest - smallest > limit || logs.contains { abs($0) > limit }
  }
}
