import Distributions
import LinearAlgebra
import MixedModels
import Reports

extension ReportBuilder {
  // MARK: - MMRM

  /// The section of an MMRM: fixed effects, covariance parameters, the fitted within-subject
  /// covariance and correlation over the visits (tables and a heat map), the fallback
  /// ladder's log, fit criteria and diagnostics.
  mutating func addModel(
    _ model: AnalysisSpec.Model, outcome: FitOutcome, mmrm fit: MMRMFit, primary: Bool
  ) {
    let term = fit.model.covarianceTerm
    add(.heading(level: 2, text: "Model: \(model.name) (\(model.role))"))
    add(.preformatted(model.formula))
    add(
      .paragraph(
        "Mixed model for repeated measures fitted by "
          + "\(fit.method == .reml ? "REML" : "maximum likelihood") to \(outcome.rowsUsed) "
          + "observations of \(fit.subjectCount) \(term.subjectVariable) groups, with residual "
          + "covariance structure \(fit.covariance.structure.rawValue) over "
          + "\(term.timeVariable)"
          + (term.groupVariable.map { " by \($0)" } ?? "")
          + " (\(fit.model.patternCount) visit patterns)"
          + (outcome.rowsDropped > 0
            ? "; \(outcome.rowsDropped) rows dropped for missing values" : "") + "."))
    addFixedEffects(fit: outcome.fit, inference: outcome.inference)
    addMeansAndContrasts(outcome.inference, figures: primary)
    add(
      .table(
        ReportTable(
          caption: "Covariance parameters (\(fit.covariance.structure.rawValue))",
          header: ["parameter", "estimate"],
          rows: fit.parameters.map { [$0.name, fixed($0.estimate, 4)] }
            + fit.randomEffects.flatMap { c in
              c.columnNames.indices.map { i in
                ["\(c.groupName) \(c.columnNames[i]) SD", fixed(c.standardDeviations[i], 4)]
              }
            })))
    addCovarianceMatrices(model, fit)
    add(
      .table(
        ReportTable(
          caption: "Covariance structure attempts"
            + (model.covarianceLadder.map {
              " (covariance_fallback: the ladder "
                + $0.map(\.rawValue).joined(separator: " → ") + " from the requested "
                + "structure on)"
            } ?? ""),
          header: ["structure", "converged", "-2 log-likelihood", "outcome"],
          rows: fit.attempts.map { a in
            [
              a.structure, a.converged ? "yes" : "no", a.criterion.map { fixed($0, 2) } ?? "-",
              a.reason.isEmpty ? "kept" : "rejected: \(a.reason)",
            ]
          },
          alignments: [.left, .left, .right, .left])))
    addFitCriteria(fit)
    add(.heading(level: 3, text: "Diagnostics"))
    var notes =
      fit.converged
      ? ["The optimiser converged and the gradient and Hessian checks passed."]
      : ["The fit did not pass the convergence checks; see the warnings."]
    notes += outcome.warnings.map(\.message)
    let residuals = primary ? fit.model.residuals(of: fit) : nil
    if primary && residuals == nil {
      notes.append(
        "Residual plots are not shown: a subject's covariance is not positive definite at the "
          + "estimate.")
    }
    add(.list(notes))
    if let residuals { addResidualFigures(residuals) }
  }

  /// The QQ plot of the normalized residuals and the normalized residuals against the
  /// marginal fitted values (`MMRMResiduals`).
  private mutating func addResidualFigures(_ residuals: MMRMResiduals) {
    addResidualFigures(
      standardized: residuals.normalized, fitted: residuals.fitted,
      plotted: residuals.normalized,
      text: ResidualFigureText(
        qqCaption: "Normal quantile–quantile plot of the normalized residuals (each subject's "
          + "residuals whitened by the Cholesky factor of its fitted covariance)",
        qqTitle: "Normalized residuals: normal QQ plot", standardizedName: "normalized residual",
        scatterCaption: "Normalized residuals against marginal fitted values (Xβ̂)",
        scatterTitle: "Normalized residuals against fitted values",
        fittedName: "fitted value (Xβ̂)", plottedName: "normalized residual"))
  }

  /// Σ̂ and its correlation matrix over the visits (per group), and a heat map of the first
  /// group's correlations.
  private mutating func addCovarianceMatrices(_ model: AnalysisSpec.Model, _ fit: MMRMFit) {
    let visits = fit.covariance.visitLabels
    let t = visits.count
    let time = fit.model.covarianceTerm.timeVariable
    let groups = fit.covariance.groupLabels
    let residualOnly = !fit.randomEffects.isEmpty ? " (residual part)" : ""
    var firstCorrelation: [[Double]]?
    for (g, sigma) in fit.sigmaMatrices.enumerated() {
      let suffix = groups.indices.contains(g) ? ", \(groups[g])" : ""
      let correlation = Self.correlation(sigma, order: t)
      if firstCorrelation == nil { firstCorrelation = correlation }
      add(
        .table(
          ReportTable(
            caption: "Fitted within-subject covariance over \(time)\(suffix)\(residualOnly)",
            header: [time] + visits,
            rows: (0..<t).map { i in [visits[i]] + (0..<t).map { fixed(sigma[i, $0], 3) } })))
      add(
        .table(
          ReportTable(
            caption: "Fitted within-subject correlation over \(time)\(suffix)\(residualOnly)",
            header: [time] + visits,
            rows: (0..<t).map { i in [visits[i]] + correlation[i].map { fixed($0, 2) } })))
    }
    guard let firstCorrelation else { return }
    let group = groups.first.map { " (\($0))" } ?? ""
    addFigure(
      "correlation-\(Self.slug(model.name))",
      caption: "Fitted within-subject correlation over \(time) of \(model.name)\(group)",
      svg: HeatMap(
        title: "\(model.name): correlation over \(time)\(group)", rowLabels: visits,
        columnLabels: visits, values: firstCorrelation, xTitle: time, yTitle: time
      ).svg())
  }

  /// The correlation matrix of covariance `sigma` (NaN where a variance is not positive).
  static func correlation(_ sigma: Matrix, order t: Int) -> [[Double]] {
    (0..<t).map { i in
      (0..<t).map { j in
        let d = sigma[i, i] * sigma[j, j]
        return d > 0 ? sigma[i, j] / d.squareRoot() : .nan
      }
    }
  }

  /// A figure-name fragment: lower-case letters and digits, other runs as one hyphen.
  static func slug(_ name: String) -> String {
    var out = ""
    for ch in name.lowercased() {
      if ch.isASCII && (ch.isLetter || ch.isNumber) {
        out.append(ch)
      } else if !out.isEmpty && !out.hasSuffix("-") {
        out.append("-")
      }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "model" : out
  }

  // MARK: - Model comparison

  /// Information criteria of every model and the likelihood-ratio tests of the spec.
  mutating func addComparisons(fits: [FitOutcome], tests: [ModelComparison]) {
    guard spec.models.count >= 2 else { return }
    add(.heading(level: 2, text: "Model comparison"))
    add(
      .table(
        ReportTable(
          caption: "Information criteria (parameters: df of AIC)",
          header: ["model", "type", "method", "df", "log-likelihood", "AIC", "BIC"],
          rows: zip(spec.models, fits.map(\.fit)).map { model, fit in
            [
              model.name, fit.family.rawValue, fit.method == .reml ? "REML" : "ML",
              String(fit.parameterCount), fixed(fit.logLikelihood, 2), fixed(fit.aic, 2),
              fixed(fit.bic, 2),
            ]
          },
          alignments: [.left, .left, .left, .right, .right, .right, .right],
          notes: fits.contains { $0.fit.method == .reml } && fits.contains { $0.fit.method == .ml }
            ? ["REML and ML criteria are not comparable with each other."] : [])))
    guard !tests.isEmpty else { return }
    add(
      .table(
        ReportTable(
          caption: "Likelihood-ratio tests",
          header: ["smaller", "larger", "method", "LR", "df", "p", "note"],
          rows: tests.map { test in
            [
              test.smaller, test.larger, test.method == .reml ? "REML" : "ML",
              fixed(test.statistic, 3), String(test.df), pValue(test.p),
              test.boundary ? "boundary: p conservative" : "",
            ]
          },
          alignments: [.left, .left, .left, .right, .right, .right, .left],
          notes: tests.contains(where: \.boundary)
            ? [
              "boundary: the larger model adds random-effect variances, which the null "
                + "hypothesis sets to zero, on the edge of their range; the χ² reference is "
                + "then conservative (the p-value is an upper bound)."
            ] : [])))
  }
}
