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

  /// Generating, reading, fitting and checking 2,000,000 rows: 23 s with the debug build
  /// (16 s of it `traj`; reading its 28 MB JSON took 37 s more before `JSONValue.parse` stopped
  /// using `JSONDecoder`), so it runs in CI with the rest.
  @Test("a 2,000,000-row file")
  func twoMillionRows() throws {
    try check("two_million_rows")
  }
}
