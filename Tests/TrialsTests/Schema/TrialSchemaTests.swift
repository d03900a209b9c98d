import Foundation
import TestSupport
import Testing

@testable import Trials

@Suite("Trial schema")
struct TrialSchemaTests {
  @Test("column names are unique and the subject, visit and pain columns are present")
  func columns() {
    let names = TrialSchema.columnNames
    #expect(Set(names).count == names.count)
    for required in ["subject", "arm", "visit", "day", "pain", "baseline_pain"] {
      #expect(names.contains(required))
    }
  }

  /// `datasets/README.md`, split into lines.
  func readme() throws -> [String] {
    let url = RepositoryPaths.datasets.appendingPathComponent("README.md")
    return try String(contentsOf: url, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
  }

  /// The table rows of the section under `heading`.
  func tableRows(_ lines: [String], under heading: String) throws -> [String] {
    let start = try #require(lines.firstIndex(of: heading), "no '\(heading)' in README")
    let rest = lines[(start + 1)...]
    let end = rest.firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
    return lines[(start + 1)..<end].filter { $0.hasPrefix("| `") }
  }

  static func kind(_ kind: TrialSchema.Kind) -> String {
    func number(_ x: Double) -> String { x.rounded() == x ? String(Int(x)) : "\(x)" }
    switch kind {
    case .label: return "label"
    case .integer(let r): return "whole number, \(r.lowerBound) to \(r.upperBound)"
    case .number(let r): return "number, \(number(r.lowerBound)) to \(number(r.upperBound))"
    case .flag: return "0/1"
    case .oneOf(let values): return "one of " + values.joined(separator: ", ")
    }
  }

  @Test("datasets/README.md's 'Trial schema' table is TrialSchema.columns, row for row")
  func readmeSchemaTable() throws {
    let rows = try tableRows(readme(), under: "## Trial schema")
    let expected = TrialSchema.columns.map { c in
      "| `\(c.name)` | \(Self.kind(c.kind)) | \(c.missingAllowed ? "yes" : "no") | "
        + "\(c.constantWithinSubject ? "yes" : "no") | \(c.meaning) |"
    }
    #expect(rows == expected)
  }

  @Test("datasets/README.md's 'Derived covariates' table has one row per derived column")
  func readmeDerivedTable() throws {
    let rows = try tableRows(readme(), under: "## Derived covariates")
    let names = rows.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) }
    #expect(names == DerivedCovariates.names)
  }
}
