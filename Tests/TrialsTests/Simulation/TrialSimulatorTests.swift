import DataTable
import Testing
import Trials

@Suite("Trial simulator: deterministic and schema-conforming")
struct TrialSimulatorTests {
  func simulate(_ spec: Spec, seed: UInt64, threads: Int = 1) throws -> SimulatedTrial {
    TrialSimulator(design: try TrialDesign(spec: spec.node()), seed: seed).simulate(
      threads: threads)
  }

  @Test("the same design and seed give byte-identical CSV, for any thread count")
  func deterministic() throws {
    let spec = TestDesigns.fiveArm(subjectsPerArm: 200)
    let a = try simulate(spec, seed: 42, threads: 1)
    let b = try simulate(spec, seed: 42, threads: 1)
    let c = try simulate(spec, seed: 42, threads: 8)
    // Compared as Booleans: a failure must not print megabytes of bytes.
    let sameRun = a.csv == b.csv
    let sameAcrossThreads = a.csv == c.csv
    #expect(sameRun)
    #expect(sameAcrossThreads)
    let sameEffects = a.subjects.map(\.randomSlope) == c.subjects.map(\.randomSlope)
    #expect(sameEffects)
    let other = try simulate(spec, seed: 43, threads: 8)
    let differs = other.csv != a.csv
    #expect(differs)
  }

  @Test("the CSV has the schema's header and values in the schema's ranges")
  func schema() throws {
    let trial = try simulate(TestDesigns.fiveArm(subjectsPerArm: 40), seed: 7, threads: 2)
    let text = String(decoding: trial.csv, as: UTF8.self)
    let header = text.split(separator: "\n", maxSplits: 1).first.map(String.init)
    #expect(header == TrialSchema.columnNames.joined(separator: ","))
    let table = try Table.readCSV(bytes: trial.csv, source: "sim.csv")
    #expect(table.columnNames == TrialSchema.columnNames)
    #expect(table.rowCount == 200 * 7)
    for spec in TrialSchema.columns {
      let column = try table.column(named: spec.name)
      for row in 0..<table.rowCount {
        if column.isMissing(row) {
          #expect(spec.missingAllowed, "\(spec.name) missing at row \(row)")
          continue
        }
        switch spec.kind {
        case .label:
          #expect(column.kind == .categorical)
        case .oneOf(let choices):
          #expect(choices.contains(column.levels[Int(column.codes[row])]))
        case .integer(let range):
          let x = column.numbers[row]
          #expect(x.rounded() == x && range.contains(Int(x)), "\(spec.name) = \(x)")
        case .number(let range):
          #expect(range.contains(column.numbers[row]), "\(spec.name) = \(column.numbers[row])")
        case .flag:
          #expect(column.numbers[row] == 0 || column.numbers[row] == 1)
        }
      }
    }
  }

  @Test("visits are ordered, dropout is monotone and pain is missing exactly after dropout")
  func visitsAndDropout() throws {
    let design = try TrialDesign(spec: TestDesigns.fiveArm(subjectsPerArm: 100).node())
    let trial = TrialSimulator(design: design, seed: 99).simulate(threads: 2)
    var dropouts = 0
    for subject in trial.subjects {
      #expect(subject.pain[0] == subject.baselinePain)
      #expect(!subject.dropout[0])
      for v in 1..<subject.pain.count {
        #expect(!subject.dropout[v - 1] || subject.dropout[v], "dropout not monotone")
        #expect(subject.dropout[v] == subject.pain[v].isNaN)
        #expect(subject.dropout[v] == (subject.adverseEvents[v] == nil))
        #expect(subject.infusions[v] >= subject.infusions[v - 1])
        let infused = design.schedule.infusionVisits.contains(v) && !subject.dropout[v]
        #expect(subject.infusions[v] == subject.infusions[v - 1] + (infused ? 1 : 0))
        let hasKetamine = design.arms[subject.arm].hasKetamine
        #expect((subject.doses[v] > 0) == (infused && hasKetamine))
        if subject.doses[v] > 0 { #expect(TrialSchema.labelledDose.contains(subject.doses[v])) }
      }
      if subject.dropout.last == true { dropouts += 1 }
    }
    // MAR dropout with these parameters loses some but not most subjects.
    #expect(dropouts > 0 && dropouts < trial.subjects.count / 2)
    let text = String(decoding: trial.csv, as: UTF8.self)
    let visits = text.split(separator: "\n").dropFirst().map { line in
      line.split(separator: ",", omittingEmptySubsequences: false)[3]
    }
    for (i, visit) in visits.enumerated() { #expect(Int(visit) == i % 7) }
  }

  @Test("arms get their sizes, and ketamine arms report adverse events more often")
  func armsAndAdverseEvents() throws {
    let design = try TrialDesign(spec: TestDesigns.fiveArm(subjectsPerArm: 300).node())
    let trial = TrialSimulator(design: design, seed: 5).simulate(threads: 2)
    for (a, arm) in design.arms.enumerated() {
      #expect(trial.subjects.filter { $0.arm == a }.count == arm.size)
    }
    func rate(_ ketamine: Bool) -> Double {
      var events = 0
      var visits = 0
      for s in trial.subjects where design.arms[s.arm].hasKetamine == ketamine {
        for v in design.schedule.infusionVisits {
          guard let ae = s.adverseEvents[v] else { continue }
          visits += 1
          if ae[0] { events += 1 }
        }
      }
      return Double(events) / Double(max(visits, 1))
    }
    // Dissociation: 0.02 per visit, + 0.3 per mg/kg infused (≈ 0.32 at 1 mg/kg).
    #expect(abs(rate(false) - 0.02) < 0.02)
    #expect(abs(rate(true) - 0.32) < 0.04)
  }
}
