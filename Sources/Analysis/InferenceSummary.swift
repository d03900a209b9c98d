import Foundation
import Inference
import MixedModels
import Reports

/// Console sections for the inference of `traj fit`: lmerTest's coefficient table
/// (`Estimate Std. Error df t value Pr(>|t|)`), its type III table, and emmeans-like tables of
/// means and contrasts.
enum InferenceSummary {
  /// The title lmerTest prints for a fit with t tests.
  static func title(_ fit: LinearMixedModelFit, method: DegreesOfFreedomMethod) -> String {
    let name: String
    switch method {
    case .residual: name = "residual (n - p)"
    case .betweenWithin: name = "between-within"
    case .satterthwaite: name = "Satterthwaite's"
    case .kenwardRoger: name = "Kenward-Roger's"
    case .kenwardRogerLinear: name = "Kenward-Roger's (linear)"
    }
    return
      (fit.method == .reml
      ? "Linear mixed model fit by REML. " : "Linear mixed model fit by maximum likelihood . ")
      + "t-tests use \(name) method ['lmerModLmerTest']"
  }

  /// The coefficient table with df and p columns (R's `printCoefmat` layout, with stars).
  static func fixedEffectsTable(_ fit: LinearMixedModelFit, tests: [ContrastEstimate]) -> [String] {
    fixedEffectsTable(names: fit.fixedEffectNames, tests: tests)
  }

  /// The coefficient table with df and p columns for coefficients named `names`.
  static func fixedEffectsTable(names: [String], tests: [ContrastEstimate]) -> [String] {
    let estimates = tests.map(\.estimate)
    let se = tests.map(\.standardError)
    let magnitudes = (estimates + se).map { abs($0) }.filter { $0.isFinite && $0 != 0 }
    let digmin = 1 + Int(log10(magnitudes.min() ?? 1).rounded(.down))
    let jointly = RNumberFormat.format(
      (estimates + se).map { RNumberFormat.round($0, max(1, 4 - digmin)) }, digits: 4)
    let columns: [(String, [String])] = [
      ("Estimate", Array(jointly.prefix(estimates.count))),
      ("Std. Error", Array(jointly.suffix(se.count))),
      ("df", RNumberFormat.format(tests.map { RNumberFormat.round($0.df, 3) }, digits: 4)),
      ("t value", RNumberFormat.format(tests.map { RNumberFormat.round($0.t, 3) }, digits: 4)),
      ("Pr(>|t|)", tests.map { pValueText($0.p) }),
    ]
    return table(rowNames: names, columns: columns, stars: tests.map(\.p))
  }

  /// The type III table, the means and the contrasts that were asked for.
  static func sections(_ results: InferenceResults) -> [String] {
    var lines = [String]()
    if !results.concerns.isEmpty {
      lines += [""] + results.concerns.map { "Inference warning: " + $0 }
    }
    if !results.anova.isEmpty {
      lines += [
        "", "Type III Analysis of Variance Table with \(label(results.request.method)) method",
      ]
      lines += table(
        rowNames: results.anova.map(\.term),
        columns: [
          ("NumDF", results.anova.map { "\($0.test.numeratorDF)" }),
          (
            "DenDF",
            RNumberFormat.format(
              results.anova.map { RNumberFormat.round($0.test.denominatorDF, 3) }, digits: 5)
          ),
          (
            "F value",
            RNumberFormat.format(
              results.anova.map { RNumberFormat.round($0.test.fValue, 4) }, digits: 5)
          ),
          ("Pr(>F)", results.anova.map { pValueText($0.test.p) }),
        ], stars: results.anova.map(\.test.p))
    }
    if !results.means.isEmpty {
      let variables = results.meansVariables
      lines += [
        "",
        "Estimated marginal means (\(variables.specs.joined(separator: ", "))"
          + (variables.by.isEmpty ? "" : " | " + variables.by.joined(separator: ", "))
          + "; df: \(label(results.request.method)); 95% confidence intervals):",
      ]
      let cis = results.means.map { $0.estimate.confidenceInterval() }
      var columns: [(String, [String])] = []
      for (k, name) in (variables.specs + variables.by).enumerated() {
        columns.append((name, results.means.map { $0.levels[k].level }))
      }
      columns += [
        ("emmean", format(results.means.map(\.estimate.estimate))),
        ("SE", format(results.means.map(\.estimate.standardError))),
        ("df", format(results.means.map(\.estimate.df))),
        ("lower.CL", format(cis.map(\.lower))),
        ("upper.CL", format(cis.map(\.upper))),
      ]
      lines += table(rowNames: nil, columns: columns, stars: nil)
    }
    if !results.contrasts.isEmpty {
      lines += [
        "",
        "Contrasts (\(results.request.contrast?.text ?? "")); p adjusted: "
          + "\(results.request.adjustment.rawValue) (within each group):",
      ]
      var columns: [(String, [String])] = [("contrast", results.contrasts.map(\.label))]
      for (k, name) in results.meansVariables.by.enumerated() {
        columns.append((name, results.contrasts.map { $0.group[k] }))
      }
      columns += [
        ("estimate", format(results.contrasts.map(\.estimate.estimate))),
        ("SE", format(results.contrasts.map(\.estimate.standardError))),
        ("df", format(results.contrasts.map(\.estimate.df))),
        ("t.ratio", format(results.contrasts.map(\.estimate.t))),
        ("p.value", results.contrasts.map { pValueText($0.estimate.p) }),
        ("p.adjusted", results.contrasts.map { pValueText($0.adjustedP) }),
      ]
      let adjustment = results.request.adjustment
      if adjustment != .none {
        columns += [
          ("lower.CL", format(results.contrasts.map(\.adjustedInterval.lower))),
          ("upper.CL", format(results.contrasts.map(\.adjustedInterval.upper))),
        ]
      }
      lines += table(rowNames: nil, columns: columns, stars: nil)
      if adjustment != .none {
        // emmeans' footer; the family size is the largest by group's.
        var sizes = [[String]: Int]()
        for c in results.contrasts { sizes[c.group, default: 0] += 1 }
        let m = sizes.values.max() ?? 0
        let ciMethod = adjustment == .holm ? "bonferroni" : adjustment.rawValue
        lines += [
          "",
          "Confidence level used: 0.95",
          "Conf-level adjustment: \(ciMethod) method for \(m) estimates",
          "P value adjustment: \(adjustment.rawValue) method for \(m) tests",
        ]
      }
    }
    return lines
  }

  private static func label(_ method: DegreesOfFreedomMethod) -> String {
    switch method {
    case .residual: "residual"
    case .betweenWithin: "between-within"
    case .satterthwaite: "Satterthwaite's"
    case .kenwardRoger: "Kenward-Roger's"
    case .kenwardRogerLinear: "Kenward-Roger's (linear)"
    }
  }

  private static func format(_ values: [Double]) -> [String] {
    RNumberFormat.format(values.map { RNumberFormat.round($0, 4) }, digits: 4)
  }

  /// R's `format.pval` with 3 digits and `< 2e-16` below machine epsilon.
  static func pValueText(_ p: Double) -> String {
    if p.isNaN { return "NA" }
    if p < Double.ulpOfOne { return "< 2e-16" }
    return String(format: "%.3g", p)
  }

  private static func stars(_ p: Double) -> String {
    p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : " "
  }

  /// Right-aligned columns under their headers; optional row names and significance stars.
  private static func table(
    rowNames: [String]?, columns: [(String, [String])], stars pValues: [Double]?
  ) -> [String] {
    let rows = columns.first?.1.count ?? 0
    let nameWidth = rowNames?.map(\.count).max() ?? 0
    let widths = columns.map { max($0.0.count, $0.1.map(\.count).max() ?? 0) }
    func pad(_ s: String, _ w: Int) -> String {
      String(repeating: " ", count: max(0, w - s.count)) + s
    }
    var header = rowNames == nil ? "" : String(repeating: " ", count: nameWidth) + " "
    header += zip(columns, widths).map { pad($0.0, $1) }.joined(separator: " ")
    var lines = [header]
    for i in 0..<rows {
      var line = ""
      if let rowNames {
        line += rowNames[i] + String(repeating: " ", count: nameWidth - rowNames[i].count) + " "
      }
      line += zip(columns, widths).map { pad($0.1[i], $1) }.joined(separator: " ")
      if let pValues { line += " " + stars(pValues[i]) }
      lines.append(line)
    }
    if pValues != nil {
      lines += ["---", "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"]
    }
    return lines
  }
}
