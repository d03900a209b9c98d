import Foundation
import TestSupport
import Testing

/// `traj fit` runs every model family through one pipeline: the options that apply to both
/// (`--fitted`, `--where`) work for both, and the one that applies to MMRMs only
/// (`--covariance-fallback`) is refused for a linear mixed model.
@Suite("traj fit, one pipeline for LMMs and MMRMs")
struct FitCommandFamiliesTests {
  static let mmrmData = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/ketamine_visits1to6.csv"
  ).path

  /// Runs `traj fit` with `arguments` and `--json`, returning the run and the document.
  static func fit(_ arguments: [String]) throws -> (TrajRun, JSONValue) {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let run = try runTraj(["fit"] + arguments + ["--json", json.path, "--no-timing"])
    try #require(run.status == 0, "\(run.stderr)")
    return (run, try JSONValue.parse(Data(contentsOf: json)))
  }

  @Test("--fitted writes an MMRM's marginal fitted values and residuals, as nlme's gls")
  func mmrmFitted() throws {
    let fixture = try Fixture.load("mmrm/residuals/us_reml")
    let (_, document) = try Self.fit([
      Self.mmrmData, "--factor", "visit", "--formula",
      try fixture.member("call").text("formula"), "--fitted", "--quiet",
    ])
    let fitted = try document.numbers("fitted")
    let residuals = try document.numbers("residuals")
    let nobs = Int(try document.number("nobs"))
    #expect(fitted.count == nobs && residuals.count == nobs)
    // The file has no missing values: its rows are the model's, in order.
    let lines = try String(contentsOfFile: Self.mmrmData, encoding: .utf8)
      .split(separator: "\n").dropFirst()
    let keys = lines.map { line in
      let cells = line.split(separator: ",").map { $0.replacingOccurrences(of: "\"", with: "") }
      return "\(cells[0])/\(cells[2])"
    }
    let pain = lines.map { Double($0.split(separator: ",")[3]) ?? .nan }
    try #require(keys.count == nobs)
    var row: [String: Int] = [:]
    for (k, key) in keys.enumerated() { row[key] = k }
    let reference = try fixture.member("expected").elements("rows")
    try #require(reference.count == nobs)
    // β̂ agrees with nlme to about 1e-5 relative (MMRMResidualsTests: the same tolerance).
    let tolerance = Tolerance(
      relative: 1e-5, absolute: 1e-6, reason: "GLS β̂ at slightly different φ̂")
    for expected in reference {
      let key = "\(try expected.text("subject"))/\(Int(try expected.number("visit")))"
      let k = try #require(row[key], "\(key) not in the data")
      expectClose(fitted[k], try expected.number("fitted"), tolerance, "fitted \(key)")
      expectClose(residuals[k], try expected.number("raw"), tolerance, "residual \(key)")
      expectClose(fitted[k] + residuals[k], pain[k], .reorderedArithmetic, "y \(key)")
    }
  }

  @Test("--where gives an MMRM rows_read (the file's), where and rows_excluded, as an LMM")
  func mmrmWhere() throws {
    let filter = "visit <= 4"
    let rows = Double(
      try String(contentsOfFile: Self.mmrmData, encoding: .utf8).split(separator: "\n").count - 1)
    let common = [Self.mmrmData, "--factor", "visit", "--where", filter]
    let (mmrmRun, mmrm) = try Self.fit(
      common + ["--formula", "pain ~ visit * arm + baseline_pain + cs(visit | subject)"])
    let (lmmRun, lmm) = try Self.fit(
      common + ["--formula", "pain ~ visit * arm + baseline_pain + (1 | subject)"])
    for document in [mmrm, lmm] {
      #expect(try document.number("rows_read") == rows)
      #expect(try document.text("where") == filter)
      #expect(
        try document.number("rows_excluded") + document.number("rows_used")
          + document.number("rows_dropped") == rows)
      // Counted, not a note.
      let notes = try document.elements("warnings").map { try $0.text("message") }
      #expect(!notes.contains { $0.contains("excluded") }, "\(notes)")
    }
    #expect(try mmrm.number("rows_excluded") == lmm.number("rows_excluded"))
    #expect(try mmrm.number("rows_excluded") > 0)
    for run in [mmrmRun, lmmRun] {
      #expect(run.stdout.contains("excluded by --where \(filter), "), "\(run.stdout)")
    }
  }

  @Test("--covariance-fallback on a linear mixed model is a clear usage error")
  func fallbackNeedsCovarianceTerm() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let run = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--covariance-fallback", "--json", json.path,
    ])
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix("traj: error: a covariance fallback needs a residual covariance term"),
      "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: json.path))
  }
}
