import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes files the way a pipeline can trust: the bytes go to a temporary file in the target
/// directory, which is then renamed over the target, so a reader sees the old file or the new
/// one and never a partial one; on failure the temporary file is removed.
///
/// On Linux the temporary file is created without a name (`O_TMPFILE`) and given one only
/// when it is complete, just before the rename: a process killed while writing (SIGKILL, where
/// no clean-up runs) leaves nothing behind. Where the file system cannot do that, it is a
/// hidden `.NAME.tmp-PID` file from the start; a leftover of a killed run is removed by the
/// next write to the same target (`StaleTemporaries`).
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
    let temporary = StaleTemporaries.temporary(for: url)
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
    StaleTemporaries.sweep(for: url)
    do {
      if let unnamed = UnnamedFile(in: directory) {
        defer { unnamed.close() }
        try produce { piece in try unnamed.handle.write(contentsOf: piece) }
        try injectedFailure(path)
        try unnamed.link(as: temporary)
      } else {
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
          throw CLIError.cannotWrite(
            path: path, reason: "cannot create a file in \(directory.path)")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
          try produce { piece in try handle.write(contentsOf: piece) }
          try handle.close()
        } catch {
          try? handle.close()
          throw error
        }
        try injectedFailure(path)
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

  /// The write failure the tests inject (`TRAJ_TEST_FAIL_WRITE=<path>`), after the bytes are
  /// written and before the target is replaced.
  private static func injectedFailure(_ path: String) throws {
    if ProcessInfo.processInfo.environment["TRAJ_TEST_FAIL_WRITE"] == path {
      throw CLIError.cannotWrite(path: path, reason: "injected write failure (test)")
    }
  }
}

/// A file without a name in a directory (Linux `O_TMPFILE`): it vanishes with the process
/// unless it is linked into the directory.
private struct UnnamedFile {
  let descriptor: Int32
  let handle: FileHandle

  /// Opens one in `directory`; nil where the OS or the file system cannot (the caller then
  /// uses a named temporary file).
  init?(in directory: URL) {
    #if os(Linux)
      // O_TMPFILE is a compound macro that Swift does not import: __O_TMPFILE | O_DIRECTORY.
      let flags = 0o2000_0000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC
      let fd = open(directory.path, flags, 0o644)
      guard fd >= 0 else { return nil }
      descriptor = fd
      handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    #else
      return nil
    #endif
  }

  /// Gives the complete file the name `url` (which must not exist).
  func link(as url: URL) throws {
    #if os(Linux)
      try? FileManager.default.removeItem(at: url)
      guard
        linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, url.path, AT_SYMLINK_FOLLOW)
          == 0
      else {
        throw CLIError.cannotWrite(
          path: url.path,
          reason: "cannot name the written file: \(String(cString: strerror(errno)))")
      }
    #endif
  }

  func close() { _ = Glibc.close(descriptor) }
}

/// Hidden leftovers of a process killed while writing a target: `.NAME.tmp-PID` (a file or
/// directory being written) and `.NAME.old-PID` (a report directory moved aside while its
/// replacement is renamed into place).
///
/// Before writing NAME, the leftovers of processes that are no longer running are cleared: a
/// `.old` copy is put back when the target is missing (the run was killed between its two
/// renames), else removed; a `.tmp` is removed. Entries of running processes (another `traj`
/// writing the same target) are left alone.
enum StaleTemporaries {
  /// The temporary path of this process for `target`.
  static func temporary(for target: URL) -> URL {
    sibling(of: target, kind: "tmp", pid: ProcessInfo.processInfo.processIdentifier)
  }

  /// Where `target` is moved aside by this process while its replacement goes into place.
  static func previous(for target: URL) -> URL {
    sibling(of: target, kind: "old", pid: ProcessInfo.processInfo.processIdentifier)
  }

  /// Clears the leftovers of dead processes for `target` (see the type); never throws.
  static func sweep(for target: URL) {
    let fm = FileManager.default
    let parent = target.deletingLastPathComponent()
    guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    let name = target.lastPathComponent
    for entry in names.sorted() {
      for kind in ["tmp", "old"] {
        let prefix = ".\(name).\(kind)-"
        guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count)),
          pid > 0, !isRunning(pid)
        else { continue }
        let url = parent.appendingPathComponent(entry)
        if kind == "old" && !fm.fileExists(atPath: target.path) {
          try? fm.moveItem(at: url, to: target)
        } else {
          try? fm.removeItem(at: url)
        }
      }
    }
  }

  private static func sibling(of target: URL, kind: String, pid: Int32) -> URL {
    target.deletingLastPathComponent().appendingPathComponent(
      ".\(target.lastPathComponent).\(kind)-\(pid)")
  }

  /// Whether a process with this id exists (signal 0 checks without sending anything; EPERM
  /// means it exists but belongs to someone else).
  private static func isRunning(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
  }
}
