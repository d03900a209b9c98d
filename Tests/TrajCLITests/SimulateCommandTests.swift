import Foundation
import TestSupport
import Testing

/// `traj simulate` end to end: bundled datasets regenerate byte for byte; bad designs fail
/// with the key path named and leave nothing behind.
@Suite("traj simulate, end to end")
struct SimulateCommandTests {
  static let validDesign = """
    name: cli_test
    seed: 7
    sites: 2
    arms:
      - {label: placebo, size: 5}
      - {label: ketamine, size: 5}
    schedule:
      visit_days: [-7, 0, 7, 14]
      infusion_visits: [1, 2]
    dosing:
      dose_mgkg: {mean: 1.0, sd: 0.1}
    effects:
      intercept: 6
      ketamine: {infusion_response_per_mgkg: -1, half_life_days: 5}
    random_effects: {subject_intercept_sd: 0.5}
    residual: {sd: 0.7}
    dropout: {model: mcar, rate: 0.05}

    """

  /// Runs `traj simulate` on `design` (written to a fresh directory) with `extra` arguments.
  func run(design: String, extra: [String] = ["--seed", "1"]) throws -> (TrajRun, URL) {
    let dir = try makeTemporaryDirectory()
    try Data(design.utf8).write(to: dir.appendingPathComponent("design.yaml"))
    let result = try runTraj(
      ["simulate", "--design", "design.yaml", "--out", "out.csv"] + extra, in: dir)
    return (result, dir)
  }

  /// Asserts a failed run: exit 1, one `traj: error:` line with each fragment, no output.
  func expectFailure(
    _ result: TrajRun, in dir: URL, mentioning fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(result.status == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("traj: error: "), sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        result.stderr.contains(fragment), "missing '\(fragment)' in: \(result.stderr)",
        sourceLocation: sourceLocation)
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(files == ["design.yaml"], "files left: \(files)", sourceLocation: sourceLocation)
  }

  @Test(
    "bundled simulated datasets regenerate byte-identically from design and seed",
    arguments: [("ketamine_small", "20261125"), ("ketamine_medium", "20261126")])
  func bundledDatasets(name: String, seed: String) throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let out = dir.appendingPathComponent("\(name).csv")
    let result = try runTraj([
      "simulate", "--design", "datasets/\(name).design.yaml", "--seed", seed, "--out", out.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let datasets = RepositoryPaths.datasets
    let csvSame =
      try Data(contentsOf: out) == Data(contentsOf: datasets.appendingPathComponent("\(name).csv"))
    #expect(csvSame, "\(name).csv differs from a regeneration")
    let truthSame =
      try Data(contentsOf: dir.appendingPathComponent("\(name).truth.json"))
      == Data(contentsOf: datasets.appendingPathComponent("\(name).truth.json"))
    #expect(truthSame, "\(name).truth.json differs from a regeneration")
  }

  @Test("the truth's analysis formula fits the bundled data with exactly the truth's term names")
  func truthNamesMatchFit() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let truth = try JSONValue.parse(
      Data(contentsOf: RepositoryPaths.datasets.appendingPathComponent("ketamine_small.truth.json"))
    )
    let model = truth["analysis_model"]
    let formula = try #require(model["formula"].string)
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", "datasets/ketamine_small.csv", "--formula", formula, "--ref", "arm=placebo",
      "--json", json.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let fit = try JSONValue.parse(Data(contentsOf: json))
    let fitted = fit["fixef"].array.compactMap { $0["term"].string }
    let expected = model["fixef"].array.compactMap { $0["term"].string }
    #expect(!expected.isEmpty)
    #expect(fitted == expected)
    // Not exact (waning responses, clamping), but the covariate effects are linear and
    // should be recovered roughly: baseline_pain within 0.25 of the truth.
    let estimate = fit["fixef"].array.first { $0["term"].string == "baseline_pain" }
    let value = model["fixef"].array.first { $0["term"].string == "baseline_pain" }
    let difference = try abs(
      #require(estimate?["estimate"].double) - #require(value?["value"].double))
    #expect(difference < 0.25)
  }

  @Test("writes the CSV and the truth; same seed → same bytes, any thread count")
  func writesDeterministically() throws {
    let (first, dir) = try run(design: Self.validDesign, extra: ["--seed", "3", "--threads", "1"])
    defer { removeTemporaryDirectory(dir) }
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.isEmpty && first.stderr.isEmpty)
    let csv = try Data(contentsOf: dir.appendingPathComponent("out.csv"))
    let truth = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("out.truth.json")))
    #expect(truth["seed"].double == 3)
    #expect(truth["subjects"].double == 10)
    #expect(truth["analysis_model"]["formula"].string?.hasPrefix("pain ~ week * arm") == true)
    let second = try runTraj(
      [
        "simulate", "--design", "design.yaml", "--seed", "3", "--threads", "4", "--out",
        "again.csv", "--truth", "again.json",
      ], in: dir)
    #expect(second.status == 0, "\(second.stderr)")
    let same = try csv == Data(contentsOf: dir.appendingPathComponent("again.csv"))
    #expect(same)
    let third = try runTraj(
      ["simulate", "--design", "design.yaml", "--out", "seeded.csv"], in: dir)
    #expect(third.status == 0, "\(third.stderr)")
    let differs = try csv != Data(contentsOf: dir.appendingPathComponent("seeded.csv"))
    #expect(differs, "the design's seed (7) should differ from --seed 3")
  }

  @Test("an unknown key is rejected with its path and a suggestion; nothing is written")
  func unknownKey() throws {
    let design = Self.validDesign.replacingOccurrences(of: "rate: 0.05", with: "rat: 0.05")
    let (result, dir) = try run(design: design)
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(
      result, in: dir,
      mentioning: ["design.yaml:17:", "dropout: unknown key 'rat' (did you mean 'rate'?)"])
  }

  @Test(
    "impossible values are rejected with the key path; nothing is written",
    arguments: [
      ("residual: {sd: 0.7}", "residual: {sd: -1}", "residual.sd: must be > 0"),
      ("rate: 0.05", "rate: 1.5", "dropout.rate: must be a probability in [0, 1]"),
      ("mean: 1.0, sd: 0.1", "mean: 7, sd: 0.1", "dosing.dose_mgkg.mean: must be a dose in [0, 5]"),
      ("size: 5}\n  - {label: ketamine", "size: ten}\n  - {label: ketamine", "arms[0].size"),
    ])
  func impossibleValues(original: String, replacement: String, message: String) throws {
    let design = Self.validDesign.replacingOccurrences(of: original, with: replacement)
    #expect(design != Self.validDesign)
    let (result, dir) = try run(design: design)
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: [message])
  }

  @Test("a missing required key is named; nothing is written")
  func missingKey() throws {
    let design = Self.validDesign.replacingOccurrences(of: "residual: {sd: 0.7}\n", with: "")
    let (result, dir) = try run(design: design)
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["missing required key 'residual'"])
  }

  @Test("a YAML syntax error names the file and line; a missing seed is an error")
  func syntaxAndSeed() throws {
    let (bad, dir) = try run(design: "name: x\narms: [a, b\n")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(bad, in: dir, mentioning: ["design.yaml:", "YAML syntax error"])
    let unseeded = Self.validDesign.replacingOccurrences(of: "seed: 7\n", with: "")
    let (noSeed, dir2) = try run(design: unseeded, extra: [])
    defer { removeTemporaryDirectory(dir2) }
    try expectFailure(noSeed, in: dir2, mentioning: ["no seed"])
  }

  @Test("a failed truth write leaves neither file")
  func failedTruthWrite() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    try Data(Self.validDesign.utf8).write(to: dir.appendingPathComponent("design.yaml"))
    let truth = dir.appendingPathComponent("t.json").path
    let result = try runTraj(
      ["simulate", "--design", "design.yaml", "--out", "out.csv", "--truth", truth], in: dir,
      environment: ["TRAJ_TEST_FAIL_WRITE": truth])
    try expectFailure(result, in: dir, mentioning: ["injected write failure"])
  }

  @Test("--help gives an example for every option")
  func help() throws {
    let result = try runTraj(["simulate", "--help"])
    #expect(result.status == 0)
    let options = result.stdout.components(separatedBy: "OPTIONS:").last ?? ""
    for option in ["--design", "--seed", "--out", "--truth", "--threads"] {
      let section = options.components(separatedBy: "  \(option) ").dropFirst().first ?? ""
      let entry = section.components(separatedBy: "\n  --").first ?? ""
      #expect(entry.contains("Example:"), "\(option) lacks an example: \(entry)")
    }
  }
}
