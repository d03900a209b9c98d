import DataTable
import Formulas
import MixedModels
import Trials

/// CSV → table → model frame → fit: the one road for `traj fit`, for every model family.
///
/// A formula with a residual covariance term (`us(visit | subject)`) is fitted as an MMRM
/// (`MMRMModel`), any other as a linear mixed model (`LinearMixedModel`); everything before
/// and after the fit is the same.
public enum FitPipeline {
  /// Runs a fit request end to end.
  /// - Parameters:
  ///   - request: What to fit.
  ///   - csv: The file's contents when they are already in memory (the fuzz targets); nil
  ///     reads `request.dataPath`, which otherwise only names the source in messages.
  /// - Returns: The fit and its accounting.
  /// - Throws: `DataError`, `FormulaError` or `FitError` with a message naming the problem
  ///   (a bad row filter, or one that selects no rows, is a `DataError`; a covariance
  ///   fallback without a covariance term is a `FitError`); `InferenceError` when the
  ///   inference asked for (`request.inference`) cannot be computed;
  ///   `TrialError.schemaViolations` (every violation with file, line and column) when derived
  ///   covariates are asked for, or the file has every trial schema column, and it breaks the
  ///   schema.
  public static func run(_ request: FitRequest, csv: [UInt8]? = nil) throws -> FitOutcome {
    let clock = ContinuousClock()
    let start = clock.now
    let formula = request.formula
    let covarianceTerm = formula.covarianceTerm
    if covarianceTerm == nil && request.covarianceFallback != nil {
      throw FitError.covarianceFallbackNeedsCovarianceTerm
    }
    // Every error of the request that needs no data is reported before any data is read.
    try request.inference?.emmeans?.check(against: formula)
    let read = try readTable(request, csv: csv)
    let (prepared, references, trialNotes) = try prepareTrial(
      consume read, request: request, usesArm: formula.variableNames.contains("arm"))
    // Derive first, then select: derived covariates need each subject's whole history.
    let rowsRead = prepared.rowCount
    let table = try selectRows(consume prepared, filter: request.filter)
    let rowsExcluded = rowsRead - table.rowCount
    let afterRead = clock.now
    // The table is handed over: its columns are freed once the model frame has read them.
    let frame = try ModelFrame(
      formula: formula, table: consume table,
      options: ModelFrameOptions(
        references: references, factors: Set(request.factors),
        requiresRandomEffects: covarianceTerm == nil, weights: request.weights,
        offset: request.offset))
    // And those that need the data's levels, before the fit.
    try request.inference?.emmeans?.check(request.inference?.contrast, in: frame)
    let fit: any FittedModel
    if covarianceTerm != nil {
      let model = try MMRMModel(frame: frame)
      if let ladder = request.covarianceFallback {
        fit =
          try model.fitWithFallback(method: request.method, ladder: ladder, start: request.start)
          .fit
      } else {
        fit = try model.fit(method: request.method, start: request.start)
      }
    } else {
      var model = LinearMixedModel(frame: frame)
      model.threads = request.threads
      fit = try model.fit(method: request.method, start: request.start)
    }
    let end = clock.now

    var outcome = FitOutcome(
      request: request, fit: fit, frame: frame, rowsRead: rowsRead, rowsExcluded: rowsExcluded,
      rowsUsed: frame.observationCount,
      rowsDropped: frame.rowsDropped, droppedByColumn: frame.droppedByColumn,
      droppedFixedEffects: frame.droppedFixedEffectNames,
      warnings: dataWarnings(notes: trialNotes, frame: frame) + fit.warnings,
      readSeconds: seconds(afterRead - start), fitSeconds: seconds(end - afterRead))
    if let inference = request.inference {
      let started = clock.now
      outcome.inference = try InferenceResults(request: inference, frame: frame, fit: fit)
      outcome.inferenceSeconds = seconds(clock.now - started)
    }
    return outcome
  }

  /// The rows a fit of `request` would analyse, before the model frame drops rows with
  /// missing values: read, put in canonical order if asked, trial covariates derived, filtered.
  /// - Parameters:
  ///   - request: The fit request (its formula is not used, except to decide whether the
  ///     trial's default reference arm applies: it always does here).
  ///   - csv: The file's contents when they are already in memory, as for `run`.
  /// - Returns: The table, the rows read from the file, and the notes about derivation.
  /// - Throws: As `run`.
  public static func analysedRows(_ request: FitRequest, csv: [UInt8]? = nil) throws -> (
    table: Table, rowsRead: Int, notes: [PreparationNote]
  ) {
    let read = try readTable(request, csv: csv)
    let (prepared, _, notes) = try prepareTrial(read, request: request, usesArm: true)
    let rowsRead = prepared.rowCount
    return (try selectRows(prepared, filter: request.filter), rowsRead, notes)
  }

  /// The file (or files, stacked) of `request` read (or `csv`, the single file's contents
  /// already in memory), its columns renamed (`request.columns`) and, if asked, its rows put
  /// in canonical order.
  static func readTable(_ request: FitRequest, csv: [UInt8]? = nil) throws -> Table {
    let factors = request.factors.map { request.columns[$0] ?? $0 }
    let options = CSVOptions(factorColumns: Set(factors))
    var table: Table
    if let csv {
      table = try Table.readCSV(bytes: csv, source: request.dataPath, options: options)
    } else if request.additionalDataPaths.isEmpty {
      table = try Table.readCSV(path: request.dataPath, options: options)
    } else {
      table = try DataFiles.read(
        [request.dataPath] + request.additionalDataPaths, options: options
      ).table
    }
    if !request.columns.isEmpty { table = try table.renamingColumns(request.columns) }
    if request.canonicalOrder { table = table.canonicallySorted() }
    return table
  }

  /// The warnings about the data, before the fit's own: preparation notes (trial
  /// derivation, row selection), the model frame's notes (numeric grouping variables made
  /// categorical, …), rows dropped for missing values, and rank-deficient columns dropped
  /// (carried as its own structured warning, not as the frame's note).
  static func dataWarnings(notes: [PreparationNote], frame: ModelFrame) -> [FitWarning] {
    var warnings = notes.map { FitWarning.dataNote(message: $0.description) }
    for note in frame.notes {
      if case .rankDeficient = note { continue }  // its own warning, below
      warnings.append(.dataNote(message: note.description))
    }
    if frame.rowsDropped > 0 {
      warnings.append(.rowsDropped(count: frame.rowsDropped, byColumn: frame.droppedByColumn))
    }
    if !frame.droppedFixedEffectNames.isEmpty {
      warnings.append(.rankDeficient(dropped: frame.droppedFixedEffectNames))
    }
    if frame.hasPredictorsOnVeryDifferentScales { warnings.append(.predictorScales) }
    return warnings
  }

  /// The rows of `table` that `filter` selects (every row when it is nil).
  static func selectRows(_ table: Table, filter: RowFilter?) throws -> Table {
    guard let filter else { return table }
    let mask = try filter.mask(in: table)
    guard mask.contains(true) else {
      throw DataError.noRowsSelected(
        source: table.source, expression: filter.text, rowCount: table.rowCount)
    }
    return table.selectingRows(mask)
  }

  /// Adds the derived trial covariates when asked (`request.derive`) or when the table has
  /// every trial schema column, and picks the default reference level of `arm` (`placebo`,
  /// else `ketamine`) when the user named none; returns the table, the references and notes
  /// saying what was done.
  static func prepareTrial(
    _ table: Table, request: FitRequest, usesArm: Bool
  ) throws -> (Table, [String: String], [PreparationNote]) {
    let recognised = TrialCheck.hasSchemaColumns(table)
    guard request.derive || recognised else { return (table, request.references, []) }
    let result = try DerivedCovariates.adding(to: table)
    var notes: [PreparationNote] = [.derivedCovariates(added: result.added, asked: request.derive)]
    if !result.kept.isEmpty { notes.append(.keptColumns(result.kept)) }
    var references = request.references
    if usesArm, references["arm"] == nil, let arm = try? result.table.column(named: "arm"),
      let level = TherapyCoding.defaultReference(among: Column.categorical(from: arm).levels)
    {
      references["arm"] = level
      notes.append(.defaultReference(arm: level))
    }
    return (result.table, references, notes)
  }

  static func seconds(_ d: Duration) -> Double {
    let (s, attoseconds) = d.components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}
