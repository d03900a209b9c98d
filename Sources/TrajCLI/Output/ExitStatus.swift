import ArgumentParser
import Foundation

/// How errors become exit statuses and messages: every usage, data or model error prints one
/// line `traj: error: …` on standard error and exits 1 (argument-parser's own 64 for usage
/// errors is mapped to 1 as well); help and `--version` exit 0.
enum ExitStatus {
  /// Exit status for a fit, warnings included.
  static let success: Int32 = 0
  /// Exit status for any usage, data or model error.
  static let failure: Int32 = 1

  /// Writes `traj: error: <message>` to standard error, control characters made visible
  /// (`TerminalText`).
  /// - Parameter message: The message (first line is the headline).
  static func report(_ message: String) {
    Console.printError("traj: error: \(message)\n")
  }
}
