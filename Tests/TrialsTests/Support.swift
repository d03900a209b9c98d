import DataTable
import Foundation
import TestSupport

/// The hand-made trial fixtures under `Tests/Fixtures/trials`.
enum TrialFixture {
  /// The path of `Tests/Fixtures/trials/<name>.csv`.
  static func path(_ name: String) -> String {
    RepositoryPaths.fixtures.appendingPathComponent("trials/\(name).csv").path
  }

  /// Reads a fixture, with a short source name (`<name>.csv`) for messages.
  static func table(_ name: String) throws -> Table {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name))))
    return try Table.readCSV(bytes: bytes, source: "\(name).csv")
  }

  /// The text of a fixture.
  static func text(_ name: String) throws -> String {
    try String(contentsOfFile: path(name), encoding: .utf8)
  }
}
