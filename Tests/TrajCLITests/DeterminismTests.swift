import Foundation
import TestSupport
import Testing

/// The same input gives the same `traj fit` JSON bytes (issue 7, item 5): across 20 runs,
/// with 1 or 2 threads (TRAJ_THREADS and OPENBLAS_NUM_THREADS), for an LMM and an MMRM; and
/// under a permutation of the data rows, equal to the last printed digit.
@Suite("Determinism of traj fit")
struct DeterminismTests {
  /// A model to fit: data path and arguments after it.
  struct Case: Sendable, CustomStringConvertible {
    let name: String
    let data: String
    let arguments: [String]
    var description: String { name }
  }

  static let cases = [
    Case(
      name: "LMM", data: Dataset.path("pain_trial"),
      arguments: [
        "--formula", "pain ~ week * arm + baseline_pain + (1 + week | subject)",
        "--ref", "arm=placebo",
      ]),
    Case(
      name: "MMRM",
      data: RepositoryPaths.fixtures.appendingPathComponent(
        "mmrm/ketamine_visits1to6.csv"
      ).path,
      arguments: [
        "--formula", "pain ~ visit * arm + baseline_pain + us(visit | subject)",
        "--factor", "visit", "--ref", "arm=placebo",
      ]),
  ]

  /// The JSON bytes of one run (timings left out).
  static func jsonBytes(
    _ c: Case, data: String? = nil, environment: [String: String] = [:]
  ) throws -> Data {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let run = try runTraj(
      ["fit", data ?? c.data] + c.arguments + ["--json", json.path, "--no-timing", "--quiet"],
      environment: environment)
    #expect(run.status == 0, "\(c.name): \(run.stderr)")
    return try Data(contentsOf: json)
  }

  @Test("20 runs give byte-identical JSON", arguments: cases)
  func repeatedRuns(_ c: Case) throws {
    let first = try Self.jsonBytes(c)
    #expect(!first.isEmpty)
    for run in 1..<20 {
      #expect(try Self.jsonBytes(c) == first, "\(c.name): run \(run + 1) differs from run 1")
    }
  }

  @Test("1 and 2 threads give byte-identical JSON", arguments: cases)
  func threadCounts(_ c: Case) throws {
    let one = try Self.jsonBytes(
      c, environment: ["TRAJ_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"])
    let two = try Self.jsonBytes(
      c, environment: ["TRAJ_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"])
    #expect(one == two, "\(c.name): JSON differs between 1 and 2 threads")
  }

  @Test("a permutation of the rows gives the same estimates", arguments: cases)
  func rowPermutation(_ c: Case) throws {
    let text = try String(contentsOfFile: c.data, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let header = lines.removeFirst()
    var generator = TestGenerator(seed: 20_261_125)
    lines.shuffle(using: &generator)
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let shuffled = dir.appendingPathComponent("shuffled.csv")
    try Data(([header] + lines).joined(separator: "\n").utf8 + [UInt8(ascii: "\n")]).write(
      to: shuffled)
    let original = try JSONValue.parse(Self.jsonBytes(c))
    let permuted = try JSONValue.parse(Self.jsonBytes(c, data: shuffled.path))
    // Everything but the numbers is identical; the numbers agree far below the printed digits.
    let difference = PermutationComparison.maximumRelativeDifference(original, permuted)
    #expect(difference.structureMatches, "\(c.name): \(difference.firstMismatch ?? "")")
    #expect(difference.numbers > 100, "\(c.name): \(difference.numbers) numbers compared")
    #expect(
      difference.value <= PermutationComparison.tolerance,
      "\(c.name): max relative difference \(difference.value) at \(difference.path)")
  }
}

/// Compares two JSON documents of the same fit on permuted rows.
enum PermutationComparison {
  /// Largest relative difference accepted between estimates on permuted rows: the sums of
  /// squares are accumulated in row order, so a permutation moves their last bits; the
  /// optimizer's path then moves the estimates by up to its convergence tolerance (far
  /// below lme4's 4 to 7 printed digits).
  static let tolerance = 1e-6

  /// The result: whether keys, strings and lengths match, the first mismatch, and the largest
  /// relative difference between numbers (absolute below 1e-8 in magnitude) with its path.
  struct Result {
    var structureMatches = true
    var firstMismatch: String?
    var value = 0.0
    var path = ""
    /// How many numbers were compared.
    var numbers = 0
  }

  static func maximumRelativeDifference(_ a: JSONValue, _ b: JSONValue) -> Result {
    var result = Result()
    walk(a, b, path: "", into: &result)
    return result
  }

  private static func walk(_ a: JSONValue, _ b: JSONValue, path: String, into r: inout Result) {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      // The optimizer's evaluation count follows its path, which rounding may change.
      if path.hasSuffix("/optimizer/evaluations") || path.contains("/optimizer/gradient") {
        return
      }
      r.numbers += 1
      let d = abs(x - y) / max(abs(x), abs(y), 1e-8)
      if d > r.value {
        r.value = d
        r.path = path
      }
    case (.object(let x), .object(let y)):
      guard Set(x.keys) == Set(y.keys) else {
        mismatch(path + ": keys", &r)
        return
      }
      for (k, v) in x { walk(v, y[k] ?? .null, path: path + "/" + k, into: &r) }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else {
        mismatch(path + ": lengths", &r)
        return
      }
      for (i, (u, v)) in zip(x, y).enumerated() { walk(u, v, path: path + "/\(i)", into: &r) }
    default:
      if a != b { mismatch(path + ": \(a) vs \(b)", &r) }
    }
  }

  private static func mismatch(_ what: String, _ r: inout Result) {
    r.structureMatches = false
    if r.firstMismatch == nil { r.firstMismatch = what }
  }
}
