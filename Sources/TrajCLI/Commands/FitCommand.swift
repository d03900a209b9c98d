import Analysis
import ArgumentParser
import Foundation
import Inference
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

      Limits (so that a file or formula that is not what it seems fails fast, with a \
      message): a row of DATA.csv may span at most 4 MiB and the header at most 100,000 \
      columns; a formula at most 2,000 symbols, with parentheses nested at most 200 deep; \
      a --where filter at most 1,000 conditions, with parentheses and ! nested at most 200 \
      deep.

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

      Random effects with a covariance term (SAS RANDOM + REPEATED): terms grouped by the \
      covariance subject, such as (1 + week | subject), and terms grouped by one factor in \
      which every subject is nested, such as a site: (1 | site) + us(visit | subject). \
      The summary and JSON give the site variance and Σ; --df kenward-roger works on them \
      (dense per site); --vcov empirical then clusters by site. Refused (exit 1): a \
      grouping factor that varies within a subject, or terms above the subject grouped by \
      two different factors.

      Trial data (see traj check): with --derive, or by itself when the file has every \
      trial schema column, the derived covariates and therapy indicators are added before \
      the fit (schema violations are then errors naming file, line and column).

      Row selection: --where EXPR analyses only the rows where EXPR holds, as R's \
      subset(): comparisons column OP value (OP: == != < <= > >=; values are numbers, \
      levels as bare words, or quoted 'text'), column in (a, b, ...), joined by & (and), \
      | (or), ! (not) and parentheses. Order comparisons need a numeric column; an unknown \
      column or level is an error (R would silently select nothing). A row whose tested \
      value is missing is not selected. On trial files the filter runs after the derived \
      covariates are added, so --where 'week >= 1' works; the summary and JSON count the \
      rows excluded.

      Examples:
        traj fit datasets/sleepstudy.csv --formula 'Reaction ~ Days + (Days | Subject)'
        traj fit datasets/pain_trial.csv \\
          --formula 'pain ~ week * arm + baseline_pain + (1 + week | subject)' \\
          --ref arm=placebo --json fit.json
        traj fit datasets/pastes.csv --formula 'strength ~ 1 + (1 | batch/cask)' --ml
        traj fit datasets/ketamine_small.csv --where 'visit >= 1' \\
          --formula 'pain ~ week * arm + (1 + week | subject)'
        traj fit datasets/pain_trial.csv \\
          --formula 'pain ~ week * arm + baseline_pain + (1 + week | subject)' \\
          --ref arm=placebo --df kenward-roger --anova --emmeans 'arm | week' \\
          --contrast 'trt.vs.ctrl(placebo)' --adjust holm
        traj fit trial.csv --factor visit \\
          --formula 'pain ~ visit * arm + baseline_pain + us(visit | subject)'
        traj fit trial.csv --factor visit --df kenward-roger \\
          --formula 'pain ~ visit * arm + (1 | site) + us(visit | subject)'
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

  @OptionGroup var options: ModelDataOptions

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

  @Flag(
    help: ArgumentHelp(
      "Show a progress line on standard error even when it is not a terminal.",
      discussion: "Example: --progress (shown on a terminal without it; never with --quiet)."))
  var progress = false

  @Option(
    name: .customLong("df"),
    help: ArgumentHelp(
      "Add df and p-values to the fixed effects (lmerTest's layout) by this method.",
      discussion: """
        Example: --df satterthwaite. One of residual (n - p), between-within (SAS DDFM=BW \
        on the grouping factor with most levels), satterthwaite (lmerTest; mmrm for \
        MMRMs), kenward-roger (pbkrtest; for MMRMs mmrm's, W from the observed information as \
        SAS; REML only, SEs from the adjusted covariance), kenward-roger-linear (without the \
        second-derivative terms, mmrm's Kenward-Roger-Linear). The JSON fixef entries \
        gain df and p. Without --df, --anova/--emmeans/--contrast use Satterthwaite.
        """,
      valueName: "method"))
  var df: DegreesOfFreedomMethod?

  @Flag(
    help: ArgumentHelp(
      "Add the type III table of F tests of each fixed term (lmerTest's anova(type = 3)).",
      discussion: "Example: --anova --df kenward-roger (JSON: anova [{term, numDF, denDF, F, p}]).")
  )
  var anova = false

  @Option(
    help: ArgumentHelp(
      "Estimated marginal means over a reference grid, as emmeans' specs: 'factor | by'.",
      discussion: """
        Example: --emmeans 'arm | visit'. Other factors are averaged (--weights), numeric \
        covariates held at their means; a by-variable that is numeric is held at its mean. \
        JSON: emmeans [{arm, visit, estimate, se, df, lower, upper}] (95% limits).
        """,
      valueName: "spec"))
  var emmeans: String?

  @Option(
    help: ArgumentHelp(
      "Contrasts among the --emmeans means, within each by group.",
      discussion: """
        Example: --contrast 'trt.vs.ctrl(placebo)'. Also pairwise, revpairwise, \
        trt.vs.ctrl (first level as control), custom(1,-1,0). JSON: contrasts [{contrast, \
        estimate, se, df, t, p, p_adjusted, lower, upper}] (unadjusted 95% limits).
        """,
      valueName: "spec"))
  var contrast: String?

  @Option(
    help: ArgumentHelp(
      "Multiplicity adjustment of contrast p-values within each by group.",
      discussion: """
        Example: --adjust mvt. One of none (default), bonferroni, holm, mvt (single-step \
        adjustment by the joint multivariate t of the group's t statistics, emmeans' mvt) or \
        dunnett (the same; Dunnett's test for trt.vs.ctrl). Other than none, the JSON also \
        has lower_adjusted/upper_adjusted (simultaneous limits for mvt and dunnett, Bonferroni \
        for bonferroni and holm).
        """,
      valueName: "method"))
  var adjust: PValueAdjustment = .none

  @Option(
    help: ArgumentHelp(
      "Weights for averaging the factors the means do not name.",
      discussion: "Example: --weights proportional. equal (default, as emmeans) or proportional.",
      valueName: "weights"))
  var weights: MarginalWeights = .equal

  @Option(
    help: ArgumentHelp(
      "Covariance of the fixed effects for tests of an MMRM.",
      discussion:
        "Example: --vcov empirical. model (default) or empirical (sandwich, SAS EMPIRICAL; "
        + "tests then use residual df unless --df names between-within).",
      valueName: "kind"))
  var vcov: CovarianceEstimator = .model

  mutating func run() throws {
    var request = try options.request(data: data, formula: formula)
    let line = ProgressLine(quiet: quiet, forced: progress)
    line.update(
      "\(data): reading, fitting \(formula)" + (hasInferenceOptions ? ", inference" : ""))
    defer { line.finish() }
    request.inference = try inferenceRequest()
    if vcov != .model {
      // The empirical covariance is an MMRM's (a formula with a residual covariance term).
      guard request.formula.covarianceTerm != nil else {
        throw CLIError.badChoice(option: "--vcov", value: vcov.rawValue, choices: ["model"])
      }
      var inference = try request.inference ?? InferenceRequest()
      inference.covarianceEstimator = vcov
      request.inference = inference
    }
    if covarianceFallback { request.covarianceFallback = MMRMModel.fallbackLadder }
    let outcome = try FitPipeline.run(request)
    line.finish()
    if let json {
      let document = FitJSON.document(outcome, includeFitted: fitted, includeTiming: !noTiming)
      try AtomicFile.write(to: json) { sink in try document.render(to: sink) }
    }
    if !quiet { Console.print(FitSummary.text(outcome), terminator: "") }
  }

  /// Whether any option asks for tests, means or contrasts (for the progress line).
  private var hasInferenceOptions: Bool {
    df != nil || anova || emmeans != nil || contrast != nil
  }

  /// The inference options as a request (their specifications parsed), or nil when none was
  /// given (default output).
  private func inferenceRequest() throws -> InferenceRequest? {
    guard df != nil || anova || emmeans != nil || contrast != nil else { return nil }
    return try InferenceRequest(
      degreesOfFreedom: df, anova: anova, emmeans: emmeans, contrast: contrast,
      adjustment: adjust, weights: weights)
  }
}

// The fixed choices of `traj fit`'s options, parsed by swift-argument-parser from their raw
// values (an unknown value is a usage error listing the choices, before anything is read).
extension DegreesOfFreedomMethod: ExpressibleByArgument {}
extension PValueAdjustment: ExpressibleByArgument {}
extension MarginalWeights: ExpressibleByArgument {}
extension CovarianceEstimator: ExpressibleByArgument {}
