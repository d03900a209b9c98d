import Foundation
import Testing

/// Whether snapshot tests re-record their files: `TRAJ_RECORD_SNAPSHOTS=1` (or
/// `TRAJ_UPDATE_SNAPSHOTS=1`, the name the chart snapshots used first).
public var isRecordingSnapshots: Bool {
  let environment = ProcessInfo.processInfo.environment
  return environment["TRAJ_RECORD_SNAPSHOTS"] == "1" || environment["TRAJ_UPDATE_SNAPSHOTS"] == "1"
}

/// Expects `actual` to equal the snapshot file at `url`, byte for byte.
///
/// In record mode the file is rewritten and an issue is recorded all the same, so that the test
/// fails saying it re-recorded (as swift-argument-parser's and swift-snapshot-testing's record
/// modes do): a recording run never passes for a comparison. A missing snapshot is an issue.
/// - Parameters:
///   - actual: What the code under test produced.
///   - url: The snapshot file.
///   - recording: Whether to rewrite the file (`isRecordingSnapshots` unless told).
///   - sourceLocation: Where the snapshot is asserted.
/// - Throws: When the file cannot be read or written.
public func assertSnapshot(
  _ actual: String, at url: URL, recording: Bool = isRecordingSnapshots,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let name = url.lastPathComponent
  if recording {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    Issue.record(
      "re-recorded the snapshot \(name); look at it and run again without TRAJ_RECORD_SNAPSHOTS",
      sourceLocation: sourceLocation)
    return
  }
  guard FileManager.default.fileExists(atPath: url.path) else {
    Issue.record(
      "no snapshot \(url.path); record it with TRAJ_RECORD_SNAPSHOTS=1",
      sourceLocation: sourceLocation)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  guard actual != expected else { return }
  let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let line =
    zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    ?? min(actualLines.count, expectedLines.count)
  func show(_ lines: [Substring]) -> String {
    line < lines.count ? "\"\(lines[line])\"" : "(end)"
  }
  let message =
    "\(name) differs from its snapshot at line \(line + 1): expected \(show(expectedLines)), "
    + "actual \(show(actualLines)) (re-record with TRAJ_RECORD_SNAPSHOTS=1 if deliberate)"
  Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
