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
    let expected = try Fixture.load("inference/pain_trial").member("expected")
    #expect(try out.text("df_method") == "kenward-roger")
    for (entry, row) in try zipExactly(
      out.elements("fixef"), expected.elements("kenward_roger"), "fixef")
    {
      #expect(try entry.text("term") == row.text("term"))
      expectClose(try entry.number("se"), try row.number("se"), .fixedEffects, "se")
      expectClose(try entry.number("df"), try row.number("df"), .degreesOfFreedom, "df")
      expectClose(try entry.number("p"), try row.number("p"), .pValue, "p")
    }
    for (entry, row) in try zipExactly(
      out.elements("anova"), expected.elements("anova_kenward_roger"), "anova")
    {
      #expect(try entry.text("term") == row.text("term"))
      expectClose(try entry.number("denDF"), try row.number("denDF"), .degreesOfFreedom, "denDF")
      expectClose(try entry.number("F"), try row.number("F"), .fixedEffects, "F")
    }
    let emm = try expected.member("emmeans").member("kenward_roger")
    #expect(try out.elements("emmeans").count == 3)
    for (entry, row) in try zipExactly(out.elements("emmeans"), emm.elements("means"), "emmeans") {
      #expect(try entry.text("arm") == row.member("levels").text("arm"))
      expectClose(try entry.number("estimate"), try row.number("estimate"), .fixedEffects)
      expectClose(try entry.number("lower"), try row.number("lower"), .fixedEffects)
    }
    let family = try emm.member("trt_vs_ctrl")
    let pairs = Array(try zipExactly(out.elements("contrasts"), family.elements("rows"), "rows"))
    for ((entry, row), holm) in try zipExactly(pairs, family.numbers("holm"), "holm") {
      #expect(try entry.text("contrast") == row.text("contrast"))
      expectClose(try entry.number("df"), try row.number("df"), .degreesOfFreedom, "df")
      expectClose(try entry.number("p_adjusted"), holm, .pValue, "p_adjusted")
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
    let fixef = try out.elements("fixef")
    #expect(!fixef.isEmpty)
    for entry in fixef {
      #expect(try entry.requiredMembers().keys.sorted() == ["estimate", "se", "t", "term"])
    }
    let members = try out.requiredMembers()
    #expect(members["anova"] == nil && members["emmeans"] == nil && members["df_method"] == nil)
  }

  @Test("bad choices, ML with Kenward-Roger and unknown factors are errors with exit 1")
  func errors() throws {
    // Choices (parsed by swift-argument-parser) and the specifications of the means and
    // contrasts are usage errors, before any data is read; the rest come from the model.
    for (extra, fragment) in [
      (["--df", "kr"], "The value 'kr' is invalid for '--df <method>'. Please provide one of"),
      (["--ml", "--df", "kenward-roger"], "REML fits only"),
      (["--emmeans", "treatment"], "unknown term or factor 'treatment'"),
      (["--contrast", "pairwise"], "needs --emmeans"),
      (["--emmeans", "arm", "--contrast", "tukey"], "cannot read 'tukey'"),
      (
        ["--emmeans", "arm", "--contrast", "pairwise", "--adjust", "sidak"],
        "The value 'sidak' is invalid for '--adjust <method>'"
      ),
    ] {
      let result = try runTraj(Self.painArguments + extra + ["--quiet"])
      #expect(result.status == 1, "\(extra)")
      #expect(result.stderr.contains(fragment), "\(extra): \(result.stderr)")
    }
  }
}

/// The means and contrast specifications are checked before any data is read (names against
/// the formula) or before the fit (levels and weights against the data), so that a typo fails
/// at once even where the fit and Kenward–Roger would take minutes.
@Suite("traj fit: inference requests checked early")
struct FitInferenceEarlyErrorTests {
  @Test("a misspelt --emmeans variable fails before the data file is read")
  func meansBeforeData() throws {
    // The data file does not exist: the error is the request's, not the file's.
    let run = try runTraj([
      "fit", "no-such-file.csv", "--formula", "pain ~ week * arm + (1 | subject)",
      "--emmeans", "armm", "--quiet",
    ])
    #expect(run.status == 1)
    #expect(run.stderr == "traj: error: unknown term or factor 'armm'\n", "\(run.stderr)")
  }

  @Test("a contrast that does not parse fails before the data file is read")
  func contrastBeforeData() throws {
    let run = try runTraj([
      "fit", "no-such-file.csv", "--formula", "pain ~ week * arm + (1 | subject)",
      "--emmeans", "arm", "--contrast", "trtvsctrl", "--quiet",
    ])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("traj: error: cannot read 'trtvsctrl'"), "\(run.stderr)")
  }

  @Test("an unknown control level or the wrong number of custom weights is a clear error")
  func levelsBeforeFit() throws {
    let base = [
      "fit", Dataset.path("pain_trial"), "--formula", "pain ~ week * arm + (1 | subject)",
      "--emmeans", "arm", "--quiet",
    ]
    for (contrast, message) in [
      ("trt.vs.ctrl(placebbo)", "traj: error: unknown term or factor 'placebbo'"),
      ("custom(1,-1)", "custom contrast needs 3 weights, one per mean"),
    ] {
      let run = try runTraj(base + ["--contrast", contrast])
      #expect(run.status == 1)
      #expect(run.stderr.contains(message), "\(contrast): \(run.stderr)")
    }
  }
}
