import ArgumentParser

/// The `traj` root command.
public struct TrajCommand: ParsableCommand {
  /// Command metadata.
  public static let configuration = CommandConfiguration(
    commandName: "traj", abstract: "Longitudinal outcomes analysis for clinical trials.")
  /// Creates the command.
  public init() {}
}
