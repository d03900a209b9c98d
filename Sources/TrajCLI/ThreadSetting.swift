import Foundation

/// The number of threads of the project's own parallel loops, decided once per process.
///
/// `TRAJ_THREADS` when it is a positive integer, else the number of active cores. This is the
/// only place the environment is read for threads: the count is passed down as a parameter
/// (`FitRequest.threads`, `ReportPipeline.run(threads:)`, `TrialSimulator.simulate(threads:)`),
/// and the results never depend on it. OpenBLAS itself always runs one thread (`BLASThreads`).
enum ThreadSetting {
  /// The setting for this process.
  static let threads = resolve(
    environment: ProcessInfo.processInfo.environment,
    activeProcessors: ProcessInfo.processInfo.activeProcessorCount)

  /// The setting for an environment.
  /// - Parameters:
  ///   - environment: The process environment.
  ///   - activeProcessors: The number of active cores.
  /// - Returns: `TRAJ_THREADS` if it is a positive integer, else `activeProcessors` (≥ 1).
  static func resolve(environment: [String: String], activeProcessors: Int) -> Int {
    if let text = environment["TRAJ_THREADS"], let n = Int(text), n > 0 { return n }
    return max(1, activeProcessors)
  }
}
