import Foundation

/// Writes a set of files as one directory that appears whole or not at all.
///
/// The files go to a temporary directory beside the target, which then replaces the target (the
/// previous one is moved aside and removed only after the new one is in place). On failure the
/// temporary directory is removed and the target is unchanged. A process killed meanwhile
/// leaves hidden `.NAME.tmp-PID` / `.NAME.old-PID` entries; the next write to the target
/// clears them, putting the previous directory back if the kill came between the two renames
/// (`StaleTemporaries`).
enum AtomicDirectory {
  /// Writes `files` (relative path → bytes) as the directory `path`.
  /// - Throws: `CLIError.cannotWrite` naming the path and the reason.
  static func write(_ files: [(path: String, bytes: [UInt8])], to path: String) throws {
    let fm = FileManager.default
    let target = URL(fileURLWithPath: path)
    let temporary = StaleTemporaries.temporary(for: target)
    let previous = StaleTemporaries.previous(for: target)
    var isDirectory: ObjCBool = false
    let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
    if exists && !isDirectory.boolValue {
      throw CLIError.cannotWrite(path: path, reason: "it exists and is not a directory")
    }
    StaleTemporaries.sweep(for: target)
    do {
      try? fm.removeItem(at: temporary)
      try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
      for file in files {
        let url = temporary.appendingPathComponent(file.path)
        try fm.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard fm.createFile(atPath: url.path, contents: Data(file.bytes)) else {
          throw CLIError.cannotWrite(path: path, reason: "cannot create \(file.path)")
        }
      }
      if ProcessInfo.processInfo.environment["TRAJ_TEST_FAIL_WRITE"] == path {
        throw CLIError.cannotWrite(path: path, reason: "injected write failure (test)")
      }
      if exists { try fm.moveItem(at: target, to: previous) }
      do {
        try fm.moveItem(at: temporary, to: target)
      } catch {
        if exists { try? fm.moveItem(at: previous, to: target) }
        throw error
      }
      if exists { try? fm.removeItem(at: previous) }
    } catch let error as CLIError {
      try? fm.removeItem(at: temporary)
      throw error
    } catch {
      try? fm.removeItem(at: temporary)
      throw CLIError.cannotWrite(path: path, reason: error.localizedDescription)
    }
  }

  /// The first difference between `files` and the directory at `path`, or nil when the
  /// directory holds exactly these files with exactly these bytes.
  static func firstDifference(_ files: [(path: String, bytes: [UInt8])], in path: String)
    -> String?
  {
    let root = URL(fileURLWithPath: path)
    for file in files {
      guard
        let data = FileManager.default.contents(atPath: root.appendingPathComponent(file.path).path)
      else { return "\(file.path): missing from \(path)" }
      let old = [UInt8](data)
      if old == file.bytes { continue }
      var offset = 0
      while offset < min(old.count, file.bytes.count) && old[offset] == file.bytes[offset] {
        offset += 1
      }
      let line = file.bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count + 1
      return "\(file.path): differs at byte \(offset + 1) (line \(line)); "
        + "\(old.count) bytes in \(path), \(file.bytes.count) bytes now"
    }
    let expected = Set(files.map(\.path))
    let enumerator = FileManager.default.enumerator(atPath: path)
    var extra: [String] = []
    while let item = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(
        atPath: root.appendingPathComponent(item).path, isDirectory: &isDirectory)
      if !isDirectory.boolValue && !expected.contains(item) { extra.append(item) }
    }
    if let first = extra.sorted().first { return "\(first): in \(path) but not produced now" }
    return nil
  }
}
