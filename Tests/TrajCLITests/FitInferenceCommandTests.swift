import Foundation
import TestSupport
import Testing

/// `traj fit --df/--anova/--emmeans/--contrast/--adjust` end to end: the JSON members and the
/// numbers against the lmerTest/pbkrtest/emmeans fixtures, and the errors.
@Suite("traj fit inference options, end to end")
struct FitInferenceCommandTests {
  static let painArguments = [
    "fit", Dataset.path("pain_trial"), "--formula",
    "pain ~ week * arm + baseline_pain + (1 + week | subject)", "--ref", "arm=placebo",
  ]

  @Test("Kenward-Roger df, type III table, means and holm-adjusted contrasts in the JSON")
  func painTrialJSON() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj(
      Self.painArguments + [
        "--df", "kenward-roger", "--anova", "--emmeans", "arm | week", "--contrast",
        "trt.vs.ctrl(placebo)", "--adjust", "holm", "--json", json.path, "--no-timing",
      ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("Estimate Std. Error    df t value Pr(>|t|)"))
    #expect(result.stdout.contains("Type III Analysis of Variance Table"))
    let out = try JSONValue.parse(Data(contentsOf: json))
    let expected = try Fixture.load("inference/pain_trial")["expected"]
    #expect(out["df_method"].string == "kenward-roger")
    for (entry, row) in zip(out["fixef"].array, expected["kenward_roger"].array) {
      #expect(entry["term"].string == row["term"].string)
      expectClose(entry["se"].double ?? .nan, row["se"].double ?? .nan, .fixedEffects, "se")
      expectClose(entry["df"].double ?? .nan, row["df"].double ?? .nan, .degreesOfFreedom, "df")
      expectClose(entry["p"].double ?? .nan, row["p"].double ?? .nan, .pValue, "p")
    }
    for (entry, row) in zip(out["anova"].array, expected["anova_kenward_roger"].array) {
      #expect(entry["term"].string == row["term"].string)
      expectClose(entry["denDF"].double ?? .nan, row["denDF"].double ?? .nan, .degreesOfFreedom)
      expectClose(entry["F"].double ?? .nan, row["F"].double ?? .nan, .fixedEffects)
    }
    let emm = expected["emmeans"]["kenward_roger"]
    #expect(out["emmeans"].array.count == 3)
    for (entry, row) in zip(out["emmeans"].array, emm["means"].array) {
      #expect(entry["arm"].string == row["levels"]["arm"].string)
      expectClose(entry["estimate"].double ?? .nan, row["estimate"].double ?? .nan, .fixedEffects)
      expectClose(entry["lower"].double ?? .nan, row["lower"].double ?? .nan, .fixedEffects)
    }
    let holm = emm["trt_vs_ctrl"]["holm"].doubles
    for (k, (entry, row)) in zip(out["contrasts"].array, emm["trt_vs_ctrl"]["rows"].array)
      .enumerated()
    {
      #expect(entry["contrast"].string == row["contrast"].string)
      expectClose(entry["df"].double ?? .nan, row["df"].double ?? .nan, .degreesOfFreedom)
      expectClose(entry["p_adjusted"].double ?? .nan, holm[k], .pValue)
    }
  }

  @Test("without inference options the JSON has no df, p or inference members")
  func defaultUnchanged() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj(Self.painArguments + ["--json", json.path, "--quiet"])
    #expect(result.status == 0)
    let out = try JSONValue.parse(Data(contentsOf: json))
    #expect(out["fixef"][0].object.keys.sorted() == ["estimate", "se", "t", "term"])
    #expect(out["anova"] == .null && out["emmeans"] == .null && out["df_method"] == .null)
  }

  @Test("bad choices, ML with Kenward-Roger and unknown factors are errors with exit 1")
  func errors() throws {
    for (extra, fragment) in [
      (["--df", "kr"], "--df expects one of"),
      (["--ml", "--df", "kenward-roger"], "REML fits only"),
      (["--emmeans", "treatment"], "unknown term or factor 'treatment'"),
      (["--contrast", "pairwise"], "needs --emmeans"),
      (["--emmeans", "arm", "--contrast", "tukey"], "cannot read 'tukey'"),
      (["--emmeans", "arm", "--contrast", "pairwise", "--adjust", "sidak"], "--adjust expects"),
    ] {
      let result = try runTraj(Self.painArguments + extra + ["--quiet"])
      #expect(result.status == 1, "\(extra)")
      #expect(result.stderr.contains(fragment), "\(extra): \(result.stderr)")
    }
  }
}
