import Foundation
import TestSupport
import Testing

@Suite("assertSnapshot")
struct SnapshotTests {
  @Test("an equal snapshot passes; a different or missing one records an issue")
  func compare() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let url = dir.appendingPathComponent("a.txt")
    try "one\ntwo\n".write(to: url, atomically: true, encoding: .utf8)
    try assertSnapshot("one\ntwo\n", at: url, recording: false)
    try withKnownIssue {
      try assertSnapshot("one\nthree\n", at: url, recording: false)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("at line 2") }
    }
    withKnownIssue { try assertSnapshot("one\n", at: url, recording: false) }
    withKnownIssue {
      try assertSnapshot("x", at: dir.appendingPathComponent("missing.txt"), recording: false)
    }
  }

  @Test("recording rewrites the snapshot and fails, saying it re-recorded")
  func recordingFails() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let url = dir.appendingPathComponent("b.txt")
    try withKnownIssue {
      try assertSnapshot("new", at: url, recording: true)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("re-recorded") }
    }
    #expect(try String(contentsOf: url, encoding: .utf8) == "new")
    try assertSnapshot("new", at: url, recording: false)
  }
}
