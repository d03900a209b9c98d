import Distributions
import Inference
import MixedModels
import Reports

extension ReportBuilder {
  /// Fixed effects with df, t-based intervals and p (when inference was asked for), else
  /// with 95 % Wald intervals.
  mutating func addFixedEffects(_ outcome: FitOutcome) {
    addFixedEffects(fit: outcome.fit, inference: outcome.inference)
  }

  /// Fixed effects of any fit with names, estimates and SEs, with its inference if any.
  mutating func addFixedEffects(fit: any FittedModel, inference: InferenceResults?) {
    guard let inference, inference.coefficientTests.count == fit.fixedEffects.count
    else {
      add(
        .table(
          ReportTable(
            caption: "Fixed effects (95 % Wald intervals, normal quantile)",
            header: ["term", "estimate", "SE", "lower", "upper", "t"],
            rows: fit.fixedEffectNames.indices.map { k in
              let b = fit.fixedEffects[k]
              let se = fit.standardErrors[k]
              let ci = Intervals.wald(estimate: b, standardError: se)
              return [
                fit.fixedEffectNames[k], fixed(b, 4), fixed(se, 4), fixed(ci.lower, 4),
                fixed(ci.upper, 4), fixed(b / se, 2),
              ]
            })))
      return
    }
    let method = inference.request.method.rawValue
    add(
      .table(
        ReportTable(
          caption: "Fixed effects (df: \(method); 95 % t intervals)",
          header: ["term", "estimate", "SE", "df", "lower", "upper", "t", "p"],
          rows: zip(fit.fixedEffectNames, inference.coefficientTests).map { name, test in
            let ci = test.confidenceInterval()
            return [
              name, fixed(test.estimate, 4), fixed(test.standardError, 4), fixed(test.df, 1),
              fixed(ci.lower, 4), fixed(ci.upper, 4), fixed(test.t, 2), pValue(test.p),
            ]
          })))
    if !inference.anova.isEmpty {
      add(
        .table(
          ReportTable(
            caption: "Type III tests (df: \(method))",
            header: ["term", "num df", "den df", "F", "p"],
            rows: inference.anova.map { term, test in
              [
                term, String(test.numeratorDF), fixed(test.denominatorDF, 1),
                fixed(test.fValue, 3), pValue(test.p),
              ]
            })))
    }
  }

  /// LS means and contrasts (tables; figures for the primary model).
  mutating func addMeansAndContrasts(_ inference: InferenceResults?, figures: Bool) {
    guard let inference, !inference.means.isEmpty else { return }
    let (specs, by) = inference.meansVariables
    let method = inference.request.method.rawValue
    let weights = inference.request.weights.rawValue
    add(
      .table(
        ReportTable(
          caption: "Estimated marginal means of \(specs.joined(separator: " × "))"
            + (by.isEmpty ? "" : " by \(by.joined(separator: ", "))")
            + " (\(weights) weights; df: \(method); 95 % intervals)",
          header: specs + by + ["estimate", "SE", "df", "lower", "upper"],
          rows: inference.means.map { mean in
            let ci = mean.estimate.confidenceInterval()
            return mean.levels.map(\.level) + [
              fixed(mean.estimate.estimate, 3), fixed(mean.estimate.standardError, 3),
              fixed(mean.estimate.df, 1), fixed(ci.lower, 3), fixed(ci.upper, 3),
            ]
          },
          alignments: Array(repeating: .left, count: specs.count + by.count)
            + Array(repeating: .right, count: 5))))
    if figures { addMeansFigure(inference, specs: specs, by: by) }
    guard !inference.contrasts.isEmpty else { return }
    let adjustment = inference.request.adjustment.rawValue
    add(
      .table(
        ReportTable(
          caption:
            "Contrasts \(inference.request.contrast?.text ?? "") (p adjusted: \(adjustment); "
            + "95 % intervals unadjusted)",
          header: ["contrast"] + by + [
            "estimate", "SE", "df", "lower", "upper", "t", "p",
            "p adjusted",
          ],
          rows: inference.contrasts.map { c in
            let ci = c.estimate.confidenceInterval()
            return [c.label] + c.group + [
              fixed(c.estimate.estimate, 3), fixed(c.estimate.standardError, 3),
              fixed(c.estimate.df, 1), fixed(ci.lower, 3), fixed(ci.upper, 3),
              fixed(c.estimate.t, 2), pValue(c.estimate.p), pValue(c.adjustedP),
            ]
          },
          alignments: Array(repeating: .left, count: 1 + by.count)
            + Array(repeating: .right, count: 8))))
    if figures {
      addFigure(
        "contrasts", caption: "Contrasts with 95 % confidence intervals (unadjusted)",
        svg: IntervalChart(
          title: "Contrasts: \(inference.request.contrast?.text ?? "")",
          xTitle: "difference in \(spec.trajectories.outcome)",
          rows: inference.contrasts.map { c in
            let ci = c.estimate.confidenceInterval()
            return IntervalChart.Row(
              label: ([c.label] + c.group).joined(separator: " | "),
              estimate: c.estimate.estimate, lower: ci.lower, upper: ci.upper)
          }
        ).svg())
    }
  }

  /// Means by a numeric-looking `by` level as lines with whiskers; otherwise one interval row
  /// per mean.
  private mutating func addMeansFigure(
    _ inference: InferenceResults, specs: [String], by: [String]
  ) {
    let caption = "Estimated marginal means with 95 % confidence intervals"
    let byValues = inference.means.map { $0.group.joined(separator: ":") }
    let numeric = by.count == 1 && byValues.allSatisfy { Double($0) != nil }
    guard numeric else {
      addFigure(
        "emmeans", caption: caption,
        svg: IntervalChart(
          title: "Estimated marginal means", xTitle: spec.trajectories.outcome,
          rows: inference.means.map { m in
            let ci = m.estimate.confidenceInterval()
            return IntervalChart.Row(
              label: m.levels.map(\.level).joined(separator: " | "), estimate: m.estimate.estimate,
              lower: ci.lower, upper: ci.upper)
          }, reference: nil
        ).svg())
      return
    }
    var order: [String] = []
    var series: [String: (points: [(x: Double, y: Double)], ci: [(lower: Double, upper: Double)])] =
      [:]
    for m in inference.means {
      let key = m.levels.prefix(specs.count).map(\.level).joined(separator: ":")
      if series[key] == nil {
        order.append(key)
        series[key] = ([], [])
      }
      let ci = m.estimate.confidenceInterval()
      series[key]?.points.append((Double(m.group[0]) ?? 0, m.estimate.estimate))
      series[key]?.ci.append(ci)
    }
    addFigure(
      "emmeans", caption: caption,
      svg: LineChart(
        title: "Estimated marginal means by \(by[0])", xTitle: by[0],
        yTitle: spec.trajectories.outcome,
        series: order.enumerated().map { k, key in
          .init(
            name: key, points: series[key]?.points ?? [], intervals: series[key]?.ci ?? [],
            color: k)
        }, intervalStyle: .whiskers
      ).svg())
  }
}
/// A p-value as reports print it: 4 decimals, or `< 0.0001`.
func pValue(_ p: Double) -> String {
  guard p.isFinite else { return "-" }
  return p < 0.0001 ? "< 0.0001" : fixed(p, 4)
}
