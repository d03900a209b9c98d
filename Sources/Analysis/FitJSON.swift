import Inference
import MixedModels
import Optimization
import Reports

/// The fit JSON contract of `../shared/DESIGN.md`: the one place where Swift names map to
/// lme4's spellings (`fixef`, `REMLcrit`, `logLik`, …).
///
/// Keys, in order: `formula`, `method`, `nobs`, `ngroups`, `fixef` [{`term`, `estimate`, `se`,
/// `t`}], `dropped_fixef`, `vcov`, `theta`, `theta_names`, `sigma`, `varcorr` ({`group`, `term`,
/// `sd`} and {`group`, `terms`, `corr`}; a last `Residual` row), `logLik`, `REMLcrit` (REML) or
/// `deviance` (ML), `AIC`, `BIC`, `df`, `ranef` {factor: {level: {term: value}}}, `condsd`
/// (same shape: conditional SDs), `converged`, `singular`, `rows_read`, then `where` (the row
/// filter text) and `rows_excluded` only when a row filter was given, `rows_used`,
/// `rows_dropped`, `dropped_by_column`, `warnings` [{`code`, `message`}], `optimizer`, then
/// `df_method`, `anova`, `emmeans`, `contrasts` when inference was asked (see `InferenceJSON`;
/// `fixef` entries then also carry `df` and `p`), `fitted`/`residuals` when asked, and
/// `timing` {`read_seconds`, `fit_seconds`} when asked.
public enum FitJSON {
  /// The JSON document of a fit.
  /// - Parameters:
  ///   - outcome: The fit and its accounting.
  ///   - includeFitted: Add `fitted` and `residuals` arrays (one value per row used).
  ///   - includeTiming: Add `timing` (not reproducible byte for byte).
  /// - Returns: The document.
  public static func document(
    _ outcome: FitOutcome, includeFitted: Bool = false, includeTiming: Bool = true
  ) -> JSON {
    let fit = outcome.fit
    var members: [(String, JSON)] = [
      ("formula", .string(outcome.request.formula)),
      ("method", .string(fit.method.rawValue)),
      ("nobs", .integer(fit.observationCount)),
      ("ngroups", .object(outcome.groupCounts.map { ($0.name, .integer($0.count)) })),
      ("fixef", .array(fixedEffects(fit, tests: outcome.inference?.coefficientTests ?? []))),
      ("dropped_fixef", .strings(outcome.droppedFixedEffects)),
      (
        "vcov",
        .array(
          (0..<fit.fixedEffects.count).map { i in
            .numbers((0..<fit.fixedEffects.count).map { fit.fixedEffectsCovariance[i, $0] })
          })
      ),
      ("theta", .numbers(fit.theta)),
      ("theta_names", .strings(fit.thetaNames)),
      ("sigma", .number(fit.sigma)),
      ("varcorr", .array(varianceComponents(fit))),
      ("logLik", .number(fit.logLikelihood)),
      (fit.method == .reml ? "REMLcrit" : "deviance", .number(fit.objective)),
      ("AIC", .number(fit.aic)),
      ("BIC", .number(fit.bic)),
      ("df", .integer(fit.parameterCount)),
      ("ranef", randomEffects(fit, values: fit.randomEffects)),
      ("condsd", randomEffects(fit, values: fit.randomEffectsConditionalSD)),
      ("converged", .bool(fit.converged)),
      ("singular", .bool(fit.isSingular)),
      ("rows_read", .integer(outcome.rowsRead)),
    ]
    if let filter = outcome.request.filter {
      members.append(("where", .string(filter)))
      members.append(("rows_excluded", .integer(outcome.rowsExcluded)))
    }
    members += accountingMembers(
      rowsUsed: outcome.rowsUsed, rowsDropped: outcome.rowsDropped,
      droppedByColumn: outcome.droppedByColumn, warnings: outcome.warnings,
      optimization: fit.optimization, gradient: fit.gradient)
    if let inference = outcome.inference {
      members.append(contentsOf: InferenceJSON.members(inference))
    }
    if includeFitted {
      members.append(("fitted", .numbers(fit.fitted)))
      members.append(("residuals", .numbers(fit.residuals)))
    }
    if includeTiming {
      members.append(
        (
          "timing",
          .object(
            [
              ("read_seconds", .number(outcome.readSeconds)),
              ("fit_seconds", .number(outcome.fitSeconds)),
            ]
              + (outcome.inference == nil
                ? [] : [("inference_seconds", .number(outcome.inferenceSeconds))]))
        ))
    }
    return .object(members)
  }

  private static func fixedEffects(_ fit: LinearMixedModelFit, tests: [ContrastEstimate])
    -> [JSON]
  {
    fit.fixedEffectNames.indices.map { i in
      InferenceJSON.fixedEffect(
        name: fit.fixedEffectNames[i], estimate: fit.fixedEffects[i], se: fit.standardErrors[i],
        test: tests.isEmpty ? nil : tests[i])
    }
  }

  /// `rows_used`, `rows_dropped`, `dropped_by_column`, `warnings` and `optimizer`: the
  /// accounting and optimiser record every fit document (LMM and MMRM) ends with.
  static func accountingMembers(
    rowsUsed: Int, rowsDropped: Int, droppedByColumn: [String: Int], warnings: [FitWarning],
    optimization: OptimizationSummary, gradient: [Double]
  ) -> [(String, JSON)] {
    [
      ("rows_used", .integer(rowsUsed)),
      ("rows_dropped", .integer(rowsDropped)),
      (
        "dropped_by_column",
        .object(droppedByColumn.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
      ),
      (
        "warnings",
        .array(
          warnings.map {
            .object([("code", .string($0.code)), ("message", .string($0.message))])
          })
      ),
      (
        "optimizer",
        .object([
          ("name", .string(optimization.algorithm)),
          ("evaluations", .integer(optimization.evaluations)),
          ("code", .integer(optimization.code)),
          ("message", .string(optimization.message)),
          ("gradient", .numbers(gradient)),
        ])
      ),
    ]
  }

  /// lme4's `as.data.frame(VarCorr(fit), order = "lower.tri")`: per term, the SDs and
  /// correlations of its lower triangle in column order, then the residual SD.
  private static func varianceComponents(_ fit: LinearMixedModelFit) -> [JSON] {
    var rows = [JSON]()
    for component in fit.varianceComponents {
      let q = component.columnNames.count
      for j in 0..<q {
        for i in j..<q {
          if i == j {
            rows.append(
              .object([
                ("group", .string(component.groupName)),
                ("term", .string(component.columnNames[i])),
                ("sd", .number(component.standardDeviations[i])),
              ]))
          } else {
            rows.append(
              .object([
                ("group", .string(component.groupName)),
                ("terms", .strings([component.columnNames[j], component.columnNames[i]])),
                ("corr", .number(component.correlations[i * q + j])),
              ]))
          }
        }
      }
    }
    rows.append(
      .object([
        ("group", .string("Residual")), ("term", .string("")), ("sd", .number(fit.sigma)),
      ]))
    return rows
  }

  /// `{factor: {level: {term: value}}}`, merging terms that share a grouping factor (as lme4's
  /// `ranef` does for `(x || g)`).
  private static func randomEffects(_ fit: LinearMixedModelFit, values: [[Double]]) -> JSON {
    var factors = [String]()
    for term in fit.terms where !factors.contains(term.factorName) {
      factors.append(term.factorName)
    }
    return .object(
      factors.map { factor in
        let indices = fit.terms.indices.filter { fit.terms[$0].factorName == factor }
        let levels = fit.terms[indices[0]].levels
        let perLevel: [(String, JSON)] = levels.indices.map { level in
          var members = [(String, JSON)]()
          for k in indices {
            let q = fit.terms[k].columnNames.count
            for c in 0..<q {
              members.append((fit.terms[k].columnNames[c], .number(values[k][level * q + c])))
            }
          }
          return (levels[level], .object(members))
        }
        return (factor, .object(perLevel))
      })
  }
}
