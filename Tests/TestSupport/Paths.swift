import Foundation

/// Locations inside the repository, found from this file's path (no resource bundles).
public enum RepositoryPaths {
  /// The repository root.
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// `Tests/Fixtures`.
  public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
  /// `datasets`.
  public static var datasets: URL { root.appendingPathComponent("datasets") }
}
