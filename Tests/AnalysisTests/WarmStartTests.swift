import Analysis
import MixedModels
import Reports
import TestSupport
import Testing

/// Warm starts (issue 15, item 6): a fit started from given covariance parameters reaches the
/// same optimum as the default start, in fewer evaluations when the start is that optimum, and
/// the fit JSON records the start; a start of the wrong length or out of bounds is an error
/// before any fitting.
@Suite("warm starts")
struct WarmStartTests {
  static let sleepstudy = Dataset.path("sleepstudy")
  static let visits = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/ketamine_visits1to6.csv"
  ).path

  /// The same model started from the default and from `start(cold)`.
  static func pair(
    formula: String, data: String, factors: [String], start: (FitOutcome) -> [Double]
  ) throws -> (cold: FitOutcome, warm: FitOutcome) {
    let request = try FitRequest(dataPath: data, formula: formula, factors: factors)
    let cold = try FitPipeline.run(request)
    var warmRequest = request
    warmRequest.start = start(cold)
    return (cold, try FitPipeline.run(warmRequest))
  }

  /// Both fits converged to one optimum: the criterion to `criterionAtOptimum` (two stops of
  /// one smooth criterion), and the warm fit recorded its start.
  static func expectSameOptimum(_ cold: FitOutcome, _ warm: FitOutcome, _ label: String) {
    print(
      "warm start \(label): evaluations \(cold.fit.optimization.evaluations) from the default, "
        + "\(warm.fit.optimization.evaluations) warm; criteria \(cold.fit.objective), "
        + "\(warm.fit.objective)")
    #expect(cold.fit.converged && warm.fit.converged, "\(label): converged")
    expectClose(
      warm.fit.objective, cold.fit.objective, .criterionAtOptimum, "\(label) criterion")
    #expect(warm.fit.optimization.start == warm.request.start, "\(label): start recorded")
  }

  @Test("an LMM started at its optimum stops there, in fewer evaluations")
  func linearMixedAtOptimum() throws {
    let (cold, warm) = try Self.pair(
      formula: "Reaction ~ Days + (Days | Subject)", data: Self.sleepstudy,
      factors: ["Subject"]
    ) { outcome in
      (outcome.fit as? LinearMixedModelFit)?.theta ?? []
    }
    Self.expectSameOptimum(cold, warm, "sleepstudy")
    #expect(warm.fit.optimization.evaluations < cold.fit.optimization.evaluations)
  }

  @Test("an LMM started away from its optimum reaches it")
  func linearMixedElsewhere() throws {
    let (cold, warm) = try Self.pair(
      formula: "Reaction ~ Days + (Days | Subject)", data: Self.sleepstudy,
      factors: ["Subject"]
    ) { outcome in
      (outcome.fit as? LinearMixedModelFit)?.theta.map { $0 * 2 + 0.1 } ?? []
    }
    Self.expectSameOptimum(cold, warm, "sleepstudy from 2θ̂ + 0.1")
  }

  @Test("an MMRM started at its optimum stops there, in fewer evaluations")
  func repeatedMeasuresAtOptimum() throws {
    let (cold, warm) = try Self.pair(
      formula: "pain ~ visit + arm + us(visit | subject)", data: Self.visits,
      factors: ["visit"]
    ) { outcome in
      (outcome.fit as? MMRMFit).map { $0.theta + $0.phi } ?? []
    }
    Self.expectSameOptimum(cold, warm, "us MMRM")
    #expect(warm.fit.optimization.evaluations < cold.fit.optimization.evaluations)
  }

  @Test("the JSON's optimizer block ends with the start only when one was given")
  func recordedInJSON() throws {
    let (cold, warm) = try Self.pair(
      formula: "pain ~ visit + arm + ar1(visit | subject)", data: Self.visits,
      factors: ["visit"]
    ) { outcome in
      (outcome.fit as? MMRMFit).map { $0.theta + $0.phi } ?? []
    }
    func optimizerKeys(_ outcome: FitOutcome) throws -> [String] {
      let document = FitJSON.document(outcome, includeTiming: false)
      guard case .object(let members) = document,
        case .object(let optimizer)? = members.first(where: { $0.0 == "optimizer" })?.1
      else {
        Issue.record("no optimizer object")
        return []
      }
      return optimizer.map(\.0)
    }
    let base = ["name", "evaluations", "code", "message", "gradient"]
    #expect(try optimizerKeys(cold) == base)
    #expect(try optimizerKeys(warm) == base + ["start"])
  }

  @Test("a start of the wrong length, below a bound or not finite fails before fitting")
  func badStarts() throws {
    let request = try FitRequest(
      dataPath: Self.sleepstudy, formula: "Reaction ~ Days + (Days | Subject)",
      factors: ["Subject"])
    var short = request
    short.start = [1, 0]
    let length = FitError.startLength(
      given: 2, names: ["Subject.(Intercept)", "Subject.Days.(Intercept)", "Subject.Days"])
    #expect(throws: length) { try FitPipeline.run(short) }
    #expect(
      length.description
        == "the start has 2 values; the model has 3 covariance parameters "
        + "(Subject.(Intercept), Subject.Days.(Intercept), Subject.Days)")
    var negative = request
    negative.start = [-1, 0, 1]
    let bound = FitError.startValue(name: "Subject.(Intercept)", value: -1, lowerBound: 0)
    #expect(throws: bound) { try FitPipeline.run(negative) }
    #expect(
      bound.description == "start value -1.0 of 'Subject.(Intercept)' is below its lower bound 0.0")
    let mmrm = try FitRequest(
      dataPath: Self.visits, formula: "pain ~ visit + arm + cs(visit | subject)",
      factors: ["visit"])
    let fit = try #require(try FitPipeline.run(mmrm).fit as? MMRMFit)
    var infinite = mmrm
    infinite.start = [.infinity] + fit.phi.dropFirst()
    let notFinite = FitError.startValue(
      name: fit.phiNames[0], value: .infinity, lowerBound: -.infinity)
    #expect(throws: notFinite) { try FitPipeline.run(infinite) }
    #expect(notFinite.description == "start value of '\(fit.phiNames[0])' is not a finite number")
  }

  @Test("with a fallback ladder the start is the requested structure's")
  func fallbackLadder() throws {
    var request = try FitRequest(
      dataPath: Self.visits, formula: "pain ~ visit + arm + us(visit | subject)",
      factors: ["visit"])
    request.covarianceFallback = MMRMModel.fallbackLadder
    let cold = try FitPipeline.run(request)
    let fit = try #require(cold.fit as? MMRMFit)
    var warm = request
    warm.start = fit.theta + fit.phi
    let outcome = try FitPipeline.run(warm)
    Self.expectSameOptimum(cold, outcome, "us with the ladder")
    // A start for another structure's parameters is refused before any rung is tried.
    var wrong = request
    wrong.start = [0, 0]
    #expect(throws: FitError.self) { try FitPipeline.run(wrong) }
  }
}
