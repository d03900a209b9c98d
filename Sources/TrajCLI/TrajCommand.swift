import ArgumentParser
import Foundation

/// The `traj` root command: subcommands for fitting models (and, as issues land, checking
/// trial data, simulating trials and writing reports).
public struct TrajCommand: ParsableCommand {
  /// Command metadata.
  public static let configuration = CommandConfiguration(
    commandName: "traj",
    abstract: "Longitudinal outcomes analysis for clinical trials: mixed models as lme4 fits them.",
    version: "0.1.0",
    subcommands: [
      FitCommand.self, CheckCommand.self, DeriveCommand.self, SimulateCommand.self,
      ReportCommand.self, CompareCommand.self,
    ])

  /// Creates the command.
  public init() {}

  /// Parses arguments and runs, mapping every error to `traj: error: …` and exit status 1
  /// (help and `--version` print and exit 0).
  public static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(ExitStatus.success)
      }
      let message = fullMessage(for: error)
      if code == .validationFailure {
        ExitStatus.report(message.isEmpty ? "invalid usage" : firstLine(message))
        FileHandle.standardError.write(Data("Run 'traj --help' for usage.\n".utf8))
      } else {
        let text = message.isEmpty ? "\(error)" : message
        ExitStatus.report(text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text)
      }
      Foundation.exit(ExitStatus.failure)
    }
  }

  private static func firstLine(_ message: String) -> String {
    let line = message.split(separator: "\n").first.map(String.init) ?? message
    return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
  }
}
