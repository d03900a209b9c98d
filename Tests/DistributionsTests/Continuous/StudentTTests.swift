import Testing

@testable import Distributions

@Suite("Student t")
struct StudentTTests {
  @Test("cdf and ccdf match R's pt for df 1 … 1e6 and t from −40 to 40")
  func cdfMatchesR() throws {
    var tracker = ErrorTracker("pt")
    var approximated = ErrorTracker("pt (R's normal approximation, df > 4e5)")
    for row in try ReferenceFixture.rows("pt") {
      let (df, t) = (try row.value("df"), try row.value("x"))
      let distribution = StudentT(df: df)
      if df > 4e5 {
        for (observed, field) in [(distribution.cdf(t), "lower"), (distribution.ccdf(t), "upper")] {
          approximated.check(
            observed, try row.value(field), relative: Tolerance.approximatedStudentT,
            "df = \(df), t = \(t), \(field)")
        }
        continue
      }
      let lower = try row.value("lower")
      let upper = try row.value("upper")
      tracker.check(
        distribution.cdf(t), lower, relative: Tolerance.probability(lower), "df = \(df), t = \(t)")
      tracker.check(
        distribution.ccdf(t), upper, relative: Tolerance.probability(upper), "df = \(df), t = \(t)")
    }
    tracker.report()
    approximated.report()
  }

  @Test("quantiles match R's qt in both tails")
  func quantileMatchesR() throws {
    var tracker = ErrorTracker("qt")
    for row in try ReferenceFixture.rows("qt") {
      let (df, p) = (try row.value("df"), try row.value("p"))
      let distribution = StudentT(df: df)
      let tolerance =
        row["consistent"] == 0
        ? Tolerance.rSelfInconsistent
        : df > 4e5 ? Tolerance.approximatedStudentT : Tolerance.quantile
      tracker.check(
        distribution.quantile(p), try row.value("lower"), relative: tolerance,
        "df = \(df), p = \(p)")
      tracker.check(
        distribution.quantile(upperTail: p), try row.value("upper"), relative: tolerance,
        "upper, df = \(df), p = \(p)")
    }
    tracker.report()
  }

  @Test("density matches R's dt")
  func densityMatchesR() throws {
    var tracker = ErrorTracker("dt")
    for row in try ReferenceFixture.rows("dt") {
      let (df, t) = (try row.value("df"), try row.value("x"))
      tracker.check(
        StudentT(df: df).density(t), try row.value("value"), relative: Tolerance.density,
        "df = \(df), t = \(t)")
    }
    tracker.report()
  }

  @Test("two-sided p-values match pbeta(df/(df+t²), df/2, ½)")
  func twoSidedPValue() throws {
    var tracker = ErrorTracker("t two-sided p")
    for row in try ReferenceFixture.rows("ptTwoSided") {
      let (df, t) = (try row.value("df"), try row.value("t"))
      let expected = try row.value("value")
      let distribution = StudentT(df: df)
      tracker.check(
        distribution.twoSidedPValue(t: t), expected, relative: Tolerance.probability(expected),
        "df = \(df), t = \(t)")
      #expect(distribution.twoSidedPValue(t: -t) == distribution.twoSidedPValue(t: t))
    }
    tracker.report()
  }

  @Test(
    "cdf(quantile(p)) = p and cdf(−t) = ccdf(t)",
    arguments: [0.7, 1, 2, 2.5, 4.3, 37.3, 1e3, 1e6, 1e9, .infinity])
  func properties(df: Double) {
    let distribution = StudentT(df: df)
    for p in [1e-200, 1e-12, 1e-4, 0.025, 0.2, 0.5, 0.7, 0.975] {
      let t = distribution.quantile(p)
      guard t.isFinite else {
        // Only a lower-tail quantile beyond the doubles may be infinite (never NaN).
        #expect(t == -.infinity, "df = \(df), p = \(p): quantile \(t)")
        continue
      }
      #expect(
        abs(distribution.cdf(t) - p) <= Tolerance.roundTrip * p, "df = \(df), p = \(p), t = \(t)")
      let upper = distribution.quantile(upperTail: p)
      #expect(upper == -t)
    }
    for t in [0.0, 0.3, 1.5, 4, 25] {
      #expect(distribution.cdf(-t) == distribution.ccdf(t))
    }
  }

  @Test("df = ∞ is the standard normal and large df approach it")
  func normalLimit() {
    let normal = Normal.standard
    #expect(StudentT(df: .infinity).cdf(-2.5) == normal.cdf(-2.5))
    #expect(StudentT(df: .infinity).quantile(0.025) == normal.quantile(0.025))
    // t(ν) cdf − Φ = O(1/ν).
    let gap = abs(StudentT(df: 1e12).cdf(-2) - normal.cdf(-2))
    #expect(gap < 1e-11)
  }
}
