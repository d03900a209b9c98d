import Foundation
import TestSupport
import Testing

// MARK: - Row selection (--where)

extension FitCommandTests {
  /// Row counts of `datasets/ketamine_small.csv` computed from the file itself: rows, rows with
  /// visit ≥ 1, and those among them with no pain value.
  static func ketamineCounts() throws -> (read: Int, selected: Int, missingPain: Int) {
    let text = try String(contentsOfFile: Dataset.path("ketamine_small"), encoding: .utf8)
    let lines = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    let header = try #require(lines.first)
    let visit = try #require(header.firstIndex(of: "visit"))
    let pain = try #require(header.firstIndex(of: "pain"))
    var selected = 0
    var missingPain = 0
    for fields in lines.dropFirst() {
      let v = try #require(Double(fields[visit]))
      guard v >= 1 else { continue }
      selected += 1
      if ["", "NA", "NaN", "."].contains(fields[pain]) { missingPain += 1 }
    }
    return (lines.count - 1, selected, missingPain)
  }

  @Test("--where 'visit >= 1' on the ketamine trial: rows read, excluded, used and dropped")
  func whereOnTrial() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let counts = try Self.ketamineCounts()
    let result = try runTraj([
      "fit", Dataset.path("ketamine_small"), "--formula",
      "pain ~ week * arm + (1 + week | subject)", "--where", "visit >= 1", "--json", json.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let excluded = counts.read - counts.selected
    let used = counts.selected - counts.missingPain
    #expect(excluded > 0 && counts.missingPain > 0)
    #expect(
      result.stdout.contains(
        "Rows: \(counts.read) read, \(excluded) excluded by --where visit >= 1, \(used) used, "
          + "\(counts.missingPain) dropped for missing values."), "\(result.stdout)")
    #expect(result.stdout.contains("Number of obs: \(used), groups:"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["where"].string == "visit >= 1")
    #expect(document["rows_read"].double == Double(counts.read))
    #expect(document["rows_excluded"].double == Double(excluded))
    #expect(document["rows_used"].double == Double(used))
    #expect(document["rows_dropped"].double == Double(counts.missingPain))
    #expect(document["nobs"].double == Double(used))
  }

  @Test("derived covariates may be used in --where (derivation sees every row first)")
  func whereOnDerivedCovariate() throws {
    // week = day / 7 is derived from each subject's whole record; baseline (day −7) is the one
    // visit with week < 0, so both filters select the same rows and give the same fit.
    let byWeek = "week >= 0 & !(arm in (ketamine_memantine, ketamine_pregabalin))"
    let byVisit = "visit >= 1 & arm != ketamine_memantine & arm != 'ketamine_pregabalin'"
    var outputs = [String]()
    for filter in [byWeek, byVisit] {
      let result = try runTraj([
        "fit", Dataset.path("ketamine_small"), "--formula", "pain ~ week + (1 | subject)",
        "--where", filter,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("excluded by --where \(filter), "))
      outputs.append(result.stdout.replacingOccurrences(of: filter, with: "…"))
    }
    #expect(outputs[0] == outputs[1])
  }

  @Test("--where 'Days >= 2' on sleepstudy fits as lme4 does on that subset")
  func whereMatchesLme4() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let fixture = try Fixture.load("lmer/sleepstudy_days2")
    let call = try fixture.member("call")
    // lme4 at the optimum; its estimates are compared with ours for the same call, through the
    // same pipeline, by LmerFixtureTests.
    let expected = try fixture.member("tight")
    let filter = try call.text("where")
    let formula = try call.text("formula")
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", formula,
      "--factor", "Subject", "--where", filter, "--json", json.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(try document.number("nobs") == expected.number("nobs"))
    #expect(try document.number("rows_excluded") == expected.number("rows_excluded"))
    #expect(try document.number("rows_read") == 180)
    // The same rows: the criterion of any other subset would be far from lme4's.
    expectClose(
      try document.number("REMLcrit"), try expected.number("REMLcrit"), .criterionAtOptimum,
      "REMLcrit")
    let fixef = try document.elements("fixef")
    let lme4Fixef = try expected.elements("fixef")
    #expect(!fixef.isEmpty && fixef.count == lme4Fixef.count)
  }

  @Test("without --where the JSON has no where or rows_excluded keys")
  func noWhereKeys() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--json", json.path,
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Rows: 180 read, 180 used, 0 dropped for missing values."))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["where"] == .null)
    #expect(document["rows_excluded"] == .null)
  }

  @Test("a bad --where is one error naming the problem, with no output left")
  func whereErrors() throws {
    let cases: [(String, [String])] = [
      ("weak >= 1", ["no column named 'weak'", "did you mean 'week'?", "\n  weak >= 1\n  ^"]),
      ("week >= 1 & subject == s9", ["column 'subject' has no level 's9'", "did you mean 's1'?"]),
      ("week == one", ["column 'week' is numeric, but 'one' is not a number"]),
      ("subject > s1", ["column 'subject' is categorical, so '>' does not apply"]),
      ("week >= 1 &", ["row filter syntax error", "\n  week >= 1 &\n             ^"]),
      ("week > 10", ["the row filter 'week > 10' selects none of the 24 rows"]),
    ]
    for (filter, fragments) in cases {
      let (result, dir) = try run(
        csv: Self.validCSV(), formula: "pain ~ week + (1 | subject)", extra: ["--where", filter])
      defer { removeTemporaryDirectory(dir) }
      try expectFailure(result, in: dir, mentioning: fragments)
    }
  }
}
