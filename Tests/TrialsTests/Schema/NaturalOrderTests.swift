import DataTable
import Testing

@testable import Trials

@Suite("Natural order of site labels")
struct NaturalOrderTests {
  @Test("digit runs compare as numbers")
  func numbers() {
    let labels = ["site10", "site2", "site1", "site11", "site100", "site20", "site3"]
    #expect(
      labels.sorted(by: NaturalOrder.precedes)
        == ["site1", "site2", "site3", "site10", "site11", "site20", "site100"])
  }

  @Test("prefixes, letters, leading zeros and long numbers")
  func edges() {
    let labels = [
      "B", "A", "A2", "A10", "site01", "site1", "site", "x99999999999999999999999",
      "x100000000000000000000000", "", "10", "9",
    ]
    #expect(
      labels.sorted(by: NaturalOrder.precedes)
        == [
          "", "9", "10", "A", "A2", "A10", "B", "site", "site01", "site1",
          "x99999999999999999999999", "x100000000000000000000000",
        ])
  }

  @Test("a strict weak order: irreflexive, asymmetric, transitive on a sample")
  func strictOrder() {
    let sample = ["a1", "a01", "a001", "a1b", "a1a", "a", "1", "01", "a10", "a9z", "é2", "é10"]
    for x in sample {
      #expect(!NaturalOrder.precedes(x, x))
      for y in sample where x != y {
        #expect(NaturalOrder.precedes(x, y) != NaturalOrder.precedes(y, x), "\(x) \(y)")
        for z in sample where NaturalOrder.precedes(x, y) && NaturalOrder.precedes(y, z) {
          #expect(NaturalOrder.precedes(x, z), "\(x) < \(y) < \(z)")
        }
      }
    }
  }

  @Test("the trial summary lists sites in natural order")
  func summarySites() throws {
    // The mini trial with its sites relabelled per subject.
    let relabel = [
      "P01": "site10", "P02": "site2", "K01": "site1", "K02": "site10", "M01": "site2",
      "M02": "site1",
    ]
    let lines = try TrialFixture.text("mini_trial").split(separator: "\n").map { line in
      var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if let site = relabel[fields[0]] { fields[1] = site }
      return fields.joined(separator: ",")
    }
    let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
    let table = try Table.readCSV(bytes: bytes, source: "mini_trial_sites.csv")
    let summary = TrialSummary(try TrialCheck.records(of: table))
    #expect(summary.sites == ["site1", "site2", "site10"])
    #expect(summary.subjectsByArmSite == [[1, 0, 1], [1, 1, 0], [0, 1, 1]])
  }
}
