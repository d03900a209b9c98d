import Foundation
import TestSupport
import Testing

/// `traj fit` end to end, on bundled data and on broken inputs.
///
/// Runs the built binary. Every failure must be one `traj: error:` line naming the problem, exit status 1, and no output file.
@Suite("traj fit, end to end")
struct FitCommandTests {
  /// Writes `csv` into a fresh directory and runs `traj fit` on it with `--json`.
  func run(csv: String, formula: String, extra: [String] = []) throws -> (TrajRun, URL) {
    let dir = try makeTemporaryDirectory()
    let data = dir.appendingPathComponent("data.csv")
    try Data(csv.utf8).write(to: data)
    let json = dir.appendingPathComponent("out.json")
    let result = try runTraj(
      ["fit", data.path, "--formula", formula, "--json", json.path] + extra, in: dir)
    return (result, dir)
  }

  /// Asserts a failed run: exit 1, one error line containing `fragment`, no output left.
  func expectFailure(
    _ result: TrajRun, in dir: URL, mentioning fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(
      result.status == 1, "status \(result.status); stderr: \(result.stderr)",
      sourceLocation: sourceLocation)
    #expect(
      result.stderr.hasPrefix("traj: error: "), "stderr: \(result.stderr)",
      sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        result.stderr.contains(fragment), "missing '\(fragment)' in: \(result.stderr)",
        sourceLocation: sourceLocation)
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
      $0 != "data.csv"
    }
    #expect(leftovers.isEmpty, "files left behind: \(leftovers)", sourceLocation: sourceLocation)
    #expect(
      result.stdout.isEmpty, "stdout on failure: \(result.stdout)", sourceLocation: sourceLocation)
  }

  /// A small valid data set: 6 subjects × 4 weeks, made with a fixed rule.
  static func validCSV(header: String = "subject,week,pain") -> String {
    var lines = [header]
    for s in 1...6 {
      for w in 0..<4 {
        let pain = 6.0 - 0.4 * Double(w) + Double((s * 7 + w * 3) % 5) * 0.3 + Double(s % 3) * 0.5
        lines.append("s\(s),\(w),\(pain)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test("fits the sleepstudy model, prints lme4's summary and writes the JSON contract")
  func fitsSleepstudy() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--json", json.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Linear mixed model fit by REML ['lmerMod']"))
    #expect(result.stdout.contains("REML criterion at convergence: 1743.6"))
    #expect(result.stdout.contains("Number of obs: 180, groups:  Subject, 18"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    for key in [
      "formula", "method", "nobs", "ngroups", "fixef", "theta", "sigma", "varcorr", "logLik",
      "REMLcrit", "AIC", "BIC", "ranef", "converged", "singular", "rows_used", "rows_dropped",
      "warnings", "timing",
    ] {
      #expect(document[key] != .null, "JSON lacks \(key)")
    }
    #expect(document["deviance"] == .null)
    #expect(document["method"].string == "REML")
    #expect(document["ngroups"]["Subject"].double == 18)
    #expect(document["fixef"][1]["term"].string == "Days")
    #expect(document["timing"]["read_seconds"].double != nil)
    #expect(document["timing"]["fit_seconds"].double != nil)
  }

  @Test("--ml writes deviance instead of REMLcrit")
  func maximumLikelihood() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--ml", "--json", json.path, "--quiet",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["method"].string == "ML")
    #expect(document["deviance"].double != nil)
    #expect(document["REMLcrit"] == .null)
  }

  @Test("rows with missing values are dropped, counted and reported")
  func missingRows() throws {
    var csv = Self.validCSV()
    csv = csv.replacingOccurrences(of: "s2,1,", with: "s2,NA,")
    csv += "s6,5,\n"
    let (result, dir) = try run(csv: csv, formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Rows: 25 read, 23 used, 2 dropped for missing values."))
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("out.json")))
    #expect(document["rows_used"].double == 23)
    #expect(document["rows_dropped"].double == 2)
    #expect(document["dropped_by_column"]["week"].double == 1)
    #expect(document["dropped_by_column"]["pain"].double == 1)
  }

  @Test("a singular fit is a warning in the summary and the JSON, with exit 0")
  func singularWarning() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Dataset.path("pain_trial"), "--formula",
      "pain ~ week * arm + baseline_pain + (1 + week | subject) + (1 | site)",
      "--ref", "arm=placebo", "--json", json.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("boundary (singular) fit"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["singular"].bool == true)
    #expect(document["warnings"].array.contains { $0["code"].string == "singular" })
  }

  @Test("a missing file is an error naming it")
  func missingFile() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(
      ["fit", "no-such.csv", "--formula", "y ~ x + (1 | g)", "--json", "out.json"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("traj: error: no-such.csv: cannot read file"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.json").path))
  }

  @Test("an empty file is an error") func emptyFile() throws {
    let (result, dir) = try run(csv: "", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["data.csv", "empty"])
  }

  @Test("a header-only file is an error") func headerOnly() throws {
    let (result, dir) = try run(csv: "subject,week,pain\n", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["data.csv", "no data rows"])
  }

  @Test("a ragged row is an error giving its line") func raggedRow() throws {
    var lines = Self.validCSV().split(separator: "\n").map(String.init)
    lines[5] += ",extra"
    let (result, dir) = try run(
      csv: lines.joined(separator: "\n") + "\n", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["data.csv:6:", "expected 3 fields", "found 4"])
  }

  @Test("a non-numeric response value is an error naming file, line and column")
  func nonNumericResponse() throws {
    let csv = Self.validCSV().replacingOccurrences(of: "s3,2,", with: "s3,2,wk3x")
    let (result, dir) = try run(csv: csv, formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(
      result, in: dir, mentioning: ["data.csv:", "column 'pain'", "expected a number"])
  }

  @Test("a non-finite value is an error naming its line") func nonFinite() throws {
    let csv = Self.validCSV().replacingOccurrences(of: "s4,1,", with: "s4,Inf,")
    let (result, dir) = try run(csv: csv, formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["data.csv:", "week", "Inf"])
  }

  @Test("an unknown column is an error suggesting the nearest name") func unknownColumn() throws {
    let (result, dir) = try run(csv: Self.validCSV(), formula: "pain ~ wek + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["wek", "did you mean 'week'?"])
  }

  @Test("a numeric-looking grouping variable is treated as categorical, and said so")
  func numericGrouping() throws {
    let csv = Self.validCSV().replacingOccurrences(of: "s", with: "10")
      .replacingOccurrences(of: "10ubject", with: "subject")
    let (result, dir) = try run(csv: csv, formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains("grouping variable 'subject' is numeric; treated as categorical"))
  }

  @Test("a grouping factor with one level is an error") func singleLevel() throws {
    let csv = ["subject,week,pain"] + (0..<8).map { "s1,\($0),\(5 + Double($0 % 3) * 0.7)" }
    let (result, dir) = try run(
      csv: csv.joined(separator: "\n") + "\n", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["grouping factors must have > 1 sampled level"])
  }

  @Test("as many levels as observations is an error (lme4's nobs vs nlev check)")
  func levelsEqualObservations() throws {
    let csv = ["subject,week,pain"] + (0..<8).map { "s\($0),\($0),\(5 + Double($0 % 3) * 0.7)" }
    let (result, dir) = try run(
      csv: csv.joined(separator: "\n") + "\n", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["number of levels of each grouping factor"])
  }

  @Test("too many random effects for the observations is an error (nobs vs nRE)")
  func tooManyRandomEffects() throws {
    let csv = ["subject,week,pain"] + (0..<8).map { "s\($0 / 2),\($0),\(5 + Double($0 % 3) * 0.7)" }
    let (result, dir) = try run(
      csv: csv.joined(separator: "\n") + "\n", formula: "pain ~ 1 + (week | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["number of random effects"])
  }

  @Test("a constant response is an error") func constantResponse() throws {
    let csv = ["subject,week,pain"] + (0..<12).map { "s\($0 % 4),\($0),5" }
    let (result, dir) = try run(
      csv: csv.joined(separator: "\n") + "\n", formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["'pain'", "constant"])
  }

  @Test("a formula syntax error points at the offending character") func syntaxError() throws {
    let (result, dir) = try run(csv: Self.validCSV(), formula: "pain ~ week + + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["expected a variable name after '+'", "^"])
  }

  @Test("a formula without random effects is an error") func noRandomEffects() throws {
    let (result, dir) = try run(csv: Self.validCSV(), formula: "pain ~ week")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["random"])
  }

  @Test("a malformed --ref is a usage error") func badReference() throws {
    let (result, dir) = try run(
      csv: Self.validCSV(), formula: "pain ~ week + (1 | subject)", extra: ["--ref", "subject"])
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(result, in: dir, mentioning: ["--ref expects variable=level"])
  }

  @Test("a missing --formula is a usage error with status 1") func missingFormula() throws {
    let result = try runTraj(["fit", Dataset.path("sleepstudy")])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("traj: error: "))
    #expect(result.stderr.contains("--formula"))
  }

  @Test("help and version exit 0") func helpAndVersion() throws {
    let help = try runTraj(["fit", "--help"])
    #expect(help.status == 0)
    // Every option is documented with an example (one "Example:" line each, plus the data).
    let options = [
      "--formula", "--ml", "--ref", "--factor", "--derive", "--json", "--fitted", "--no-timing",
      "--df", "--anova", "--emmeans", "--contrast", "--adjust", "--weights",
    ]
    for option in options + ["--quiet"] {
      #expect(help.stdout.contains(option), "help lacks \(option)")
    }
    let examples = help.stdout.components(separatedBy: "Example: ").count - 1
    #expect(examples >= options.count + 2, "only \(examples) option examples in:\n\(help.stdout)")
    let version = try runTraj(["--version"])
    #expect(version.status == 0)
    #expect(!version.stdout.isEmpty)
  }

  @Test("a failed write leaves no partial file and keeps the previous output")
  func atomicWrite() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    try Data("previous".utf8).write(to: json)
    let result = try runTraj(
      [
        "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
        "--json", json.path,
      ], environment: ["TRAJ_TEST_FAIL_WRITE": json.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write"))
    #expect(try String(contentsOf: json, encoding: .utf8) == "previous")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["fit.json"])
  }

  @Test("--no-timing makes the JSON byte-identical across runs") func reproducibleJSON() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    var outputs = [Data]()
    for i in 0..<2 {
      let json = dir.appendingPathComponent("fit\(i).json")
      let result = try runTraj([
        "fit", Dataset.path("pain_trial"), "--formula",
        "pain ~ week * arm + baseline_pain + (1 + week | subject)", "--ref", "arm=placebo",
        "--json", json.path, "--no-timing", "--quiet",
      ])
      #expect(result.status == 0)
      outputs.append(try Data(contentsOf: json))
    }
    #expect(outputs[0] == outputs[1])
    #expect(!outputs[0].isEmpty)
  }
}
