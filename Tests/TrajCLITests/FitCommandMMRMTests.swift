import Foundation
import TestSupport
import Testing

/// `traj fit` with a residual covariance term (MMRM), end to end.
@Suite("traj fit, MMRM")
struct FitCommandMMRMTests {
  static let data = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/ketamine_visits1to6.csv"
  ).path

  @Test("fits an unstructured MMRM, prints Σ̂ and writes the covariance JSON")
  func unstructured() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula",
      "pain ~ visit * arm + baseline_pain + us(visit | subject)", "--json", json.path,
      "--no-timing",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Mixed model for repeated measures fit by REML"))
    #expect(result.stdout.contains("Covariance: us over 6 levels of 'visit' (1, 2, 3, 4, 5, 6)"))
    #expect(result.stdout.contains("Estimated covariance matrix:"))
    #expect(result.stdout.contains("Estimated correlation matrix:"))
    #expect(result.stdout.contains("Number of obs: 644, subjects: 114"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["model"].string == "MMRM")
    #expect(document["ngroups"]["subject"].double == 114)
    let covariance = document["covariance"]
    #expect(covariance["structure"].string == "us")
    #expect(covariance["subject"].string == "subject")
    #expect(covariance["time"].string == "visit")
    #expect(covariance["levels"].strings == ["1", "2", "3", "4", "5", "6"])
    #expect(covariance["matrix"].array.count == 6)
    #expect(covariance["parameters"].array.count == 21)
    #expect(covariance["parameters"][0]["name"].string == "sd[1]")
    #expect(document["fixef"].array.count == 31)
    #expect(document["vcov"].array.count == 31)
    for key in ["logLik", "REMLcrit", "AIC", "BIC", "rows_used", "rows_dropped", "converged"] {
      #expect(document[key] != .null, "JSON lacks \(key)")
    }
    #expect(document["timing"] == .null)
  }

  @Test("group-specific covariance writes one matrix per group; --ml writes deviance")
  func grouped() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula",
      "pain ~ visit + arm + baseline_pain + ar1h(visit | arm / subject)", "--json", json.path,
      "--ml", "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["deviance"].double != nil && document["REMLcrit"] == .null)
    #expect(document["covariance"]["group"].string == "arm")
    #expect(document["covariance"]["groups"].array.count == 5)
  }

  @Test("errors: unknown structure, duplicated visit rows; exit 1, message, no output")
  func errors() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let unknown = try runTraj([
      "fit", Self.data, "--formula", "pain ~ arm + ar2(visit | subject)", "--json", json.path,
    ])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("unknown covariance structure 'ar2'; did you mean 'ar1'?"))
    let csv = dir.appendingPathComponent("dup.csv")
    try Data("subject,visit,y\nA,1,1\nA,2,2\nB,1,3\nB,1,4\nC,1,2\nC,2,5\n".utf8).write(to: csv)
    let duplicate = try runTraj([
      "fit", csv.path, "--formula", "y ~ 1 + cs(visit | subject)", "--json", json.path,
    ])
    #expect(duplicate.status == 1)
    #expect(duplicate.stderr.contains("dup.csv:5: subject 'B' has a second row at time '1'"))
    #expect(!FileManager.default.fileExists(atPath: json.path))
  }
}
