import Analysis
import LibFuzzerDriver
import Trials

@testable import TrajCLI

/// libFuzzer entry: the bytes are a YAML spec file.
///
/// They are parsed as `traj report` and `traj simulate` read theirs (`YAMLSpec.parse`) and decoded as an analysis spec and as a trial
/// design. Both may throw; neither may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  guard
    let text = String(
      validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self),
    let node = try? YAMLSpec.parse(text, source: "fuzz.yaml")
  else { return 0 }
  _ = try? AnalysisSpec(node)
  if let design = try? TrialDesign(spec: node) {
    // What `traj simulate` computes first from a design.
    _ = design.subjectCount
    _ = TrialTruth.formula(design)
  }
  return 0
}

/// The executable's entry point: runs libFuzzer on `fuzzSpec`.
@_cdecl("FuzzSpec_main")
public func fuzzSpecMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzSpec(data, size) })
}
