import Foundation
import TestSupport
import Testing

/// The large adversarial cases (10,000 grouping levels; 2,000,000 rows): the CSV is generated
/// at test time into a temporary directory with the integer arithmetic of
/// `scripts/reference/adversarial.R` (`large_data`), so the rows are the ones lme4 fitted.
@Suite("Adversarial large data through traj fit, against lme4")
struct AdversarialLargeTests {
  /// The rows of `large_data(groups, visits)` as CSV bytes: subject `g<i>`, `x = j`,
  /// `y = (1000 + 50 j + u + e) / 100` with `u = (7919 i) mod 401 − 200` and
  /// `e = (104729 i + 7907 j) mod 199 − 99` (integers over 100: the same doubles in R and here).
  static func csv(groups: Int, visits: Int) -> [UInt8] {
    var out = Array("subject,x,y\n".utf8)
    out.reserveCapacity(groups * visits * 16)
    for i in 0..<groups {
      let u = (i * 7919) % 401 - 200
      let prefix = Array("g\(i),".utf8)
      for j in 0..<visits {
        let e = (i * 104_729 + j * 7907) % 199 - 99
        let y = Double(1000 + 50 * j + u + e) / 100
        out += prefix
        out += Array("\(j),\(y)\n".utf8)
      }
    }
    return out
  }

  /// Generates the case's CSV, fits it and compares with its fixture.
  func check(_ name: String) throws {
    let fixture = try Fixture.load("adversarial/" + name)
    let generated = fixture["dataset"]["generated"]
    let groups = Int(try #require(generated["groups"].double))
    let visits = Int(try #require(generated["visits"].double))
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let data = dir.appendingPathComponent(name + ".csv")
    try Data(Self.csv(groups: groups, visits: visits)).write(to: data)
    let formula = try #require(fixture["call"]["formula"].string)
    let (run, document) = try AdversarialCheck.fit(data: data, formula: formula)
    try AdversarialCheck.expectAgreement(
      run: run, document: document, expected: fixture["expected"], name: name)
    #expect(
      run.stdout.contains("Rows: \(groups * visits) read, \(groups * visits) used, 0 dropped"))
  }

  @Test("10,000 levels of the grouping factor") func tenThousandLevels() throws {
    try check("ten_thousand_levels")
  }

  /// `TRAJ_TEST_LEVEL` (1, the default, is what CI runs).
  static let level = Int(ProcessInfo.processInfo.environment["TRAJ_TEST_LEVEL"] ?? "") ?? 1

  /// Generating, reading and fitting 2,000,000 rows with the debug build takes minutes on a
  /// loaded 2-core machine (308 s measured; a release build reads and fits it in seconds), so
  /// it runs from `TRAJ_TEST_LEVEL=2`; the 10,000-level case runs at every level.
  @Test("a 2,000,000-row file", .enabled(if: level >= 2))
  func twoMillionRows() throws {
    try check("two_million_rows")
  }
}
