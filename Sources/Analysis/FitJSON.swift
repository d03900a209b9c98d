import Inference
import LinearAlgebra
import MixedModels
import Optimization
import Reports

/// The fit JSON contract of `../shared/DESIGN.md`, for every model family: the one place
/// where Swift names map to lme4's spellings (`fixef`, `REMLcrit`, `logLik`, …).
///
/// Keys, in order: `formula`, `model` ("MMRM"; MMRMs only), `method`, `weights` and `offset`
/// (the columns, only when given), `nobs`, `ngroups`,
/// `fixef` [{`term`, `estimate`, `se`, `t`}], `dropped_fixef`, `vcov`, then the family's
/// covariance parameters (LMM: `theta`, `theta_names`, `sigma`, `varcorr` ({`group`, `term`,
/// `sd`} and {`group`, `terms`, `corr`}; a last `Residual` row); MMRM: `covariance`,
/// `random_effects`; see `FitJSON+Families.swift`), `logLik`, `REMLcrit` (REML) or `deviance`
/// (ML), `AIC`, `BIC`, `df`, `ranef` and `condsd` {factor: {level: {term: value}}} (LMM),
/// `converged`, `singular` (LMM), `rows_read`, then `where` (the row filter text) and
/// `rows_excluded` only when a row filter was given, `rows_used`, `rows_dropped`,
/// `dropped_by_column`, `warnings` [{`code`, `message`}], `optimizer`, then `vcov_method`
/// (MMRM) and `df_method`, `anova`, `emmeans`, `contrasts` when inference was asked (see
/// `InferenceJSON`; `fixef` entries then also carry `df` and `p`), `fitted`/`residuals` when
/// asked (conditional for an LMM, marginal `Xβ̂` for an MMRM), and `timing`
/// {`read_seconds`, `fit_seconds`} when asked.
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
    let family = familyMembers(outcome)
    let p = fit.fixedEffects.count
    let tests = outcome.inference?.coefficientTests ?? []
    var members: [(String, JSON)] = [("formula", .string(outcome.request.formula.text))]
    members += family.head
    members.append(("method", .string(fit.method.rawValue)))
    // Only with prior weights or an offset, so that other documents keep their bytes.
    if let weights = outcome.request.weights { members.append(("weights", .string(weights))) }
    if let offset = outcome.request.offset { members.append(("offset", .string(offset))) }
    members += [
      ("nobs", .integer(fit.observationCount)),
      ("ngroups", .object(fit.groupCounts.map { ($0.name, .integer($0.count)) })),
      (
        "fixef",
        .array(
          fit.fixedEffectNames.indices.map { i in
            InferenceJSON.fixedEffect(
              name: fit.fixedEffectNames[i], estimate: fit.fixedEffects[i],
              se: fit.standardErrors[i], test: tests.indices.contains(i) ? tests[i] : nil)
          })
      ),
      ("dropped_fixef", .strings(outcome.droppedFixedEffects)),
      ("vcov", matrix(fit.fixedEffectsCovariance, order: p)),
    ]
    members += family.covarianceParameters
    members += [
      ("logLik", .number(fit.logLikelihood)),
      (fit.method == .reml ? "REMLcrit" : "deviance", .number(fit.objective)),
      ("AIC", .number(fit.aic)),
      ("BIC", .number(fit.bic)),
      ("df", .integer(fit.parameterCount)),
    ]
    members += family.randomEffects
    members.append(("converged", .bool(fit.converged)))
    members += family.flags
    members.append(("rows_read", .integer(outcome.rowsRead)))
    if let filter = outcome.request.filter {
      members.append(("where", .string(filter.text)))
      members.append(("rows_excluded", .integer(outcome.rowsExcluded)))
    }
    members += accountingMembers(outcome)
    if let inference = outcome.inference {
      members += family.inferenceHead
      members.append(contentsOf: InferenceJSON.members(inference))
    }
    if includeFitted {
      members.append(("fitted", .numbers(fit.fittedValues)))
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

  /// `rows_used`, `rows_dropped`, `dropped_by_column`, `warnings` and `optimizer`: the
  /// accounting and optimiser record every fit document ends with.
  private static func accountingMembers(_ outcome: FitOutcome) -> [(String, JSON)] {
    let optimization = outcome.fit.optimization
    return [
      ("rows_used", .integer(outcome.rowsUsed)),
      ("rows_dropped", .integer(outcome.rowsDropped)),
      (
        "dropped_by_column",
        .object(
          outcome.droppedByColumn.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }
        )
      ),
      (
        "warnings",
        .array(
          outcome.warnings.map {
            .object([("code", .string($0.code)), ("message", .string($0.message))])
          })
      ),
      (
        "optimizer",
        .object(
          [
            ("name", .string(optimization.algorithm)),
            ("evaluations", .integer(optimization.evaluations)),
            ("code", .integer(optimization.code)),
            ("message", .string(optimization.message)),
            ("gradient", .numbers(outcome.fit.gradient)),
          ]
            // Only for a warm start, so that other documents keep their bytes.
            + (outcome.request.start.map { [("start", .numbers($0))] } ?? []))
      ),
    ]
  }

  /// A square matrix as an array of rows.
  static func matrix(_ m: Matrix, order: Int) -> JSON {
    .array((0..<order).map { i in .numbers((0..<order).map { m[i, $0] }) })
  }

  /// lme4's `as.data.frame(VarCorr(fit), order = "lower.tri")` rows of the random-effects
  /// terms: per term, the SDs and correlations of its lower triangle in column order.
  static func varianceComponentRows(_ components: [VarianceComponent]) -> [JSON] {
    var rows = [JSON]()
    for component in components {
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
    return rows
  }
}
