import Foundation
import TestSupport
import Testing

/// The large adversarial cases (10,000 grouping levels; 2,000,000 rows): the CSV is generated
/// at test time into a temporary directory with the integer arithmetic of
/// `scripts/reference/adversarial.R` (`large_data`), so the rows are the ones lme4 fitted.
@Suite("Adversarial large data through traj fit, against lme4")
struct AdversarialLargeTests {
  /// Generates the case's CSV, fits it and compares with its fixture.
  func check(_ name: String) throws {
    let fixture = try Fixture.load("adversarial/" + name)
    let generated = try fixture.member("dataset").member("generated")
    let groups = Int(try generated.number("groups"))
    let visits = Int(try generated.number("visits"))
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let data = dir.appendingPathComponent(name + ".csv")
    try Data(AdversarialData.largeCSV(groups: groups, visits: visits)).write(to: data)
    let formula = try fixture.member("call").text("formula")
    let (run, document) = try AdversarialCheck.fit(data: data, formula: formula)
    try AdversarialCheck.expectAgreement(
      run: run, document: document, expected: try fixture.member("expected"), name: name,
      estimates: try fixture.member("tight"))
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
