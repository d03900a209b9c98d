import Foundation
import TestSupport
import Testing

/// MMRM fits and their inference against the CRAN mmrm package (fixtures of
/// `scripts/reference/mmrm_package.R`: nine covariance structures, REML, on
/// `Tests/Fixtures/mmrm/ketamine_visits1to6.csv`).
///
/// mmrm stops its optimiser earlier than we do: our REML criterion is equal or lower in every
/// case (by up to 6.7e-6), so estimates, SEs and df are compared at the accuracy mmrm's own
/// optimum allows (`nearOptimum`), not at the 1e-5 of converged references. Kenward–Roger's
/// df are parameterisation-invariant and must agree as Satterthwaite's do; its adjusted SEs
/// include the second-derivative terms R, which depend on the covariance parameterisation:
/// ours equals mmrm's for ar1, ar1h, ad and adh (SEs agree as the model-based ones), not for
/// us, cs, csh, toep and toeph (they differ by up to 1.7e-3 relative, `parameterisation`).
@Suite("MMRM against the CRAN mmrm package")
struct MMRMPackageAgreementTests {
  /// Estimates, SEs and df at mmrm's less tightly converged optimum (measured worst 5.4e-4,
  /// for toep, whose criterion mmrm leaves 1.3e-6 above ours).
  static let nearOptimum = Tolerance(
    relative: 1e-3, absolute: 1e-6, reason: "mmrm's optimum is up to 6.7e-6 above ours in −2ℓ")
  /// Kenward–Roger SEs where the parameterisations differ (measured worst 1.7e-3).
  static let parameterisation = Tolerance(
    relative: 3e-3, absolute: 1e-6, reason: "R terms depend on the covariance parameterisation")

  @Test("criterion, estimates, SEs and df agree", arguments: Fixture.all(in: "mmrm/package"))
  func agrees(fixture name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = try fixture.member("expected")
    let structure = String(name.split(separator: "/").last ?? "")
    let sameParameterisation = ["ar1", "ar1h", "ad", "adh"].contains(structure)
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let cases: [(key: String, options: [String])] = [
      ("satterthwaite", ["--df", "satterthwaite"]), ("kenward_roger", ["--df", "kenward-roger"]),
      ("empirical", ["--df", "residual", "--vcov", "empirical"]),
    ]
    for (key, options) in cases {
      let json = dir.appendingPathComponent("\(key).json")
      let result = try runTraj(
        [
          "fit", try fixture.member("dataset").text("path"), "--factor", "visit", "--formula",
          try fixture.member("call").text("formula"), "--json", json.path, "--quiet",
          "--no-timing",
        ] + options)
      #expect(result.status == 0, "\(name) \(key): \(result.stderr)")
      let document = try JSONValue.parse(Data(contentsOf: json))
      if key == "satterthwaite" {
        let criterion = try document.number("REMLcrit")
        let reference = try expected.number("criterion")
        #expect(
          criterion <= reference + 1e-9 * abs(reference),
          "\(name): −2ℓ \(criterion) vs \(reference)")
      }
      var ours: [String: JSONValue] = [:]
      for entry in try document.elements("fixef") { ours[try entry.text("term")] = entry }
      let references = try expected.elements(key)
      #expect(references.count == ours.count && !ours.isEmpty, "\(name) \(key): coefficients")
      for reference in references {
        let term = try reference.text("term")
        let mine = try #require(ours[term], "\(name): no coefficient \(term)")
        for field in ["estimate", "se", "df"] {
          let (o, e) = (try mine.number(field), try reference.number(field))
          let tolerance =
            key == "kenward_roger" && field == "se" && !sameParameterisation
            ? Self.parameterisation : Self.nearOptimum
          #expect(tolerance.accepts(o, e), "\(name) \(key) \(term) \(field): \(o) vs mmrm \(e)")
        }
      }
    }
  }
}
