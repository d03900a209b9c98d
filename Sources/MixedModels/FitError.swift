/// Why a model cannot be fitted at all (as opposed to a `FitWarning` about a fit).
public enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Fewer observations than the model needs.
  case tooFewObservations(n: Int, needed: Int)
  /// The response does not vary.
  case constantResponse(name: String)
  /// The objective is not finite at the starting values.
  case initialEvaluationFailed
  /// The fixed-effects matrix has no column left or is not of full rank after dropping.
  case singularFixedEffects
  /// An MMRM was asked for but the formula has no covariance term such as `us(visit | id)`.
  case noCovarianceTerm
  /// A subject's rows fall in more than one group of a group-specific covariance term.
  case covarianceGroupVaries(subject: String)
  /// A formula with a covariance term was given to the lme4-style fit (use `MMRMModel`).
  case covarianceTermNeedsMMRM
  /// A random-effects term not grouped by the covariance term's subject.
  case randomEffectsGrouping(term: String, subject: String)

  /// A one-line explanation.
  public var description: String {
    switch self {
    case .tooFewObservations(let n, let needed):
      "too few observations: \(n) rows, the model needs more than \(needed)"
    case .constantResponse(let name):
      "response '\(name)' is constant: there is no variation to model"
    case .initialEvaluationFailed:
      "the objective could not be evaluated at the starting values (non-finite data?)"
    case .singularFixedEffects:
      "the fixed-effects model matrix is singular"
    case .noCovarianceTerm:
      "the formula has no covariance term; add one such as us(visit | subject)"
    case .covarianceGroupVaries(let subject):
      "subject '\(subject)' has rows in more than one group of the covariance term; the "
        + "group (left of '/') must be constant within a subject"
    case .covarianceTermNeedsMMRM:
      "the formula has a covariance term: it is fitted as an MMRM (MMRMModel), not by lmer"
    case .randomEffectsGrouping(let term, let subject):
      "random-effects term (\(term)) must be grouped by '\(subject)', the subject of the "
        + "covariance term, to be combined with it"
    }
  }
}
