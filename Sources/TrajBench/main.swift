// traj-bench: release-only timing harness for scripts/bench (never run inside `swift test`).
//
//   traj-bench objective DATA.csv --formula F [--ref var=level]... [--ml] [--reps N]
//                                 [--threads N]
//
// Reads and fits the model once, then times `reps` evaluations of the profiled criterion at
// the fitted θ (one evaluation = one refactorisation of L) with N threads (default: the
// active cores, as `traj` without TRAJ_THREADS) and prints one JSON line:
//   {"case": ..., "tool": "traj", "objective_microseconds": median, "evaluations": n, ...}
import DataTable
import Formulas
import Foundation
import MixedModels

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("traj-bench: error: \(message)\n".utf8))
  exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "objective", arguments.count >= 2 else {
  fail(
    "usage: traj-bench objective DATA.csv --formula F [--ref var=level] [--ml] [--reps N]"
      + " [--threads N]")
}
arguments.removeFirst()
let path = arguments.removeFirst()
var formulaText: String?
var references = [String: String]()
var method = EstimationMethod.reml
var reps = 200
var threads = ProcessInfo.processInfo.activeProcessorCount
while !arguments.isEmpty {
  let flag = arguments.removeFirst()
  switch flag {
  case "--formula": formulaText = arguments.isEmpty ? nil : arguments.removeFirst()
  case "--ref":
    guard !arguments.isEmpty else { fail("--ref needs var=level") }
    let parts = arguments.removeFirst().split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { fail("--ref needs var=level") }
    references[parts[0]] = parts[1]
  case "--ml": method = .ml
  case "--reps":
    guard let n = arguments.isEmpty ? nil : Int(arguments.removeFirst()), n > 0 else {
      fail("--reps needs a positive integer")
    }
    reps = n
  case "--threads":
    guard let n = arguments.isEmpty ? nil : Int(arguments.removeFirst()), n > 0 else {
      fail("--threads needs a positive integer")
    }
    threads = n
  default: fail("unknown option \(flag)")
  }
}
guard let formulaText else { fail("--formula is required") }

do {
  let table = try Table.readCSV(path: path)
  let frame = try ModelFrame(
    formula: try Formula(formulaText), table: table,
    options: ModelFrameOptions(references: references))
  var model = LinearMixedModel(frame: frame)
  model.threads = threads
  let fit = try model.fit(method: method)
  var workspace = PLSWorkspace(model: model)
  let clock = ContinuousClock()
  var samples = [Double]()
  var value = 0.0
  for _ in 0..<reps {
    let start = clock.now
    value = model.objective(theta: fit.theta, method: method, workspace: &workspace)
    let elapsed = clock.now - start
    let (s, atto) = elapsed.components
    samples.append((Double(s) + Double(atto) * 1e-18) * 1e6)
  }
  samples.sort()
  let median = samples[samples.count / 2]
  let line =
    "{\"case\": \"\(URL(fileURLWithPath: path).lastPathComponent)\", \"tool\": \"traj\", "
    + "\"objective_microseconds\": \(median), \"evaluations\": \(fit.optimization.evaluations), "
    + "\"objective\": \(value), \"threads\": \(workspace.threads), \"reps\": \(reps)}"
  print(line)
} catch {
  fail("\(error)")
}
