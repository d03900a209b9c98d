import Analysis
import ArgumentParser

/// The options that say how a data file becomes a model frame, shared by `traj fit` and
/// `traj compare`: method, reference levels, categorical columns, derived covariates and the
/// row filter.
struct ModelDataOptions: ParsableArguments {
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
    name: .customLong("where"),
    help: ArgumentHelp(
      "Analyse only the rows where this condition holds (as R's subset()).",
      discussion: """
        Example: --where 'visit >= 1' (post-baseline visits), \
        --where "arm in (placebo, ketamine) & !(dropout == 1)". Rows whose tested value is \
        missing are not selected; the rows excluded are counted in the summary and JSON.
        """,
      valueName: "expr"))
  var filter: String?

  @Option(
    name: .customLong("prior-weights"),
    help: ArgumentHelp(
      "Column of prior weights of a linear mixed model (lme4's weights =).",
      discussion: """
        Example: --prior-weights w. Observation i then has residual variance sigma^2 / w_i;         every weight must be a positive number (rows with a missing weight are dropped and         counted). Not yet for MMRMs, nor with --df kenward-roger.
        """,
      valueName: "column"))
  var priorWeights: String?

  @Option(
    help: ArgumentHelp(
      "Column of an offset of a linear mixed model (lme4's offset =).",
      discussion: """
        Example: --offset o: a known term added to the linear predictor with coefficient 1         (fitted values include it). Not yet for MMRMs.
        """,
      valueName: "column"))
  var offset: String?

  /// The fit request for `data` and `formula` with these options.
  /// - Throws: `CLIError.badReference` for a `--ref` not of the form `variable=level`; the
  ///   formula's and the filter's parse errors.
  func request(data: String, formula: String) throws -> FitRequest {
    var refs = [String: String]()
    for text in references {
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw CLIError.badReference(text)
      }
      refs[parts[0]] = parts[1]
    }
    var request = try FitRequest(
      dataPath: data, formula: formula, method: ml ? .ml : .reml, references: refs,
      factors: factors, derive: derive, filter: filter)
    request.weights = priorWeights
    request.offset = offset
    request.threads = ThreadSetting.threads
    return request
  }
}
