import Reports

/// Everything `traj report` writes for one spec, as values: the report document, the
/// machine-readable results and the provenance record.
public struct ReportOutcome: Sendable {
  /// The report (rendered to `report.html` and `report.md` with its figures).
  public let document: Document
  /// Every number of the report (`results.json`).
  public let results: JSON
  /// Inputs, software and optimiser record (`provenance.json`).
  public let provenance: JSON
  /// The spec it was made from.
  public let spec: AnalysisSpec

  /// The output files, path relative to the output directory → bytes, in a fixed order:
  /// `report.html`, `report.md`, `figures/*.svg` (for Markdown), `results.json` as the spec's
  /// formats ask, and always `provenance.json`.
  public var files: [(path: String, bytes: [UInt8])] {
    var files: [(path: String, bytes: [UInt8])] = []
    if spec.formats.contains("html") {
      files.append(("report.html", Array(HTMLRenderer.render(document).utf8)))
    }
    if spec.formats.contains("md") {
      let (markdown, figures) = MarkdownRenderer.render(document)
      files.append(("report.md", Array(markdown.utf8)))
      files.append(contentsOf: figures.map { ($0.path, Array($0.svg.utf8)) })
    }
    if spec.formats.contains("json") { files.append(("results.json", results.renderedBytes)) }
    files.append(("provenance.json", provenance.renderedBytes))
    return files
  }
}
