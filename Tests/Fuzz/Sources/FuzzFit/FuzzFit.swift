import Analysis
import Foundation
import Inference
import LibFuzzerDriver
import MixedModels

/// libFuzzer entry: a whole `traj fit` in process, with nothing written.
///
/// The input is the formula on the first line, then optionally a line starting with `#` of
/// space-separated options (`ml`, `derive`, `fallback`, `fitted`, `anova`, `df=METHOD`,
/// `emmeans=SPEC`, `contrast=SPEC`, `adjust=METHOD`, `weights=KIND`, `vcov=KIND`,
/// `where=EXPR` with `_` for spaces, `factor=COLUMN`, `ref=VAR=LEVEL`), then a small CSV file.
/// The request goes through the pipeline `traj fit` runs (an MMRM when the formula has a
/// covariance term), and the summary and JSON are rendered into memory. Errors are fine;
/// traps are not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFit(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let formulaEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return 0 }
  let formula = String(decoding: bytes[..<formulaEnd], as: UTF8.self)
  var rest = bytes[(formulaEnd + 1)...]
  var options: [Substring] = []
  if rest.first == UInt8(ascii: "#") {
    let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
    let line = String(decoding: rest[rest.startIndex..<end].dropFirst(), as: UTF8.self)
    options = line.split(separator: " ")
    rest = end < rest.endIndex ? rest[(end + 1)...] : rest[end...]
  }
  guard let run = FitRun(formula: formula, options: options) else { return 0 }
  run.perform(csv: Array(rest))
  return 0
}

/// One fit, as `traj fit` would be called: the options as given, parsed into requests when
/// the fit runs (so their parse errors take the CLI's error path).
struct FitRun {
  var formula: String
  var method: EstimationMethod = .reml
  var derive = false
  var filter: String?
  var factors: [String] = []
  var references: [String: String] = [:]
  var degreesOfFreedom: DegreesOfFreedomMethod?
  var anova = false
  var emmeans: String?
  var contrast: String?
  var adjustment: PValueAdjustment = .none
  var weights: MarginalWeights = .equal
  var wantsInference = false
  var fallback = false
  var fitted = false
  var vcov = "model"

  /// Parses the options line; nil when an option is malformed (the CLI's usage error).
  init?(formula: String, options: [Substring]) {
    self.formula = formula
    for option in options {
      let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
      let value = parts.count == 2 ? parts[1] : nil
      switch (parts.first ?? "", value) {
      case ("ml", nil): method = .ml
      case ("derive", nil): derive = true
      case ("fallback", nil): fallback = true
      case ("fitted", nil): fitted = true
      case ("anova", nil):
        anova = true
        wantsInference = true
      case ("df", let v?):
        guard let method = DegreesOfFreedomMethod(rawValue: v) else { return nil }
        degreesOfFreedom = method
        wantsInference = true
      case ("emmeans", let v?):
        emmeans = v.replacingOccurrences(of: "_", with: " ")
        wantsInference = true
      case ("contrast", let v?):
        contrast = v
        wantsInference = true
      case ("adjust", let v?):
        guard let adjustment = PValueAdjustment(rawValue: v) else { return nil }
        self.adjustment = adjustment
      case ("weights", let v?):
        guard let weights = MarginalWeights(rawValue: v) else { return nil }
        self.weights = weights
      case ("vcov", let v?): vcov = v
      case ("where", let v?): filter = v.replacingOccurrences(of: "_", with: " ")
      case ("factor", let v?): factors.append(v)
      case ("ref", let v?):
        let pair = v.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else { return nil }
        references[pair[0]] = pair[1]
      default: return nil
      }
    }
  }

  /// Runs the fit and renders its outputs, as `FitCommand.run` does; with
  /// `TRJ_FUZZ_VERBOSE` set, prints the summary or the error (to read a saved input).
  func perform(csv: [UInt8]) {
    do { try fit(csv: csv) } catch {
      if verbose { print("error: \(error)") }
    }
  }

  private var verbose: Bool { getenv("TRJ_FUZZ_VERBOSE") != nil }

  private func fit(csv: [UInt8]) throws {
    var request = try FitRequest(
      dataPath: "fuzz.csv", formula: formula, method: method, references: references,
      factors: factors, derive: derive, filter: filter)
    if wantsInference {
      request.inference = try InferenceRequest(
        degreesOfFreedom: degreesOfFreedom, anova: anova, emmeans: emmeans, contrast: contrast,
        adjustment: adjustment, weights: weights)
    }
    if vcov != "model" {
      guard let estimator = CovarianceEstimator(rawValue: vcov),
        request.formula.covarianceTerm != nil
      else { return }
      var inference = try request.inference ?? InferenceRequest()
      inference.covarianceEstimator = estimator
      request.inference = inference
    }
    if fallback { request.covarianceFallback = MMRMModel.fallbackLadder }
    let outcome = try FitPipeline.run(request, csv: csv)
    FitJSON.document(outcome, includeFitted: fitted, includeTiming: false).render { _ in }
    let text = FitSummary.text(outcome)
    if verbose { print(text) }
  }
}

/// The executable's entry point: runs libFuzzer on `fuzzFit`.
@_cdecl("FuzzFit_main")
public func fuzzFitMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzFit(data, size) })
}
