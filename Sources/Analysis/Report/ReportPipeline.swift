import DataTable
import Distributions
import Foundation
import MixedModels
import Reports
import Trials

/// Spec → data summary, fits, figures and tables → `ReportOutcome`: the road for
/// `traj report`.
///
/// Rows are put in canonical order (sorted by value) before anything is computed, so the
/// outcome is the same whatever the order of the rows in the file; nothing depends on the
/// clock, the thread count or the machine except the provenance's platform fields.
public enum ReportPipeline {
  /// Runs one spec.
  /// - Parameters:
  ///   - spec: The analysis.
  ///   - specPath: Path of the spec file (data paths are relative to its directory).
  ///   - specBytes: The spec file's bytes (hashed into the provenance).
  ///   - version: Trajectory's version, for the provenance and the methods paragraph.
  /// - Returns: The report, results and provenance.
  /// - Throws: What reading the data or fitting a model throws, naming the problem.
  public static func run(
    _ spec: AnalysisSpec, specPath: String, specBytes: [UInt8], version: String
  ) throws -> ReportOutcome {
    let dataPath = resolve(spec.data, against: specPath)
    func request(_ model: AnalysisSpec.Model) -> FitRequest {
      var request = FitRequest(
        dataPath: dataPath, formula: model.formula, method: model.method,
        references: spec.references, factors: spec.factors, derive: spec.derive == .yes,
        filter: spec.filter, canonicalOrder: true)
      request.inference = spec.inference
      request.columns = spec.columns
      return request
    }
    let fits: [ReportModelFit] = try spec.models.map { model in
      let request = request(model)
      do {
        if MMRMPipeline.handles(request) {
          return .mmrm(try MMRMPipeline.run(request, fallback: model.covarianceFallback))
        }
        return .lmm(try FitPipeline.run(request))
      } catch {
        throw ReportError.model(name: model.name, underlying: "\(error)")
      }
    }
    let comparisons = try ModelComparison.run(spec, fits: fits)
    let rows = try FitPipeline.analysedRows(request(spec.models[0]))
    let trial: CheckOutcome? =
      TrialCheck.hasSchemaColumns(rows.table)
      ? try? CheckPipeline.run(
        table: FitPipeline.readTable(request(spec.models[0])), path: spec.data)
      : nil
    let dataBytes = try Data(contentsOf: URL(fileURLWithPath: dataPath))

    var builder = ReportBuilder(spec: spec, version: version)
    builder.addOverview(dataFile: spec.data, rowsRead: rows.rowsRead, analysed: rows.table)
    if let trial { builder.addTrialSummary(trial) }
    try builder.addTrajectoryFigures(rows.table)
    for (model, fit) in zip(spec.models, fits) {
      switch fit {
      case .lmm(let outcome):
        builder.addModel(model, fit: outcome, diagnostics: model.role == "primary")
      case .mmrm(let outcome):
        builder.addModel(model, mmrm: outcome, primary: model.role == "primary")
      }
    }
    builder.addComparisons(fits: fits, tests: comparisons)
    builder.addMethods(fits: fits, comparisons: comparisons)

    let results = ReportResults.json(
      spec: spec, trial: trial, fits: fits, comparisons: comparisons,
      figures: builder.figureNames)
    let provenance = Provenance.json(
      spec: spec, specPath: specPath, specBytes: specBytes, dataBytes: Array(dataBytes),
      fits: fits, version: version)
    return ReportOutcome(
      document: builder.document, results: results, provenance: provenance, spec: spec)
  }

  /// `path` relative to the directory of `specPath` (absolute paths as they are).
  public static func resolve(_ path: String, against specPath: String) -> String {
    if path.hasPrefix("/") { return path }
    let directory = URL(fileURLWithPath: specPath).deletingLastPathComponent()
    return directory.appendingPathComponent(path).standardizedFileURL.path
  }
}

/// A failure while making a report, naming the model it concerns.
public enum ReportError: Error, Sendable, CustomStringConvertible {
  /// A model could not be fitted.
  case model(name: String, underlying: String)
  /// A trajectory column is missing from the data.
  case unknownColumn(key: String, name: String, available: [String])

  /// The message.
  public var description: String {
    switch self {
    case .model(let name, let underlying): "model \"\(name)\": \(underlying)"
    case .unknownColumn(let key, let name, let available):
      "trajectories.\(key): no column '\(name)'"
        + (nearestName(to: name, among: available).map { "; did you mean '\($0)'?" } ?? "")
    }
  }
}
