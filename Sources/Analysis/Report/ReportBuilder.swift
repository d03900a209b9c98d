import DataTable
import Distributions
import Formulas
import Inference
import MixedModels
import Reports

/// Assembles the report document section by section.
struct ReportBuilder {
  let spec: AnalysisSpec
  let version: String
  private(set) var document: Document
  private(set) var figureNames: [String] = []

  init(spec: AnalysisSpec, version: String) {
    self.spec = spec
    self.version = version
    self.document = Document(title: spec.title)
  }

  mutating func add(_ block: Document.Block) { document.blocks.append(block) }

  mutating func addFigure(_ name: String, caption: String, svg: String) {
    figureNames.append(name)
    add(.figure(Figure(name: name, caption: caption, svg: svg)))
  }

  // MARK: - Data

  /// The data paragraph; `files` (path, rows read) is empty for a single data file.
  mutating func addOverview(files: [(String, Int)], rowsRead: Int, analysed: Table) {
    add(.heading(level: 2, text: "Data"))
    var text =
      files.isEmpty
      ? "Data file \(spec.data): \(rowsRead) rows read"
      : "Data files " + files.map { "\($0.0) (\($0.1) rows)" }.joined(separator: ", ")
        + ", stacked: \(rowsRead) rows read"
    if let filter = spec.filter {
      text += "; \(analysed.rowCount) rows selected by \(filter)"
    }
    add(.paragraph(text + "."))
  }

  mutating func addTrialSummary(_ trial: CheckOutcome) {
    let s = trial.summary
    let sites = s.sites
    add(
      .table(
        ReportTable(
          caption: "Subjects by arm and site", header: ["arm"] + sites + ["total"],
          rows: s.arms.indices.map { a in
            [s.arms[a]] + s.subjectsByArmSite[a].map(String.init)
              + [String(s.subjectsPerArm[a])]
          })))
    add(
      .table(
        ReportTable(
          caption: "Completers (pain observed at the final visit)",
          header: ["arm", "completers", "subjects", "%"],
          rows: s.arms.indices.map { a in
            [
              s.arms[a], String(s.completers[a]), String(s.subjectsPerArm[a]),
              percent(s.completers[a], of: s.subjectsPerArm[a]),
            ]
          })))
    add(
      .table(
        ReportTable(
          caption: "Missing pain by visit and arm, n (%)", header: ["visit"] + s.arms,
          rows: s.visits.indices.map { v in
            [String(s.visits[v].visit)]
              + s.missingPain[v].map { "\($0.missing) (\(percent($0.missing, of: $0.subjects)))" }
          })))
    add(
      .table(
        ReportTable(
          caption: "Dropout (first visit with dropout = 1)",
          header: ["arm", "dropouts", "median visit"],
          rows: s.arms.indices.map { a in
            let d = s.dropout[a]
            return [s.arms[a], String(d.total), d.medianVisit.map { fixed($0, 1) } ?? "-"]
          })))
  }

  // MARK: - Trajectories

  mutating func addTrajectoryFigures(_ table: Table) throws {
    let t = spec.trajectories
    func column(_ key: String, _ name: String) throws -> Column {
      guard let column = table.columns.first(where: { $0.name == name }) else {
        throw ReportError.unknownColumn(key: key, name: name, available: table.columnNames)
      }
      return column
    }
    let time = try column("time", t.time)
    let outcome = try column("outcome", t.outcome)
    let subject = try column("subject", t.subject)
    guard time.kind == .numeric, outcome.kind == .numeric else { return }
    let groupColumn = try t.group.map { try column("group", $0) }
    let groupLabels: [String] =
      groupColumn.map { g in
        g.kind == .categorical ? g.levels : Array(Set(g.numbers.map(fixedLabel))).sorted()
      } ?? ["all"]
    func groupIndex(_ row: Int) -> Int? {
      guard let g = groupColumn else { return 0 }
      if g.kind == .categorical { return g.codes[row] < 0 ? nil : Int(g.codes[row]) }
      return groupLabels.firstIndex(of: fixedLabel(g.numbers[row]))
    }
    let subjectKey: (Int) -> String = { row in
      subject.kind == .categorical
        ? (subject.codes[row] < 0 ? "" : subject.levels[Int(subject.codes[row])])
        : fixedLabel(subject.numbers[row])
    }

    // Rows per group and subject, in canonical (sorted) order.
    var bySubject = [[String: [(x: Double, y: Double)]]](
      repeating: [:], count: groupLabels.count)
    var byTime = [[Double: [Double]]](repeating: [:], count: groupLabels.count)
    for row in 0..<table.rowCount {
      let x = time.numbers[row]
      let y = outcome.numbers[row]
      guard x.isFinite, y.isFinite, let g = groupIndex(row) else { continue }
      bySubject[g][subjectKey(row), default: []].append((x, y))
      byTime[g][x, default: []].append(y)
    }
    let used = groupLabels.indices.filter { !byTime[$0].isEmpty }
    guard !used.isEmpty else { return }

    let shared = NiceScale(covering: byTime.flatMap { $0.values.flatMap { $0 } })
    let panels = used.map { g in
      LineChart(
        title: groupLabels[g], xTitle: t.time, yTitle: t.outcome,
        series: bySubject[g].keys.sorted().map { key in
          .init(
            name: "", points: bySubject[g][key, default: []].sorted { $0.x < $1.x }, color: g,
            width: 1, opacity: 0.35, markers: false)
        }, yScale: shared)
    }
    addFigure(
      "trajectories", caption: "Individual \(t.outcome) trajectories by \(t.group ?? "group")",
      svg: SmallMultiples(
        title: "Individual trajectories", panels: panels, columns: min(3, panels.count)
      ).svg())

    var series: [LineChart.Series] = []
    for g in used {
      let times = byTime[g].keys.sorted()
      var points: [(x: Double, y: Double)] = []
      var limits: [(lower: Double, upper: Double)] = []
      for x in times {
        let interval = Intervals.mean(byTime[g][x, default: []])
        points.append((x, interval.mean))
        limits.append((interval.lower, interval.upper))
      }
      series.append(.init(name: groupLabels[g], points: points, intervals: limits, color: g))
    }
    addFigure(
      "mean-trajectories",
      caption: "Mean \(t.outcome) by \(t.time) and \(t.group ?? "group") with 95 % confidence "
        + "intervals (observed values, t intervals)",
      svg: LineChart(
        title: "Mean \(t.outcome) by \(t.time)", xTitle: t.time, yTitle: "mean \(t.outcome)",
        series: series
      ).svg())
  }

  // MARK: - Models

  /// The section of one model: the one place the report dispatches on the family.
  mutating func addModel(_ model: AnalysisSpec.Model, outcome: FitOutcome) {
    let primary = model.role == "primary"
    switch outcome.fit {
    case let fit as LinearMixedModelFit:
      addModel(model, outcome: outcome, linearMixed: fit, diagnostics: primary)
    case let fit as MMRMFit: addModel(model, outcome: outcome, mmrm: fit, primary: primary)
    default: add(.heading(level: 2, text: "Model: \(model.name) (\(model.role))"))
    }
  }

  /// The fit criteria of any model: its criterion, log-likelihood, AIC, BIC and parameters.
  mutating func addFitCriteria(_ fit: any FittedModel) {
    add(
      .table(
        ReportTable(
          caption: "Fit", header: ["criterion", "value"],
          rows: [
            [fit.method == .reml ? "REML criterion" : "deviance", fixed(fit.objective, 2)],
            ["log-likelihood", fixed(fit.logLikelihood, 2)], ["AIC", fixed(fit.aic, 2)],
            ["BIC", fixed(fit.bic, 2)], ["parameters", String(fit.parameterCount)],
          ])))
  }

  /// The section of a linear mixed model.
  private mutating func addModel(
    _ model: AnalysisSpec.Model, outcome: FitOutcome, linearMixed fit: LinearMixedModelFit,
    diagnostics: Bool
  ) {
    add(.heading(level: 2, text: "Model: \(model.name) (\(model.role))"))
    add(.preformatted(model.formula))
    add(
      .paragraph(
        "Fitted by \(fit.method == .reml ? "REML" : "maximum likelihood") to "
          + "\(outcome.rowsUsed) observations"
          + outcome.groupCounts.map { " of \($0.count) \($0.name) groups" }.joined(separator: ",")
          + (outcome.rowsDropped > 0
            ? "; \(outcome.rowsDropped) rows dropped for missing values" : "") + "."
          + (model.priorWeights.map {
            " Prior weights from column \($0): observation i has residual variance σ²/wᵢ."
          } ?? "")
          + (model.offset.map { " Offset: column \($0), added with coefficient 1." } ?? "")))
    addFixedEffects(outcome)
    var components: [[String]] = []
    for c in fit.varianceComponents {
      let q = c.columnNames.count
      for i in 0..<q {
        let corr = (0..<i).map { fixed(c.correlations[i * q + $0], 2) }.joined(separator: " ")
        components.append([
          i == 0 ? c.groupName : "", c.columnNames[i],
          fixed(c.standardDeviations[i] * c.standardDeviations[i], 4),
          fixed(c.standardDeviations[i], 4), corr,
        ])
      }
    }
    components.append(["Residual", "", fixed(fit.sigma * fit.sigma, 4), fixed(fit.sigma, 4), ""])
    add(
      .table(
        ReportTable(
          caption: "Variance components", header: ["group", "term", "variance", "SD", "corr"],
          rows: components, alignments: [.left, .left, .right, .right, .right])))
    addFitCriteria(fit)
    let warnings = outcome.warnings.map(\.message)
    add(.heading(level: 3, text: "Diagnostics"))
    add(
      .list(
        (fit.converged
          ? ["The optimiser converged and lme4's gradient and Hessian checks passed."]
          : ["The fit did not pass the convergence checks; see the warnings."])
          + (fit.isSingular
            ? ["The fit is singular: some variance component is estimated at zero."] : [])
          + warnings))
    addMeansAndContrasts(outcome.inference, figures: diagnostics)
    if diagnostics { addResidualFigures(fit) }
  }

  /// What the two residual figures say: captions, titles and axis names.
  struct ResidualFigureText {
    let qqCaption: String
    let qqTitle: String
    let standardizedName: String
    let scatterCaption: String
    let scatterTitle: String
    let fittedName: String
    let plottedName: String
  }

  /// The residual figures of every family.
  ///
  /// A normal QQ plot of the standardized residuals and a scatter of `plotted` against the
  /// fitted values; none with fewer than two residuals.
  mutating func addResidualFigures(
    standardized: [Double], fitted: [Double], plotted: [Double], text: ResidualFigureText
  ) {
    let n = standardized.count
    guard n > 1 else { return }
    let normal = Normal.standard
    let qq = standardized.sorted().enumerated().map {
      (x: normal.quantile((Double($0) + 0.5) / Double(n)), y: $1)
    }
    addFigure(
      "residual-qq", caption: text.qqCaption,
      svg: ScatterChart(
        title: text.qqTitle, xTitle: "normal quantile", yTitle: text.standardizedName,
        points: qq, reference: (intercept: 0, slope: 1)
      ).svg())
    addFigure(
      "residuals-fitted", caption: text.scatterCaption,
      svg: ScatterChart(
        title: text.scatterTitle, xTitle: text.fittedName, yTitle: text.plottedName,
        points: zip(fitted, plotted).map { (x: $0, y: $1) }, reference: (intercept: 0, slope: 0)
      ).svg())
  }

  private mutating func addResidualFigures(_ fit: LinearMixedModelFit) {
    let residuals = fit.residuals
    guard residuals.count > 1 else { return }
    addResidualFigures(
      standardized: residuals.map { $0 / fit.sigma }, fitted: fit.fitted, plotted: residuals,
      text: ResidualFigureText(
        qqCaption: "Normal quantile–quantile plot of the scaled residuals",
        qqTitle: "Residuals: normal QQ plot", standardizedName: "scaled residual",
        scatterCaption: "Residuals against fitted values",
        scatterTitle: "Residuals against fitted values", fittedName: "fitted value",
        plottedName: "residual"))
    guard let term = fit.terms.first, let b = fit.randomEffects.first,
      let sd = fit.randomEffectsConditionalSD.first
    else { return }
    let q = term.columnNames.count
    let rows = term.levels.indices.map { level in
      IntervalChart.Row(
        label: term.levels[level], estimate: b[level * q],
        lower: b[level * q] - 1.96 * sd[level * q], upper: b[level * q] + 1.96 * sd[level * q])
    }.sorted { ($0.estimate, $0.label) < ($1.estimate, $1.label) }
    addFigure(
      "random-effects",
      caption: "Conditional modes of the \(term.groupName) random effect "
        + "(\(term.columnNames[0])) with ±1.96 conditional SD, sorted",
      svg: IntervalChart(
        title: "\(term.groupName) random effects: \(term.columnNames[0])",
        xTitle: "conditional mode", rows: rows, showValues: false
      ).svg())
  }

  // MARK: - Methods

  /// The sentence on tests and intervals.
  private var inferenceMethods: String {
    guard let request = spec.inference else {
      return "95 % intervals for fixed effects are Wald intervals. "
    }
    let df: String
    switch request.method {
    case .residual: df = "residual degrees of freedom"
    case .betweenWithin: df = "between-within degrees of freedom"
    case .satterthwaite: df = "Satterthwaite's approximation to the degrees of freedom"
    case .kenwardRoger:
      df =
        "the Kenward–Roger adjusted covariance of the fixed effects and degrees of freedom "
        + "(for MMRMs with the observed information, as SAS PROC MIXED and mmrm)"
    case .kenwardRogerLinear:
      df =
        "the Kenward–Roger adjusted covariance of the fixed effects and degrees of freedom "
        + "without the second-derivative terms (mmrm's Kenward-Roger-Linear)"
    }
    var text = "Tests and 95 % confidence intervals for fixed effects used \(df)"
    if request.anova { text += ", with type III F tests of each model term" }
    text += ". "
    if let means = request.emmeans {
      text +=
        "Estimated marginal (least-squares) means of \(means) were computed with "
        + "\(request.weights.rawValue) weights over the other factors"
      if let contrast = request.contrast {
        text += ", and compared by \(contrast) contrasts"
        if request.adjustment != .none {
          text += " with \(request.adjustment.rawValue) adjustment of p-values"
        }
      }
      text += ". "
    }
    return text
  }

  mutating func addMethods(fits outcomes: [FitOutcome], comparisons: [ModelComparison]) {
    let fits = outcomes.map(\.fit)
    add(.heading(level: 2, text: "Methods"))
    let primary = spec.models[0]
    let primaryKind: String =
      fits.first?.family == .repeatedMeasures
      ? "mixed model for repeated measures (MMRM)" : "linear mixed model"
    var text =
      "The primary analysis fitted the \(primaryKind) \(primary.formula) by "
      + (primary.method == .reml ? "restricted maximum likelihood (REML)" : "maximum likelihood")
      + " to "
      + (spec.filter.map { "the rows with \($0)" } ?? "all rows")
      + " of \(spec.data); rows with a missing value in a model variable were excluded."
    if spec.models.count > 1 {
      text +=
        " Sensitivity analyses: "
        + spec.models.dropFirst().map { "\($0.name) (\($0.formula))" }.joined(separator: "; ")
        + "."
    }
    if fits.contains(where: { $0.family == .linearMixed }) {
      text +=
        " The criterion of the linear mixed models was minimised over the relative covariance "
        + "parameters with BOBYQA (NLopt), following lme4's settings and convergence checks."
    }
    if let mmrm = fits.first(where: { $0.family == .repeatedMeasures }) {
      let optimizer: String = mmrm.optimization.algorithm
      text +=
        " The MMRMs estimate the fixed effects by generalised least squares at the estimated "
        + "within-subject residual covariance, whose parameters were optimised with "
        + optimizer
      let ladders = spec.models.compactMap(\.covarianceLadder)
      if !ladders.isEmpty {
        text +=
          "; where asked, a structure that did not converge was replaced by the next of the "
          + "ladder "
        if ladders.allSatisfy({ $0 == MMRMModel.fallbackLadder }) {
          text += "unstructured, heterogeneous Toeplitz, heterogeneous AR(1), compound symmetry"
        } else {
          var distinct: [[CovarianceStructure]] = []
          for ladder in ladders where !distinct.contains(ladder) { distinct.append(ladder) }
          text +=
            distinct.map { $0.map(\.rawValue).joined(separator: " → ") }
            .joined(separator: " (or ") + String(repeating: ")", count: distinct.count - 1)
        }
      }
      text += "."
    }
    if !comparisons.isEmpty {
      text +=
        " Nested models were compared by likelihood-ratio tests against χ² distributions "
        + "with the difference in parameter counts as degrees of freedom (REML only between "
        + "models with the same fixed effects); when random-effect variances are tested at "
        + "zero the test is conservative."
    }
    text += " " + inferenceMethods
    text += "Computed with Trajectory \(version)."
    add(.paragraph(text))
  }
}

/// `x` with `d` decimals.
func fixed(_ x: Double, _ d: Int) -> String { SVGNumber.fixed(x, decimals: d) }

/// `part / whole` as a percentage with one decimal.
func percent(_ part: Int, of whole: Int) -> String {
  whole == 0 ? "-" : fixed(100 * Double(part) / Double(whole), 1) + "%"
}

/// A number as a group or subject label (`3`, `2.5`).
private func fixedLabel(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}
