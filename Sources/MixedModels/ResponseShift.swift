import LinearAlgebra

/// A constant subtracted from the response before any cross-product is formed, and the
/// intercept column of X that absorbs it.
///
/// A response around 1e8 with a spread of 1e-2 loses every significant digit of the residual
/// sum of squares in `yᵀy − (…)`. With an intercept in X, fitting `y − c` gives the same
/// criterion, covariance parameters, slopes and residuals, and an intercept smaller by c; so
/// both the LMM and the MMRM fit the shifted response and add c back to the intercept.
struct ResponseShift: Sendable {
  /// The constant c (the mean of y).
  let value: Double
  /// The column of X that is all ones.
  let interceptColumn: Int

  /// The shift when X has an all-ones column and |ȳ| exceeds 100 standard deviations of y;
  /// nil otherwise, leaving every usual fit bit for bit as it was.
  /// - Parameters:
  ///   - y: The response.
  ///   - design: X, one row per element of `y`.
  init?(response y: [Double], design: Matrix) {
    guard y.count > 1 else { return nil }
    let mean = y.reduce(0, +) / Double(y.count)
    let spread = sampleVariance(y).squareRoot()
    guard abs(mean) > 100 * spread, mean.isFinite else { return nil }
    guard
      let column = (0..<design.columns).first(where: { j in
        (0..<design.rows).allSatisfy { design[$0, j] == 1 }
      })
    else { return nil }
    self.value = mean
    self.interceptColumn = column
  }

  /// `y − c`.
  func apply(to y: [Double]) -> [Double] { y.map { $0 - value } }

  /// β of the original response from β of the shifted one.
  func restore(_ beta: inout [Double]) { beta[interceptColumn] += value }
}

/// Sample variance with denominator n − 1 (R's `var`).
func sampleVariance(_ x: [Double]) -> Double {
  let n = Double(x.count)
  guard n > 1 else { return 0 }
  let mean = x.reduce(0, +) / n
  return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
}
