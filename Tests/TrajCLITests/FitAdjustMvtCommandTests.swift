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
    let mvt = outputs[0]["contrasts"].array
    let dunnett = outputs[1]["contrasts"].array
    #expect(mvt.count == 3)
    for (a, b) in zip(mvt, dunnett) {
      #expect(a["p_adjusted"] == b["p_adjusted"] && a["lower_adjusted"] == b["lower_adjusted"])
      let p = a["p"].double ?? .nan
      let adjusted = a["p_adjusted"].double ?? .nan
      // Single-step lies between the unadjusted and the Bonferroni p-value, up to the
      // integration's absolute error (1e-5; it computes 1 − P(max|T| < |t|)).
      #expect(adjusted >= p - 1e-5 && adjusted <= min(1, 3 * p) + 1e-5)
      #expect((a["lower_adjusted"].double ?? .nan) < (a["lower"].double ?? .nan))
      #expect((a["upper_adjusted"].double ?? .nan) > (a["upper"].double ?? .nan))
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
    let family = fixture["cases"][0]["expected"]["kenward_roger"]["trt_vs_ctrl"]
    let reference = family["rows"]
    #expect(fixture["cases"][0]["name"].string == "pain_trial")
    #expect(out["contrasts"].array.count == reference.array.count)
    for (entry, row) in zip(out["contrasts"].array, reference.array) {
      #expect(entry["contrast"].string == row["contrast"].string)
      // Tolerances from the fixture's recorded errors (see SingleStepTolerance).
      let t = row["t"].double ?? .nan
      let estimate = row["estimate"].double ?? .nan
      let se = row["se"].double ?? .nan
      let pTolerance = SingleStepTolerance.pValue(
        family: family, t: t, deltaT: abs((entry["t"].double ?? .nan) - t),
        df: entry["df"].double ?? .nan, dimension: reference.array.count)
      let limitTolerance = SingleStepTolerance.limit(
        family: family, se: se, deltaEstimate: abs((entry["estimate"].double ?? .nan) - estimate),
        deltaSE: abs((entry["se"].double ?? .nan) - se),
        criticalValue: ((row["upper"].double ?? .nan) - estimate) / se)
      expectClose(
        entry["p_adjusted"].double ?? .nan, row["p_adjusted"].double ?? .nan, pTolerance,
        "p_adjusted")
      expectClose(
        entry["lower_adjusted"].double ?? .nan, row["lower"].double ?? .nan, limitTolerance,
        "lower_adjusted")
      expectClose(
        entry["upper_adjusted"].double ?? .nan, row["upper"].double ?? .nan, limitTolerance,
        "upper_adjusted")
      // The unadjusted limits stay as they were.
      #expect((entry["lower"].double ?? .nan) > (entry["lower_adjusted"].double ?? .nan))
    }
  }
}
