import Foundation
import TestSupport
import Testing

/// `traj report` with MMRM models and likelihood-ratio comparisons, end to end.
@Suite("traj report: MMRM models and model comparison")
struct ReportCommandMMRMTests {
  static let spec = """
    title: MMRM report
    data: trial.csv
    where: visit >= 1
    references: {arm: placebo}
    factors: [visit]
    models:
      - name: primary
        formula: pain ~ visit * arm + baseline_pain + (1 | subject)
      - name: slope
        formula: pain ~ visit * arm + baseline_pain + (1 + week | subject)
      - name: mmrm cs
        formula: pain ~ visit * arm + baseline_pain + cs(visit | subject)
      - name: mmrm csh
        formula: pain ~ visit * arm + baseline_pain + csh(visit | subject)
        covariance_fallback: true
    comparisons:
      - models: [primary, slope]
      - models: [mmrm cs, mmrm csh]
    output: {directory: out}
    seed: 7

    """

  let base = ReportCommandTests()

  /// The same arithmetic on numbers read back from JSON (printed at full precision).
  static let printedJSON = Tolerance(
    relative: 1e-12, absolute: 1e-9, reason: "LR from logLik values round-tripped through JSON")
  /// The χ² upper tail of `Distributions` against its closed form for whole df.
  static let closedForm = Tolerance(
    relative: 1e-8, absolute: 1e-14, reason: "incomplete gamma vs closed-form series")

  /// The parsed `results.json` of `dir/out`.
  func results(_ dir: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: dir.appendingPathComponent("out/results.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test("an MMRM model gets its tables, heat map and covariance object in results.json")
  func mmrmSections() throws {
    let dir = try base.workspace(spec: Self.spec)
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let files = try base.contents(dir.appendingPathComponent("out"))
    let md = String(decoding: files["report.md"] ?? Data(), as: UTF8.self)
    for text in [
      "Model: mmrm cs (sensitivity)", "Covariance parameters (cs)",
      "Fitted within-subject covariance over visit",
      "Fitted within-subject correlation over visit", "Covariance structure attempts",
      "Fixed effects (95 % Wald intervals, normal quantile)", "Model comparison",
      "Likelihood-ratio tests", "boundary: p conservative",
      "Mixed model for repeated measures fitted by REML",
    ] {
      #expect(md.contains(text), "report.md lacks \(text)")
    }
    #expect(files["figures/correlation-mmrm-cs.svg"] != nil)
    #expect(files["figures/correlation-mmrm-csh.svg"] != nil)
    let json = try results(dir)
    let models = try #require(json["models"] as? [[String: Any]])
    #expect(models.count == 4)
    let fit = try #require(models[2]["fit"] as? [String: Any])
    #expect(fit["model"] as? String == "MMRM")
    let covariance = try #require(fit["covariance"] as? [String: Any])
    #expect(covariance["structure"] as? String == "cs")
    let levels = try #require(covariance["levels"] as? [String])
    #expect(levels.count == 11)
    #expect((covariance["matrix"] as? [[Double]])?.count == 11)
    #expect((covariance["attempts"] as? [[String: Any]])?.count == 1)
    let provenance = try #require(
      try JSONSerialization.jsonObject(
        with: dir.appendingPathComponent("out/provenance.json").readData()) as? [String: Any])
    let records = try #require(provenance["models"] as? [[String: Any]])
    #expect(records.count == 4 && records[3]["optimizer"] as? String != nil)
  }

  @Test("comparison statistics agree with the fits' logLik and df in results.json")
  func comparisonValues() throws {
    let dir = try base.workspace(spec: Self.spec)
    defer { removeTemporaryDirectory(dir) }
    #expect(try runTraj(["report", "analysis.yaml"], in: dir).status == 0)
    let json = try results(dir)
    let models = try #require(json["models"] as? [[String: Any]])
    func fit(_ name: String) throws -> (logLik: Double, df: Int) {
      let model = try #require(models.first { $0["name"] as? String == name })
      let fit = try #require(model["fit"] as? [String: Any])
      return (try #require(fit["logLik"] as? Double), try #require(fit["df"] as? Int))
    }
    let comparisons = try #require(json["comparisons"] as? [[String: Any]])
    #expect(comparisons.count == 2)
    for (k, pair) in [("primary", "slope"), ("mmrm cs", "mmrm csh")].enumerated() {
      let test = comparisons[k]
      let a = try fit(pair.0)
      let b = try fit(pair.1)
      let lr = 2 * (b.logLik - a.logLik)
      let df = b.df - a.df
      #expect(test["smaller"] as? String == pair.0 && test["larger"] as? String == pair.1)
      #expect(test["df"] as? Int == df)
      let statistic = try #require(test["statistic"] as? Double)
      expectClose(statistic, lr, Self.printedJSON, "LR \(pair)")
      let p = try #require(test["p"] as? Double)
      expectClose(p, chiSquaredUpperTail(max(lr, 0), df: df), Self.closedForm, "p \(pair)")
      #expect(test["method"] as? String == "REML")
    }
    #expect(comparisons[0]["boundary"] as? Bool == true)
    #expect(comparisons[1]["boundary"] as? Bool == false)
  }

  @Test("the same bytes whatever the order of the rows, with MMRM models")
  func deterministic() throws {
    let first = try base.workspace(spec: Self.spec)
    let second = try base.workspace(spec: Self.spec, shuffled: true)
    defer {
      removeTemporaryDirectory(first)
      removeTemporaryDirectory(second)
    }
    #expect(try runTraj(["report", "analysis.yaml"], in: first).status == 0)
    #expect(try runTraj(["report", "analysis.yaml"], in: second).status == 0)
    let one = try base.contents(first.appendingPathComponent("out"))
    let other = try base.contents(second.appendingPathComponent("out"))
    #expect(one.keys.sorted() == other.keys.sorted())
    for (name, bytes) in one where name != "provenance.json" {
      #expect(other[name] == bytes, "\(name) depends on the row order")
    }
  }

  @Test("comparison and fallback errors name the key path; nothing is written")
  func specErrors() throws {
    let cases = [
      (
        Self.spec.replacingOccurrences(of: "[mmrm cs, mmrm csh]", with: "[mmrm cs, mmrm cx]"),
        "comparisons[1].models[1]"
      ),
      (
        Self.spec.replacingOccurrences(
          of: "(1 | subject)\n", with: "(1 | subject)\n    covariance_fallback: true\n"),
        "models[0].covariance_fallback"
      ),
    ]
    for (spec, path) in cases {
      let dir = try base.workspace(spec: spec)
      defer { removeTemporaryDirectory(dir) }
      let result = try runTraj(["report", "analysis.yaml"], in: dir)
      #expect(result.status == 1, "\(path)")
      #expect(result.stderr.contains(path), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
  }

  @Test("a REML comparison of different fixed effects is refused with the reason")
  func remlDifferentFixedEffects() throws {
    let spec = Self.spec.replacingOccurrences(
      of: "formula: pain ~ visit * arm + baseline_pain + (1 + week | subject)",
      with: "formula: pain ~ visit + arm + baseline_pain + (1 + week | subject)")
    let dir = try base.workspace(spec: spec)
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("comparisons[0].models"), "\(result.stderr)")
    #expect(
      result.stderr.contains("REML likelihoods with different fixed effects are not comparable"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
  }

  @Test("ML comparisons accept nested fixed effects and refuse the pair given the wrong way")
  func mlNesting() throws {
    let spec = """
      title: ML comparison
      data: trial.csv
      where: visit >= 1
      references: {arm: placebo}
      factors: [visit]
      models:
        - name: additive
          formula: pain ~ visit + arm + baseline_pain + (1 | subject)
          method: ml
        - name: interaction
          formula: pain ~ visit * arm + baseline_pain + (1 | subject)
          method: ml
      comparisons:
        - models: [additive, interaction]
      output: {directory: out, formats: [json]}

      """
    let dir = try base.workspace(spec: spec)
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let comparisons = try #require(try results(dir)["comparisons"] as? [[String: Any]])
    #expect(comparisons.first?["df"] as? Int == 40)
    #expect(comparisons.first?["method"] as? String == "ML")
    #expect(comparisons.first?["boundary"] as? Bool == false)

    let reversed = spec.replacingOccurrences(
      of: "[additive, interaction]", with: "[interaction, additive]")
    try reversed.write(
      to: dir.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    let refused = try runTraj(["report", "analysis.yaml", "--force"], in: dir)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("comparisons[0].models"), "\(refused.stderr)")
    #expect(refused.stderr.contains("not nested"), "\(refused.stderr)")
  }
}

/// P(χ²_df ≥ x) in closed form for whole df (an independent check of the report's p-values):
/// a Poisson sum for even df, the normal tail plus a finite series for odd df.
private func chiSquaredUpperTail(_ x: Double, df: Int) -> Double {
  if df % 2 == 0 {
    var term = 1.0
    var sum = 1.0
    for k in stride(from: 1, to: df / 2, by: 1) {
      term *= x / 2 / Double(k)
      sum += term
    }
    return exp(-x / 2) * sum
  }
  var series = 0.0
  var term = x.squareRoot()
  for k in stride(from: 1, through: (df - 1) / 2, by: 1) {
    series += term
    term *= x / Double(2 * k + 1)
  }
  return erfc((x / 2).squareRoot()) + 2 * exp(-x / 2) / (2 * Double.pi).squareRoot() * series
}

extension URL {
  fileprivate func readData() throws -> Data { try Data(contentsOf: self) }
}
