import DataTable
import Foundation
import TestSupport
import Testing

/// A generated trial file and what each of its cells should read as.
private struct GeneratedTrial {
  var text = "subject,site,arm,week,baseline_pain,pain,note\n"
  var subjects: [String] = []
  var sites: [Double] = []
  var arms: [String] = []
  var weeks: [Double] = []
  var baselines: [Double] = []
  var pains: [Double] = []
  var notes: [String?] = []
  var lines: [Int] = []

  /// `rows` records, ten visits a subject; some quoted cells, missing values, CRLF line ends,
  /// blank lines and notes with commas, quotes and line breaks.
  init(rows: Int, seed: UInt64) {
    var generator = TestGenerator(state: seed)
    let armNames = ["placebo", "ketamine_memantine", "memantine, low dose"]
    var line = 2
    for row in 0..<rows {
      let subject = "S\(String(100_000 + row / 10).dropFirst())"
      let site = Double(1 + (row / 10) % 40)
      let arm = armNames[(row / 10) % 3]
      let week = Double(row % 10)
      let baseline = Double(Int.random(in: 30...90, using: &generator)) / 10
      let painValue = Double.random(in: 0...10, using: &generator)
      let pain: Double
      let painText: String
      switch Int.random(in: 0..<20, using: &generator) {
      case 0: (pain, painText) = (.nan, "NA")
      case 1: (pain, painText) = (.nan, "")
      case 2: (pain, painText) = (painValue, String(format: "%.17g", painValue))
      default:
        painText = String(format: "%.2f", painValue)
        pain = Double(painText) ?? .nan
      }
      let note: String?
      let noteText: String
      switch Int.random(in: 0..<50, using: &generator) {
      case 0: (note, noteText) = ("said \"better\", slept", "\"said \"\"better\"\", slept\"")
      case 1: (note, noteText) = ("line one\nline two", "\"line one\nline two\"")
      case 2: (note, noteText) = ("ok", "ok")
      default: (note, noteText) = (nil, "NA")
      }
      let armText = arm.contains(",") ? "\"\(arm)\"" : arm
      let baselineText = String(format: "%.1f", baseline)
      let end = row % 7 == 0 ? "\r\n" : "\n"
      text += "\(subject),\(Int(site)),\(armText),\(Int(week)),\(baselineText),\(painText),"
      text += noteText + end
      lines.append(line)
      line += 1 + (noteText.contains("\n") ? 1 : 0)
      if row % 1000 == 999 {
        text += "\n"
        line += 1
      }
      subjects.append(subject)
      sites.append(site)
      arms.append(arm)
      weeks.append(week)
      baselines.append(Double(baselineText) ?? .nan)
      pains.append(pain)
      notes.append(note)
    }
  }
}

/// The labels of a categorical column, row by row (nil = missing).
private func labels(_ column: Column) -> [String?] {
  column.codes.map { $0 < 0 ? nil : column.levels[Int($0)] }
}

/// Bit patterns, with every NaN alike.
private func bits(_ values: [Double]) -> [UInt64] {
  values.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }
}

@Suite("CSV reader on a large generated file")
struct CSVLargeFileTests {
  @Test("reads 100,000 generated rows with every value and line number right")
  func largeFile() throws {
    let trial = GeneratedTrial(rows: 100_000, seed: 42)
    let table = try Table.readCSV(
      text: trial.text, source: "trial.csv", options: CSVOptions(factorColumns: ["site"]))
    #expect(table.rowCount == 100_000)
    #expect(table.lines == trial.lines)

    let subject = try table.column(named: "subject")
    #expect(subject.levels.count == 10_000)
    #expect(labels(subject) == trial.subjects)

    let site = try table.column(named: "site")
    #expect(site.levels == (1...40).map(String.init))
    #expect(labels(site) == trial.sites.map { String(Int($0)) })

    let arm = try table.column(named: "arm")
    #expect(arm.levels == ["ketamine_memantine", "memantine, low dose", "placebo"])
    #expect(labels(arm) == trial.arms)

    #expect(try table.column(named: "week").numbers == trial.weeks)
    #expect(bits(try table.column(named: "baseline_pain").numbers) == bits(trial.baselines))
    let pain = try table.column(named: "pain")
    #expect(pain.kind == .numeric)
    #expect(bits(pain.numbers) == bits(trial.pains))

    let note = try table.column(named: "note")
    #expect(note.levels == ["line one\nline two", "ok", "said \"better\", slept"])
    #expect(labels(note) == trial.notes)

    let missing = try table.missingSummary(in: ["pain", "note"])
    #expect(missing.perColumn["pain"] == trial.pains.filter(\.isNaN).count)
    #expect(missing.perColumn["note"] == trial.notes.filter { $0 == nil }.count)
  }
}
