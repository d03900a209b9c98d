import Foundation
import TestSupport
import Testing

/// `traj report`'s provenance: the spec's hash is of the bytes that were parsed (the file is
/// read once), and `--timestamp` adds the time, nothing else.
@Suite("traj report provenance")
struct ReportCommandProvenanceTests {
  static let spec = RepositoryPaths.fixtures.appendingPathComponent("kernels/report.yaml").path

  /// Runs the kernel-check report into a fresh directory and returns its provenance.
  static func provenance(_ extra: [String]) throws -> JSONValue {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let out = dir.appendingPathComponent("report")
    let run = try runTraj(["report", Self.spec, "--out", out.path, "--quiet"] + extra)
    try #require(run.status == 0, "\(run.stderr)")
    return try JSONValue.parse(
      Data(contentsOf: out.appendingPathComponent("provenance.json")))
  }

  /// `sha256sum` of a file (an independent implementation of the hash).
  static func sha256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return String(text.prefix { $0 != " " })
  }

  @Test("the spec's hash and size are those of the file parsed; no time without --timestamp")
  func specHashed() throws {
    let provenance = try Self.provenance([])
    let spec = try provenance.member("spec")
    #expect(try spec.text("sha256") == Self.sha256(Self.spec))
    let size = try FileManager.default.attributesOfItem(atPath: Self.spec)[.size] as? Int
    #expect(try spec.number("bytes") == Double(try #require(size)))
    #expect(provenance["generated"] == .null)
  }

  @Test("--timestamp records the time (ISO 8601) and nothing else")
  func timestamp() throws {
    let provenance = try Self.provenance(["--timestamp"])
    guard case .object(let members) = provenance else {
      Issue.record("provenance is not an object")
      return
    }
    let generated = try provenance.text("generated")
    #expect(ISO8601DateFormatter().date(from: generated) != nil, "\(generated)")
    let without = try Self.provenance([])
    guard case .object(let plain) = without else {
      Issue.record("provenance is not an object")
      return
    }
    #expect(Set(members.keys) == Set(plain.keys).union(["generated"]))
  }
}
