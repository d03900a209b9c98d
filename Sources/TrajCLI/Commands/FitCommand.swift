import Analysis
import ArgumentParser
import Foundation
import MixedModels

/// `traj fit DATA.csv --formula 'F'`: fits a linear mixed model as lme4's `lmer` does and
/// prints lme4's summary; `--json` writes the fit JSON contract.
struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a linear mixed model (REML or ML) from a CSV file and an lme4 formula.",
    discussion: """
      Reads DATA.csv (RFC 4180; missing values: empty, NA, NaN, .), builds the model from an \
      lme4 formula and fits it by REML (default) or ML, printing a summary laid out as \
      lme4's summary(). Rows with a missing value in any model variable are dropped and \
      counted. Warnings (singular fit, convergence) are printed and written to the JSON; \
      the exit status is 0 whenever a fit was produced and 1 on any usage or data error.

      Formula syntax (as lme4): y ~ x1 + x2, a*b (= a + b + a:b), a:b, 0 or -1 (no \
      intercept); random terms (1 | g), (1 + x | g), (0 + x | g), (x || g) (uncorrelated), \
      (1 | site/subject) (nested), several terms for crossed factors.

      Repeated measures (MMRM): instead of random terms, one residual covariance term \
      structure(visit | subject), or structure(visit | group / subject) for separate \
      parameters per group, with structure one of us (unstructured), ar1, ar1h, cs, csh, \
      toep, toeph, ad, adh (ante-dependence) or sp_exp (spatial exponential on a numeric \
      time). The visit variable is treated as a factor whose sorted levels give the visit \
      order (numbers sort numerically); subjects with missing visits use the rows and \
      columns of the covariance for the visits they have. At most one row per subject \
      and visit.

      Trial data (see traj check): with --derive, or by itself when the file has every \
      trial schema column, the derived covariates and therapy indicators are added before \
      the fit (schema violations are then errors naming file, line and column).

      Examples:
        traj fit datasets/sleepstudy.csv --formula 'Reaction ~ Days + (Days | Subject)'
        traj fit datasets/pain_trial.csv \\
          --formula 'pain ~ week * arm + baseline_pain + (1 + week | subject)' \\
          --ref arm=placebo --json fit.json
        traj fit datasets/pastes.csv --formula 'strength ~ 1 + (1 | batch/cask)' --ml
        traj fit trial.csv --factor visit \\
          --formula 'pain ~ visit * arm + baseline_pain + us(visit | subject)'
      """)

  @Argument(
    help: ArgumentHelp(
      "CSV file with a header row, one row per observation.",
      discussion: "Example: traj fit datasets/sleepstudy.csv --formula '...'"))
  var data: String

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Model formula in lme4 syntax.",
      discussion: "Example: --formula 'pain ~ week * arm + (1 + week | subject)'",
      valueName: "formula"))
  var formula: String

  @Flag(
    help: ArgumentHelp(
      "Fit by maximum likelihood instead of REML (to compare fixed effects by LRT).",
      discussion: "Example: --ml (the JSON then has `deviance` instead of `REMLcrit`)."))
  var ml = false

  @Option(
    name: .customLong("ref"),
    help: ArgumentHelp(
      "Reference level of a categorical variable, as variable=level (repeatable).",
      discussion: "Example: --ref arm=placebo. Default: the first level in sorted order.",
      valueName: "var=level"))
  var references: [String] = []

  @Option(
    name: .customLong("factor"),
    help: ArgumentHelp(
      "Treat a numeric-looking column as categorical (repeatable).",
      discussion: "Example: --factor subject. Grouping variables are always categorical.",
      valueName: "column"))
  var factors: [String] = []

  @Flag(
    help: ArgumentHelp(
      "Add the trial's derived covariates and therapy indicators before fitting.",
      discussion: """
        Example: --derive --formula 'pain ~ week * arm + days_since_infusion + (1 | subject)'. \
        Adds week, infusion_number, days_since_infusion, cumulative_dose, change, \
        pct_change, responder30, responder50, last_observed, final_visit and the 0/1 \
        columns ketamine, memantine, amitriptyline, pregabalin; the data must follow the \
        trial schema (violations are errors naming file, line and column). Automatic when \
        the file has every trial schema column; arm's reference level is then placebo \
        (else ketamine) unless --ref arm=... is given.
        """))
  var derive = false

  @Option(
    help: ArgumentHelp(
      "Write the fit as JSON to this file (atomically: temp file + rename).",
      discussion: "Example: --json fit.json. Keys follow lme4: fixef, theta, varcorr, ranef, ...",
      valueName: "file"))
  var json: String?

  @Flag(
    help: ArgumentHelp(
      "With a covariance term: if the fit does not converge, fit us → toeph → ar1h → cs.",
      discussion:
        "Example: --covariance-fallback. Starts at the formula's structure; every attempt is "
        + "recorded in the JSON (covariance.attempts)."))
  var covarianceFallback = false

  @Flag(
    help: ArgumentHelp(
      "Include fitted values and residuals (one per row used) in the JSON.",
      discussion: "Example: --json fit.json --fitted"))
  var fitted = false

  @Flag(
    help: ArgumentHelp(
      "Leave the run's timings out of the JSON, so that re-runs are byte-identical.",
      discussion: "Example: --json fit.json --no-timing"))
  var noTiming = false

  @Flag(
    help: ArgumentHelp(
      "Do not print the summary (useful with --json).",
      discussion: "Example: --json fit.json --quiet"))
  var quiet = false

  mutating func run() throws {
    var refs = [String: String]()
    for text in references {
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw CLIError.badReference(text)
      }
      refs[parts[0]] = parts[1]
    }
    let request = FitRequest(
      dataPath: data, formula: formula, method: ml ? .ml : .reml, references: refs,
      factors: factors, derive: derive)
    if MMRMPipeline.handles(request) {
      // A residual covariance term: a mixed model for repeated measures.
      let outcome = try MMRMPipeline.run(request, fallback: covarianceFallback)
      if let json {
        let document = MMRMJSON.document(outcome, includeTiming: !noTiming)
        try AtomicFile.write(to: json) { sink in try document.render(to: sink) }
      }
      if !quiet { print(MMRMSummary.text(outcome), terminator: "") }
      return
    }
    let outcome = try FitPipeline.run(request)
    if let json {
      let document = FitJSON.document(outcome, includeFitted: fitted, includeTiming: !noTiming)
      try AtomicFile.write(to: json) { sink in try document.render(to: sink) }
    }
    if !quiet { print(FitSummary.text(outcome), terminator: "") }
  }
}
