import Foundation
import TestSupport
import Testing

/// `traj compare` against R's `anova()` (lme4 and nlme gls fixtures of
/// `scripts/reference/compare.R`), and its refusals.
@Suite("traj compare")
struct CompareCommandTests {
  /// Log-likelihoods, AIC and BIC: the criterion at the optimum (`Tolerance.deviance`).
  static let likelihood = Tolerance.deviance
  /// The statistic is a difference of two log-likelihoods of size ~10³, each agreeing to
  /// ~1e-6 relative: absolute 2e-3 covers it, relative 1e-5 the large statistics.
  static let statistic = Tolerance(
    relative: 1e-5, absolute: 2e-3, reason: "difference of two log-likelihoods")
  /// p follows the statistic: dp = f(χ²)·dLR, relative 1e-3 at these p-values.
  static let pValue = Tolerance(
    relative: 1e-3, absolute: 1e-9, reason: "upper χ² tail at a statistic known to 2e-3")

  @Test(
    "AIC, BIC, logLik and LR tests agree with R's anova()",
    arguments: Fixture.all(in: "compare"))
  func agreesWithR(fixture name: String) throws {
    let fixture = try Fixture.load(name)
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("compare.json")
    let expected = try fixture.member("expected")
    let models = try expected.elements("models")
    let call = try fixture.member("call")
    var arguments = ["compare", try fixture.member("dataset").text("path")]
    for model in models { arguments += ["--formula", try model.text("formula")] }
    for factor in try call.texts("factors") { arguments += ["--factor", factor] }
    let method = try call.text("method")
    try #require(method == "REML" || method == "ML", "method \(method)")
    if method == "ML" { arguments.append("--ml") }
    arguments += ["--json", json.path]
    let result = try runTraj(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Pr(>Chisq)"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    for (mine, reference) in try zipExactly(document.elements("models"), models, "\(name) models") {
      #expect(try mine.number("npar") == reference.number("npar"))
      for key in ["AIC", "BIC", "logLik"] {
        let (o, e) = (try mine.number(key), try reference.number(key))
        #expect(Self.likelihood.accepts(o, e), "\(name) \(key): \(o) vs R \(e)")
      }
    }
    for (mine, reference) in try zipExactly(
      document.elements("tests"), expected.elements("tests"), "\(name) tests")
    {
      #expect(try mine.number("df") == reference.number("df"))
      let (s, sR) = (try mine.number("statistic"), try reference.number("statistic"))
      #expect(Self.statistic.accepts(s, sR), "\(name) statistic: \(s) vs R \(sR)")
      let (p, pR) = (try mine.number("p"), try reference.number("p"))
      #expect(Self.pValue.accepts(p, pR), "\(name) p: \(p) vs R \(pR)")
    }
  }

  @Test("REML fits with different fixed effects are refused, naming the pair and --ml")
  func remlFixedEffects() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("compare.json")
    let result = try runTraj([
      "compare", Dataset.path("sleepstudy"), "--formula", "Reaction ~ 1 + (Days | Subject)",
      "--formula", "Reaction ~ Days + (Days | Subject)", "--json", json.path,
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot compare m1 with m2"))
    #expect(result.stderr.contains("--ml"))
    #expect(!FileManager.default.fileExists(atPath: json.path))
  }

  @Test("a larger model without more parameters, one formula, or a bad name count fail")
  func badRequests() throws {
    let data = Dataset.path("sleepstudy")
    let reversed = try runTraj([
      "compare", data, "--formula", "Reaction ~ Days + (Days | Subject)",
      "--formula", "Reaction ~ Days + (1 | Subject)", "--name", "slope", "--name", "intercept",
    ])
    #expect(reversed.status == 1)
    #expect(reversed.stderr.contains("\"intercept\" must have more parameters than \"slope\""))
    let one = try runTraj(["compare", data, "--formula", "Reaction ~ Days + (1 | Subject)"])
    #expect(one.status == 1)
    #expect(one.stderr.contains("at least two formulas"))
    let names = try runTraj([
      "compare", data, "--formula", "Reaction ~ Days + (1 | Subject)",
      "--formula", "Reaction ~ Days + (Days | Subject)", "--name", "only",
    ])
    #expect(names.status == 1)
    #expect(names.stderr.contains("1 names for 2 formulas"))
  }

  @Test("ML fits whose fixed effects are not nested are refused")
  func notNested() throws {
    let result = try runTraj([
      "compare", Dataset.path("orthodont"), "--ml",
      "--formula", "distance ~ Sex + (1 | Subject)",
      "--formula", "distance ~ age + (1 | Subject)",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("not nested") || result.stderr.contains("more parameters"))
  }
}
