import DataTable
import Optimization
import TestSupport
import Testing

@testable import Formulas
@testable import MixedModels

/// The covariance fallback ladder us → toeph → ar1h → cs.
@Suite("MMRM covariance fallback")
struct MMRMFallbackTests {
  static func model(_ structure: String) throws -> MMRMModel {
    let path = RepositoryPaths.fixtures.appendingPathComponent("mmrm/ketamine_visits1to6.csv").path
    let frame = try ModelFrame(
      formula: try Formula("pain ~ visit * arm + baseline_pain + \(structure)(visit | subject)"),
      table: try Table.readCSV(path: path),
      options: ModelFrameOptions(factors: ["visit"], requiresRandomEffects: false))
    return try MMRMModel(frame: frame)
  }

  @Test("a structure that converges is kept: one attempt, no fallback warning")
  func noFallbackNeeded() throws {
    let (fit, attempts) = try Self.model("ar1h").fitWithFallback()
    #expect(attempts.map(\.structure) == ["ar1h"])
    #expect(attempts[0].converged && fit.converged)
    #expect(!fit.warnings.contains { $0.code == "covariance_fallback" })
  }

  @Test("when us stops short, the ladder moves down and records every attempt")
  func fallsBack() throws {
    // An evaluation budget too small for 21 parameters but enough for 2.
    let budget = BoundedMinimizer(
      ftolAbs: 1e-12, ftolRel: 1e-14, xtolAbs: 1e-10, xtolRel: 1e-10, maxEvaluations: 120)
    let (fit, attempts) = try Self.model("us").fitWithFallback(optimizer: budget)
    #expect(attempts.first?.structure == "us")
    #expect(attempts.first?.converged == false)
    #expect(attempts.first?.reason.contains("optimizer_stopped") == true)
    #expect(attempts.count >= 2)
    let kept = try #require(attempts.last)
    #expect(kept.converged)
    #expect(fit.covariance.structure.rawValue == kept.structure)
    #expect(fit.warnings.first == .covarianceFallback(requested: "us", used: kept.structure))
  }

  @Test("a structure off the ladder is fitted alone")
  func offLadder() throws {
    let (_, attempts) = try Self.model("ad").fitWithFallback(
      optimizer: BoundedMinimizer(maxEvaluations: 5))
    #expect(attempts.map(\.structure) == ["ad"])
  }
}
