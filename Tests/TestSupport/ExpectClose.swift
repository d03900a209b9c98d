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

/// Expects `observed` to be NaN, where the reference value is legitimately NA (a NaN never
/// agrees in `expectClose`, so an NA has to be asked for explicitly).
/// - Parameters:
///   - observed: Our value.
///   - label: What is compared.
///   - sourceLocation: Where the expectation is written.
public func expectNaN(
  _ observed: Double, _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    observed.isNaN, "\(label): expected NaN (NA), observed \(observed)",
    sourceLocation: sourceLocation)
}

/// Largest relative difference between two arrays (for reporting measured agreement).
/// - Parameters:
///   - observed: Our values.
///   - expected: Reference values.
/// - Returns: max |o − e| / max(|e|, tiny); NaN when the counts differ, when either is empty
///   or when any difference is NaN (so that a report never shows agreement that was not
///   measured).
public func maxRelativeDifference(_ observed: [Double], _ expected: [Double]) -> Double {
  guard observed.count == expected.count, !observed.isEmpty else { return .nan }
  return zip(observed, expected).reduce(0) { worst, pair in
    largest(worst, abs(pair.0 - pair.1) / max(abs(pair.1), 1e-300))
  }
}

/// The larger of two values, NaN when either is NaN (Swift's `max` returns the other
/// argument for a NaN, so a running maximum of differences would drop a NaN difference).
/// - Parameters:
///   - a: A value.
///   - b: Another value.
/// - Returns: `max(a, b)`, or NaN.
public func largest(_ a: Double, _ b: Double) -> Double {
  a.isNaN || b.isNaN ? .nan : max(a, b)
}

/// `zip(a, b)` after requiring equal counts and at least one pair (records the issue and
/// throws otherwise), so that a comparison loop cannot silently compare nothing or stop at
/// the shorter side.
/// - Parameters:
///   - a: Our values.
///   - b: Reference values.
///   - label: What is compared.
///   - allowingEmpty: Whether two empty sequences are an acceptable (vacuous) comparison.
///   - sourceLocation: Where the comparison is written.
/// - Returns: The pairs.
/// - Throws: When the counts differ, or both are empty and `allowingEmpty` is false.
public func zipExactly<A: Collection, B: Collection>(
  _ a: A, _ b: B, _ label: String = "", allowingEmpty: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Zip2Sequence<A, B> {
  try #require(
    a.count == b.count, "\(label): \(a.count) values, expected \(b.count)",
    sourceLocation: sourceLocation)
  try #require(
    allowingEmpty || !a.isEmpty, "\(label): nothing to compare", sourceLocation: sourceLocation)
  return zip(a, b)
}
