import Foundation

/// The result of running the `traj` executable.
public struct TrajRun: Sendable {
  /// Standard output.
  public let stdout: String
  /// Standard error.
  public let stderr: String
  /// Exit status.
  public let status: Int32
}

/// Runs the built `traj` binary (found beside the test executable, or at `$TRAJ_BIN`).
/// - Parameters:
///   - arguments: Command-line arguments.
///   - directory: Working directory (default: the repository root).
///   - environment: Extra environment variables.
/// - Returns: Captured output and exit status.
/// - Throws: If the process cannot be started.
public func runTraj(
  _ arguments: [String], in directory: URL = RepositoryPaths.root,
  environment: [String: String] = [:]
) throws -> TrajRun {
  let process = Process()
  process.executableURL = trajExecutable()
  process.arguments = arguments
  process.currentDirectoryURL = directory
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  process.environment = env
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  // Read both pipes to the end before waiting, so a large output cannot block the child.
  let group = DispatchGroup()
  nonisolated(unsafe) var outData = Data()
  nonisolated(unsafe) var errData = Data()
  group.enter()
  DispatchQueue.global().async {
    outData = out.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  errData = err.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return TrajRun(
    stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
}

/// The `traj` binary to test: `$TRAJ_BIN`, else the one built beside this test executable.
public func trajExecutable() -> URL {
  if let path = ProcessInfo.processInfo.environment["TRAJ_BIN"] {
    return URL(fileURLWithPath: path)
  }
  let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  var directory = executable.deletingLastPathComponent()
  // On Linux the test binary is `<build>/debug/<Package>PackageTests.xctest`.
  for _ in 0..<3 {
    let candidate = directory.appendingPathComponent("traj")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    directory = directory.deletingLastPathComponent()
  }
  return RepositoryPaths.root.appendingPathComponent(".build/debug/traj")
}

/// A fresh empty directory, removed by the caller with `removeTemporaryDirectory`.
/// - Returns: The directory URL.
/// - Throws: If it cannot be created.
public func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "traj-test-" + UUID().uuidString)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Removes a directory made by `makeTemporaryDirectory`.
/// - Parameter url: The directory.
public func removeTemporaryDirectory(_ url: URL) {
  try? FileManager.default.removeItem(at: url)
}
