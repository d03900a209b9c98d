import MixedModels
import Reports

/// The members of the fit JSON that only one family has, at their places in the document.
struct FamilyMembers {
  /// After `formula`.
  var head: [(String, JSON)] = []
  /// After `vcov`: the covariance parameters.
  var covarianceParameters: [(String, JSON)] = []
  /// After `df`: the conditional modes.
  var randomEffects: [(String, JSON)] = []
  /// After `converged`.
  var flags: [(String, JSON)] = []
  /// Before the inference members.
  var inferenceHead: [(String, JSON)] = []
}

extension FitJSON {
  /// The family's own members: the one place the JSON writer dispatches on the family.
  static func familyMembers(_ outcome: FitOutcome) -> FamilyMembers {
    switch outcome.fit {
    case let fit as LinearMixedModelFit: linearMixedMembers(fit)
    case let fit as MMRMFit: repeatedMeasuresMembers(fit, inference: outcome.inference)
    default: FamilyMembers(head: [("model", .string(outcome.fit.family.rawValue))])
    }
  }

  // MARK: - Linear mixed models

  /// `theta`, `theta_names`, `sigma`, `varcorr` (with the residual SD last); `ranef` and
  /// `condsd`; `singular`.
  private static func linearMixedMembers(_ fit: LinearMixedModelFit) -> FamilyMembers {
    let residual = JSON.object([
      ("group", .string("Residual")), ("term", .string("")), ("sd", .number(fit.sigma)),
    ])
    return FamilyMembers(
      covarianceParameters: [
        ("theta", .numbers(fit.theta)),
        ("theta_names", .strings(fit.thetaNames)),
        ("sigma", .number(fit.sigma)),
        ("varcorr", .array(varianceComponentRows(fit.varianceComponents) + [residual])),
      ],
      randomEffects: [
        ("ranef", randomEffects(fit, values: fit.randomEffects)),
        ("condsd", randomEffects(fit, values: fit.randomEffectsConditionalSD)),
      ],
      flags: [("singular", .bool(fit.isSingular))])
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

  // MARK: - MMRMs

  /// `model`; `covariance` and `random_effects`; `vcov_method` with inference.
  private static func repeatedMeasuresMembers(_ fit: MMRMFit, inference: InferenceResults?)
    -> FamilyMembers
  {
    FamilyMembers(
      head: [("model", .string(fit.family.rawValue))],
      covarianceParameters: [
        ("covariance", covariance(fit)), ("random_effects", randomEffectsBlock(fit)),
      ],
      inferenceHead: inference.map {
        [("vcov_method", .string($0.request.covarianceEstimator.rawValue))]
      } ?? [])
  }

  /// `covariance`: {`structure`, `requested_structure`, `subject`, `time`, `group` (or null),
  /// `levels`, `matrix` (Σ̂ over all visits, rows in `levels` order; of the first group when
  /// grouped; the residual part only when the model also has random effects), `parameters`
  /// [{`name`, `estimate`}], `theta` and `theta_names` (the unconstrained parameters),
  /// `groups` [{`group`, `matrix`}] when grouped, `visit_patterns`, `attempts` [{`structure`,
  /// `converged`, `criterion`, `reason`}] (the fallback ladder's fits; one without it)}.
  private static func covariance(_ fit: MMRMFit) -> JSON {
    let term = fit.model.covarianceTerm
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
    members.append(("visit_patterns", .integer(fit.model.patternCount)))
    members.append(
      (
        "attempts",
        .array(
          fit.attempts.map {
            .object([
              ("structure", .string($0.structure)), ("converged", .bool($0.converged)),
              ("criterion", $0.criterion.map { .number($0) } ?? .null),
              ("reason", .string($0.reason)),
            ])
          })
      ))
    return .object(members)
  }

  /// `random_effects`: null without random-effects terms, else θ (Λ on the data's scale)
  /// and the SDs and correlations of G as lme4's rows.
  private static func randomEffectsBlock(_ fit: MMRMFit) -> JSON {
    guard !fit.randomEffects.isEmpty else { return .null }
    return .object([
      ("theta", .numbers(fit.theta)),
      ("theta_names", .strings(fit.thetaNames)),
      ("varcorr", .array(varianceComponentRows(fit.randomEffects))),
    ])
  }
}
