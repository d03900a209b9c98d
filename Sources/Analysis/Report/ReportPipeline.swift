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
  ///   - generated: When the report was made (ISO 8601), recorded in the provenance as
  ///     `generated`; nil (the default) records no time, so re-runs give the same bytes.
  ///   - threads: Threads the fits' parallel loops may use (the results do not depend on it).
  ///   - progress: Told what is being done as the work goes (each model fit, the figures);
  ///     nothing it does changes the outcome.
  /// - Returns: The report, results and provenance.
  /// - Throws: What reading the data or fitting a model throws, naming the problem.
  public static func run(
    _ spec: AnalysisSpec, specPath: String, specBytes: [UInt8], version: String,
    generated: String? = nil, threads: Int = 1, progress: (String) -> Void = { _ in }
  ) throws -> ReportOutcome {
    let dataPaths = spec.dataFiles.map { resolve($0, against: specPath) }
    func request(_ model: AnalysisSpec.Model) throws -> FitRequest {
      var request = try FitRequest(
        dataPath: dataPaths[0], formula: model.formula, method: model.method,
        references: spec.references, factors: spec.factors, derive: spec.derive == .yes,
        filter: spec.filter, canonicalOrder: true)
      request.inference = spec.inference
      request.columns = spec.columns
      request.additionalDataPaths = Array(dataPaths.dropFirst())
      request.threads = threads
      request.weights = model.priorWeights
      request.offset = model.offset
      return request
    }
    let fits: [FitOutcome] = try spec.models.enumerated().map { k, model in
      var request = try request(model)
      if model.covarianceFallback {
        request.covarianceFallback = model.covarianceLadder ?? MMRMModel.fallbackLadder
      }
      progress(
        "model \(k + 1) of \(spec.models.count) (\(model.name)): reading, fitting"
          + (spec.inference == nil ? "" : ", inference"))
      do {
        return try FitPipeline.run(request)
      } catch {
        throw ReportError.model(name: model.name, underlying: "\(error)")
      }
    }
    let comparisons = try ModelComparison.run(spec, fits: fits)
    progress("data summary, tables and figures")
    let rows = try FitPipeline.analysedRows(try request(spec.models[0]))
    let trial: CheckOutcome? =
      TrialCheck.hasSchemaColumns(rows.table)
      ? try? CheckPipeline.run(
        table: FitPipeline.readTable(try request(spec.models[0])), path: spec.data)
      : nil
    let inputs = try zip(spec.dataFiles, dataPaths).map { name, path in
      (path: name, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
    let rowsPerFile: [Int] =
      dataPaths.count == 1
      ? [] : try DataFiles.read(dataPaths, options: CSVOptions()).rowsPerFile

    var builder = ReportBuilder(spec: spec, version: version)
    builder.addOverview(
      files: Array(zip(spec.dataFiles, rowsPerFile)), rowsRead: rows.rowsRead,
      analysed: rows.table)
    if let trial { builder.addTrialSummary(trial) }
    try builder.addTrajectoryFigures(rows.table)
    for (model, outcome) in zip(spec.models, fits) { builder.addModel(model, outcome: outcome) }
    builder.addComparisons(fits: fits, tests: comparisons)
    builder.addMethods(fits: fits, comparisons: comparisons)

    let results = ReportResults.json(
      spec: spec, rowsPerFile: rowsPerFile, trial: trial, fits: fits, comparisons: comparisons,
      figures: builder.figureNames)
    let provenance = Provenance.json(
      spec: spec, specPath: specPath, specBytes: specBytes, inputs: inputs,
      fits: fits, version: version, generated: generated)
    return ReportOutcome(
      document: builder.document, results: results, provenance: provenance, spec: spec)
  }

  /// `path` relative to the directory of `specPath` (absolute paths as they are; a relative
  /// spec path gives a relative result, so messages name files as the user does).
  public static func resolve(_ path: String, against specPath: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let slash = specPath.lastIndex(of: "/") else { return path }
    let directory = String(specPath[...slash])
    if !directory.hasPrefix("/") {
      // Lexically: `a/b/` + `../c` is `a/c`.
      var parts = directory.split(separator: "/").map(String.init)
      var rest = path.split(separator: "/").map(String.init)
      while let first = rest.first, first == ".." || first == ".", !(first == ".." && parts.isEmpty)
      {
        if first == ".." { parts.removeLast() }
        rest.removeFirst()
      }
      let joined = (parts + rest).joined(separator: "/")
      return joined.isEmpty ? "." : joined
    }
    return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
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
