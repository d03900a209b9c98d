import Foundation
import TestSupport
import Testing

/// `traj fit --adjust mvt|dunnett` end to end: the JSON's adjusted p-values and simultaneous
/// limits, and the printed footer.
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
}
