import Foundation

/// Writes files the way a pipeline can trust: to a temporary file in the target directory,
/// flushed, then renamed over the target, so a reader sees the old file or the new one and
/// never a partial one; on failure the temporary file is removed.
enum AtomicFile {
  /// Writes `contents` to `path` atomically.
  /// - Parameters:
  ///   - contents: The bytes.
  ///   - path: Destination path.
  /// - Throws: `CLIError.cannotWrite` naming the path and the OS reason.
  static func write(_ contents: String, to path: String) throws {
    try write(bytes: Array(contents.utf8), to: path)
  }

  /// Writes `bytes` to `path` atomically.
  /// - Parameters:
  ///   - bytes: The contents.
  ///   - path: Destination path.
  /// - Throws: `CLIError.cannotWrite` naming the path and the OS reason.
  static func write(bytes: [UInt8], to path: String) throws {
    try write(to: path) { sink in try sink(bytes) }
  }

  /// Writes to `path` atomically what `produce` hands, piece by piece, to the sink it is given:
  /// a large output is never held whole in memory.
  /// - Parameters:
  ///   - path: Destination path.
  ///   - produce: Calls its argument with each piece of the contents, in order.
  /// - Throws: `CLIError.cannotWrite` naming the path and the OS reason, or what `produce`
  ///   throws; the target is then unchanged and no temporary file is left.
  static func write(
    to path: String, produce: (_ sink: ([UInt8]) throws -> Void) throws -> Void
  ) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(
      ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    // rename(2) would replace whatever is at the path: a device (/dev/null), a directory
    // entry, a symbolic link. Only a regular file (or nothing) may be replaced.
    if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type]
      as? FileAttributeType, type != .typeRegular
    {
      let kind =
        switch type {
        case .typeDirectory: "a directory"
        case .typeSymbolicLink: "a symbolic link"
        case .typeCharacterSpecial, .typeBlockSpecial: "a device"
        default: "not a regular file"
        }
      throw CLIError.cannotWrite(
        path: path, reason: "it is \(kind); give the path of a regular file to (re)write")
    }
    do {
      guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw CLIError.cannotWrite(path: path, reason: "cannot create a file in \(directory.path)")
      }
      let handle = try FileHandle(forWritingTo: temporary)
      do {
        try produce { piece in try handle.write(contentsOf: piece) }
        try handle.close()
      } catch {
        try? handle.close()
        throw error
      }
      if ProcessInfo.processInfo.environment["TRAJ_TEST_FAIL_WRITE"] == path {
        throw CLIError.cannotWrite(path: path, reason: "injected write failure (test)")
      }
      // rename(2) replaces the target atomically within one file system.
      guard rename(temporary.path, url.path) == 0 else {
        throw CLIError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
      }
    } catch let error as CLIError {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw CLIError.cannotWrite(path: path, reason: error.localizedDescription)
    }
  }
}
