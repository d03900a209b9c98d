import Foundation
import Testing

/// Reads `Tests/Fixtures/distributions/reference.json`, written by
/// `scripts/reference/distributions.R` (R's own nmath routines at full precision).
///
/// Found from this file's path: `Tests/Fixtures` is two directories above the test target's
/// folder, so no resource bundle is involved.
enum ReferenceFixture {
  /// The fixture's location.
  static var url: URL {
    URL(fileURLWithPath: #filePath)  // …/Tests/DistributionsTests/Support/ReferenceFixture.swift
      .deletingLastPathComponent()  // Support
      .deletingLastPathComponent()  // DistributionsTests
      .deletingLastPathComponent()  // Tests
      .appendingPathComponent("Fixtures/distributions/reference.json")
  }

  /// The whole document.
  static func document() throws -> [String: Any] {
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw FixtureError.malformed("top level is not an object")
    }
    return object
  }

  /// The numeric fields of each row of the array `key` (`null` fields are left out).
  static func rows(_ key: String) throws -> [[String: Double]] {
    guard let array = try document()[key] as? [[String: Any]] else {
      throw FixtureError.malformed("no array '\(key)'")
    }
    return array.map { row in row.compactMapValues(number) }
  }

  /// A fixture number: written by the R script as a decimal string (parsed here with Swift's
  /// correctly rounded `Double(String)`), or a plain JSON number.
  static func number(_ value: Any) -> Double? {
    if let text = value as? String { return Double(text) }
    return (value as? NSNumber)?.doubleValue
  }

  /// The `rng` section: one entry per seed.
  static func randomNumberCases() throws -> [[String: Any]] {
    guard let array = try document()["rng"] as? [[String: Any]] else {
      throw FixtureError.malformed("no array 'rng'")
    }
    return array
  }
}

/// A fixture that does not have the expected shape.
enum FixtureError: Error, CustomStringConvertible {
  case malformed(String)
  case missing(field: String)

  var description: String {
    switch self {
    case .malformed(let message): return "reference.json: \(message)"
    case .missing(let field): return "reference.json: row lacks '\(field)'"
    }
  }
}

extension Dictionary where Key == String, Value == Double {
  /// The value of `field`, or a thrown `FixtureError`.
  func value(_ field: String) throws -> Double {
    guard let value = self[field] else { throw FixtureError.missing(field: field) }
    return value
  }
}

/// Tracks the largest relative error seen in one comparison family, and records an issue for
/// every value outside its tolerance.
struct ErrorTracker {
  let name: String
  private(set) var worst = 0.0
  private(set) var count = 0

  init(_ name: String) { self.name = name }

  /// Compares `observed` with `expected`: passes if `|o − e| ≤ relative·|e| + absolute`.
  mutating func check(
    _ observed: Double, _ expected: Double, relative: Double, absolute: Double = 0,
    _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    count += 1
    let difference = abs(observed - expected)
    let error =
      observed == expected ? 0 : difference / max(abs(expected), Double.leastNormalMagnitude)
    // A NaN error is kept (max would drop it), so that the report cannot show agreement.
    worst = error.isNaN || worst.isNaN ? .nan : max(worst, error)
    // An infinite expected value agrees only with itself (|o − ∞| ≤ rel·∞ would accept any o).
    let ok =
      observed == expected
      || (observed.isFinite && expected.isFinite
        && difference <= relative * abs(expected) + absolute)
    #expect(
      ok,
      "\(name) \(context()): expected \(expected), observed \(observed), relative error \(error) (tolerance \(relative), absolute \(absolute))",
      sourceLocation: sourceLocation)
  }

  /// Prints the worst relative error when `TRAJ_PRINT_ACCURACY` is set (used to fill in the
  /// measured-accuracy table; silent otherwise), and records an issue if nothing was compared.
  func report(sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(count > 0, "\(name): no values compared", sourceLocation: sourceLocation)
    if ProcessInfo.processInfo.environment["TRAJ_PRINT_ACCURACY"] != nil {
      print("accuracy \(name): max relative error \(worst) over \(count) values")
    }
  }
}
