import Foundation
import TestSupport
import Testing

/// `traj fit --adjust mvt|dunnett` end to end: the JSON's adjusted p-values and simultaneous
/// limits against emmeans' `adjust = "mvt"` (`Tests/Fixtures/inference/mvt/emmeans_lmer.json`),
/// and the printed footer.
@Suite("traj fit --adjust mvt, end to end")
struct FitAdjustMvtCommandTests {
  @Test("mvt and dunnett give the same bits; adjusted limits are wider; the footer names them")
  func mvtEqualsDunnett() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    var outputs = [JSONValue]()
    for method in ["mvt", "dunnett"] {
      let json = dir.appendingPathComponent("\(method).json")
      let result = try runTraj(
        FitInferenceCommandTests.painArguments + [
          "--emmeans", "arm", "--contrast", "pairwise", "--adjust", method, "--json", json.path,
          "--no-timing",
        ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      #expect(result.stdout.contains("P value adjustment: \(method) method for 3 tests"))
      outputs.append(try JSONValue.parse(Data(contentsOf: json)))
    }
    let mvt = try outputs[0].elements("contrasts")
    let dunnett = try outputs[1].elements("contrasts")
    #expect(mvt.count == 3)
    for (a, b) in try zipExactly(mvt, dunnett, "mvt vs dunnett") {
      #expect(a == b, "mvt and dunnett contrasts")
      let p = try a.number("p")
      let adjusted = try a.number("p_adjusted")
      // Single-step lies between the unadjusted and the Bonferroni p-value, up to the
      // integration's absolute error (1e-5; it computes 1 − P(max|T| < |t|)).
      #expect(adjusted >= p - 1e-5 && adjusted <= min(1, 3 * p) + 1e-5)
      #expect(try a.number("lower_adjusted") < a.number("lower"))
      #expect(try a.number("upper_adjusted") > a.number("upper"))
    }
  }

  @Test("Dunnett-adjusted trt.vs.ctrl contrasts match emmeans' mvt (Kenward-Roger df)")
  func dunnettPainTrial() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj(
      FitInferenceCommandTests.painArguments + [
        "--df", "kenward-roger", "--emmeans", "arm | week", "--contrast",
        "trt.vs.ctrl(placebo)", "--adjust", "dunnett", "--json", json.path, "--no-timing",
      ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("P value adjustment: dunnett method for 2 tests"))
    #expect(result.stdout.contains("Conf-level adjustment: dunnett method for 2 estimates"))
    let out = try JSONValue.parse(Data(contentsOf: json))
    let fixture = try Fixture.load("inference/mvt/emmeans_lmer")
    let cases = try fixture.elements("cases")
    let pain = try #require(try cases.first { try $0.text("name") == "pain_trial" })
    let family = try pain.member("expected").member("kenward_roger").member("trt_vs_ctrl")
    let reference = try family.elements("rows")
    for (entry, row) in try zipExactly(out.elements("contrasts"), reference, "contrasts") {
      #expect(try entry.text("contrast") == row.text("contrast"))
      // Tolerances from the fixture's recorded errors (see SingleStepTolerance).
      let t = try row.number("t")
      let estimate = try row.number("estimate")
      let se = try row.number("se")
      let pTolerance = try SingleStepTolerance.pValue(
        family: family, t: t, deltaT: abs(try entry.number("t") - t),
        df: try entry.number("df"), dimension: reference.count)
      let limitTolerance = try SingleStepTolerance.limit(
        family: family, se: se, deltaEstimate: abs(try entry.number("estimate") - estimate),
        deltaSE: abs(try entry.number("se") - se),
        criticalValue: (try row.number("upper") - estimate) / se)
      expectClose(
        try entry.number("p_adjusted"), try row.number("p_adjusted"), pTolerance, "p_adjusted")
      expectClose(
        try entry.number("lower_adjusted"), try row.number("lower"), limitTolerance,
        "lower_adjusted")
      expectClose(
        try entry.number("upper_adjusted"), try row.number("upper"), limitTolerance,
        "upper_adjusted")
      // The unadjusted limits stay as they were.
      #expect(try entry.number("lower") > entry.number("lower_adjusted"))
    }
  }
}
