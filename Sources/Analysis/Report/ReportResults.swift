import Reports

/// `results.json`: every number of the report, machine-readable.
///
/// Keys: `title`; `data` {`file` (the data files joined by ", "), `where` (or null), and with
/// several files `files` [{`path`, `rows`}] (rows read from each)}; `trial` (the `traj check --json`
/// summary when the file follows the trial schema, else null); `models` [{`name`, `role`,
/// `formula`, `fit` (the `traj fit --json` document of that model, without timings: the fit
/// JSON contract of `FitJSON`, with its `covariance` object for an MMRM)}];
/// `comparisons` [{`smaller`, `larger`, `method`, `statistic`, `df`, `p`, `boundary`}] (the
/// spec's likelihood-ratio tests; empty without them); `figures` [names, each
/// `figures/<name>.svg` beside `report.md`]; `seed`.
enum ReportResults {
  /// The check summary with its `source` written as the spec names the file (the absolute
  /// path it was read from would differ between directories and machines).
  private static func relativeSource(_ json: JSON, _ path: String) -> JSON {
    guard case .object(let members) = json else { return json }
    return .object(members.map { $0.0 == "source" ? ($0.0, .string(path)) : $0 })
  }

  static func json(
    spec: AnalysisSpec, rowsPerFile: [Int], trial: CheckOutcome?, fits: [FitOutcome],
    comparisons: [ModelComparison],
    figures: [String]
  ) -> JSON {
    .object([
      ("title", .string(spec.title)),
      (
        "data",
        .object(
          [("file", .string(spec.data)), ("where", spec.filter.map(JSON.string) ?? .null)]
            + (rowsPerFile.isEmpty
              ? []
              : [
                (
                  "files",
                  .array(
                    zip(spec.dataFiles, rowsPerFile).map {
                      .object([("path", .string($0)), ("rows", .integer($1))])
                    })
                )
              ]))
      ),
      ("trial", trial.map { relativeSource(CheckReport.json($0), spec.data) } ?? .null),
      (
        "models",
        .array(
          zip(spec.models, fits).map { model, fit in
            .object([
              ("name", .string(model.name)), ("role", .string(model.role)),
              ("formula", .string(model.formula)),
              ("fit", FitJSON.document(fit, includeFitted: false, includeTiming: false)),
            ])
          })
      ),
      ("comparisons", .array(comparisons.map(\.json))),
      ("figures", .strings(figures)),
      ("seed", .integer(Int(spec.seed))),
    ])
  }
}
