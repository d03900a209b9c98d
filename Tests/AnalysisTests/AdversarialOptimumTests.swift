import Analysis
import Foundation
import MixedModels
import TestSupport
import Testing

/// The estimates of every adversarial case lme4 fits, at lme4's optimum.
///
/// The cases of `scripts/reference/adversarial.R`, against lme4 refitted to the true optimum (the fixture's `tight` block; `tight_centred`,
/// lme4's fit of the centred response, where the response is far from zero), within the
/// tolerances the criterion's conditioning allows (`OptimumAgreement`). That `traj fit` runs
/// these cases, warns and fails as lme4 does is `AdversarialFixtureTests` (TrajCLITests).
@Suite("Adversarial data at lme4's optimum")
struct AdversarialOptimumTests {
  /// The cases lme4 fits (and any that does not load, which then fails).
  static let cases: [String] = Fixture.all(in: "adversarial").filter { name in
    (try? Fixture.load(name))?["expected"]["error"].string == nil
  }

  /// Fits case `name` (its committed CSV, or the generated rows of a large case) and compares.
  static func check(_ name: String) throws {
    let fixture = try Fixture.load(name)
    // lme4's fit of the centred response where the case has one, else of the response.
    let reference = try fixture.member(
      fixture["call"]["centre"] == .null ? "tight" : "tight_centred")
    let call = try fixture.member("call")
    let method: EstimationMethod = try call.text("method") == "ML" ? .ml : .reml
    let criterion = try reference.number(method == .ml ? "deviance" : "REMLcrit")
    let generated = try fixture.member("dataset")["generated"]
    let path: String
    var csv: [UInt8]?
    if generated == .null {
      path = RepositoryPaths.fixtures.appendingPathComponent(name + ".csv").path
    } else {
      path = name + ".csv"
      csv = AdversarialData.largeCSV(
        groups: Int(try generated.number("groups")), visits: Int(try generated.number("visits")))
    }
    let request = try FitRequest(
      dataPath: path, formula: try call.text("formula"),
      method: method)
    let fitted = try FixtureFit(
      request: request, csv: csv, referenceCriterion: criterion, name: name)
    fitted.expectCriterion(atMost: criterion, name)
    #expect(fitted.fit.isSingular == (try reference.flag("singular")), "\(name) singular")
    try fitted.expectEstimates(reference, name)
  }

  @Test("there are adversarial cases that lme4 fits") func casesExist() {
    #expect(Self.cases.count >= 10)
  }

  @Test(
    "β̂, SEs, θ and σ of each adversarial case agree with lme4 at the optimum",
    arguments: cases)
  func agreesAtOptimum(_ name: String) throws {
    try Self.check(name)
  }
}
