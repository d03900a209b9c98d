/// The long-format layout of a repeated-infusion pain trial, one row per subject × visit.
///
/// The simulator writes it, `traj check` validates it, and the derived covariates and
/// therapy coding are computed from it.
///
/// Rows after a subject's dropout stay in the file with `pain` missing and `dropout` = 1, so
/// missingness is visible per visit and arm; a fit drops those rows and reports the count.
public enum TrialSchema {
  /// What a column holds.
  public enum Kind: Sendable, Equatable {
    /// A label (read as categorical).
    case label
    /// A whole number in the closed range.
    case integer(ClosedRange<Int>)
    /// A number in the closed range.
    case number(ClosedRange<Double>)
    /// 0 or 1.
    case flag
    /// One of the listed labels.
    case oneOf([String])
  }

  /// One column of the schema.
  public struct ColumnSpec: Sendable, Equatable {
    /// Column name in the CSV header.
    public let name: String
    /// Type and allowed values.
    public let kind: Kind
    /// Whether a value may be missing (empty, `NA`).
    public let missingAllowed: Bool
    /// Whether the value is the same on every row of a subject.
    public let constantWithinSubject: Bool
    /// One line for `datasets/README.md` and `traj check --help`.
    public let meaning: String
  }

  /// Administration routes of the study drug (and of the matching placebo).
  public static let routes = ["IV", "IM", "SC", "nasal"]

  /// The labelled ketamine dose range per infusion, in mg/kg; a dose outside it is an error
  /// (0 mg/kg is allowed: placebo, or a visit without an infusion).
  public static let labelledDose: ClosedRange<Double> = 0.5...1.5

  /// Adjunct therapies that can be combined with ketamine (arm labels join components with
  /// `_`: `ketamine_memantine`).
  public static let adjuncts = ["memantine", "amitriptyline", "pregabalin"]

  /// The columns, in the order the simulator writes them.
  public static let columns: [ColumnSpec] = [
    ColumnSpec(
      name: "subject", kind: .label, missingAllowed: false, constantWithinSubject: true,
      meaning: "subject identifier"),
    ColumnSpec(
      name: "site", kind: .label, missingAllowed: false, constantWithinSubject: true,
      meaning: "study site"),
    ColumnSpec(
      name: "arm", kind: .label, missingAllowed: false, constantWithinSubject: true,
      meaning:
        "randomised therapy: placebo, ketamine, or components joined by _ "
        + "(ketamine_memantine, memantine, …)"),
    ColumnSpec(
      name: "visit", kind: .integer(0...10_000), missingAllowed: false,
      constantWithinSubject: false, meaning: "scheduled visit number, 0 = baseline"),
    ColumnSpec(
      name: "day", kind: .number(-365...3650), missingAllowed: false,
      constantWithinSubject: false,
      meaning: "days since the first infusion (negative before it)"),
    ColumnSpec(
      name: "infusion", kind: .integer(0...1000), missingAllowed: false,
      constantWithinSubject: false,
      meaning: "number of infusions received so far, including one given at this visit"),
    ColumnSpec(
      name: "dose_mgkg", kind: .number(0...5), missingAllowed: false,
      constantWithinSubject: false,
      meaning:
        "ketamine dose of the infusion given at this visit, mg/kg (0: none given, or placebo)"),
    ColumnSpec(
      name: "route", kind: .oneOf(routes), missingAllowed: false, constantWithinSubject: true,
      meaning: "administration route: IV, IM, SC or nasal"),
    ColumnSpec(
      name: "pain", kind: .number(0...10), missingAllowed: true, constantWithinSubject: false,
      meaning: "pain intensity, 0–10 numeric rating scale (missing when not observed)"),
    ColumnSpec(
      name: "baseline_pain", kind: .number(0...10), missingAllowed: false,
      constantWithinSubject: true, meaning: "pain at the baseline visit (visit 0)"),
    ColumnSpec(
      name: "prior_treatments", kind: .integer(0...100), missingAllowed: false,
      constantWithinSubject: true, meaning: "number of earlier treatments that failed"),
    ColumnSpec(
      name: "psych_history", kind: .flag, missingAllowed: false, constantWithinSubject: true,
      meaning: "1: psychiatric history (depression, anxiety, PTSD)"),
    ColumnSpec(
      name: "cardio_risk", kind: .flag, missingAllowed: false, constantWithinSubject: true,
      meaning: "1: elevated cardiovascular risk (hypertension, heart disease)"),
    ColumnSpec(
      name: "dissociation", kind: .flag, missingAllowed: true, constantWithinSubject: false,
      meaning: "1: dissociation reported at this visit"),
    ColumnSpec(
      name: "nausea", kind: .flag, missingAllowed: true, constantWithinSubject: false,
      meaning: "1: nausea reported at this visit"),
    ColumnSpec(
      name: "dizziness", kind: .flag, missingAllowed: true, constantWithinSubject: false,
      meaning: "1: dizziness reported at this visit"),
    ColumnSpec(
      name: "dropout", kind: .flag, missingAllowed: false, constantWithinSubject: false,
      meaning: "1 from the first visit after the subject left the study, else 0"),
  ]

  /// The column names, in order.
  public static var columnNames: [String] { columns.map(\.name) }
}
