import DataTable
import Formulas
import MixedModels
import Trials

/// CSV → table → model frame → fit: the one road for `traj fit`.
public enum FitPipeline {
  /// Runs a fit request end to end.
  /// - Parameter request: What to fit.
  /// - Returns: The fit and its accounting.
  /// - Throws: `DataError`, `FormulaError` or `FitError` with a message naming the problem;
  ///   `TrialError.schemaViolations` (every violation with file, line and column) when derived
  ///   covariates are asked for, or the file has every trial schema column, and it breaks the
  ///   schema.
  public static func run(_ request: FitRequest) throws -> FitOutcome {
    let clock = ContinuousClock()
    let start = clock.now
    let read = try Table.readCSV(
      path: request.dataPath, options: CSVOptions(factorColumns: Set(request.factors)))
    let formula = try Formula(request.formula)
    // A covariance term makes it an MMRM (`MMRMPipeline`); never drop the term silently.
    if formula.covarianceTerm != nil { throw FitError.covarianceTermNeedsMMRM }
    let (table, references, trialNotes) = try prepareTrial(
      consume read, request: request, usesArm: formula.variableNames.contains("arm"))
    let afterRead = clock.now
    // The table is handed over: its columns are freed once the model frame has read them.
    let frame = try ModelFrame(
      formula: formula, table: consume table,
      options: ModelFrameOptions(references: references, factors: Set(request.factors)))
    let model = LinearMixedModel(frame: frame)
    let fit = try model.fit(method: request.method)
    let end = clock.now

    var warnings = trialNotes.map { FitWarning.dataNote(message: $0) }
    // Data notes (numeric grouping variables made categorical, …); the rank-deficiency note
    // is carried as its own structured warning below.
    for note in frame.notes where !note.hasPrefix("fixed-effect model matrix is rank deficient") {
      warnings.append(.dataNote(message: note))
    }
    if frame.rowsDropped > 0 {
      warnings.append(.rowsDropped(count: frame.rowsDropped, byColumn: frame.droppedByColumn))
    }
    if !frame.droppedFixedEffectNames.isEmpty {
      warnings.append(.rankDeficient(dropped: frame.droppedFixedEffectNames))
    }
    warnings.append(contentsOf: fit.warnings)

    var groups = [(name: String, count: Int)]()
    for term in fit.terms where !groups.contains(where: { $0.name == term.factorName }) {
      groups.append((term.factorName, term.levels.count))
    }
    return FitOutcome(
      request: request, fit: fit, rowsRead: frame.rowsRead, rowsUsed: frame.observationCount,
      rowsDropped: frame.rowsDropped, droppedByColumn: frame.droppedByColumn,
      droppedFixedEffects: frame.droppedFixedEffectNames, groupCounts: groups,
      warnings: warnings, readSeconds: seconds(afterRead - start),
      fitSeconds: seconds(end - afterRead))
  }

  /// Adds the derived trial covariates when asked (`request.derive`) or when the table has
  /// every trial schema column, and picks the default reference level of `arm` (`placebo`,
  /// else `ketamine`) when the user named none; returns the table, the references and notes
  /// saying what was done.
  static func prepareTrial(
    _ table: Table, request: FitRequest, usesArm: Bool
  ) throws -> (Table, [String: String], [String]) {
    let recognised = TrialCheck.hasSchemaColumns(table)
    guard request.derive || recognised else { return (table, request.references, []) }
    let result = try DerivedCovariates.adding(to: table)
    var notes = [
      (request.derive ? "--derive" : "trial schema recognised")
        + ": derived covariates added (" + result.added.joined(separator: ", ") + ")"
    ]
    if !result.kept.isEmpty {
      notes.append(
        "columns already in the data kept instead of derived: "
          + result.kept.joined(separator: ", "))
    }
    var references = request.references
    if usesArm, references["arm"] == nil, let arm = try? result.table.column(named: "arm"),
      let level = TherapyCoding.defaultReference(among: Column.categorical(from: arm).levels)
    {
      references["arm"] = level
      notes.append("reference level of arm: \(level) (the trial default)")
    }
    return (result.table, references, notes)
  }

  static func seconds(_ d: Duration) -> Double {
    let (s, attoseconds) = d.components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}
