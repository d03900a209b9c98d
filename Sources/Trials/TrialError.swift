import DataTable

/// One way a data file breaks the trial schema, with where it happened.
public struct TrialViolation: Sendable, Equatable, CustomStringConvertible {
  /// File, 1-based line and column (line 1, the header, for a missing column).
  public let location: SourceLocation
  /// What is wrong, without the location.
  public let message: String

  /// Creates a violation.
  /// - Parameters:
  ///   - location: Where.
  ///   - message: What.
  public init(location: SourceLocation, message: String) {
    self.location = location
    self.message = message
  }

  /// `data.csv:17: column 'pain': value 11 is outside 0...10`.
  public var description: String { "\(location): \(message)" }
}

/// Bad trial data: the errors of the `Trials` module.
public enum TrialError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The table breaks the trial schema; every violation found, ordered by line.
  case schemaViolations(source: String, violations: [TrialViolation])

  /// How many violations a message lists before `… and N more`.
  public static let listedViolations = 20

  /// A headline (`data.csv: 3 trial schema violations`) and then one violation a line,
  /// at most `listedViolations` of them.
  public var description: String {
    switch self {
    case .schemaViolations(let source, let violations):
      let noun = violations.count == 1 ? "violation" : "violations"
      var lines = ["\(source): \(violations.count) trial schema \(noun)"]
      for violation in violations.prefix(Self.listedViolations) {
        lines.append("  \(violation)")
      }
      if violations.count > Self.listedViolations {
        lines.append("  … and \(violations.count - Self.listedViolations) more")
      }
      return lines.joined(separator: "\n")
    }
  }
}
