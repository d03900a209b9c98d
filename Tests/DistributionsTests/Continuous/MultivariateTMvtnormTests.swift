import Foundation
import TestSupport
import Testing

@testable import Distributions

/// Multivariate t and normal rectangle probabilities and equicoordinate quantiles against
/// mvtnorm (`Tests/Fixtures/inference/mvt/pmvt.json`, written by `scripts/reference/mvt.R` with
/// abseps 1e-6).
@Suite("Multivariate t: mvtnorm fixtures")
struct MultivariateTMvtnormTests {
  /// Our error target (1e-5, 3.5 standard errors over the shifts) plus mvtnorm's recorded
  /// error (≤ 1e-6 at its settings), with a factor 2 for the chance of a large deviation.
  static let probabilityTolerance = 2e-5

  @Test("rectangle probabilities match mvtnorm::pmvt (t and normal, singular and AR(1))")
  func probabilitiesMatchMvtnorm() throws {
    let fixture = try Fixture.load("inference/mvt/pmvt")
    let cases = fixture["probabilities"].array
    #expect(cases.count >= 8)
    var worst = 0.0
    for (k, row) in cases.enumerated() {
      let correlation = row["correlation"].array.map(\.doubles)
      let df = row["df"].double ?? .nan
      let lower = row["lower"].array.map { $0.double ?? -.infinity }
      let upper = row["upper"].array.map { $0.double ?? .infinity }
      let expected = try #require(row["value"].double)
      let rError = row["error"].double ?? .nan
      let distribution = MultivariateT(correlation: correlation, df: df == 0 ? .infinity : df)
      let p = distribution.probability(lower: lower, upper: upper)
      worst = max(worst, abs(p.value - expected))
      #expect(p.reachedTarget, "case \(k): error \(p.error) after \(p.evaluations) evaluations")
      #expect(
        abs(p.value - expected) <= Self.probabilityTolerance + rError,
        "case \(k): expected \(expected) ± \(rError), observed \(p.value) ± \(p.error)")
    }
    print("pmvt: max |difference| \(worst)")
  }

  @Test("two-sided equicoordinate quantiles match mvtnorm::qmvt")
  func quantilesMatchMvtnorm() throws {
    let fixture = try Fixture.load("inference/mvt/pmvt")
    let cases = fixture["quantiles"].array
    #expect(cases.count >= 3)
    for (k, row) in cases.enumerated() {
      let correlation = row["correlation"].array.map(\.doubles)
      let df = row["df"].double ?? .nan
      let level = try #require(row["level"].double)
      let expected = try #require(row["value"].double)
      let q = MultivariateT(correlation: correlation, df: df == 0 ? .infinity : df)
        .twoSidedEquicoordinateQuantile(level: level)
      // Our probability error over the slope, doubled; at least 1e-5 for mvtnorm's own.
      let tolerance = max(1e-5, 2 * q.error)
      #expect(q.error < 1e-3, "case \(k): quantile error \(q.error)")
      #expect(
        abs(q.value - expected) <= tolerance,
        "case \(k): expected \(expected), observed \(q.value) ± \(q.error)")
      print("qmvt case \(k): |difference| \(abs(q.value - expected)), our error \(q.error)")
    }
  }
}
