import Foundation
import TestSupport
import Testing

/// `traj derive` with the built binary.
@Suite("traj derive, end to end")
struct DeriveCommandTests {
  @Test("writes the input columns unchanged and the derived ones after them; check accepts it")
  func derive() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let source = RepositoryPaths.fixtures.appendingPathComponent("trials/mini_trial.csv")
    try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("data.csv"))
    let result = try runTraj(["derive", "data.csv", "--out", "derived.csv"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("derived.csv: 29 rows; added week, infusion_number, "))
    let input = try String(
      contentsOf: dir.appendingPathComponent("data.csv"), encoding: .utf8
    ).split(separator: "\n")
    let output = try String(
      contentsOf: dir.appendingPathComponent("derived.csv"), encoding: .utf8
    ).split(separator: "\n")
    #expect(output.count == input.count)
    let header = output[0].split(separator: ",").map(String.init)
    #expect(header.suffix(4) == ["ketamine", "memantine", "amitriptyline", "pregabalin"])
    #expect(header.contains("days_since_infusion") && header.contains("responder30"))
    let checked = try runTraj(["check", "derived.csv", "--quiet"], in: dir)
    #expect(checked.status == 0, "\(checked.stderr)")
  }

  @Test("a file that breaks the schema: exit 1, the violation named, nothing written")
  func invalid() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let fixtures = RepositoryPaths.fixtures.appendingPathComponent("trials")
    let bad = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
      .filter { $0.hasPrefix("invalid") }.sorted()
    let name = try #require(bad.first)
    try FileManager.default.copyItem(
      at: fixtures.appendingPathComponent(name), to: dir.appendingPathComponent("data.csv"))
    let result = try runTraj(["derive", "data.csv", "--out", "derived.csv"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("data.csv:"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["data.csv"])
  }
}
