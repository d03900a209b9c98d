import DataTable
import Trials

/// A trial data file that passed `traj check`, with its summary.
public struct CheckOutcome: Sendable {
  /// The file as named by the user.
  public let source: String
  /// Columns in the file.
  public let columnCount: Int
  /// Columns that are not in the trial schema (allowed).
  public let extraColumns: [String]
  /// Design, completion, missingness, dropout and adverse-event counts.
  public let summary: TrialSummary
}

/// CSV → table → schema check → summary: the road for `traj check`.
public enum CheckPipeline {
  /// Reads and validates a trial data file.
  /// - Parameter path: CSV path.
  /// - Returns: The summary of a valid file.
  /// - Throws: `DataError` when the file cannot be read as CSV, `TrialError.schemaViolations`
  ///   with every violation when it breaks the schema.
  public static func run(path: String) throws -> CheckOutcome {
    try run(table: try Table.readCSV(path: path), path: path)
  }

  /// Validates a trial table already read (columns renamed, say).
  /// - Parameters:
  ///   - table: The table.
  ///   - path: The file it was read from, for messages.
  /// - Returns: The summary of a valid table.
  /// - Throws: `TrialError.schemaViolations` with every violation when it breaks the schema.
  public static func run(table: Table, path: String) throws -> CheckOutcome {
    let validation = TrialCheck.validate(table)
    guard let records = validation.records else {
      throw TrialError.schemaViolations(source: path, violations: validation.violations)
    }
    return CheckOutcome(
      source: path, columnCount: table.columns.count, extraColumns: validation.extraColumns,
      summary: TrialSummary(records))
  }
}
