import Testing

/// Expects `observed` to agree with `expected` within `tolerance`; on failure records the
/// expected and observed values, the error and the tolerance (as swift-numerics' `assertClose`).
/// - Parameters:
///   - observed: Our value.
///   - expected: The reference value.
///   - tolerance: The named tolerance.
///   - label: What is compared (e.g. `"fixef (Intercept)"`).
///   - sourceLocation: Where the expectation is written.
public func expectClose(
  _ observed: Double, _ expected: Double, _ tolerance: Tolerance, _ label: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let ok = tolerance.accepts(observed, expected)
  let error = abs(observed - expected)
  let relative = expected == 0 ? error : error / abs(expected)
  #expect(
    ok,
    "\(label): expected \(expected), observed \(observed), |error| \(error) (rel \(relative)); tolerance \(tolerance)",
    sourceLocation: sourceLocation)
}

/// Elementwise `expectClose` for equal-length arrays, on the scale of the whole vector: the
/// absolute floor is at least `tolerance.relative · max|expected|`, because an element near 0
/// (a residual, a BLUP) has no meaningful relative error of its own.
/// - Parameters:
///   - observed: Our values.
///   - expected: Reference values.
///   - tolerance: The named tolerance.
///   - label: What is compared.
///   - sourceLocation: Where the expectation is written.
public func expectClose(
  _ observed: [Double], _ expected: [Double], _ tolerance: Tolerance, _ label: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    observed.count == expected.count,
    "\(label): \(observed.count) values, expected \(expected.count)",
    sourceLocation: sourceLocation)
  let scale = expected.map { abs($0) }.filter(\.isFinite).max() ?? 0
  let scaled = Tolerance(
    relative: tolerance.relative, absolute: max(tolerance.absolute, tolerance.relative * scale),
    reason: tolerance.reason)
  for (i, (o, e)) in zip(observed, expected).enumerated() {
    expectClose(o, e, scaled, "\(label)[\(i)]", sourceLocation: sourceLocation)
  }
}

/// Largest relative difference between two arrays (for reporting measured agreement).
/// - Parameters:
///   - observed: Our values.
///   - expected: Reference values.
/// - Returns: max |o − e| / max(|e|, tiny).
public func maxRelativeDifference(_ observed: [Double], _ expected: [Double]) -> Double {
  zip(observed, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
}
