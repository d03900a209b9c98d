import Foundation
import MixedModels
import Reports

/// The console summary of a fit of any family, followed by Trajectory's data accounting and
/// warnings in plain language: for a linear mixed model laid out and rounded as lme4's
/// `summary(lmer(...))` prints it (`print.summary.merMod` with R's default `digits = 4`); for
/// an MMRM as `FitSummary+MMRM.swift` describes.
public enum FitSummary {
  /// R's `max(3, getOption("digits") - 3)`.
  static let digits = 4

  /// The summary text, ending with a newline: the one place the summary dispatches on the
  /// family.
  /// - Parameter outcome: The fit and its accounting.
  /// - Returns: Lines of text.
  public static func text(_ outcome: FitOutcome) -> String {
    var lines: [String]
    switch outcome.fit {
    case let fit as LinearMixedModelFit: lines = linearMixedLines(outcome, fit)
    case let fit as MMRMFit: lines = repeatedMeasuresLines(outcome, fit)
    default: lines = ["\(outcome.fit.family.rawValue) fit of \(outcome.request.formula.text)"]
    }
    lines.append("")
    let excluded =
      outcome.request.filter.map { "\(outcome.rowsExcluded) excluded by --where \($0.text), " }
      ?? ""
    lines.append(
      "Rows: \(outcome.rowsRead) read, " + excluded + "\(outcome.rowsUsed) used, "
        + "\(outcome.rowsDropped) dropped for missing values.")
    lines += notesAndWarnings(outcome.warnings)
    return lines.joined(separator: "\n") + "\n"
  }

  /// lme4's summary of a linear mixed model, up to the inference sections.
  private static func linearMixedLines(_ outcome: FitOutcome, _ fit: LinearMixedModelFit)
    -> [String]
  {
    var lines = [String]()
    let tests = outcome.inference?.coefficientTests ?? []
    if let method = outcome.inference?.request.degreesOfFreedom, !tests.isEmpty {
      lines.append(InferenceSummary.title(fit, method: method))
    } else {
      lines.append(
        fit.method == .reml
          ? "Linear mixed model fit by REML ['lmerMod']"
          : "Linear mixed model fit by maximum likelihood  ['lmerMod']")
    }
    lines.append("Formula: \(outcome.request.formula.text)")
    lines.append("   Data: \(outcome.request.dataPath)")
    // As lme4's `.prt.call` prints the call's weights and offset.
    if let weights = outcome.request.weights { lines.append("Weights: \(weights)") }
    if let offset = outcome.request.offset { lines.append(" Offset: \(offset)") }
    lines.append("")
    if fit.method == .reml {
      let crit = RNumberFormat.round(fit.objective, 1)
      lines.append(
        "REML criterion at convergence: "
          + RNumberFormat.format([crit], digits: 7)[0].trimmingLeadingSpaces)
    } else {
      lines.append(contentsOf: informationTable(fit))
    }
    lines.append("")
    lines.append(contentsOf: scaledResiduals(fit))
    lines.append("")
    lines.append(contentsOf: randomEffectsTable(fit))
    let groups = outcome.groupCounts.map { "\($0.name), \($0.count)" }.joined(separator: "; ")
    lines.append("Number of obs: \(fit.observationCount), groups:  \(groups)")
    if !fit.fixedEffects.isEmpty {
      lines.append("")
      lines.append("Fixed effects:")
      lines.append(
        contentsOf: tests.isEmpty
          ? fixedEffectsTable(fit) : InferenceSummary.fixedEffectsTable(fit, tests: tests))
      lines.append(contentsOf: correlationTable(fit))
    }
    if let inference = outcome.inference {
      lines.append(contentsOf: InferenceSummary.sections(inference))
    }
    return lines
  }

  /// The `Notes:` (data notes) and `Warnings:` (everything else) lists that end a summary,
  /// each after a blank line and only when not empty.
  static func notesAndWarnings(_ all: [FitWarning]) -> [String] {
    var lines: [String] = []
    let notes = all.filter { $0.code == "data_note" }
    let warnings = all.filter { $0.code != "data_note" }
    if !notes.isEmpty {
      lines += ["", "Notes:"] + notes.map { "- " + $0.message }
    }
    if !warnings.isEmpty {
      lines += ["", "Warnings:"] + warnings.map { "- " + $0.message }
    }
    return lines
  }

  /// `AIC BIC logLik deviance df.resid` as lme4 prints it for ML fits (`.prt.aictab`): the
  /// values rounded to 1 decimal and formatted jointly, `df.resid` on its own, every column
  /// right-aligned to one common width.
  static func informationTable(_ fit: LinearMixedModelFit) -> [String] {
    let dfResid = Double(fit.observationCount - fit.parameterCount)
    let values = [fit.aic, fit.bic, fit.logLikelihood, fit.objective, dfResid].map {
      RNumberFormat.round($0, 1)
    }
    var cells = RNumberFormat.format(values, digits: 7).map { $0.trimmingLeadingSpaces }
    cells[4] = RNumberFormat.format([dfResid], digits: 7)[0].trimmingLeadingSpaces
    let headers = ["AIC", "BIC", "logLik", "deviance", "df.resid"]
    let width = (headers + cells).map(\.count).max() ?? 0
    return [
      headers.map { pad($0, width) }.joined(separator: " "),
      cells.map { pad($0, width) }.joined(separator: " "),
    ]
  }

  static func scaledResiduals(_ fit: LinearMixedModelFit) -> [String] {
    var scaled = fit.pearsonResiduals
    for i in scaled.indices { scaled[i] /= fit.sigma }
    scaled.sort()
    let quantiles = [0, 0.25, 0.5, 0.75, 1].map { quantileType7(scaled, $0) }
    let zapped = zapSmall(quantiles, digits: digits + 1)
    let cells = RNumberFormat.format(zapped, digits: digits)
    let names = ["Min", "1Q", "Median", "3Q", "Max"]
    let width = max(cells.map(\.count).max() ?? 0, names.map(\.count).max() ?? 0)
    return [
      "Scaled residuals: ",
      names.map { pad($0, width) }.joined(separator: " ") + " ",
      cells.map { pad($0, width) }.joined(separator: " ") + " ",
    ]
  }

  static func randomEffectsTable(_ fit: LinearMixedModelFit) -> [String] {
    var groups = [String]()
    var names = [String]()
    var variances = [Double]()
    var sds = [Double]()
    var correlationRows = [[Double]]()
    let maxQ = fit.varianceComponents.map(\.columnNames.count).max() ?? 1
    for component in fit.varianceComponents {
      let q = component.columnNames.count
      for i in 0..<q {
        groups.append(i == 0 ? component.groupName : "")
        names.append(component.columnNames[i])
        variances.append(component.standardDeviations[i] * component.standardDeviations[i])
        sds.append(component.standardDeviations[i])
        correlationRows.append((0..<i).map { component.correlations[i * q + $0] })
      }
    }
    groups.append("Residual")
    names.append("")
    variances.append(fit.sigma * fit.sigma)
    sds.append(fit.sigma)
    correlationRows.append([])
    let varianceCells = leftAlign(RNumberFormat.format(variances, digits: digits))
    let sdCells = leftAlign(RNumberFormat.format(sds, digits: digits))
    let hasCorrelation = maxQ > 1
    let groupWidth = max("Groups".count, groups.map(\.count).max() ?? 0)
    let nameWidth = max("Name".count, names.map(\.count).max() ?? 0)
    let varianceWidth = max("Variance".count, varianceCells.first?.count ?? 0)
    let sdWidth = max("Std.Dev.".count, sdCells.first?.count ?? 0)
    var header =
      " " + pad("Groups", groupWidth, left: true) + " " + pad("Name", nameWidth, left: true) + " "
      + pad("Variance", varianceWidth, left: true) + " " + pad("Std.Dev.", sdWidth, left: true)
    let correlationCells = correlationRows.map { row in
      row.map { RNumberFormat.fixed(RNumberFormat.round($0, 2), decimals: 2) }
    }
    let correlationWidth = max(4, correlationCells.flatMap { $0 }.map(\.count).max() ?? 0)
    if hasCorrelation { header += " Corr" }
    var lines = ["Random effects:", header]
    for r in groups.indices {
      var line =
        " " + pad(groups[r], groupWidth, left: true) + " " + pad(names[r], nameWidth, left: true)
        + " " + pad(varianceCells[r], varianceWidth, left: true) + " "
        + pad(sdCells[r], sdWidth, left: true)
      if hasCorrelation {
        let cells = correlationCells[r].map { pad($0, correlationWidth) }
        line +=
          " "
          + (cells.isEmpty
            ? String(repeating: " ", count: correlationWidth) : cells.joined(separator: " "))
      }
      lines.append(line)
    }
    return lines
  }

  /// R's `printCoefmat`: estimates and SEs rounded jointly, t values to 3 decimals.
  static func fixedEffectsTable(_ fit: LinearMixedModelFit) -> [String] {
    let estimates = fit.fixedEffects
    let se = fit.standardErrors
    let t = zip(estimates, se).map { $0 / $1 }
    let magnitudes = (estimates + se).map { abs($0) }.filter { $0.isFinite && $0 != 0 }
    let smallest = magnitudes.min() ?? 1
    let digmin = 1 + Int((smallest.log10).rounded(.down))
    let roundTo = max(1, digits - digmin)
    let jointly = RNumberFormat.format(
      (estimates + se).map { RNumberFormat.round($0, roundTo) }, digits: digits)
    let estimateCells = Array(jointly.prefix(estimates.count))
    let seCells = Array(jointly.suffix(se.count))
    let tCells = RNumberFormat.format(
      t.map { RNumberFormat.round($0, max(1, min(5, digits - 1))) }, digits: digits)
    let nameWidth = fit.fixedEffectNames.map(\.count).max() ?? 0
    let w1 = max("Estimate".count, estimateCells.first?.count ?? 0)
    let w2 = max("Std. Error".count, seCells.first?.count ?? 0)
    let w3 = max("t value".count, tCells.first?.count ?? 0)
    var lines = [
      pad("", nameWidth) + " " + pad("Estimate", w1) + " " + pad("Std. Error", w2) + " "
        + pad("t value", w3)
    ]
    for i in estimates.indices {
      lines.append(
        pad(fit.fixedEffectNames[i], nameWidth, left: true) + " " + pad(estimateCells[i], w1)
          + " " + pad(seCells[i], w2) + " " + pad(tCells[i], w3))
    }
    return lines
  }

  /// lme4's "Correlation of Fixed Effects" block (shown for 1 < p ≤ 12).
  static func correlationTable(_ fit: LinearMixedModelFit) -> [String] {
    let p = fit.fixedEffects.count
    guard p > 1 && p <= 12 else { return [] }
    let rowNames = fit.fixedEffectNames.map { RNumberFormat.abbreviate($0, minimumLength: 11) }
    let columnNames = fit.fixedEffectNames.map { RNumberFormat.abbreviate($0, minimumLength: 6) }
    // R: format(round(all correlations, 3), nsmall = 3) jointly (so every cell has one
    // width), then the upper triangle and diagonal blanked, columns left-aligned.
    var all = [Double]()
    for j in 0..<p {
      for i in 0..<p {
        all.append(
          fit.fixedEffectsCovariance[i, j] / (fit.standardErrors[i] * fit.standardErrors[j]))
      }
    }
    let formatted = RNumberFormat.format(
      all.map { RNumberFormat.round($0, 3) }, digits: 7, minimumDecimals: 3)
    var cells = [[String]]()
    for i in 1..<p {
      cells.append((0..<(p - 1)).map { j in j < i ? formatted[i + j * p] : "" })
    }
    let nameWidth = rowNames.dropFirst().map(\.count).max() ?? 0
    let widths = (0..<(p - 1)).map { j in
      max(columnNames[j].count, cells.map { $0[j].count }.max() ?? 0)
    }
    var lines = ["", "Correlation of Fixed Effects:"]
    lines.append(
      pad("", nameWidth) + " "
        + (0..<(p - 1)).map { pad(columnNames[$0], widths[$0], left: true) }.joined(
          separator: " "))
    for i in 1..<p {
      lines.append(
        pad(rowNames[i], nameWidth, left: true) + " "
          + (0..<(p - 1)).map { pad(cells[i - 1][$0], widths[$0], left: true) }.joined(
            separator: " "))
    }
    return lines
  }
}

// MARK: - Small helpers

extension FitSummary {
  /// `s` padded with spaces to `width` characters (on the left: right-aligned; with `left`,
  /// on the right).
  static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? s + fill : fill + s
  }
}

/// R formats a variance column as equal-width right-aligned strings, then left-justifies the
/// column as a block in the table.
private func leftAlign(_ cells: [String]) -> [String] { cells }

/// R's default quantile (type 7) of sorted data.
private func quantileType7(_ sorted: [Double], _ p: Double) -> Double {
  guard !sorted.isEmpty else { return .nan }
  let h = Double(sorted.count - 1) * p
  let lo = Int(h.rounded(.down))
  let hi = min(lo + 1, sorted.count - 1)
  return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}

/// R's `zapsmall(x, digits)` (R 4.2): rounds to `digits − log10(max|x|)` decimals, that
/// count itself rounded to the nearest integer as `round()` does with fractional digits.
private func zapSmall(_ x: [Double], digits: Int) -> [Double] {
  let mx = x.map { abs($0) }.filter(\.isFinite).max() ?? 0
  guard mx > 0 else { return x }
  let decimals = max(0, Int((Double(digits) - mx.log10 + 0.5).rounded(.down)))
  return x.map { RNumberFormat.round($0, decimals) }
}

extension Double {
  fileprivate var log10: Double { Foundation.log10(self) }
}

extension String {
  fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
