import Formulas
import Optimization

/// One fit tried by the covariance fallback ladder.
public struct CovarianceAttempt: Sendable, Equatable {
  /// How an attempt ended.
  public enum Outcome: Sendable, Equatable {
    /// The fit was kept: it converged, or it was the only one asked for.
    case kept
    /// The fit did not converge (the codes of its warnings).
    case notConverged(warningCodes: [String])
    /// The fit failed outright (the error, in words).
    case failed(error: String)
  }

  /// The structure tried.
  public let structure: CovarianceStructureName
  /// Whether the fit converged (optimiser, gradient and Hessian checks).
  public let converged: Bool
  /// −2ℓ at the end of the attempt, or nil when the fit failed outright.
  public let criterion: Double?
  /// How it ended.
  public let outcome: Outcome

  /// Creates an attempt record.
  /// - Parameters:
  ///   - structure: The structure tried.
  ///   - converged: Whether it converged.
  ///   - criterion: −2ℓ, or nil when the fit failed.
  ///   - outcome: How it ended.
  public init(
    structure: CovarianceStructureName, converged: Bool, criterion: Double?, outcome: Outcome
  ) {
    self.structure = structure
    self.converged = converged
    self.criterion = criterion
    self.outcome = outcome
  }

  /// Why the attempt was not kept (its warnings' codes, or the error), empty for the kept one.
  public var reason: String {
    switch outcome {
    case .kept: ""
    case .notConverged(let codes): codes.joined(separator: ", ")
    case .failed(let error): error
    }
  }
}

/// The name of a covariance structure as the formula writes it (`us`, `toeph`, …).
public typealias CovarianceStructureName = String

extension MMRMModel {
  /// The conventional fallback ladder of MMRM analysis plans: unstructured, heterogeneous
  /// Toeplitz, heterogeneous AR(1), compound symmetry.
  public static let fallbackLadder: [CovarianceStructure] = [.us, .toeph, .ar1h, .cs]

  /// The same model with another covariance structure over the same visits and groups.
  /// - Parameter structure: The structure to use.
  /// - Returns: The model.
  public func replacingStructure(_ structure: CovarianceStructure) -> MMRMModel {
    var copy = self
    copy.covariance = ResidualCovariance(
      structure: structure, visitLabels: covariance.visitLabels,
      coordinates: covariance.coordinates, groupLabels: covariance.groupLabels)
    return copy
  }

  /// Fits the model; when it does not converge, fits the next structures of `ladder` after
  /// this one in turn and keeps the first that converges (SAS/mmrm analysis plans' "UN, else
  /// TOEPH, else ARH(1), else CS").
  ///
  /// A structure that is not on the ladder is fitted alone. When nothing converges the last
  /// attempt that produced a fit is returned, with its warnings.
  /// - Parameters:
  ///   - method: REML or ML.
  ///   - ladder: Structures in order of preference.
  ///   - optimizer: Optimiser settings (nil for `fit`'s defaults).
  ///   - start: A warm start for the requested structure (see `fit`); the other structures of
  ///     the ladder have other parameters and start from least squares.
  /// - Returns: The kept fit, and every attempt in order.
  /// - Throws: The first attempt's `FitError` when no attempt produced a fit; a bad `start`'s
  ///   `FitError` before any attempt.
  public func fitWithFallback(
    method: EstimationMethod = .reml, ladder: [CovarianceStructure] = fallbackLadder,
    optimizer: BoundedMinimizer? = nil, start: [Double]? = nil
  ) throws -> (fit: MMRMFit, attempts: [CovarianceAttempt]) {
    if let start { try check(start: start) }
    let requested = covariance.structure
    let rest = ladder.firstIndex(of: requested).map { Array(ladder[($0 + 1)...]) } ?? []
    var attempts: [CovarianceAttempt] = []
    var lastFit: MMRMFit?
    var firstError: Error?
    for structure in [requested] + rest {
      do {
        var fit = try replacingStructure(structure).fit(
          method: method, optimizer: optimizer, start: structure == requested ? start : nil)
        if fit.converged {
          attempts.append(
            CovarianceAttempt(
              structure: structure.rawValue, converged: true, criterion: fit.objective,
              outcome: .kept))
          if structure != requested {
            fit.warnings.insert(
              .covarianceFallback(requested: requested.rawValue, used: structure.rawValue),
              at: 0)
          }
          fit.attempts = attempts
          return (fit, attempts)
        }
        attempts.append(
          CovarianceAttempt(
            structure: structure.rawValue, converged: false, criterion: fit.objective,
            outcome: .notConverged(warningCodes: fit.warnings.map(\.code))))
        lastFit = fit
      } catch {
        firstError = firstError ?? error
        attempts.append(
          CovarianceAttempt(
            structure: structure.rawValue, converged: false, criterion: nil,
            outcome: .failed(error: "\(error)")))
      }
    }
    guard var lastFit else { throw firstError ?? FitError.initialEvaluationFailed }
    lastFit.attempts = attempts
    return (lastFit, attempts)
  }
}
