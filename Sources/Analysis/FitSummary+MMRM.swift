import Foundation
import LinearAlgebra
import MixedModels
import Reports

/// The console summary of an MMRM fit: model and method, information criteria, the
/// covariance parameters and the fitted covariance and correlation matrices over the visits,
/// the fixed effects with SEs and t values (significant digits: `digits`, R's summary
/// default), then (from `FitSummary.text`) the data accounting and warnings.
extension FitSummary {
  /// The MMRM summary, up to the inference sections.
  static func repeatedMeasuresLines(_ outcome: FitOutcome, _ fit: MMRMFit) -> [String] {
    let term = fit.model.covarianceTerm
    var lines: [String] = []
    lines.append(
      "Mixed model for repeated measures fit by "
        + (fit.method == .reml ? "REML" : "maximum likelihood"))
    lines.append("Formula: \(outcome.request.formula.text)")
    lines.append("   Data: \(outcome.request.dataPath)")
    lines.append("")
    let criterion = fit.method == .reml ? "REMLcrit" : "deviance"
    // As lme4 prints its information table: rounded to 1 decimal and formatted jointly.
    let information = RNumberFormat.format(
      [fit.aic, fit.bic, fit.logLikelihood, fit.objective].map { RNumberFormat.round($0, 1) },
      digits: 7
    ).map { $0.trimmingCharacters(in: .whitespaces) }
    let headers = ["AIC", "BIC", "logLik", criterion]
    let width = (headers + information).map(\.count).max() ?? 0
    lines.append(headers.map { pad($0, width) }.joined(separator: " "))
    lines.append(information.map { pad($0, width) }.joined(separator: " "))
    lines.append("")
    let visits = fit.covariance.visitLabels
    lines.append(
      "Covariance: \(fit.covariance.structure.rawValue) over \(visits.count) levels of "
        + "'\(term.timeVariable)' (\(visits.joined(separator: ", "))) within "
        + "'\(term.subjectVariable)'"
        + (term.groupVariable.map { ", separately per level of '\($0)'" } ?? ""))
    if fit.attempts.count > 1 {
      lines.append(
        "Fallback ladder: "
          + fit.attempts.map {
            "\($0.structure) " + ($0.converged ? "converged" : "failed (\($0.reason))")
          }.joined(separator: "; "))
    }
    lines.append(
      "Number of obs: \(fit.observationCount), subjects: \(fit.subjectCount), "
        + (fit.clusterFactor.map { "\($0): \(fit.clusterCount), " } ?? "") + "visit patterns: "
        + "\(fit.model.patternCount)")
    lines.append("")
    if !fit.randomEffects.isEmpty {
      lines.append("Random effects (G, besides the residual covariance):")
      var rows: [(String, [Double])] = []
      for component in fit.randomEffects {
        for (i, name) in component.columnNames.enumerated() {
          rows.append(("\(component.groupName) \(name)", [component.standardDeviations[i]]))
        }
        let q = component.columnNames.count
        for j in 0..<q {
          for i in (j + 1)..<max(j + 1, q) {
            rows.append(
              (
                "\(component.groupName) corr(\(component.columnNames[j]), "
                  + "\(component.columnNames[i]))", [component.correlations[i * q + j]]
              ))
          }
        }
      }
      lines += table(header: ["Std.Dev./Corr"], rows: rows, digits: digits, round: nil)
      lines.append("")
    }
    lines.append("Covariance parameters:")
    lines += table(
      header: ["Estimate"], rows: fit.parameters.map { ($0.name, [$0.estimate]) },
      digits: digits, round: nil)
    let groups = fit.covariance.groupLabels
    for (g, sigma) in fit.sigmaMatrices.enumerated() {
      let suffix = groups.isEmpty ? "" : " (\(term.groupVariable ?? "group") = \(groups[g]))"
      lines.append("")
      lines.append(
        (fit.randomEffects.isEmpty
          ? "Estimated covariance matrix" : "Estimated residual covariance matrix (without ZGZᵀ)")
          + suffix + ":")
      lines += square(sigma, labels: visits, correlation: false)
      lines.append("")
      lines.append(
        (fit.randomEffects.isEmpty ? "Estimated correlation matrix" : "Its correlation matrix")
          + suffix + ":")
      lines += square(sigma, labels: visits, correlation: true)
    }
    if !fit.fixedEffects.isEmpty {
      lines.append("")
      lines.append("Fixed effects:")
      let t = zip(fit.fixedEffects, fit.standardErrors).map { RNumberFormat.round($0 / $1, 3) }
      lines += table(
        header: ["Estimate", "Std. Error", "t value"],
        rows: fit.fixedEffectNames.indices.map {
          (fit.fixedEffectNames[$0], [fit.fixedEffects[$0], fit.standardErrors[$0], t[$0]])
        }, digits: digits, round: nil)
    }
    if let inference = outcome.inference {
      let method = inference.request.method
      let estimator = inference.request.covarianceEstimator
      if !inference.coefficientTests.isEmpty {
        lines.append("")
        lines.append(
          "Fixed effects tests (df: \(method.rawValue), covariance of beta: \(estimator.rawValue)):"
        )
        lines += InferenceSummary.fixedEffectsTable(
          names: fit.fixedEffectNames, tests: inference.coefficientTests)
      } else if estimator == .empirical {
        lines.append("")
        lines.append("Covariance of beta for tests: empirical (sandwich)")
      }
      lines += InferenceSummary.sections(inference)
    }
    return lines
  }

  /// A table with a name column and numeric columns, each column formatted on its own to
  /// `digits` significant digits (or rounded to `round` decimals first).
  private static func table(
    header: [String], rows: [(String, [Double])], digits: Int, round: Int?
  ) -> [String] {
    let nameWidth = rows.map(\.0.count).max() ?? 0
    var columns: [[String]] = []
    for c in header.indices {
      let values = rows.map { row in round.map { RNumberFormat.round(row.1[c], $0) } ?? row.1[c] }
      let cells = RNumberFormat.format(values, digits: digits)
      let width = max(header[c].count, cells.first?.count ?? 0)
      columns.append([pad(header[c], width)] + cells.map { pad($0, width) })
    }
    return (0...rows.count).map { r in
      let name = r == 0 ? "" : rows[r - 1].0
      return ([pad(name, nameWidth, left: true)] + columns.map { $0[r] }).joined(separator: " ")
    }
  }

  /// A visit-by-visit matrix (or its correlations) with visit labels.
  private static func square(_ m: Matrix, labels: [String], correlation: Bool) -> [String] {
    let t = labels.count
    var values: [Double] = []
    for i in 0..<t {
      for j in 0..<t {
        values.append(correlation ? m[i, j] / (m[i, i] * m[j, j]).squareRoot() : m[i, j])
      }
    }
    let cells =
      correlation
      ? RNumberFormat.format(values.map { RNumberFormat.round($0, 3) }, digits: 7)
      : RNumberFormat.format(values, digits: digits)
    let width = max(cells.first?.count ?? 0, labels.map(\.count).max() ?? 0)
    let nameWidth = labels.map(\.count).max() ?? 0
    var lines = [pad("", nameWidth) + " " + labels.map { pad($0, width) }.joined(separator: " ")]
    for i in 0..<t {
      lines.append(
        pad(labels[i], nameWidth, left: true) + " "
          + (0..<t).map { pad(cells[i * t + $0], width) }.joined(separator: " "))
    }
    return lines
  }

}
