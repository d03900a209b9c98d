import Foundation
import TestSupport
import Testing

/// `traj check` and `traj fit` on trial data, end to end with the built binary.
@Suite("traj check and traj fit on trial data, end to end")
struct CheckCommandTests {
  /// Copies `Tests/Fixtures/trials/<name>.csv` to `data.csv` in a fresh directory.
  func directory(with fixture: String) throws -> URL {
    let dir = try makeTemporaryDirectory()
    let source = RepositoryPaths.fixtures.appendingPathComponent("trials/\(fixture).csv")
    try FileManager.default.copyItem(
      at: source, to: dir.appendingPathComponent("data.csv"))
    return dir
  }

  /// Files in `dir` other than `data.csv`.
  func leftovers(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "data.csv" }
      .sorted()
  }

  @Test("a valid file: exit 0 and the summary tables")
  func validSummary() throws {
    let dir = try directory(with: "mini_trial")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["check", "data.csv"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let out = result.stdout
    #expect(
      out.hasPrefix(
        "data.csv: valid trial data (29 rows, 6 subjects, 3 arms, 2 sites, 5 visits)\n"))
    #expect(out.contains("Note: columns not in the schema (kept, not checked): rater"))
    #expect(out.contains("  ketamine_memantine  1  1      2"))
    #expect(out.contains("  0      -8..-7     6"))
    #expect(out.contains("  placebo                      1         2   50.0%"))
    #expect(out.contains("  2      1 (50.0%)            0 (0.0%)   0 (0.0%)"))
    #expect(out.contains("  placebo                    1             3  visit 3: 1"))
    #expect(out.contains("  dissociation  3/8 (37.5%)"))
    #expect(try leftovers(dir).isEmpty)
  }

  @Test("--json writes the summary with ordered keys; --quiet prints nothing")
  func jsonSummary() throws {
    let dir = try directory(with: "mini_trial")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["check", "data.csv", "--json", "check.json", "--quiet"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(try leftovers(dir) == ["check.json"])
    let text = try String(contentsOf: dir.appendingPathComponent("check.json"), encoding: .utf8)
    let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
      String($0.dropFirst(3).prefix { $0 != "\"" })
    }
    #expect(
      keys == [
        "source", "valid", "rows", "subjects", "extra_columns", "arms", "sites",
        "subjects_by_arm_site", "visits", "completers", "missing_pain", "dropout",
        "adverse_events",
      ])
    let json = try JSONValue.parse(Data(text.utf8))
    #expect(json["subjects"].double == 6)
    #expect(json["completers"]["ketamine"].double == 2)
    #expect(json["dropout"]["placebo"]["median_visit"].double == 3)
    #expect(json["missing_pain"][3]["by_arm"]["placebo"]["missing"].double == 1)
    #expect(json["adverse_events"]["nausea"]["ketamine_memantine"]["recorded"].double == 9)
  }

  @Test("an invalid file: exit 1, file:line: column messages, nothing written")
  func invalidFile() throws {
    let dir = try directory(with: "invalid_structure")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["check", "data.csv", "--json", "check.json"], in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first == "traj: error: data.csv: 8 trial schema violations")
    #expect(
      lines.contains(
        "  data.csv:13: column 'dose_mgkg': dose 2 mg/kg is outside the labelled range "
          + "0.5...1.5 mg/kg (0 = no infusion)"))
    #expect(lines.contains { $0.hasPrefix("  data.csv:9: column 'visit': subject P02") })
    #expect(lines.contains { $0.hasPrefix("  data.csv:29: column 'dropout': ") })
    #expect(try leftovers(dir).isEmpty)
  }

  @Test("wrong values and a missing column are reported with line and column")
  func invalidValuesAndHeader() throws {
    let dir = try directory(with: "invalid_values")
    defer { removeTemporaryDirectory(dir) }
    let values = try runTraj(["check", "data.csv"], in: dir)
    #expect(values.status == 1)
    #expect(values.stderr.contains("  data.csv:4: column 'pain': value 11 is outside 0...10\n"))
    #expect(values.stderr.contains("  data.csv:16: column 'day': expected a number, found \"wk1\""))
    let header = try directory(with: "missing_columns")
    defer { removeTemporaryDirectory(header) }
    let missing = try runTraj(["check", "data.csv"], in: header)
    #expect(missing.status == 1)
    #expect(
      missing.stderr.contains(
        "  data.csv:1: column 'pain': missing from the header; did you mean 'Pain'?"))
  }

  @Test("a failed --json write leaves no file behind")
  func failedWrite() throws {
    let dir = try directory(with: "mini_trial")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(
      ["check", "data.csv", "--json", "check.json"], in: dir,
      environment: ["TRAJ_TEST_FAIL_WRITE": "check.json"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("check.json: cannot write"))
    #expect(try leftovers(dir).isEmpty)
  }

  @Test("traj fit --derive: a derived covariate in the formula, placebo as reference")
  func fitDerive() throws {
    let dir = try directory(with: "mini_trial")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(
      [
        "fit", "data.csv", "--derive", "--formula",
        "pain ~ week * arm + baseline_pain + days_since_infusion + (1 | subject)",
        "--json", "fit.json", "--no-timing",
      ], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("- --derive: derived covariates added (week, "))
    #expect(result.stdout.contains("- reference level of arm: placebo (the trial default)"))
    let json = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    let terms = json["fixef"].array.compactMap { $0["term"].string }
    #expect(
      terms == [
        "(Intercept)", "week", "armketamine", "armketamine_memantine", "baseline_pain",
        "days_since_infusion", "week:armketamine", "week:armketamine_memantine",
      ])
    // 29 rows; dropped: pain missing on 4 rows, days_since_infusion on the 6 visit-0 rows.
    #expect(json["rows_used"].double == 19)
    let notes = json["warnings"].array.compactMap { $0["message"].string }
    #expect(notes.contains { $0.hasPrefix("--derive: derived covariates added") })
  }

  @Test("traj fit on a schema file adds the derived covariates without --derive")
  func fitAutomatic() throws {
    let dir = try directory(with: "mini_trial")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(
      [
        "fit", "data.csv", "--formula", "pain ~ week + cumulative_dose + arm + (1 | subject)",
        "--ref", "arm=ketamine", "--json", "fit.json",
      ], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("- trial schema recognised: derived covariates added"))
    // The user's reference wins over the trial default.
    #expect(!result.stdout.contains("reference level of arm"))
    let json = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    let terms = json["fixef"].array.compactMap { $0["term"].string }
    #expect(
      terms == ["(Intercept)", "week", "cumulative_dose", "armketamine_memantine", "armplacebo"])
    let codes = json["warnings"].array.compactMap { $0["code"].string }
    #expect(codes.contains("data_note"))
  }

  @Test("traj fit --derive on bad data: exit 1 naming file, line and column; no JSON")
  func fitDeriveInvalid() throws {
    let dir = try directory(with: "invalid_structure")
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(
      [
        "fit", "data.csv", "--derive", "--formula", "pain ~ week + (1 | subject)", "--json",
        "f.json",
      ],
      in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("traj: error: data.csv: 8 trial schema violations\n"))
    #expect(result.stderr.contains("  data.csv:14: column 'day': day 0 of visit 3 is not after"))
    #expect(try leftovers(dir).isEmpty)
    // A file outside the schema asked to --derive: the missing columns are named.
    let other = try runTraj(
      [
        "fit", Dataset.path("sleepstudy"), "--derive", "--formula",
        "Reaction ~ Days + (1 | Subject)",
      ])
    #expect(other.status == 1)
    #expect(other.stderr.contains("sleepstudy.csv:1: column 'subject': missing from the header"))
  }

  @Test("check --help gives an example for every option")
  func help() throws {
    let help = try runTraj(["check", "--help"])
    #expect(help.status == 0)
    for option in ["--json", "--quiet"] {
      #expect(help.stdout.contains(option), "help lacks \(option)")
    }
    let examples = help.stdout.components(separatedBy: "Example: ").count - 1
    #expect(examples >= 3, "only \(examples) examples in:\n\(help.stdout)")
    let root = try runTraj(["--help"])
    #expect(root.stdout.contains("check"))
  }
}
