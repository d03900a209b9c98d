import ArgumentParser
import Foundation
import Trials

/// `traj simulate --design D.yaml --seed N --out DATA.csv`: simulates a trial from a design
/// file and writes its data (in the trial schema) and the truth behind it.
struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Simulate a repeated-infusion pain trial from a design file, with its truth.",
    discussion: """
      Reads a design (YAML; layout in datasets/README.md, "Simulation designs"), validates \
      every key and value (unknown keys, impossible values and missing required keys are \
      errors naming the key path), simulates the trial and writes DATA.csv in the trial \
      schema (one row per subject × visit) and a truth JSON with every parameter used and \
      the true coefficients of the intended analysis model. The same design and seed give \
      byte-identical files on every run and for every thread count. Both files are written \
      atomically; on any error nothing is written and the exit status is 1.

      The seed: --seed if given, else the design's `seed:`; one of them is required.

      Examples:
        traj simulate --design datasets/ketamine_small.design.yaml --seed 20261125 \\
          --out ketamine_small.csv
        traj simulate --design my.design.yaml --out trial.csv --truth truth.json
      """)

  @Option(
    help: ArgumentHelp(
      "The design file (YAML).",
      discussion: "Example: --design datasets/ketamine_small.design.yaml",
      valueName: "file"))
  var design: String

  @Option(
    help: ArgumentHelp(
      "Seed of the random streams (overrides `seed:` in the design).",
      discussion: "Example: --seed 20261125. Any whole number 0 … 2^64−1.",
      valueName: "n"))
  var seed: UInt64?

  @Option(
    help: ArgumentHelp(
      "Where to write the simulated data (CSV in the trial schema).",
      discussion: "Example: --out trial.csv",
      valueName: "file"))
  var out: String

  @Option(
    help: ArgumentHelp(
      "Where to write the truth JSON (default: the --out path with .csv → .truth.json).",
      discussion: "Example: --truth trial.truth.json",
      valueName: "file"))
  var truth: String?

  @Option(
    help: ArgumentHelp(
      "Worker threads (the output does not depend on it).",
      discussion: "Example: --threads 1. Default: TRAJ_THREADS, else the number of active cores.",
      valueName: "n"))
  var threads: Int?

  @Flag(
    help: ArgumentHelp(
      "Show a progress line on standard error even when it is not a terminal.",
      discussion: "Example: --progress (shown on a terminal without it)."))
  var progress = false

  @Flag(help: ArgumentHelp("No progress line.", discussion: "Example: --quiet"))
  var quiet = false

  /// The truth path used when `--truth` is not given.
  static func defaultTruthPath(for out: String) -> String {
    out.hasSuffix(".csv") ? String(out.dropLast(4)) + ".truth.json" : out + ".truth.json"
  }

  mutating func run() throws {
    let spec = try YAMLSpec.read(path: design)
    let trialDesign = try TrialDesign(spec: spec)
    guard let seed = seed ?? trialDesign.seed else { throw CLIError.missingSeed(design: design) }
    if let threads, threads < 1 { throw CLIError.badThreads(threads) }
    let truthPath = truth ?? Self.defaultTruthPath(for: out)
    let line = ProgressLine(quiet: quiet, forced: progress)
    defer { line.finish() }
    line.update("\(design): simulating \(trialDesign.subjectCount) subjects")
    let simulator = TrialSimulator(design: trialDesign, seed: seed)
    let trial = simulator.simulate(threads: threads ?? ThreadSetting.threads)
    line.update("\(design): writing \(out)")
    let document = TrialTruth.document(design: trialDesign, seed: seed, trial: trial)
    try AtomicFile.write(bytes: trial.csv, to: out)
    do {
      try AtomicFile.write(bytes: document.renderedBytes, to: truthPath)
    } catch {
      // Both files or neither.
      try? FileManager.default.removeItem(atPath: out)
      throw error
    }
  }
}
