import DataTable
import Testing

@testable import Trials

@Suite("Derived covariates")
struct DerivedCovariatesTests {
  /// The mini trial with its derived columns.
  func derived() throws -> DerivedCovariates.Result {
    try DerivedCovariates.adding(to: try TrialFixture.table("mini_trial"))
  }

  /// Values of `name` on 0-based rows `rows` (file line − 2).
  func values(_ table: Table, _ name: String, _ rows: ClosedRange<Int>) throws -> [Double] {
    let column = try table.column(named: name)
    return rows.map { column.numbers[$0] }
  }

  /// `nan` compares unequal to itself; compare with missing values spelled out.
  func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
  }

  let nan = Double.nan

  @Test("every derived column is added after the original ones, rows in file order")
  func columnsAdded() throws {
    let result = try derived()
    let original = try TrialFixture.table("mini_trial")
    #expect(result.added == DerivedCovariates.names)
    #expect(result.kept.isEmpty)
    #expect(result.table.columnNames == original.columnNames + DerivedCovariates.names)
    #expect(result.table.lines == original.lines)
  }

  @Test("K01 (ketamine 1 mg/kg once, visit 2 missing), worked by hand")
  func subjectK01() throws {
    // K01, lines 12–15 (rows 10–13): visits 0, 1, 3, 4 on days −7, 0, 14, 28;
    // infusion 0, 1, 1, 1; dose 0, 1.0, 0, 0; pain 8, 6, 5, 4; baseline 8.
    let t = try derived().table
    // week = day / 7: −7/7, 0/7, 14/7, 28/7.
    #expect(try values(t, "week", 10...13) == [-1, 0, 2, 4])
    #expect(try values(t, "infusion_number", 10...13) == [0, 1, 1, 1])
    // Only infusion at visit 1 (day 0): none yet, 0 − 0, 14 − 0, 28 − 0.
    #expect(same(try values(t, "days_since_infusion", 10...13), [nan, 0, 14, 28]))
    // Running dose: 0, 0 + 1, 1 + 0, 1 + 0.
    #expect(try values(t, "cumulative_dose", 10...13) == [0, 1, 1, 1])
    // change = pain − 8: 0, −2, −3, −4; pct = 100 · change / 8: 0, −25, −37.5, −50.
    #expect(try values(t, "change", 10...13) == [0, -2, -3, -4])
    #expect(try values(t, "pct_change", 10...13) == [0, -25, -37.5, -50])
    // ≤ −30: no, no, yes, yes; ≤ −50: only −50.
    #expect(try values(t, "responder30", 10...13) == [0, 0, 1, 1])
    #expect(try values(t, "responder50", 10...13) == [0, 0, 0, 1])
    #expect(try values(t, "last_observed", 10...13) == [0, 0, 0, 1])
    #expect(try values(t, "final_visit", 10...13) == [0, 0, 0, 1])
  }

  @Test("K02 (two doses, pain missing at visit 3), worked by hand")
  func subjectK02() throws {
    // K02, lines 16–20 (rows 14–18): days −8, 0, 7, 14, 28; infusion 0, 1, 2, 2, 2;
    // dose 0, 0.5, 1.5, 0, 0; pain 5, 3.5, 2.5, NA, 3; baseline 5.
    let t = try derived().table
    #expect(try values(t, "week", 14...18) == [-8.0 / 7, 0, 1, 2, 4])
    // Infusions on days 0 and 7: none yet; 0 − 0; 7 − 7; 14 − 7; 28 − 7.
    #expect(same(try values(t, "days_since_infusion", 14...18), [nan, 0, 0, 7, 21]))
    // 0; 0 + 0.5; 0.5 + 1.5; then no more dose.
    #expect(try values(t, "cumulative_dose", 14...18) == [0, 0.5, 2, 2, 2])
    // change: 0, −1.5, −2.5, NA, −2; pct = 100 · change / 5: 0, −30, −50, NA, −40.
    #expect(same(try values(t, "change", 14...18), [0, -1.5, -2.5, nan, -2]))
    #expect(same(try values(t, "pct_change", 14...18), [0, -30, -50, nan, -40]))
    // −30 counts (≤ −30); −40 ≥ 30 % but < 50 %.
    #expect(same(try values(t, "responder30", 14...18), [0, 1, 1, nan, 1]))
    #expect(same(try values(t, "responder50", 14...18), [0, 0, 1, nan, 0]))
    #expect(try values(t, "last_observed", 14...18) == [0, 0, 0, 0, 1])
  }

  @Test("M02 (rows shuffled, dropout at visit 4) and P01 (placebo saline infusions)")
  func shuffledAndPlacebo() throws {
    let t = try derived().table
    // M02, lines 26–30 (rows 24–28) hold visits 4, 2, 0, 3, 1 (days 28, 7, −7, 14, 0);
    // doses 0.8 at visits 1 and 2. In file order:
    // cumulative dose: visit 4 → 1.6, visit 2 → 1.6, visit 0 → 0, visit 3 → 1.6, visit 1 → 0.8.
    #expect(try values(t, "cumulative_dose", 24...28) == [1.6, 1.6, 0, 1.6, 0.8])
    // Last infusion at visit 2 (day 7): 28 − 7, 7 − 7, none yet, 14 − 7, 0 − 0.
    #expect(same(try values(t, "days_since_infusion", 24...28), [21, 0, nan, 7, 0]))
    // Pain is missing at visit 4, so the last observed row is visit 3 (line 29, row 27).
    #expect(try values(t, "last_observed", 24...28) == [0, 0, 0, 1, 0])
    #expect(try values(t, "final_visit", 24...28) == [1, 0, 0, 0, 0])
    // P01, rows 0–4: placebo, dose 0, infusion 0, 1, 2, 2, 2 (saline) on days −7, 0, 7, 14, 28:
    // days since the last infusion: none, 0, 0, 14 − 7, 28 − 7; cumulative dose stays 0.
    #expect(same(try values(t, "days_since_infusion", 0...4), [nan, 0, 0, 7, 21]))
    #expect(try values(t, "cumulative_dose", 0...4) == [0, 0, 0, 0, 0])
    #expect(try values(t, "ketamine", 0...4) == [0, 0, 0, 0, 0])
    #expect(try values(t, "memantine", 24...28) == [1, 1, 1, 1, 1])
    #expect(try values(t, "ketamine", 24...28) == [1, 1, 1, 1, 1])
    #expect(try values(t, "pregabalin", 24...28) == [0, 0, 0, 0, 0])
  }

  @Test("responder thresholds allow for rounding: 7 → 4.9 is a 30 % reduction")
  func responderRounding() throws {
    // P01 with baseline 7 (every row) and pain 4.9 at visit 4: change = 4.9 − 7 =
    // −2.0999999999999996 in binary floating point, pct = −29.999999999999996, counted as −30.
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    // P01's rows (lines 2–6) carry baseline_pain, prior_treatments, psych, cardio = 6, 2, 0, 0.
    for i in 1...5 {
      lines[i] = lines[i].replacingOccurrences(of: ",6,2,0,0,", with: ",7,2,0,0,")
    }
    lines[5] = "P01,A,placebo,4,28,2,0,IV,4.9,7,2,0,0,0,0,0,0,r1"
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let t = try DerivedCovariates.adding(to: table).table
    let pct = try values(t, "pct_change", 4...4)[0]
    #expect(pct < -29.99 && pct > -30)
    #expect(try values(t, "responder30", 4...4) == [1])
    #expect(try values(t, "responder50", 4...4) == [0])
  }

  @Test("a column already named like a derived one is kept, not overwritten")
  func existingColumnKept() throws {
    // Rename the extra column `rater` (r1/r2 labels) to `week`.
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    lines[0] = lines[0].replacingOccurrences(of: ",rater", with: ",week")
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let result = try DerivedCovariates.adding(to: table)
    #expect(result.kept == ["week"])
    #expect(!result.added.contains("week"))
    let week = try result.table.column(named: "week")
    #expect(week.kind == .categorical && week.levels == ["r1", "r2"])
  }

  @Test("a table that breaks the schema is refused with every violation")
  func refusesInvalid() throws {
    let table = try TrialFixture.table("invalid_structure")
    let error = #expect(throws: TrialError.self) { try DerivedCovariates.adding(to: table) }
    guard case .schemaViolations(_, let violations) = error else {
      Issue.record("expected schema violations, got \(String(describing: error))")
      return
    }
    #expect(violations.count == 8)
  }
}
