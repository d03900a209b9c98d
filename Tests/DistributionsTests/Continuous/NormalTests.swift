import Testing

@testable import Distributions

@Suite("Normal")
struct NormalTests {
  @Test("cdf and ccdf match R's pnorm down to 1e-300")
  func cdfMatchesR() throws {
    var tracker = ErrorTracker("pnorm")
    let normal = Normal.standard
    for row in try ReferenceFixture.rows("pnorm") {
      let x = try row.value("x")
      let lower = try row.value("lower")
      let upper = try row.value("upper")
      tracker.check(normal.cdf(x), lower, relative: Tolerance.probability(lower), "x = \(x)")
      tracker.check(normal.ccdf(x), upper, relative: Tolerance.probability(upper), "x = \(x)")
    }
    tracker.report()
  }

  @Test("quantiles match R's qnorm (AS 241) in both tails, p down to 1e-300")
  func quantileMatchesR() throws {
    var tracker = ErrorTracker("qnorm")
    let normal = Normal.standard
    for row in try ReferenceFixture.rows("qnorm") {
      let p = try row.value("p")
      tracker.check(
        normal.quantile(p), try row.value("lower"), relative: Tolerance.quantile, "p = \(p)")
      tracker.check(
        normal.quantile(upperTail: p), try row.value("upper"), relative: Tolerance.quantile,
        "upper p = \(p)")
    }
    tracker.report()
  }

  @Test("density matches R's dnorm, with location and scale")
  func densityMatchesR() throws {
    var tracker = ErrorTracker("dnorm")
    for row in try ReferenceFixture.rows("dnorm") {
      let normal = Normal(mean: try row.value("mean"), sd: try row.value("sd"))
      let x = try row.value("x")
      tracker.check(
        normal.density(x), try row.value("value"), relative: Tolerance.density, "x = \(x)")
    }
    tracker.report()
  }

  @Test("cdf(quantile(p)) = p, symmetry, and the two-sided p-value")
  func properties() {
    let normal = Normal(mean: 3, sd: 2)
    for p in [1e-300, 1e-20, 1e-5, 0.025, 0.3, 0.5, 0.8, 0.999] {
      let x = normal.quantile(p)
      #expect(abs(normal.cdf(x) - p) <= Tolerance.roundTrip * p, "p = \(p)")
      #expect(abs(normal.ccdf(normal.quantile(upperTail: p)) - p) <= Tolerance.roundTrip * p)
    }
    for z in [0.0, 0.4, 1.96, 5, 30] {
      #expect(Normal.standard.cdf(-z) == Normal.standard.ccdf(z))
      #expect(Normal.twoSidedPValue(z: z) == 2 * Normal.standard.ccdf(z))
      #expect(Normal.twoSidedPValue(z: -z) == Normal.twoSidedPValue(z: z))
    }
    #expect(abs(Normal.standard.quantile(upperTail: 0.025) - 1.959_963_984_540_054) <= 1e-15)
    #expect(Normal.standard.quantile(0) == -.infinity)
    #expect(Normal.standard.quantile(1) == .infinity)
    #expect(Normal.standard.cdf(.nan).isNaN)
  }
}
