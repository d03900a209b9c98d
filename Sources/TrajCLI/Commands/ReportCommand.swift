import Analysis
import ArgumentParser
import Foundation
import Reports
import Trials

/// `traj report SPEC.yaml…`: runs each analysis spec and writes its report directory
/// (`report.html`, `report.md` with `figures/`, `results.json`, `provenance.json`).
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Run analysis specs and write efficacy reports (HTML, Markdown, JSON).",
    discussion: """
      Each SPEC.yaml names the data, row selection, models, trajectory columns and output \
      directory (see README.md, 'Reports'). For each spec the directory is written whole or \
      not at all (a temporary directory replaces it at the end): report.html (one \
      self-contained file, inline CSS and SVG), report.md with figures/*.svg, results.json \
      (every number) and provenance.json (SHA-256 of the inputs, version, platform, BLAS, \
      seed, optimiser record). The same spec and data give the same bytes on every run, with \
      any thread count and any order of the rows in the data file.

      An output directory that already exists is left as it is (the spec fails, naming it) \
      unless --force is given. Specs are independent: a failing spec is reported and the \
      others are still written. \
      The exit status is 0 when every spec succeeded, 1 otherwise.

      Examples:
        traj report analysis.yaml
        traj report primary.yaml sensitivity.yaml --out reports
        traj report analysis.yaml --verify report
        traj report analysis.yaml --force          (replace an existing report)
      """)

  @Argument(
    help: ArgumentHelp(
      "Analysis spec files (YAML).",
      discussion: "Example: traj report analysis.yaml"))
  var specs: [String]

  @Option(
    help: ArgumentHelp(
      "Output directory, overriding the spec's output.directory.",
      discussion:
        "Example: --out reports. With several specs, each report goes to "
        + "DIR/<spec file name without .yaml>.",
      valueName: "dir"))
  var out: String?

  @Option(
    help: ArgumentHelp(
      "Re-run and check that DIR holds exactly these outputs, byte for byte; write nothing.",
      discussion: "Example: --verify report (exit 1 and the first difference if not).",
      valueName: "dir"))
  var verify: String?

  @Flag(
    help: ArgumentHelp(
      "Record the time of the run in provenance.json (outputs then differ between runs).",
      discussion: "Example: --timestamp"))
  var timestamp = false

  @Flag(
    help: ArgumentHelp(
      "Show a progress line on standard error even when it is not a terminal.",
      discussion: "Example: --progress (the line is shown on a terminal without it)."))
  var progress = false

  @Flag(
    help: ArgumentHelp(
      "No progress line and no summary line (errors are still reported).",
      discussion: "Example: --quiet"))
  var quiet = false

  @Flag(
    help: ArgumentHelp(
      "Replace an output directory that already exists (without it, the spec fails).",
      discussion: "Example: --force"))
  var force = false

  mutating func validate() throws {
    if verify != nil && specs.count != 1 {
      throw ValidationError("--verify takes exactly one spec")
    }
    if specs.isEmpty { throw ValidationError("give at least one spec file") }
    if quiet && progress { throw ValidationError("--quiet and --progress exclude each other") }
  }

  mutating func run() throws {
    var failures = 0
    let line = ProgressLine(quiet: quiet, forced: progress)
    defer { line.finish() }
    for (k, specPath) in specs.enumerated() {
      let prefix = specs.count == 1 ? "\(specPath): " : "[\(k + 1)/\(specs.count)] \(specPath): "
      do {
        try runOne(specPath, line: line, prefix: prefix)
        line.finish()
      } catch {
        line.finish()
        failures += 1
        if specs.count == 1 { throw error }
        ExitStatus.report("\(specPath): \(error)")
      }
    }
    if failures > 0 {
      throw CLIError.batchFailed(failed: failures, total: specs.count)
    }
  }

  private func runOne(_ specPath: String, line: ProgressLine, prefix: String) throws {
    let progress = { (text: String) in line.update(prefix + text) }
    guard let data = FileManager.default.contents(atPath: specPath) else {
      throw SpecError.syntax(source: specPath, line: nil, message: "cannot read the file")
    }
    progress("reading the spec")
    // Read once: the bytes parsed are the bytes the provenance hashes.
    let bytes = [UInt8](data)
    let spec = try AnalysisSpec(try YAMLSpec.parse(bytes: bytes, path: specPath))
    let directory = outputDirectory(spec, specPath: specPath)
    // Checked before the work, and again (by the write) at the end.
    if verify == nil, !force, FileManager.default.fileExists(atPath: directory) {
      throw CLIError.outputExists(path: directory)
    }
    let outcome = try ReportPipeline.run(
      spec, specPath: specPath, specBytes: bytes, version: TrajCommand.configuration.version,
      generated: timestamp ? ISO8601DateFormatter().string(from: Date()) : nil,
      threads: ThreadSetting.threads, progress: progress)
    progress("rendering HTML, Markdown and JSON")
    let files = outcome.files
    if let verify {
      if let difference = AtomicDirectory.firstDifference(files, in: verify) {
        throw CLIError.notReproduced(directory: verify, difference: difference)
      }
      line.finish()
      if !quiet { Console.print("\(verify): reproduced exactly (\(files.count) files)") }
      return
    }
    if !force, FileManager.default.fileExists(atPath: directory) {
      throw CLIError.outputExists(path: directory)
    }
    if out != nil {
      try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path,
        withIntermediateDirectories: true)
    }
    progress("writing \(directory)")
    try AtomicDirectory.write(files, to: directory)
    line.finish()
    if quiet { return }
    let figures = files.filter { $0.path.hasPrefix("figures/") }.count
    let names = files.filter { !$0.path.hasPrefix("figures/") }.map(\.path)
    Console.print(
      "\(specPath) → \(directory): \(names.joined(separator: ", "))"
        + (figures > 0 ? ", \(figures) figures" : ""))
  }

  /// Where the report of `specPath` goes: `--out` (a subdirectory per spec in a batch), else
  /// the spec's `output.directory` relative to the spec file.
  private func outputDirectory(_ spec: AnalysisSpec, specPath: String) -> String {
    guard let out else { return ReportPipeline.resolve(spec.outputDirectory, against: specPath) }
    if specs.count == 1 { return out }
    return URL(fileURLWithPath: out).appendingPathComponent(
      URL(fileURLWithPath: specPath).deletingPathExtension().lastPathComponent
    ).path
  }
}
