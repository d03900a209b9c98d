import DataTable

/// What `TrialCheck.validate(_:)` found.
public struct TrialValidation: Sendable {
  /// Every violation, ordered by line (missing columns, on line 1, first).
  public let violations: [TrialViolation]
  /// Columns that are not in the schema (allowed; listed as a note).
  public let extraColumns: [String]
  /// The typed rows, when there is no violation.
  public let records: TrialRecords?

  /// Whether the table conforms to the schema.
  public var isValid: Bool { violations.isEmpty }
}

/// Validates a table against `TrialSchema`.
///
/// Rules, each reported with file, line and column:
/// - every schema column is present (a missing one is reported on line 1 with the nearest
///   header name as a suggestion); other columns are allowed;
/// - types and ranges: labels, whole numbers, numbers and 0/1 flags within the column's range,
///   `route` one of `TrialSchema.routes`; no missing value where the schema forbids one;
/// - `arm` is `placebo` or components from ketamine, memantine, amitriptyline and pregabalin
///   joined by `_`, each at most once;
/// - columns marked constant within subject do not vary within a subject;
/// - one row per subject × visit; rows may come in any order, and within a subject sorted by
///   visit, `day` strictly increases;
/// - dose: in arms with ketamine a nonzero `dose_mgkg` lies in `TrialSchema.labelledDose`;
///   in arms without ketamine (placebo, adjunct alone) it is 0;
/// - `infusion` never decreases within a subject. In arms with ketamine it rises by exactly 1
///   at a visit with a dose > 0 and stays the same otherwise (from 0 before the first row).
///   In arms without ketamine the saline infusions count but have dose 0, so the dose cannot
///   tell: there `infusion` rises by 0 or 1 from one visit to the next (from 0);
/// - `dropout` is monotone (once 1 it stays 1) and `pain` is missing where `dropout` is 1.
public enum TrialCheck {
  /// Checks every rule and collects every violation.
  /// - Parameter table: A table read from CSV.
  /// - Returns: The violations, extra columns and, when valid, the typed rows.
  public static func validate(_ table: Table) -> TrialValidation {
    var typed = TypedColumns(table: table)
    typed.readColumns()
    typed.checkArms()
    let records = typed.checkRows()
    let violations = typed.violations.enumerated().sorted {
      ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset)
    }.map(\.element)
    let schema = Set(TrialSchema.columnNames)
    return TrialValidation(
      violations: violations,
      extraColumns: table.columnNames.filter { !schema.contains($0) },
      records: violations.isEmpty ? records : nil)
  }

  /// Whether the table has every schema column (then `traj fit` adds derived covariates
  /// without being asked).
  /// - Parameter table: A table.
  /// - Returns: `true` when each name in `TrialSchema.columnNames` is a column.
  public static func hasSchemaColumns(_ table: Table) -> Bool {
    let names = Set(table.columnNames)
    return TrialSchema.columnNames.allSatisfy(names.contains)
  }

  /// The records of a table that must conform.
  /// - Parameter table: A table.
  /// - Returns: The typed rows.
  /// - Throws: `TrialError.schemaViolations` with every violation.
  public static func records(of table: Table) throws -> TrialRecords {
    let validation = validate(table)
    guard let records = validation.records else {
      throw TrialError.schemaViolations(source: table.source, violations: validation.violations)
    }
    return records
  }
}

// MARK: - Typing the columns

/// The schema columns read into labels or numbers, with the violations found so far.
struct TypedColumns {
  let table: Table
  var violations: [TrialViolation] = []
  /// Labels of the label and one-of columns (nil = missing).
  var labels: [String: [String?]] = [:]
  /// Values of the numeric columns (`.nan` = missing or not a number).
  var numbers: [String: [Double]] = [:]
  /// Level codes of the label columns (levels sorted, so code order is label order).
  var labelCodes: [String: [Int32]] = [:]
  /// Levels of the label columns.
  var labelLevels: [String: [String]] = [:]
  /// Columns present with the right type and no forbidden missing value.
  var usable: Set<String> = []

  init(table: Table) { self.table = table }

  mutating func report(_ row: Int, _ column: String, _ message: String) {
    violations.append(
      TrialViolation(location: table.location(row: row, column: column), message: message))
  }

  mutating func readColumns() {
    for spec in TrialSchema.columns {
      guard let column = table.columns.first(where: { $0.name == spec.name }) else {
        let suggestion = nearestName(to: spec.name, among: table.columnNames)
        violations.append(
          TrialViolation(
            location: SourceLocation(source: table.source, line: 1, column: spec.name),
            message: "missing from the header"
              + (suggestion.map { "; did you mean '\($0)'?" } ?? "")))
        continue
      }
      var ok = true
      switch spec.kind {
      case .label, .oneOf:
        let categorical = Column.categorical(from: column)
        let values = categorical.codes.map { $0 < 0 ? nil : categorical.levels[Int($0)] }
        labelCodes[spec.name] = categorical.codes
        labelLevels[spec.name] = categorical.levels
        for (row, value) in values.enumerated() {
          guard let value else {
            if !spec.missingAllowed {
              report(row, spec.name, "missing value")
              ok = false
            }
            continue
          }
          if case .oneOf(let allowed) = spec.kind, !allowed.contains(value) {
            report(
              row, spec.name,
              "\"\(value)\" is not one of \(allowed.joined(separator: ", "))")
            ok = false
          }
        }
        labels[spec.name] = values
      case .integer, .number, .flag:
        let (values, typeOK) = readNumbers(column, spec: spec)
        numbers[spec.name] = values
        ok = typeOK
      }
      if ok { usable.insert(spec.name) }
    }
  }

  /// Reads a numeric schema column, reporting cells of the wrong type, out of range or
  /// missing; returns the values and whether the column can be used for the row checks.
  mutating func readNumbers(_ column: Column, spec: TrialSchema.ColumnSpec) -> ([Double], Bool) {
    var ok = true
    var values = column.numbers
    if column.kind == .categorical {
      // Read as labels (say `--factor visit`): the labels must still be numbers.
      values = [Double](repeating: .nan, count: column.count)
      for row in 0..<column.count where column.codes[row] >= 0 {
        let text = column.levels[Int(column.codes[row])]
        if let value = Double(text), value.isFinite {
          values[row] = value
        } else {
          report(row, spec.name, "expected \(Self.expected(spec.kind)), found \"\(text)\"")
          ok = false
        }
      }
      if !ok { return (values, false) }
    }
    for (row, value) in values.enumerated() {
      if value.isNaN {
        if !spec.missingAllowed {
          report(row, spec.name, "missing value")
          ok = false
        }
        continue
      }
      if !value.isFinite {
        report(row, spec.name, "expected \(Self.expected(spec.kind)), found \(value)")
        ok = false
        continue
      }
      switch spec.kind {
      case .integer(let range):
        if value.rounded() != value {
          report(row, spec.name, "expected a whole number, found \(Self.format(value))")
          ok = false
        } else if !(Double(range.lowerBound)...Double(range.upperBound)).contains(value) {
          report(
            row, spec.name,
            "value \(Self.format(value)) is outside \(range.lowerBound)...\(range.upperBound)")
          // Out-of-range whole numbers (possibly beyond `Int`) are kept out of the row checks.
          ok = false
        }
      case .number(let range):
        if !range.contains(value) {
          report(
            row, spec.name,
            "value \(Self.format(value)) is outside "
              + "\(Self.format(range.lowerBound))...\(Self.format(range.upperBound))")
        }
      case .flag:
        if value != 0 && value != 1 {
          report(row, spec.name, "expected 0 or 1, found \(Self.format(value))")
          ok = false
        }
      case .label, .oneOf:
        break
      }
    }
    return (values, ok)
  }

  static func expected(_ kind: TrialSchema.Kind) -> String {
    switch kind {
    case .integer: "a whole number"
    case .flag: "0 or 1"
    default: "a number"
    }
  }

  /// `3`, `2.5`: whole numbers without a decimal point.
  static func format(_ value: Double) -> String {
    if value.rounded() == value && abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }

  /// Reports every row whose arm label is not a valid arm (each label parsed once).
  mutating func checkArms() {
    guard let codes = labelCodes["arm"], let levels = labelLevels["arm"] else { return }
    let valid = levels.map { TherapyCoding.components(of: $0) != nil }
    for (row, code) in codes.enumerated() where code >= 0 && !valid[Int(code)] {
      report(
        row, "arm",
        "\"\(levels[Int(code)])\" is not a valid arm: use placebo, or ketamine, memantine, "
          + "amitriptyline and pregabalin joined by _ (ketamine_memantine)")
      usable.remove("arm")
    }
  }

  /// Whether each row's arm contains ketamine (false for a missing or invalid arm).
  func rowsWithKetamine() -> [Bool] {
    guard let codes = labelCodes["arm"], let levels = labelLevels["arm"] else { return [] }
    let ketamine = levels.map(TherapyCoding.containsKetamine)
    return codes.map { $0 >= 0 && ketamine[Int($0)] }
  }
}
