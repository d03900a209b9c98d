import ArgumentParser
import DataTable
import Foundation
import Trials

/// `traj derive DATA.csv --out DERIVED.csv`: writes a trial file with its derived covariates
/// and therapy indicators added, the columns `traj fit` adds on its own when it recognises the
/// trial schema.
struct DeriveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "derive",
    abstract: "Add the derived trial covariates to a trial file and write it as CSV.",
    discussion: """
      Reads DATA.csv in the trial schema (see datasets/README.md, 'Trial schema'), checks it \
      as 'traj check' does, and writes OUT.csv: the same rows in the same order with the \
      derived covariates and therapy indicators \
      (\(DerivedCovariates.names.joined(separator: ", "))) appended. A \
      column already in the file under one of those names is kept as it is. Labels are \
      quoted, missing values written NA, numbers in the shortest form that reads back \
      exactly. The output is written atomically; on any violation nothing is written and \
      the exit status is 1.

      Examples:
        traj derive datasets/ketamine_small.csv --out derived.csv
      """)

  @Argument(
    help: ArgumentHelp(
      "CSV file in the trial schema, one row per subject × visit.",
      discussion: "Example: traj derive trial.csv --out derived.csv"))
  var data: String

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Where to write the extended table (CSV).",
      discussion: "Example: --out derived.csv", valueName: "file"))
  var out: String

  @Flag(
    help: ArgumentHelp(
      "Do not print the one-line account of what was written.",
      discussion: "Example: --out derived.csv --quiet"))
  var quiet = false

  mutating func run() throws {
    let table = try Table.readCSV(path: data)
    let derived = try DerivedCovariates.adding(to: table)
    let bytes = derived.table.csvBytes()
    try AtomicFile.write(bytes: bytes, to: out)
    if !quiet {
      var line =
        "\(out): \(derived.table.rowCount) rows; added \(derived.added.joined(separator: ", "))"
      if !derived.kept.isEmpty {
        line += "; kept the file's own \(derived.kept.joined(separator: ", "))"
      }
      Console.print(line)
    }
  }
}
