import DataTable
import Formulas
import Foundation
import TestSupport
import Testing

@testable import MixedModels

/// Covariance parameters the data cannot identify, or the optimizer cannot hold, are refused
/// before any optimization (issue 15, "Bad input").
@Suite("MMRM identifiability and optimizer-memory checks")
struct MMRMIdentifiabilityTests {
  /// A complete design: `subjects` × `visits` rows (`subject`, `arm`, `visit`, `y`), `y` a
  /// subject offset plus deterministic noise; `keep` selects visits per subject (all by
  /// default).
  static func csv(
    subjects: Int, visits: Int, keep: (Int, Int) -> Bool = { _, _ in true }
  ) -> String {
    repeatedMeasuresCSV(subjects: subjects, visits: visits, keep: keep)
  }

  static func model(_ csv: String, formula: String) throws -> MMRMModel {
    let frame = try ModelFrame(
      formula: try Formula(formula),
      table: try Table.readCSV(bytes: Array(csv.utf8), source: "generated.csv"),
      options: ModelFrameOptions(requiresRandomEffects: false))
    return try MMRMModel(frame: frame)
  }

  @Test("us over 10 visits on 5 subjects: Σ is not identifiable, an error naming both counts")
  func fewerSubjectsThanVisits() throws {
    let model = try Self.model(
      Self.csv(subjects: 5, visits: 10), formula: "y ~ arm + us(visit | subject)")
    #expect(
      throws: FitError.unstructuredCovarianceNotIdentifiable(
        term: "us(visit | subject)", group: nil, visits: 10, subjects: 5, parameters: 55)
    ) {
      try model.fit()
    }
    let message =
      "\(FitError.unstructuredCovarianceNotIdentifiable(term: "us(visit | subject)", group: nil, visits: 10, subjects: 5, parameters: 55))"
    #expect(message.contains("not identifiable from 5 subjects"), "\(message)")
    #expect(message.contains("over 10 visits has 55 parameters"), "\(message)")
    #expect(message.contains("needs at least 10 subjects"), "\(message)")
    #expect(message.contains("toeph, ar1h or cs"), "\(message)")
  }

  @Test("a structured covariance on the same 5 subjects passes the checks")
  func structuredPasses() throws {
    for structure in ["toeph", "ar1h", "cs"] {
      let model = try Self.model(
        Self.csv(subjects: 5, visits: 10), formula: "y ~ arm + \(structure)(visit | subject)")
      #expect(throws: Never.self) { try model.checkIdentifiable() }
    }
    // As many subjects as visits is the boundary the check allows.
    let boundary = try Self.model(
      Self.csv(subjects: 10, visits: 10), formula: "y ~ arm + us(visit | subject)")
    #expect(throws: Never.self) { try boundary.checkIdentifiable() }
  }

  @Test("a grouped us counts subjects per group and names the group")
  func perGroup() throws {
    // 16 subjects over 6 visits, 8 per arm: enough overall and per group.
    let enough = try Self.model(
      Self.csv(subjects: 16, visits: 6), formula: "y ~ arm + us(visit | arm / subject)")
    #expect(throws: Never.self) { try enough.checkIdentifiable() }
    // 10 subjects over 6 visits, 5 per arm: enough overall (10 ≥ 6), not in either arm.
    let short = try Self.model(
      Self.csv(subjects: 10, visits: 6), formula: "y ~ arm + us(visit | arm / subject)")
    let error = #expect(throws: FitError.self) { try short.fit() }
    guard case .unstructuredCovarianceNotIdentifiable(_, let group, 6, 5, 21)? = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
    #expect(group == "drug" || group == "placebo")
    #expect("\(error.map { "\($0)" } ?? "")".contains("from 5 subjects in group '"))
  }

  @Test("more covariance parameters than observations minus fixed effects is an error")
  func tooManyParameters() throws {
    // 40 subjects with 3 of 30 visits each: 40 ≥ 30 subjects, but 465 parameters from 120 rows.
    let csv = Self.csv(subjects: 40, visits: 30) { s, v in (v - s % 30 + 30) % 30 < 3 }
    let model = try Self.model(csv, formula: "y ~ arm + us(visit | subject)")
    #expect(
      throws: FitError.tooManyCovarianceParameters(
        term: "us(visit | subject)", parameters: 465, observations: 120, fixedEffects: 2)
    ) {
      try model.fit()
    }
    let message =
      "\(FitError.tooManyCovarianceParameters(term: "us(visit | subject)", parameters: 465, observations: 120, fixedEffects: 2))"
    #expect(message.contains("465 covariance parameters"), "\(message)")
    #expect(message.contains("120 observations and 2 fixed effects"), "\(message)")
    #expect(message.contains("at most 118"), "\(message)")
  }

  @Test("a workspace above the memory limit is refused with the size and the largest count")
  func optimizerMemory() throws {
    // us over 110 visits: 6,105 parameters, identifiable from 120 subjects × 110 visits, but
    // BOBYQA's workspace (7.5 k² doubles) and the Hessian need about 3.1 GB.
    let model = try Self.model(
      Self.csv(subjects: 120, visits: 110), formula: "y ~ arm + us(visit | subject)")
    let start = ContinuousClock.now
    let error = #expect(throws: FitError.self) { try model.fit() }
    #expect(ContinuousClock.now - start < .seconds(5), "refused before any optimization")
    guard case .optimizerWorkspaceTooLarge(6105, let bytes, let limit, let maximum)? = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
    #expect(limit == MMRMModel.optimizerMemoryLimit)
    #expect(bytes > limit && abs(bytes - 3.13e9) < 0.01e9, "\(bytes)")
    #expect(MMRMModel.optimizerMemory(parameters: maximum, algorithm: .bobyqa) <= limit)
    #expect(MMRMModel.optimizerMemory(parameters: maximum + 1, algorithm: .bobyqa) > limit)
    #expect(maximum == 4878)
    let message = "\(error.map { "\($0)" } ?? "")"
    #expect(message.contains("6,105 covariance parameters needs about 3.1 GB"), "\(message)")
    #expect(message.contains("limit of 2.0 GB; at most 4,878 parameters"), "\(message)")
  }

  @Test("the fallback ladder records the refused us and fits the next structure")
  func fallbackPastRefusal() throws {
    // 2 subjects over 4 visits: us is refused (2 < 4 subjects), toeph too (7 parameters from
    // 8 observations and 2 fixed effects), ar1h (5 parameters) is fitted.
    let model = try Self.model(
      Self.csv(subjects: 2, visits: 4), formula: "y ~ arm + us(visit | subject)")
    let (fit, attempts) = try model.fitWithFallback()
    #expect(attempts.map(\.structure) == ["us", "toeph", "ar1h"])
    #expect(attempts[0].criterion == nil && attempts[1].criterion == nil)
    #expect(attempts[0].reason.contains("not identifiable from 2 subjects"), "\(attempts[0])")
    #expect(
      attempts[1].reason.hasPrefix("toeph(visit | subject) has 7 covariance parameters"),
      "\(attempts[1])")
    #expect(fit.covariance.structure == .ar1h)
  }

  @Test("Hessian warnings advise lme4's wording for an LMM and the covariance for an MMRM")
  func remedyWording() {
    let lmm = FitWarning.negativeHessian(count: 2).message
    #expect(lmm.hasSuffix("on a ridge; simplify the random effects."), "\(lmm)")
    #expect(
      FitWarning.singularHessian().message
        == "Hessian is numerically singular: parameters are not uniquely determined. The data "
        + "cannot separate some variance parameters; simplify the random effects.")
    for remedy in [FitWarning.Remedy.covarianceStructure, .covarianceStructureOrRandomEffects] {
      for warning in [
        FitWarning.negativeHessian(count: 1, remedy: remedy), .singularHessian(remedy: remedy),
      ] {
        #expect(warning.message.contains("simplify the covariance structure"), "\(warning)")
        #expect(warning.message.contains("--covariance-fallback"), "\(warning)")
        #expect(warning.message.contains("us → toeph → ar1h → cs"), "\(warning)")
        #expect(
          warning.message.contains("random effects")
            == (remedy == .covarianceStructureOrRandomEffects), "\(warning)")
      }
    }
  }
}
