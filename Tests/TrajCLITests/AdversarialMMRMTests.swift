import Foundation
import TestSupport
import Testing

/// An MMRM on a response around 1e8 with a spread of 1e-2, through `traj fit`, against nlme
/// (`scripts/reference/mmrm_adversarial.R`).
///
/// Without centring the weighted sums of squares cancel to noise: the fit failed at its
/// starting values, and R's `gls` on the raw response stops with "computed gls fit is
/// singular". The reference is gls on the centred response with the intercept moved back.
@Suite("Adversarial data through traj fit, MMRM, against nlme")
struct AdversarialMMRMTests {
  static let data = RepositoryPaths.fixtures.appendingPathComponent(
    "adversarial/huge_response.csv")

  @Test(
    "a response around 1e8 fits as gls fits the centred response", arguments: ["us", "ar1", "cs"])
  func hugeResponse(_ structure: String) throws {
    let fixture = try Fixture.load("mmrm/adversarial/huge_response_\(structure)")
    let formula = try #require(fixture["call"]["formula"].string)
    let shift = try #require(fixture["call"]["shift"].double)
    #expect(fixture["raw_error"].string?.contains("singular") == true)
    let (run, document) = try AdversarialCheck.fit(data: Self.data, formula: formula)
    #expect(run.status == 0, "\(run.stderr)")
    let ours = try #require(document)
    let expected = try fixture.member("expected")
    let reference = try expected.number("criterion")
    let value = try ours.number("REMLcrit")
    #expect(
      value <= reference + Tolerance.deviance.relative * abs(reference),
      "REMLcrit \(value) above nlme's \(reference)")
    expectClose(value, reference, Tolerance.deviance, "REMLcrit")
    let oursFixef = try ours.elements("fixef")
    let refFixef = try expected.elements("fixef")
    #expect(try oursFixef.map { try $0.text("term") } == refFixef.map { try $0.text("term") })
    for (o, e) in try zipExactly(oursFixef, refFixef, "\(structure) fixef") {
      let term = try e.text("term")
      let se = try e.number("se")
      // The intercept is 1e8 + O(1e-2): relative agreement would say nothing, so every
      // estimate is compared on the scale of its SE (after removing the shift from the
      // intercept); 1e-4 SE is far below what matters and far above the optimiser's error.
      let offset = term == "(Intercept)" ? shift : 0
      expectClose(
        try o.number("estimate") - offset, try e.number("estimate") - offset,
        Tolerance(relative: 0, absolute: 1e-4 * se, reason: "1e-4 standard errors"),
        "\(structure) \(term) estimate")
      expectClose(try o.number("se"), se, Tolerance.fixedEffects, "\(structure) \(term) se")
    }
    let sigma = try ours.member("covariance").elements("matrix").flatMap {
      try $0.requiredNumbers("matrix")
    }
    let refSigma = try expected.elements("sigma").flatMap { try $0.requiredNumbers("sigma") }
    #expect(sigma.count == 36)
    expectClose(sigma, refSigma, Tolerance.varianceComponents, "\(structure) Σ̂")
  }
}
