import LinearAlgebra
import MixedModels
import Reports

/// The fit JSON of an MMRM (`traj fit` with a covariance term): the keys of the lme4 fit
/// contract that apply, plus `covariance`.
///
/// Keys, in order: `formula`, `model` ("MMRM"), `method`, `nobs`, `ngroups` {subject: count,
/// then the cluster factor of random effects above the subject (such as site): count},
/// `fixef` [{`term`, `estimate`, `se`, `t`}], `dropped_fixef`, `vcov`, `covariance`
/// {`structure`, `subject`, `time`, `group` (or null), `levels`, `matrix` (Σ̂ over all visits,
/// rows in `levels` order; of the first group when grouped; the residual part only when the
/// model also has random effects), `parameters` [{`name`,
/// `estimate`}], `theta` and `theta_names` (the unconstrained parameters), `groups`
/// [{`group`, `matrix`}] when grouped, `visit_patterns`, `attempts` [{`structure`,
/// `converged`, `criterion`, `reason`}] (the fallback ladder's fits; one without it)}, `random_effects` (null without
/// random-effects terms, else {`theta`, `theta_names`, `varcorr` as lme4's rows: {`group`,
/// `term`, `sd`} and {`group`, `terms`, `corr`}}), `logLik`, `REMLcrit` (REML) or
/// `deviance` (ML), `AIC`, `BIC`, `df`, `converged`, `rows_read`, `rows_used`,
/// `rows_dropped`, `dropped_by_column`, `warnings`, `optimizer`, then `timing` when asked.
public enum MMRMJSON {
  /// The JSON document of an MMRM fit.
  /// - Parameters:
  ///   - outcome: The fit and its accounting.
  ///   - includeTiming: Add `timing` (not reproducible byte for byte).
  /// - Returns: The document.
  public static func document(_ outcome: MMRMOutcome, includeTiming: Bool = true) -> JSON {
    let fit = outcome.fit
    let p = fit.fixedEffects.count
    let term = outcome.covarianceTerm
    var members: [(String, JSON)] = [
      ("formula", .string(outcome.request.formula)),
      ("model", .string("MMRM")),
      ("method", .string(fit.method.rawValue)),
      ("nobs", .integer(fit.observationCount)),
      (
        "ngroups",
        .object(
          [(term.subjectVariable, .integer(fit.subjectCount))]
            + (fit.clusterFactor.map { [($0, .integer(fit.clusterCount))] } ?? []))
      ),
      (
        "fixef",
        .array(
          fit.fixedEffectNames.indices.map { i in
            let tests = outcome.inference?.coefficientTests ?? []
            return InferenceJSON.fixedEffect(
              name: fit.fixedEffectNames[i], estimate: fit.fixedEffects[i],
              se: fit.standardErrors[i], test: tests.indices.contains(i) ? tests[i] : nil)
          })
      ),
      ("dropped_fixef", .strings(outcome.droppedFixedEffects)),
      ("vcov", matrix(fit.fixedEffectsCovariance, order: p)),
      ("covariance", covariance(outcome)),
      ("random_effects", randomEffects(fit)),
      ("logLik", .number(fit.logLikelihood)),
      (fit.method == .reml ? "REMLcrit" : "deviance", .number(fit.objective)),
      ("AIC", .number(fit.aic)),
      ("BIC", .number(fit.bic)),
      ("df", .integer(fit.parameterCount)),
      ("converged", .bool(fit.converged)),
      ("rows_read", .integer(outcome.rowsRead)),
    ]
    members += FitJSON.accountingMembers(
      rowsUsed: outcome.rowsUsed, rowsDropped: outcome.rowsDropped,
      droppedByColumn: outcome.droppedByColumn, warnings: outcome.warnings,
      optimization: fit.optimization, gradient: fit.gradient)
    if let inference = outcome.inference {
      members.append(
        ("vcov_method", .string(inference.request.covarianceEstimator.rawValue)))
      members.append(contentsOf: InferenceJSON.members(inference))
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

  private static func covariance(_ outcome: MMRMOutcome) -> JSON {
    let fit = outcome.fit
    let term = outcome.covarianceTerm
    let t = fit.covariance.visitCount
    var members: [(String, JSON)] = [
      ("structure", .string(fit.covariance.structure.rawValue)),
      ("requested_structure", .string(term.structure.rawValue)),
      ("subject", .string(term.subjectVariable)),
      ("time", .string(term.timeVariable)),
      ("group", term.groupVariable.map { .string($0) } ?? .null),
      ("levels", .strings(fit.covariance.visitLabels)),
      ("matrix", fit.sigmaMatrices.first.map { matrix($0, order: t) } ?? .null),
      (
        "parameters",
        .array(
          fit.parameters.map {
            .object([("name", .string($0.name)), ("estimate", .number($0.estimate))])
          })
      ),
      ("theta", .numbers(fit.phi)),
      ("theta_names", .strings(fit.phiNames)),
    ]
    if !fit.covariance.groupLabels.isEmpty {
      members.append(
        (
          "groups",
          .array(
            zip(fit.covariance.groupLabels, fit.sigmaMatrices).map {
              .object([("group", .string($0)), ("matrix", matrix($1, order: t))])
            })
        ))
    }
    members.append(("visit_patterns", .integer(outcome.patternCount)))
    members.append(
      (
        "attempts",
        .array(
          outcome.attempts.map {
            .object([
              ("structure", .string($0.structure)), ("converged", .bool($0.converged)),
              ("criterion", $0.criterion.map { .number($0) } ?? .null),
              ("reason", .string($0.reason)),
            ])
          })
      ))
    return .object(members)
  }

  /// The random-effects block: θ (Λ on the data's scale) and the SDs and correlations of G.
  private static func randomEffects(_ fit: MMRMFit) -> JSON {
    guard !fit.randomEffects.isEmpty else { return .null }
    var rows: [JSON] = []
    for component in fit.randomEffects {
      let q = component.columnNames.count
      for j in 0..<q {
        for i in j..<q {
          rows.append(
            i == j
              ? .object([
                ("group", .string(component.groupName)),
                ("term", .string(component.columnNames[i])),
                ("sd", .number(component.standardDeviations[i])),
              ])
              : .object([
                ("group", .string(component.groupName)),
                ("terms", .strings([component.columnNames[j], component.columnNames[i]])),
                ("corr", .number(component.correlations[i * q + j])),
              ]))
        }
      }
    }
    return .object([
      ("theta", .numbers(fit.theta)),
      ("theta_names", .strings(fit.thetaNames)),
      ("varcorr", .array(rows)),
    ])
  }

  /// A square matrix as an array of rows.
  private static func matrix(_ m: Matrix, order: Int) -> JSON {
    .array((0..<order).map { i in .numbers((0..<order).map { m[i, $0] }) })
  }
}
