import TestSupport
import Testing

@Suite("expectClose and the comparison helpers")
struct ExpectCloseTests {
  static let tolerance = Tolerance(relative: 1e-6, reason: "test")

  @Test("expectClose records an issue for a NaN on either side, or on both")
  func nanFails() {
    for (observed, expected) in [(Double.nan, Double.nan), (.nan, 1), (1, .nan)] {
      withKnownIssue("\(observed) vs \(expected)") {
        expectClose(observed, expected, Self.tolerance, "x")
      }
    }
    expectClose(1, 1 + 1e-9, Self.tolerance, "within")
  }

  @Test("array expectClose records an issue when the counts differ or an element is NaN")
  func arrays() {
    withKnownIssue { expectClose([1, 2], [1, 2, 3], Self.tolerance, "short") }
    withKnownIssue { expectClose([1, .nan], [1, .nan], Self.tolerance, "NaN") }
    expectClose([1, 2], [1, 2], Self.tolerance, "equal")
  }

  @Test("expectNaN passes only on NaN")
  func expectNaNOnly() {
    expectNaN(.nan, "NA")
    withKnownIssue { expectNaN(0, "zero") }
    withKnownIssue { expectNaN(.infinity, "infinity") }
  }

  @Test("largest propagates NaN where max drops it")
  func largestPropagatesNaN() {
    #expect(max(0.0, .nan) == 0)
    #expect(largest(0, .nan).isNaN)
    #expect(largest(.nan, 0).isNaN)
    #expect(largest(1, 2) == 2)
  }

  @Test("maxRelativeDifference is NaN for a NaN difference, unequal counts or no values")
  func maxRelativeDifferenceNaN() {
    #expect(maxRelativeDifference([1, 2.2], [1, 2]) == abs(2.2 - 2) / 2)
    #expect(maxRelativeDifference([1, .nan, 3], [1, 2, 3]).isNaN)
    #expect(maxRelativeDifference([1, 2, 3], [1, .nan, 3]).isNaN)
    #expect(maxRelativeDifference([1, 2], [1, 2, 3]).isNaN)
    #expect(maxRelativeDifference([], []).isNaN)
  }

  @Test("zipExactly requires equal counts and, unless allowed, at least one pair")
  func zipExactlyCounts() throws {
    #expect(try zipExactly([1, 2], ["a", "b"], "pairs").map { "\($0)\($1)" } == ["1a", "2b"])
    withKnownIssue { _ = try zipExactly([1, 2], [1], "short") }
    withKnownIssue { _ = try zipExactly([Int](), [Int](), "empty") }
    #expect(try zipExactly([Int](), [Int](), "empty", allowingEmpty: true).map { $0 }.isEmpty)
  }
}
