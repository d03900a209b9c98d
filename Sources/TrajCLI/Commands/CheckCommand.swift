import Analysis
import ArgumentParser
import Foundation
import Trials

/// `traj check DATA.csv`: validates a trial data file against the trial schema and prints a
/// summary of its design, completion, missingness, dropout and adverse events.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate trial data against the trial schema and summarise it.",
    discussion: """
      Reads DATA.csv (long format, one row per subject × visit; see datasets/README.md, \
      'Trial schema') and checks every column's type and range, missing values, values \
      constant within subject, one row per subject × visit, visits ordered in time, the \
      ketamine dose within the labelled range (\(TrialSchema.labelledDose.lowerBound)–\
      \(TrialSchema.labelledDose.upperBound) mg/kg), infusion counts and dropout. Every \
      violation is reported as FILE:LINE: column 'NAME': message (the first \
      \(TrialError.listedViolations) are listed) and the exit status is 1; nothing is \
      written. Columns outside the schema are allowed and listed in a note.

      On a valid file the summary gives subjects by arm and site, the scheduled visits, \
      completers per arm, missing pain by visit and arm, dropout times and adverse-event \
      rates; the exit status is 0.

      Examples:
        traj check trial.csv
        traj check trial.csv --json check.json --quiet
      """)

  @Argument(
    help: ArgumentHelp(
      "CSV file in the trial schema, one row per subject × visit.",
      discussion: "Example: traj check trial.csv"))
  var data: String

  @Option(
    help: ArgumentHelp(
      "Write the summary as JSON to this file (atomically: temp file + rename).",
      discussion: "Example: --json check.json. Not written when the file has violations.",
      valueName: "file"))
  var json: String?

  @Flag(
    help: ArgumentHelp(
      "Do not print the summary (useful with --json).",
      discussion: "Example: --json check.json --quiet"))
  var quiet = false

  mutating func run() throws {
    let outcome = try CheckPipeline.run(path: data)
    if let json {
      let document = CheckReport.json(outcome)
      try AtomicFile.write(to: json) { sink in try document.render(to: sink) }
    }
    if !quiet { Console.print(CheckReport.text(outcome), terminator: "") }
  }
}
