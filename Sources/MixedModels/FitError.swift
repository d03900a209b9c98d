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
  /// A covariance fallback ladder was asked for a formula without a covariance term (the
  /// ladder changes the residual covariance structure; a linear mixed model has none).
  case covarianceFallbackNeedsCovarianceTerm
  /// Prior weights or an offset were given with a residual covariance term (an MMRM): they
  /// are supported for linear mixed models only so far.
  case priorWeightsNeedLinearMixedModel
  /// A random-effects term whose grouping factor varies within a subject of the covariance
  /// term (so it is neither the subject nor a factor the subjects are nested in).
  case randomEffectsGrouping(term: String, subject: String)
  /// Two random-effects terms above the covariance subject grouped by different factors.
  case randomEffectsClusterFactors(term: String, factor: String, other: String)
  /// A warm start with another number of values than the model has covariance parameters.
  case startLength(given: Int, names: [String])
  /// A warm-start value that is not finite or lies below its parameter's bound.
  case startValue(name: String, value: Double, lowerBound: Double)
  /// An unstructured residual covariance over `visits` visits with fewer subjects than visits
  /// (in `group`, when the term has groups): Σ is not identifiable and the likelihood is
  /// unbounded (see `MMRMModel.checkIdentifiable()`).
  case unstructuredCovarianceNotIdentifiable(
    term: String, group: String?, visits: Int, subjects: Int, parameters: Int)
  /// More covariance parameters than the data have observations left after the fixed effects.
  case tooManyCovarianceParameters(
    term: String, parameters: Int, observations: Int, fixedEffects: Int)
  /// The optimizer's workspace for this many parameters exceeds the memory limit.
  case optimizerWorkspaceTooLarge(parameters: Int, bytes: Double, limit: Double, maximum: Int)

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
    case .priorWeightsNeedLinearMixedModel:
      "prior weights and offsets are supported for linear mixed models only so far; a "
        + "weighted MMRM (SAS WEIGHT) is not yet available"
    case .covarianceFallbackNeedsCovarianceTerm:
      "a covariance fallback needs a residual covariance term in the formula, such as "
        + "us(visit | subject); this formula has none"
    case .randomEffectsGrouping(let term, let subject):
      "random-effects term (\(term)) cannot be combined with the covariance term: its grouping "
        + "factor varies within a '\(subject)'; terms must be grouped by '\(subject)' or by one "
        + "factor in which every '\(subject)' is nested (such as a site)"
    case .randomEffectsClusterFactors(let term, let factor, let other):
      "random-effects term (\(term)) is grouped by '\(factor)' but another term is grouped by "
        + "'\(other)': with a covariance term, the random effects above the subject must all "
        + "be grouped by one factor"
    case .startLength(let given, let names):
      "the start has \(given) value\(given == 1 ? "" : "s"); the model has \(names.count) "
        + "covariance parameter\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", ")))"
    case .startValue(let name, let value, let lowerBound):
      value.isFinite
        ? "start value \(value) of '\(name)' is below its lower bound \(lowerBound)"
        : "start value of '\(name)' is not a finite number"
    case .unstructuredCovarianceNotIdentifiable(let term, let group, let m, let k, let count):
      "the covariance matrix of \(term) is not identifiable from \(k) subject"
        + (k == 1 ? "" : "s") + (group.map { " in group '\($0)'" } ?? "") + ": an unstructured "
        + "covariance over \(m) visits has \(grouped(count)) parameters and needs at least \(m) "
        + "subjects with those visits (with fewer the likelihood is unbounded); use a "
        + "structured covariance such as toeph, ar1h or cs (--covariance-fallback tries them "
        + "in turn)"
    case .tooManyCovarianceParameters(let term, let count, let n, let p):
      "\(term) has \(grouped(count)) covariance parameters but the data have \(grouped(n)) "
        + "observations and \(p) fixed effect" + (p == 1 ? "" : "s") + ": the data can "
        + "identify at most \(grouped(max(n - p, 0))) (observations minus fixed effects); use "
        + "a structured covariance such as toeph, ar1h or cs, or fewer visits"
    case .optimizerWorkspaceTooLarge(let count, let bytes, let limit, let maximum):
      "fitting \(grouped(count)) covariance parameters needs about \(gigabytes(bytes)) of "
        + "optimizer memory (BOBYQA's workspace and the Hessian), above the limit of "
        + "\(gigabytes(limit)); at most \(grouped(maximum)) parameters fit in it, so use a "
        + "structured covariance such as toeph, ar1h or cs, or fewer visits"
    }
  }
}

extension FitError {
  /// Checks a warm start against the parameters it is for.
  /// - Parameters:
  ///   - start: The values, in `names` order.
  ///   - names: The parameters' names.
  ///   - lowerBounds: Their lower bounds (`-infinity` for none).
  /// - Throws: `startLength` or `startValue`.
  static func check(start: [Double], names: [String], lowerBounds: [Double]) throws {
    guard start.count == names.count else {
      throw FitError.startLength(given: start.count, names: names)
    }
    for (i, value) in start.enumerated() where !value.isFinite || value < lowerBounds[i] {
      throw FitError.startValue(name: names[i], value: value, lowerBound: lowerBounds[i])
    }
  }
}

/// `20100` as `20,100`.
private func grouped(_ value: Int) -> String {
  let digits = String(value.magnitude)
  var out = ""
  for (i, c) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
    out.append(c)
  }
  return (value < 0 ? "-" : "") + out
}

/// Bytes in decimal gigabytes with one decimal (`24.2 GB`).
private func gigabytes(_ bytes: Double) -> String {
  let tenths = (bytes / 1e8).rounded()
  return "\(Int(tenths) / 10).\(Int(tenths) % 10) GB"
}
