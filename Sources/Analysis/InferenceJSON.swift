import Inference
import Reports

/// The inference members of the fit JSON.
///
/// They are `anova` [{`term`, `numDF`, `denDF`, `F`, `p`}],
/// `emmeans` [{variable: level…, `estimate`, `se`, `df`, `lower`, `upper`}] and `contrasts`
/// [{`contrast`, by-variables…, `estimate`, `se`, `df`, `t`, `p`, `p_adjusted`, `lower`,
/// `upper`}], plus `df_method` and, when there are any, `inference_warnings`. Confidence limits
/// are 95%, unadjusted; with an adjustment other than `none` each contrast also carries
/// `lower_adjusted` and `upper_adjusted`, the limits adjusted as emmeans'
/// `summary(infer = TRUE, adjust = …)` adjusts them (simultaneous for `mvt`/`dunnett`,
/// Bonferroni for `bonferroni` and `holm`).
enum InferenceJSON {
  /// One `fixef` entry with df and p when tests were asked for.
  static func fixedEffect(
    name: String, estimate: Double, se: Double, test: ContrastEstimate?
  ) -> JSON {
    guard let test else {
      return .object([
        ("term", .string(name)), ("estimate", .number(estimate)), ("se", .number(se)),
        ("t", .number(estimate / se)),
      ])
    }
    return .object([
      ("term", .string(name)), ("estimate", .number(test.estimate)),
      ("se", .number(test.standardError)), ("df", .number(test.df)), ("t", .number(test.t)),
      ("p", .number(test.p)),
    ])
  }

  /// The members added after `optimizer`.
  static func members(_ results: InferenceResults) -> [(String, JSON)] {
    var members: [(String, JSON)] = [("df_method", .string(results.request.method.rawValue))]
    if !results.concerns.isEmpty {
      members.append(("inference_warnings", .strings(results.concerns)))
    }
    if results.request.anova {
      members.append(
        (
          "anova",
          .array(
            results.anova.map { row in
              .object([
                ("term", .string(row.term)), ("numDF", .integer(row.test.numeratorDF)),
                ("denDF", .number(row.test.denominatorDF)), ("F", .number(row.test.fValue)),
                ("p", .number(row.test.p)),
              ])
            })
        ))
    }
    if results.request.emmeans != nil {
      members.append(
        (
          "emmeans",
          .array(
            results.means.map { mean in
              let ci = mean.estimate.confidenceInterval()
              return .object(
                mean.levels.map { ($0.variable, JSON.string($0.level)) } + [
                  ("estimate", .number(mean.estimate.estimate)),
                  ("se", .number(mean.estimate.standardError)),
                  ("df", .number(mean.estimate.df)), ("lower", .number(ci.lower)),
                  ("upper", .number(ci.upper)),
                ])
            })
        ))
    }
    if results.request.contrast != nil {
      let by = results.meansVariables.by
      members.append(
        (
          "contrasts",
          .array(
            results.contrasts.map { c in
              let ci = c.estimate.confidenceInterval()
              let adjusted = c.adjustedInterval
              let simultaneous: [(String, JSON)] =
                results.request.adjustment == .none
                ? []
                : [
                  ("lower_adjusted", .number(adjusted.lower)),
                  ("upper_adjusted", .number(adjusted.upper)),
                ]
              return .object(
                [("contrast", JSON.string(c.label))]
                  + zip(by, c.group).map { ($0, JSON.string($1)) } + [
                    ("estimate", .number(c.estimate.estimate)),
                    ("se", .number(c.estimate.standardError)), ("df", .number(c.estimate.df)),
                    ("t", .number(c.estimate.t)), ("p", .number(c.estimate.p)),
                    ("p_adjusted", .number(c.adjustedP)), ("lower", .number(ci.lower)),
                    ("upper", .number(ci.upper)),
                  ] + simultaneous)
            })
        ))
    }
    return members
  }
}
