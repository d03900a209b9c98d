import Analysis
import MixedModels
import Reports
import TestSupport
import Testing

/// The fit JSON contract (`FitJSON`), in process: the keys each family writes, in order, and
/// the kind of each value, for the options that add keys.
@Suite("fit JSON contract")
struct FitJSONTests {
  static let sleepstudy = Dataset.path("sleepstudy")
  static let visits = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/ketamine_visits1to6.csv"
  ).path

  /// The members of a document, in order.
  static func members(_ json: JSON) throws -> [(String, JSON)] {
    guard case .object(let members) = json else {
      Issue.record("the document is not an object")
      throw Failure()
    }
    return members
  }

  /// A document that is not what it should be.
  struct Failure: Error {}

  /// Whether `value` is a JSON number (`.number` or `.integer`).
  static func isNumber(_ value: JSON?) -> Bool {
    switch value {
    case .number?, .integer?: true
    default: false
    }
  }

  @Test("an LMM's keys, in order, with their kinds")
  func linearMixed() throws {
    let request = try FitRequest(
      dataPath: Self.sleepstudy, formula: "Reaction ~ Days + (Days | Subject)",
      factors: ["Subject"])
    let outcome = try FitPipeline.run(request)
    let members = try Self.members(FitJSON.document(outcome, includeTiming: false))
    #expect(
      members.map(\.0) == [
        "formula", "method", "nobs", "ngroups", "fixef", "dropped_fixef", "vcov", "theta",
        "theta_names", "sigma", "varcorr", "logLik", "REMLcrit", "AIC", "BIC", "df", "ranef",
        "condsd", "converged", "singular", "rows_read", "rows_used", "rows_dropped",
        "dropped_by_column", "warnings", "optimizer",
      ])
    let byKey = Dictionary(members, uniquingKeysWith: { a, _ in a })
    for key in ["nobs", "sigma", "logLik", "REMLcrit", "AIC", "BIC", "df", "rows_read"] {
      #expect(Self.isNumber(byKey[key]), "\(key)")
    }
    #expect(byKey["method"] == .string("REML"))
    #expect(byKey["converged"] == .bool(true) && byKey["singular"] == .bool(false))
  }

  @Test("an MMRM's keys, in order: model, covariance and random_effects instead of θ and ranef")
  func repeatedMeasures() throws {
    let request = try FitRequest(
      dataPath: Self.visits, formula: "pain ~ visit + arm + ar1(visit | subject)",
      factors: ["visit"])
    let outcome = try FitPipeline.run(request)
    let members = try Self.members(FitJSON.document(outcome, includeTiming: false))
    #expect(
      members.map(\.0) == [
        "formula", "model", "method", "nobs", "ngroups", "fixef", "dropped_fixef", "vcov",
        "covariance", "random_effects", "logLik", "REMLcrit", "AIC", "BIC", "df", "converged",
        "rows_read", "rows_used", "rows_dropped", "dropped_by_column", "warnings", "optimizer",
      ])
    let byKey = Dictionary(members, uniquingKeysWith: { a, _ in a })
    #expect(byKey["model"] == .string("MMRM"))
    #expect(byKey["random_effects"] == .null)
  }

  @Test("a row filter, fitted values, inference and timing add their keys for both families")
  func optionalKeys() throws {
    for formula in [
      "pain ~ visit + arm + (1 | subject)", "pain ~ visit + arm + cs(visit | subject)",
    ] {
      var request = try FitRequest(
        dataPath: Self.visits, formula: formula, factors: ["visit"], filter: "visit <= 4")
      request.inference = try InferenceRequest(degreesOfFreedom: .residual)
      let outcome = try FitPipeline.run(request)
      let members = try Self.members(
        FitJSON.document(outcome, includeFitted: true, includeTiming: true))
      let keys = members.map(\.0)
      let read = try #require(keys.firstIndex(of: "rows_read"), "\(formula)")
      #expect(Array(keys[(read + 1)...(read + 2)]) == ["where", "rows_excluded"], "\(formula)")
      #expect(keys.contains("df_method"), "\(formula)")
      #expect(Array(keys.suffix(3)) == ["fitted", "residuals", "timing"], "\(formula)")
      let byKey = Dictionary(members, uniquingKeysWith: { a, _ in a })
      guard case .array(let fitted)? = byKey["fitted"] else {
        Issue.record("\(formula): fitted is not an array")
        continue
      }
      #expect(fitted.count == outcome.rowsUsed, "\(formula)")
      #expect(byKey["where"] == .string("visit <= 4"))
    }
  }

  @Test("the summary has one entry point: lme4's layout for an LMM, Σ̂ for an MMRM")
  func summaries() throws {
    let lmm = try FitPipeline.run(
      try FitRequest(
        dataPath: Self.visits, formula: "pain ~ visit + arm + (1 | subject)",
        factors: ["visit"]))
    let mmrm = try FitPipeline.run(
      try FitRequest(
        dataPath: Self.visits, formula: "pain ~ visit + arm + ar1(visit | subject)",
        factors: ["visit"]))
    let lmmText = FitSummary.text(lmm)
    let mmrmText = FitSummary.text(mmrm)
    #expect(lmmText.hasPrefix("Linear mixed model fit by REML ['lmerMod']\n"))
    #expect(mmrmText.hasPrefix("Mixed model for repeated measures fit by REML\n"))
    #expect(mmrmText.contains("\nEstimated covariance matrix:\n"))
    for (text, outcome) in [(lmmText, lmm), (mmrmText, mmrm)] {
      #expect(
        text.contains(
          "\nRows: \(outcome.rowsRead) read, \(outcome.rowsUsed) used, "
            + "\(outcome.rowsDropped) dropped for missing values.\n"))
    }
  }
}
