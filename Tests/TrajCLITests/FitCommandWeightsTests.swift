import Foundation
import TestSupport
import Testing

/// `traj fit --prior-weights COLUMN --offset COLUMN`: lme4's `weights =` and `offset =` for
/// linear mixed models (their numbers are compared with lme4 in LmerFixtureTests, the
/// `sleepstudy_weights_*` and `sleepstudy_offset_*` cases); here what the command does with
/// them, and the clear errors where they do not apply.
@Suite("traj fit --prior-weights and --offset")
struct FitCommandWeightsTests {
  static let data = RepositoryPaths.fixtures.appendingPathComponent(
    "lmer/sleepstudy_weighted.csv"
  ).path
  static let formula = ["--formula", "Reaction ~ Days + (1 | Subject)", "--factor", "Subject"]

  @Test("the summary and JSON name the weights and offset; the criterion is lme4's")
  func weightsAndOffset() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let run = try runTraj(
      ["fit", Self.data] + Self.formula + [
        "--prior-weights", "w", "--offset", "o", "--json", json.path, "--no-timing",
      ])
    try #require(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count > 4 && lines[3] == "Weights: w" && lines[4] == " Offset: o", "\(lines)")
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(try document.text("weights") == "w")
    #expect(try document.text("offset") == "o")
    let tight = try Fixture.load("lmer/sleepstudy_weights_offset_reml").member("tight")
    expectClose(
      try document.number("REMLcrit"), try tight.number("REMLcrit"), .criterionAtOptimum,
      "REMLcrit")
    // Without them the fit is another one, and the document names neither.
    let plainJSON = dir.appendingPathComponent("plain.json")
    let plain = try runTraj(
      ["fit", Self.data] + Self.formula + ["--quiet", "--json", plainJSON.path])
    try #require(plain.status == 0, "\(plain.stderr)")
    let unweighted = try JSONValue.parse(Data(contentsOf: plainJSON))
    #expect(unweighted["weights"] == .null && unweighted["offset"] == .null)
    #expect(abs(try unweighted.number("REMLcrit") - document.number("REMLcrit")) > 1)
  }

  @Test("a weight that is not positive is an error naming file, line and column")
  func nonPositiveWeight() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let csv = dir.appendingPathComponent("w.csv")
    var lines = try String(contentsOfFile: Self.data, encoding: .utf8).split(separator: "\n")
    // Line 3 of the file (the second data row): weight 0.
    var cells = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[3] = "0"
    lines[2] = Substring(cells.joined(separator: ","))
    try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
    let run = try runTraj(["fit", csv.path] + Self.formula + ["--prior-weights", "w"])
    #expect(run.status == 1)
    #expect(
      run.stderr.contains(":3: column 'w': a prior weight must be a positive number, found 0"),
      "\(run.stderr)")
  }

  @Test("weights are refused for an MMRM and with Kenward-Roger, with the reason")
  func refused() throws {
    let mmrm = try runTraj([
      "fit", Self.data, "--formula", "Reaction ~ Days + ar1(Days | Subject)", "--factor",
      "Subject", "--prior-weights", "w",
    ])
    #expect(mmrm.status == 1)
    #expect(mmrm.stderr.contains("supported for linear mixed models only"), "\(mmrm.stderr)")
    let kr = try runTraj(
      ["fit", Self.data] + Self.formula + ["--prior-weights", "w", "--df", "kenward-roger"])
    #expect(kr.status == 1)
    #expect(kr.stderr.contains("prior weights are not supported"), "\(kr.stderr)")
  }
}
