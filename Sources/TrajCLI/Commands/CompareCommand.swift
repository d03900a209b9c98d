import Analysis
import ArgumentParser
import Foundation

/// `traj compare DATA.csv --formula F1 --formula F2 …`: fits nested models by one method and
/// prints R's `anova()` table (AIC, BIC, log-likelihood, likelihood-ratio tests).
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare nested models by AIC, BIC and likelihood-ratio tests (as R's anova()).",
    discussion: """
      Fits every --formula (linear mixed models or MMRMs, as traj fit does) on the same rows \
      of DATA.csv by one method, REML (default) or ML (--ml), and tests each model against \
      the one before it: LR = 2(logLik_larger − logLik_smaller) on χ² with the difference in \
      parameter counts as df. Give the models from smaller to larger. REML likelihoods are \
      comparable only when the fixed effects are the same (compare random effects or \
      covariance structures); to compare fixed effects fit by ML, where the smaller model's \
      fixed effects must be among the larger's. All models must use the same observations \
      (rows with a value missing in any model's variables are dropped from that model, so \
      use --where or complete data when the models name different variables). When the \
      larger model adds random-effect variances their null value is on the boundary and the \
      χ² p-value is conservative; the output says so.

      Examples:
        traj compare datasets/sleepstudy.csv \\
          --formula 'Reaction ~ Days + (1 | Subject)' \\
          --formula 'Reaction ~ Days + (Days | Subject)'
        traj compare trial.csv --factor visit --name cs --name us \\
          --formula 'pain ~ visit * arm + cs(visit | subject)' \\
          --formula 'pain ~ visit * arm + us(visit | subject)'
        traj compare datasets/sleepstudy.csv --ml \\
          --formula 'Reaction ~ 1 + (Days | Subject)' \\
          --formula 'Reaction ~ Days + (Days | Subject)' --json compare.json
      """)

  @Argument(
    help: ArgumentHelp(
      "CSV file with a header row, one row per observation.",
      discussion: "Example: traj compare datasets/sleepstudy.csv --formula '...' --formula '...'"))
  var data: String

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "A model formula (repeatable, smaller model first).",
      discussion: "Example: --formula 'y ~ x + (1 | g)' --formula 'y ~ x + (x | g)'",
      valueName: "formula"))
  var formula: [String] = []

  @Option(
    help: ArgumentHelp(
      "A name for each model, in formula order (repeatable; default m1, m2, ...).",
      discussion: "Example: --name cs --name us",
      valueName: "name"))
  var name: [String] = []

  @OptionGroup var options: ModelDataOptions

  @Flag(
    help: ArgumentHelp(
      "With a covariance term: if a fit does not converge, fit us → toeph → ar1h → cs.",
      discussion: "Example: --covariance-fallback"))
  var covarianceFallback = false

  @Option(
    help: ArgumentHelp(
      "Write the comparison as JSON to this file (atomically: temp file + rename).",
      discussion: "Example: --json compare.json (keys: models, tests; see README).",
      valueName: "file"))
  var json: String?

  @Flag(
    help: ArgumentHelp(
      "Do not print the table (useful with --json).",
      discussion: "Example: --json compare.json --quiet"))
  var quiet = false

  mutating func run() throws {
    guard let first = formula.first, formula.count >= 2 else {
      throw CompareError.tooFewModels(formula.count)
    }
    // The data and options; each formula is parsed (before any data is read) by the pipeline.
    let base = try options.request(data: data, formula: first)
    let outcome = try ComparePipeline.run(
      base, formulas: formula, names: name.isEmpty ? nil : name, fallback: covarianceFallback)
    if let json {
      let document = outcome.json
      try AtomicFile.write(to: json) { sink in try document.render(to: sink) }
    }
    if !quiet { Console.print(outcome.text, terminator: "") }
  }
}
