import DataTable
import Formulas
import MixedModels

/// CSV → table → model frame → MMRM fit: the road `traj fit` takes when the formula has a
/// residual covariance term such as `us(visit | subject)`.
public enum MMRMPipeline {
  /// Whether `request`'s formula has a covariance term (so `run` applies, not `FitPipeline`).
  /// - Parameter request: A fit request.
  /// - Returns: `true` when the formula parses and has a covariance term.
  public static func handles(_ request: FitRequest) -> Bool {
    ((try? Formula(request.formula))?.covarianceTerm) != nil
  }

  /// Runs an MMRM fit request end to end, with the inference of `request.inference` if any.
  /// - Parameters:
  ///   - request: What to fit; its formula has a covariance term.
  ///   - fallback: When the fit does not converge, try the next structures of `ladder`
  ///     (`MMRMModel.fitWithFallback`).
  ///   - ladder: The fallback ladder (default us → toeph → ar1h → cs).
  ///   - csv: The file's contents when already in memory, as for `FitPipeline.run`.
  /// - Returns: The fit and its accounting.
  /// - Throws: `DataError`, `FormulaError` or `FitError` naming the problem;
  ///   random-effects terms must be grouped by the covariance term's subject;
  ///   `InferenceError` when the inference asked for cannot be computed.
  public static func run(
    _ request: FitRequest, fallback: Bool = false,
    ladder: [CovarianceStructure] = MMRMModel.fallbackLadder, csv: [UInt8]? = nil
  ) throws -> MMRMOutcome {
    let clock = ContinuousClock()
    let start = clock.now
    let read = try FitPipeline.readTable(request, csv: csv)
    let formula = try Formula(request.formula)
    guard let term = formula.covarianceTerm else { throw FitError.noCovarianceTerm }
    let (prepared, references, preparationNotes) = try FitPipeline.prepareTrial(
      consume read, request: request, usesArm: formula.variableNames.contains("arm"))
    // Derive first, then select (as FitPipeline): derived covariates need whole histories.
    let rowsInFile = prepared.rowCount
    let table = try FitPipeline.selectRows(consume prepared, filter: request.filter)
    var trialNotes = preparationNotes
    if let filter = request.filter {
      trialNotes.append(
        "\(rowsInFile - table.rowCount) of \(rowsInFile) rows excluded by --where \(filter)")
    }
    let afterRead = clock.now
    let frame = try ModelFrame(
      formula: formula, table: consume table,
      options: ModelFrameOptions(
        references: references, factors: Set(request.factors), requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    var fit: MMRMFit
    var attempts: [CovarianceAttempt]
    if fallback {
      (fit, attempts) = try model.fitWithFallback(method: request.method, ladder: ladder)
    } else {
      fit = try model.fit(method: request.method)
      attempts = [
        CovarianceAttempt(
          structure: term.structure.rawValue, converged: fit.converged, criterion: fit.objective,
          reason: "")
      ]
    }
    let end = clock.now

    let warnings = FitPipeline.dataWarnings(notes: trialNotes, frame: frame) + fit.warnings
    var outcome = MMRMOutcome(
      request: request, covarianceTerm: term, fit: fit, attempts: attempts,
      patternCount: model.patternCount,
      rowsRead: frame.rowsRead, rowsUsed: frame.observationCount, rowsDropped: frame.rowsDropped,
      droppedByColumn: frame.droppedByColumn,
      droppedFixedEffects: frame.droppedFixedEffectNames, warnings: warnings,
      readSeconds: FitPipeline.seconds(afterRead - start),
      fitSeconds: FitPipeline.seconds(end - afterRead))
    outcome.residuals = model.residuals(of: fit)
    if let inference = request.inference {
      let started = clock.now
      outcome.inference = try InferenceResults(
        request: inference, frame: frame, model: model.replacingCovariance(fit.covariance),
        fit: fit)
      outcome.inferenceSeconds = FitPipeline.seconds(clock.now - started)
    }
    return outcome
  }
}
