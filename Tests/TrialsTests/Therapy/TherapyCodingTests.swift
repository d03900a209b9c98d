import DataTable
import Formulas
import Testing

@testable import Trials

@Suite("Therapy coding")
struct TherapyCodingTests {
  @Test("arm labels: placebo, single therapies and combinations; anything else is invalid")
  func components() {
    #expect(TherapyCoding.components(of: "placebo") == [])
    #expect(TherapyCoding.components(of: "ketamine") == ["ketamine"])
    #expect(TherapyCoding.components(of: "memantine_ketamine") == ["ketamine", "memantine"])
    #expect(
      TherapyCoding.components(of: "ketamine_amitriptyline_pregabalin")
        == ["ketamine", "amitriptyline", "pregabalin"])
    for bad in ["", "Ketamine", "ketamine_ketamine", "ketamine_", "placebo_ketamine", "ket"] {
      #expect(TherapyCoding.components(of: bad) == nil, "\(bad)")
    }
    #expect(TherapyCoding.containsKetamine("pregabalin_ketamine"))
    #expect(!TherapyCoding.containsKetamine("memantine"))
  }

  @Test("reference level: placebo if present, else ketamine alone, else none")
  func reference() {
    #expect(TherapyCoding.defaultReference(among: ["ketamine", "placebo"]) == "placebo")
    #expect(
      TherapyCoding.defaultReference(among: ["ketamine", "ketamine_memantine"]) == "ketamine")
    #expect(TherapyCoding.defaultReference(among: ["ketamine_memantine", "memantine"]) == nil)
  }

  @Test("indicator columns per component; missing arm gives missing indicators")
  func indicators() {
    let columns = TherapyCoding.indicatorColumns(
      arms: ["placebo", "ketamine_pregabalin", "memantine", nil])
    #expect(columns.map(\.name) == ["ketamine", "memantine", "amitriptyline", "pregabalin"])
    #expect(Array(columns[0].numbers.prefix(3)) == [0, 1, 0])
    #expect(Array(columns[1].numbers.prefix(3)) == [0, 0, 1])
    #expect(Array(columns[2].numbers.prefix(3)) == [0, 0, 0])
    #expect(Array(columns[3].numbers.prefix(3)) == [0, 1, 0])
    #expect(columns.allSatisfy { $0.numbers[3].isNaN })
  }

  /// The mini trial with arm relabelled by subject, plus derived columns, as a model frame.
  func frame(arms: [String: String], formula: String) throws -> ModelFrame {
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    for i in 1..<lines.count {
      var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
      if let arm = arms[fields[0]] {
        fields[2] = arm
        // An arm without ketamine has dose 0 (its infusions are saline).
        if !TherapyCoding.containsKetamine(arm) { fields[6] = "0" }
      }
      lines[i] = fields.joined(separator: ",")
    }
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let derived = try DerivedCovariates.adding(to: table).table
    return try ModelFrame(formula: try Formula(formula), table: derived)
  }

  @Test("ketamine × memantine synergy is a named coefficient when a memantine arm exists")
  func synergyEstimable() throws {
    // Arms: placebo (P01, P02), ketamine (K01, K02), ketamine_memantine (M01), memantine (M02).
    let frame = try frame(
      arms: ["M02": "memantine"], formula: "pain ~ week + ketamine * memantine + (1 | subject)")
    #expect(
      frame.fixedEffectNames == [
        "(Intercept)", "week", "ketamine", "memantine", "ketamine:memantine",
      ])
    #expect(frame.droppedFixedEffectNames.isEmpty)
  }

  @Test("without a memantine-alone arm the synergy term is aliased and dropped")
  func synergyAliased() throws {
    // Arms placebo, ketamine, ketamine_memantine: memantine = ketamine:memantine row by row.
    let frame = try frame(arms: [:], formula: "pain ~ week + ketamine * memantine + (1 | subject)")
    #expect(frame.droppedFixedEffectNames == ["ketamine:memantine"])
    #expect(frame.notes.contains(.rankDeficient(droppedCount: 1)))
  }
}
