import Foundation

/// Golden fixtures under `Tests/Fixtures`, written only by `scripts/reference/*.R`.
public enum Fixture {
  /// Loads `Tests/Fixtures/<name>.json` (such as `"lmer/sleepstudy_slope_reml"`).
  /// - Parameter name: Path below `Tests/Fixtures`, without `.json`.
  /// - Returns: The parsed document.
  /// - Throws: If the file is missing or not JSON.
  public static func load(_ name: String) throws -> JSONValue {
    let url = RepositoryPaths.fixtures.appendingPathComponent(name + ".json")
    return try JSONValue.parse(Data(contentsOf: url))
  }

  /// Names (`"lmer/<case>"`) of every fixture in a folder, sorted, for parameterised tests.
  ///
  /// A missing or empty folder gives the one name `"<folder>/(no fixtures)"`, which
  /// `load(_:)` cannot read, so that a test parameterised over it fails instead of running
  /// no cases.
  /// - Parameter folder: A folder below `Tests/Fixtures`.
  /// - Returns: Fixture names without `.json`.
  public static func all(in folder: String) -> [String] {
    let url = RepositoryPaths.fixtures.appendingPathComponent(folder)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    let names = files.filter { $0.hasSuffix(".json") }.sorted().map {
      folder + "/" + String($0.dropLast(5))
    }
    return names.isEmpty ? [folder + "/(no fixtures)"] : names
  }
}

/// Data sets under `datasets/`.
public enum Dataset {
  /// The path of `datasets/<name>.csv`.
  /// - Parameter name: File name without `.csv`.
  /// - Returns: An absolute path.
  public static func path(_ name: String) -> String {
    RepositoryPaths.datasets.appendingPathComponent(name + ".csv").path
  }
}
