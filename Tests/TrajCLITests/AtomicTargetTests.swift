import Foundation
import TestSupport
import Testing

/// Outputs replace only regular files: a directory, a symbolic link or a device at the target
/// path is an error, and it is left as it was (a `--json /dev/null` once replaced the device
/// with a regular file, because rename(2) replaces whatever is at the path).
@Suite("Output targets that are not regular files")
struct AtomicTargetTests {
  @Test("--json naming a directory: exit 1, the directory untouched, no temp file left")
  func directory() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let target = dir.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
    try Data("keep".utf8).write(to: target.appendingPathComponent("inside.txt"))
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--json", target.path,
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("it is a directory"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["inside.txt"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
  }

  @Test("--json naming a symbolic link: exit 1, the link and its target untouched")
  func symbolicLink() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let real = dir.appendingPathComponent("real.json")
    try Data("previous".utf8).write(to: real)
    let link = dir.appendingPathComponent("link.json")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
    let result = try runTraj([
      "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
      "--json", link.path,
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("it is a symbolic link"))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
    #expect(try String(contentsOf: real, encoding: .utf8) == "previous")
  }

  /// A process id that is not running (above Linux's largest pid).
  static let deadPID: Int32 = .max

  @Test("a leftover of a killed run is removed by the next write; a live writer's is kept")
  func staleTemporary() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let fm = FileManager.default
    let stale = ".fit.json.tmp-\(Self.deadPID)"
    // This test process is alive: its temporary must survive (another traj writing now).
    let live = ".fit.json.tmp-\(ProcessInfo.processInfo.processIdentifier)"
    try Data("partial".utf8).write(to: dir.appendingPathComponent(stale))
    try Data("writing".utf8).write(to: dir.appendingPathComponent(live))
    let result = try runTraj(
      [
        "fit", Dataset.path("sleepstudy"), "--formula", "Reaction ~ Days + (Days | Subject)",
        "--json", "fit.json", "--quiet",
      ], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == [live, "fit.json"].sorted())
  }
}
