import DataTable

/// Covariates computed from a table that follows `TrialSchema`, added as new columns so that
/// formulas can name them.
///
/// Every value is computed within a subject with its rows in visit order; the rows of the
/// returned table keep their original order. A derived column is not added when the table
/// already has a column of that name (the existing column is kept and the name is listed in
/// `Result.kept`). Missing values are `.nan`.
///
/// | column | definition |
/// |---|---|
/// | `week` | `day / 7` |
/// | `infusion_number` | `infusion`: infusions received so far, including one at this visit |
/// | `days_since_infusion` | `day` minus the `day` of the latest visit at or before this one at which an infusion was given (`infusion` rose); missing before the first infusion |
/// | `cumulative_dose` | running sum of `dose_mgkg` within subject, this visit included (mg/kg) |
/// | `change` | `pain − baseline_pain`; missing when pain is |
/// | `pct_change` | `100 · change / baseline_pain`; missing when pain is missing or baseline is 0 |
/// | `responder30` | 1 when `pct_change ≤ −30`, else 0; missing when `pct_change` is |
/// | `responder50` | 1 when `pct_change ≤ −50`, else 0; missing when `pct_change` is |
/// | `last_observed` | 1 on the subject's last row (by visit) with pain observed, else 0 |
/// | `final_visit` | 1 on rows at the trial's last scheduled visit (largest `visit`), else 0 |
///
/// and the therapy indicators of `TherapyCoding` (`ketamine`, `memantine`, `amitriptyline`,
/// `pregabalin`). Responder thresholds allow 1e-9 for rounding (`pct_change` of
/// −29.999999999999996 counts as −30).
public enum DerivedCovariates {
  /// The derived column names, in the order they are added (therapy indicators last).
  public static let names =
    [
      "week", "infusion_number", "days_since_infusion", "cumulative_dose", "change",
      "pct_change", "responder30", "responder50", "last_observed", "final_visit",
    ] + TherapyCoding.components

  /// A table with derived columns, and what was added.
  public struct Result: Sendable {
    /// The input table with the derived columns appended.
    public let table: Table
    /// Names of the columns added.
    public let added: [String]
    /// Derived names that were already columns of the input, kept unchanged.
    public let kept: [String]
  }

  /// Validates `table` and appends the derived covariates and therapy indicators.
  /// - Parameter table: A table that follows `TrialSchema`.
  /// - Returns: The extended table and the names added or kept.
  /// - Throws: `TrialError.schemaViolations` when the table breaks the schema.
  public static func adding(to table: Table) throws -> Result {
    let records = try TrialCheck.records(of: table)
    let computed = columns(records)
    let existing = Set(table.columnNames)
    let new = computed.filter { !existing.contains($0.name) }
    let extended = try Table(
      source: table.source, columns: table.columns + new, lines: table.lines)
    return Result(
      table: extended, added: new.map(\.name),
      kept: computed.map(\.name).filter(existing.contains))
  }

  /// The derived columns for valid records, in `names` order.
  /// - Parameter records: Typed rows from `TrialCheck`.
  /// - Returns: One column per name in `names`.
  public static func columns(_ records: TrialRecords) -> [Column] {
    let n = records.rowCount
    let given = records.infusionGiven
    var sinceInfusion = [Double](repeating: .nan, count: n)
    var cumulative = [Double](repeating: 0, count: n)
    var lastObserved = [Double](repeating: 0, count: n)
    for range in records.subjectRanges {
      var lastInfusionDay: Double?
      var total = 0.0
      var lastWithPain: Int?
      for row in records.order[range] {
        if given[row] { lastInfusionDay = records.day[row] }
        sinceInfusion[row] = lastInfusionDay.map { records.day[row] - $0 } ?? .nan
        total += records.dose[row]
        cumulative[row] = total
        if !records.pain[row].isNaN { lastWithPain = row }
      }
      if let lastWithPain { lastObserved[lastWithPain] = 1 }
    }
    let change = (0..<n).map { records.pain[$0] - records.baselinePain[$0] }
    let percent = (0..<n).map { i in
      records.baselinePain[i] == 0 ? .nan : 100 * change[i] / records.baselinePain[i]
    }
    func responder(_ threshold: Double) -> [Double] {
      percent.map { $0.isNaN ? .nan : ($0 <= threshold + 1e-9 ? 1 : 0) }
    }
    let finalVisit = records.finalVisit
    return [
      Column(name: "week", numbers: records.day.map { $0 / 7 }),
      Column(name: "infusion_number", numbers: records.infusion.map(Double.init)),
      Column(name: "days_since_infusion", numbers: sinceInfusion),
      Column(name: "cumulative_dose", numbers: cumulative),
      Column(name: "change", numbers: change),
      Column(name: "pct_change", numbers: percent),
      Column(name: "responder30", numbers: responder(-30)),
      Column(name: "responder50", numbers: responder(-50)),
      Column(name: "last_observed", numbers: lastObserved),
      Column(name: "final_visit", numbers: records.visit.map { $0 == finalVisit ? 1 : 0 }),
    ] + TherapyCoding.indicatorColumns(arms: records.arm)
  }
}
