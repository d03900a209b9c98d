import Analysis
import Formulas
import MixedModels
import TestSupport
import Testing

/// A reference case fitted as `traj fit` fits it (`FitPipeline`), with the model the fit
/// carries for fits at other θ, and the tolerances around our optimum (`OptimumAgreement`)
/// against a reference fitted to the same optimum.
struct FixtureFit {
  /// The pipeline's outcome.
  let outcome: FitOutcome
  /// Its fit, a linear mixed model's.
  let fit: LinearMixedModelFit
  /// The model it fitted.
  var model: LinearMixedModel { fit.model }
  /// The tolerances around `outcome.fit`.
  let agreement: OptimumAgreement

  /// Fits `request` and prepares the tolerances.
  /// - Parameters:
  ///   - request: The call.
  ///   - csv: The file's bytes when they are generated in memory (nil reads the request's path).
  ///   - referenceCriterion: The reference's REML criterion or deviance at its optimum.
  ///   - name: The case, for messages.
  /// - Throws: When the fit fails, or `OptimumAgreement`'s `Failure`.
  init(request: FitRequest, csv: [UInt8]? = nil, referenceCriterion: Double, name: String) throws {
    outcome = try FitPipeline.run(request, csv: csv)
    fit = try #require(outcome.fit as? LinearMixedModelFit, "\(name): not a linear mixed model")
    // The model the fit carries is the one it optimised: the same criterion at its θ̂.
    let again = try fit.model.fit(atTheta: fit.theta, method: fit.method)
    #expect(again.objective == fit.objective, "\(name): the fit's model differs")
    agreement = try OptimumAgreement(
      model: fit.model, fit: fit, referenceCriterion: referenceCriterion)
  }

  /// The criterion's key in a reference block: `REMLcrit` or `deviance`.
  var criterionKey: String { fit.method == .reml ? "REMLcrit" : "deviance" }

  /// Expects our criterion at most the reference's plus `Tolerance.criterionAtOptimum`.
  /// - Parameters:
  ///   - reference: The reference's criterion.
  ///   - label: What is compared.
  ///   - sourceLocation: Where the expectation is written.
  func expectCriterion(
    atMost reference: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let ours = fit.objective
    #expect(
      ours <= reference + Tolerance.criterionAtOptimum.relative * abs(reference),
      "\(label): \(criterionKey) \(ours) above the reference's \(reference) by \(ours - reference)",
      sourceLocation: sourceLocation)
  }

  /// Expects the fixed effects (names, estimates, SEs), θ (names when given, the active set,
  /// values) and σ of `block`, a reference fit at the optimum in lme4's layout (`fixef`
  /// [{`term`, `estimate`, `se`}], `theta`, `theta_names`, `sigma`).
  /// - Parameters:
  ///   - block: The reference fit.
  ///   - name: The case.
  /// - Throws: When `block` lacks one of these.
  func expectEstimates(_ block: JSONValue, _ name: String) throws {
    let rows = try block.elements("fixef")
    try #require(!rows.isEmpty, "\(name): no fixef")
    #expect(fit.fixedEffectNames == (try rows.map { try $0.text("term") }), "\(name) terms")
    agreement.expectAgreement(
      \.fixedEffects, try rows.map { try $0.number("estimate") }, "\(name) β̂")
    agreement.expectAgreement(\.standardErrors, try rows.map { try $0.number("se") }, "\(name) SE")
    // Only lmer.R's blocks name θ (adversarial.R's do not).
    if block["theta_names"] != .null {
      #expect(fit.thetaNames == (try block.texts("theta_names")), "\(name) θ names")
    }
    let theta = try block.numbers("theta")
    try #require(
      theta.count == fit.theta.count, "\(name): \(theta.count) θ, ours \(fit.theta.count)")
    // The active set: a parameter held on its bound is on it in both fits.
    for j in theta.indices where !agreement.free.contains(j) {
      #expect(fit.theta[j] == theta[j], "\(name): θ[\(j)] on its bound in one fit only")
    }
    agreement.expectAgreement(\.theta, theta, "\(name) θ")
    agreement.expectAgreement({ [$0.sigma] }, [try block.number("sigma")], "\(name) σ")
  }
}
