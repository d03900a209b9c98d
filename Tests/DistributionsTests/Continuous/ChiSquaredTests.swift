import Testing

@testable import Distributions

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("chi-squared")
struct ChiSquaredTests {
  @Test("cdf and ccdf match R's pchisq for df 0.5 … 1e4")
  func cdfMatchesR() throws {
    var tracker = ErrorTracker("pchisq")
    for row in try ReferenceFixture.rows("pchisq") {
      let (df, x) = (try row.value("df"), try row.value("x"))
      let distribution = ChiSquared(df: df)
      let lower = try row.value("lower")
      let upper = try row.value("upper")
      tracker.check(
        distribution.cdf(x), lower, relative: Tolerance.probability(lower), "df = \(df), x = \(x)")
      tracker.check(
        distribution.ccdf(x), upper, relative: Tolerance.probability(upper), "df = \(df), x = \(x)")
    }
    tracker.report()
  }

  @Test("quantiles match R's qchisq in both tails")
  func quantileMatchesR() throws {
    var tracker = ErrorTracker("qchisq")
    for row in try ReferenceFixture.rows("qchisq") {
      let (df, p) = (try row.value("df"), try row.value("p"))
      let distribution = ChiSquared(df: df)
      tracker.check(
        distribution.quantile(p), try row.value("lower"), relative: Tolerance.quantile,
        "df = \(df), p = \(p)")
      tracker.check(
        distribution.quantile(upperTail: p), try row.value("upper"), relative: Tolerance.quantile,
        "upper, df = \(df), p = \(p)")
    }
    tracker.report()
  }

  @Test("density matches R's dchisq")
  func densityMatchesR() throws {
    var tracker = ErrorTracker("dchisq")
    for row in try ReferenceFixture.rows("dchisq") {
      let (df, x) = (try row.value("df"), try row.value("x"))
      tracker.check(
        ChiSquared(df: df).density(x), try row.value("value"), relative: Tolerance.density,
        "df = \(df), x = \(x)")
    }
    tracker.report()
  }

  @Test("cdf(quantile(p)) = p in both tails", arguments: [0.3, 1, 2, 5.5, 80, 3e4])
  func roundTrip(df: Double) {
    let distribution = ChiSquared(df: df)
    for p in [1e-250, 1e-30, 1e-6, 0.05, 0.5, 0.9] {
      let x = distribution.quantile(p)
      if x > 0 { #expect(abs(distribution.cdf(x) - p) <= Tolerance.roundTrip * p, "p = \(p)") }
      let y = distribution.quantile(upperTail: p)
      #expect(abs(distribution.ccdf(y) - p) <= Tolerance.roundTrip * p, "upper p = \(p)")
    }
    // χ²(2) is Exp(mean 2): P(X > x) = e^(−x/2).
    if df == 2 {
      let expected = exp(-25.0)
      #expect(abs(distribution.ccdf(50) - expected) <= 1e-14 * expected)
    }
  }
}
