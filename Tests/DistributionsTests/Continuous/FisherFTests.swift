import Testing

@testable import Distributions

@Suite("Fisher F")
struct FisherFTests {
  @Test("cdf and ccdf match R's pf, including non-integer and large df")
  func cdfMatchesR() throws {
    var tracker = ErrorTracker("pf")
    for row in try ReferenceFixture.rows("pf") {
      let (d1, d2, x) = (try row.value("df1"), try row.value("df2"), try row.value("x"))
      let distribution = FisherF(df1: d1, df2: d2)
      let lower = try row.value("lower")
      let upper = try row.value("upper")
      tracker.check(
        distribution.cdf(x), lower, relative: Tolerance.probability(lower),
        "F(\(d1), \(d2)) at \(x)")
      tracker.check(
        distribution.ccdf(x), upper, relative: Tolerance.probability(upper),
        "F(\(d1), \(d2)) at \(x)")
    }
    tracker.report()
  }

  @Test("quantiles match R's qf in both tails")
  func quantileMatchesR() throws {
    var tracker = ErrorTracker("qf")
    for row in try ReferenceFixture.rows("qf") {
      let (d1, d2, p) = (try row.value("df1"), try row.value("df2"), try row.value("p"))
      let distribution = FisherF(df1: d1, df2: d2)
      if row["consistent"] == 0 {
        // R's qf misses its own p here (for example qf(1e-12, 1, 1) = 0): check ours by round trip.
        tracker.check(
          distribution.cdf(distribution.quantile(p)), p, relative: Tolerance.roundTrip,
          "round trip F(\(d1), \(d2)) p = \(p)")
        tracker.check(
          distribution.ccdf(distribution.quantile(upperTail: p)), p, relative: Tolerance.roundTrip,
          "round trip F(\(d1), \(d2)) upper p = \(p)")
        continue
      }
      let tolerance = Tolerance.quantile
      tracker.check(
        distribution.quantile(p), try row.value("lower"), relative: tolerance,
        "F(\(d1), \(d2)) p = \(p)")
      tracker.check(
        distribution.quantile(upperTail: p), try row.value("upper"), relative: tolerance,
        "F(\(d1), \(d2)) upper p = \(p)")
    }
    tracker.report()
  }

  @Test("density matches R's df")
  func densityMatchesR() throws {
    var tracker = ErrorTracker("df")
    for row in try ReferenceFixture.rows("df") {
      let (d1, d2, x) = (try row.value("df1"), try row.value("df2"), try row.value("x"))
      tracker.check(
        FisherF(df1: d1, df2: d2).density(x), try row.value("value"), relative: Tolerance.density,
        "F(\(d1), \(d2)) at \(x)")
    }
    tracker.report()
  }

  @Test("F(1, ν) is t(ν)², round trips hold, and infinite df reduce to χ²")
  func properties() {
    for df in [1.0, 3.7, 40, 2e5] {
      let f = FisherF(df1: 1, df2: df)
      let t = StudentT(df: df)
      for x in [0.5, 2.0, 9.0, 400.0] {
        let expected = t.twoSidedPValue(t: x.squareRoot())
        #expect(abs(f.ccdf(x) - expected) <= 1e-13 * expected, "df = \(df), x = \(x)")
      }
      for p in [1e-10, 0.05, 0.5, 0.95] {
        let q = f.quantile(upperTail: p)
        #expect(abs(f.ccdf(q) - p) <= Tolerance.roundTrip * p)
      }
    }
    let chi = ChiSquared(df: 4)
    let limit = FisherF(df1: 4, df2: .infinity)
    #expect(abs(limit.ccdf(2.5) - chi.ccdf(10)) <= 1e-15)
    #expect(abs(limit.quantile(0.9) - chi.quantile(0.9) / 4) <= 1e-14)
    let inverse = FisherF(df1: .infinity, df2: 6)
    #expect(abs(inverse.cdf(0.8) - ChiSquared(df: 6).ccdf(6 / 0.8)) <= 1e-15)
  }
}
