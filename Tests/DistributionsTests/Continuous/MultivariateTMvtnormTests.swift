import Foundation
import TestSupport
import Testing

@testable import Distributions

/// Multivariate t and normal rectangle probabilities and equicoordinate quantiles against
/// mvtnorm (`Tests/Fixtures/inference/mvt/pmvt.json`, written by `scripts/reference/mvt.R`:
/// probabilities at GenzBretz abseps 1e-6, quantiles by qmvt at abseps 1e-5 and ptol 1e-4).
///
/// Tolerances are the two tools' error bounds added: a probability to our target 1e-5
/// (`MultivariateT.Accuracy.standard`, 3.5 standard errors) plus mvtnorm's recorded `error`;
/// a quantile to our own error estimate plus the fixture's `quantile_error_bound`
/// ((|P(c) − level| + error) / density at mvtnorm's c). Measured (2026-11-25): probabilities
/// max |Δ| 3.3e-6 (tolerance 1e-5 + ≤ 1e-6); quantiles |Δ| 1.9e-5 to 8.6e-5 against
/// tolerances 7.4e-5 to 1.7e-4.
@Suite("Multivariate t: mvtnorm fixtures")
struct MultivariateTMvtnormTests {
  /// Our target absolute error of a probability (`MultivariateT.Accuracy.standard`).
  static let probabilityTolerance = 1e-5

  @Test("rectangle probabilities match mvtnorm::pmvt (t and normal, singular and AR(1))")
  func probabilitiesMatchMvtnorm() throws {
    let fixture = try Fixture.load("inference/mvt/pmvt")
    let cases = try fixture.elements("probabilities")
    #expect(cases.count >= 8)
    var worst = 0.0
    for (k, row) in cases.enumerated() {
      let correlation = try row.elements("correlation").map { try $0.requiredNumbers() }
      let df = try row.number("df")
      // jsonlite writes R's -Inf and Inf limits as null (na = "null").
      let lower = try row.elements("lower").map {
        $0 == .null ? -.infinity : try $0.requiredNumber()
      }
      let upper = try row.elements("upper").map {
        $0 == .null ? .infinity : try $0.requiredNumber()
      }
      try #require(
        lower.count == correlation.count && upper.count == correlation.count, "case \(k): limits")
      let expected = try row.number("value")
      let rError = try row.number("error")
      let distribution = MultivariateT(correlation: correlation, df: df == 0 ? .infinity : df)
      let p = distribution.probability(lower: lower, upper: upper)
      worst = largest(worst, abs(p.value - expected))
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
    let cases = try fixture.elements("quantiles")
    #expect(cases.count >= 3)
    for (k, row) in cases.enumerated() {
      let correlation = try row.elements("correlation").map { try $0.requiredNumbers() }
      let df = try row.number("df")
      let level = try row.number("level")
      let expected = try row.number("value")
      let q = MultivariateT(correlation: correlation, df: df == 0 ? .infinity : df)
        .twoSidedEquicoordinateQuantile(level: level)
      // Our probability error over the slope, plus mvtnorm's bound at its c.
      let referenceBound = try row.member("check").number("quantile_error_bound")
      let tolerance = q.error + referenceBound
      #expect(q.error < 1e-3, "case \(k): quantile error \(q.error)")
      #expect(
        abs(q.value - expected) <= tolerance,
        "case \(k): expected \(expected), observed \(q.value) ± \(q.error)")
      print(
        "qmvt case \(k): |difference| \(abs(q.value - expected)), our error \(q.error), "
          + "mvtnorm's bound \(referenceBound)")
    }
  }
}
