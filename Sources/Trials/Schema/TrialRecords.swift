/// The schema columns of a valid trial table, typed, with the rows grouped by subject in
/// visit order.
///
/// Made by `TrialCheck.validate(_:)` only when the table has no violation, so every value
/// here obeys the schema.
public struct TrialRecords: Sendable {
  /// Subject label per row.
  public let subject: [String]
  /// Site label per row.
  public let site: [String]
  /// Arm label per row.
  public let arm: [String]
  /// Visit number per row.
  public let visit: [Int]
  /// Days since the first infusion, per row.
  public let day: [Double]
  /// Infusions received so far, per row.
  public let infusion: [Int]
  /// Ketamine dose given at the visit (mg/kg), per row.
  public let dose: [Double]
  /// Pain (0–10), `.nan` when missing.
  public let pain: [Double]
  /// Baseline pain per row.
  public let baselinePain: [Double]
  /// Dropout flag per row.
  public let dropout: [Int]
  /// Adverse-event flags (`dissociation`, `nausea`, `dizziness`) per row, `.nan` when missing.
  public let adverseEvents: [(name: String, values: [Double])]
  /// Row indices sorted by subject label, then visit.
  public let order: [Int]
  /// For each subject (in label order), its slice of `order`.
  public let subjectRanges: [Range<Int>]

  /// Number of rows.
  public var rowCount: Int { subject.count }

  /// The largest visit number in the table: the trial's final scheduled visit.
  public var finalVisit: Int { visit.max() ?? 0 }

  /// Whether an infusion was given at each row: `infusion` rose from the subject's previous
  /// visit (from 0 before the first row).
  ///
  /// This counts saline infusions in placebo and adjunct-only arms too (their dose is 0).
  public var infusionGiven: [Bool] {
    var given = [Bool](repeating: false, count: rowCount)
    for range in subjectRanges {
      var previous = 0
      for row in order[range] {
        given[row] = infusion[row] > previous
        previous = infusion[row]
      }
    }
    return given
  }

  /// Creates the records from typed columns (called by the check).
  init(
    subject: [String], site: [String], arm: [String], visit: [Int], day: [Double],
    infusion: [Int], dose: [Double], pain: [Double], baselinePain: [Double], dropout: [Int],
    adverseEvents: [(name: String, values: [Double])], order: [Int],
    subjectRanges: [Range<Int>]
  ) {
    self.subject = subject
    self.site = site
    self.arm = arm
    self.visit = visit
    self.day = day
    self.infusion = infusion
    self.dose = dose
    self.pain = pain
    self.baselinePain = baselinePain
    self.dropout = dropout
    self.adverseEvents = adverseEvents
    self.order = order
    self.subjectRanges = subjectRanges
  }
}
