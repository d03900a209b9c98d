import DataTable
import Testing

@testable import Trials

@Suite("Trial summary")
struct TrialSummaryTests {
  /// The mini trial, counted by hand from `Tests/Fixtures/trials/mini_trial.csv`:
  /// arms ketamine (K01 site A, K02 B), ketamine_memantine (M01 A, M02 B), placebo (P01 A,
  /// P02 B); visits 0–4; K01 has no visit-2 row, K02 misses pain at visit 3, P02 drops out at
  /// visit 3, M02 at visit 4.
  func summary() throws -> TrialSummary {
    TrialSummary(try TrialCheck.records(of: try TrialFixture.table("mini_trial")))
  }

  @Test("subjects by arm and site, and the visit schedule")
  func design() throws {
    let s = try summary()
    #expect(s.rows == 29)  // 6 subjects × 5 visits − K01's missing visit 2
    #expect(s.arms == ["ketamine", "ketamine_memantine", "placebo"])
    #expect(s.sites == ["A", "B"])
    #expect(s.subjectsByArmSite == [[1, 1], [1, 1], [1, 1]])
    #expect(s.subjectCount == 6)
    #expect(s.visits.map(\.visit) == [0, 1, 2, 3, 4])
    #expect(s.visits.map(\.rows) == [6, 6, 5, 6, 6])
    // Visit 0 is on day −7 except for K02 (day −8).
    #expect(s.visits[0].dayMin == -8 && s.visits[0].dayMax == -7)
    #expect(s.visits.map(\.dayMax) == [-7, 0, 7, 14, 28])
  }

  @Test("completers and missing pain by visit and arm")
  func completion() throws {
    let s = try summary()
    // Pain at visit 4: K01 4, K02 3 | M01 3, M02 NA | P01 4.5, P02 NA.
    #expect(s.completers == [2, 1, 1])
    // Missing, by visit (rows) and arm (ketamine, ketamine_memantine, placebo):
    // visit 2: K01's row is absent; visit 3: K02 NA, P02 dropped out; visit 4: M02, P02.
    let missing = s.missingPain.map { $0.map(\.missing) }
    #expect(missing == [[0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 1, 1]])
    #expect(s.missingPain[2][0].percent == 50)
  }

  @Test("dropout visits and adverse-event rates per arm")
  func dropoutAndEvents() throws {
    let s = try summary()
    #expect(s.dropout[0].total == 0 && s.dropout[0].medianVisit == nil)
    #expect(s.dropout[1].byVisit.map(\.visit) == [4] && s.dropout[1].medianVisit == 4)
    #expect(s.dropout[2].byVisit.map(\.visit) == [3] && s.dropout[2].medianVisit == 3)
    #expect(s.adverseEventNames == ["dissociation", "nausea", "dizziness"])
    // Dissociation, ketamine: K01 visit 1; K02 visits 1 and 2 → 3 events. Recorded: K01's 4
    // rows + K02's 5 rows less visit 3 (NA) = 8. Two subjects with an event.
    let dissociation = s.adverseEvents[0][0]
    #expect(dissociation.events == 3 && dissociation.recorded == 8 && dissociation.subjects == 2)
    // Nausea, ketamine_memantine: M01 visit 1; recorded M01 5 + M02 4 (visit 4 NA) = 9.
    #expect(s.adverseEvents[1][1].events == 1 && s.adverseEvents[1][1].recorded == 9)
    // Nausea, placebo: P01 visit 1; recorded P01 5 + P02 3 = 8.
    #expect(s.adverseEvents[1][2].events == 1 && s.adverseEvents[1][2].recorded == 8)
    #expect(s.adverseEvents[2].map(\.events) == [1, 0, 0])
  }

  @Test("the median dropout visit of an even count averages the middle two")
  func evenMedian() throws {
    // P01 also drops out, at visit 4: placebo dropouts at visits 3 and 4 → median 3.5.
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    lines[5] = "P01,A,placebo,4,28,2,0,IV,NA,6,2,0,0,NA,NA,NA,1,r1"
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let s = TrialSummary(try TrialCheck.records(of: table))
    #expect(s.dropout[2].medianVisit == 3.5)
    #expect(s.completers[2] == 0)
  }
}
