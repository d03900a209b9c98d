import Foundation
import TestSupport
import Testing

/// `traj fit --df kenward-roger-linear`, Kenward–Roger without the second-derivative terms.
///
/// Its df come from P and W only, so they equal `kenward-roger`'s; its SEs differ for an MMRM whose
/// covariance is nonlinear in its parameters, and not at all for a linear mixed model (whose
/// covariance parameterisation is linear).
@Suite("traj fit --df kenward-roger-linear")
struct KenwardRogerLinearCommandTests {
  /// The fixed-effect entries of a `traj fit --json` run.
  private func fixedEffects(_ arguments: [String]) throws -> [JSONValue] {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj(arguments + ["--json", json.path, "--quiet", "--no-timing"])
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONValue.parse(Data(contentsOf: json)).elements("fixef")
  }

  @Test("MMRM: same df as kenward-roger, different adjusted SEs")
  func mmrm() throws {
    let data = RepositoryPaths.fixtures.appendingPathComponent(
      "mmrm/ketamine_visits1to6.csv"
    ).path
    let base = [
      "fit", data, "--factor", "visit", "--formula",
      "pain ~ visit * arm + baseline_pain + ar1h(visit | subject)",
    ]
    let full = try fixedEffects(base + ["--df", "kenward-roger"])
    let linear = try fixedEffects(base + ["--df", "kenward-roger-linear"])
    var seDiffer = false
    for (a, b) in try zipExactly(full, linear, "fixef") {
      let (dfA, dfB) = (try a.number("df"), try b.number("df"))
      #expect(abs(dfA - dfB) <= 1e-9 * dfA, "\(a["term"]): df \(dfA) vs \(dfB)")
      let (x, y) = (try a.number("se"), try b.number("se"))
      if abs(x - y) > 1e-9 * x { seDiffer = true }
    }
    #expect(seDiffer, "the R terms should change some adjusted SE")
  }

  @Test("linear mixed model: identical to kenward-roger")
  func lmm() throws {
    let base = [
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
    ]
    let full = try fixedEffects(base + ["--df", "kenward-roger"])
    let linear = try fixedEffects(base + ["--df", "kenward-roger-linear"])
    #expect(!full.isEmpty)
    #expect(full == linear)
  }
}
