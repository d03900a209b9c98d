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

@Suite("Trial simulator: residual and dropout models")
struct TrialSimulatorModelTests {
  /// A design with no random effects, no dropout and no recording noise, so that pain minus
  /// its known mean is the residual.
  static func plain(_ residual: Spec, dropout: Spec? = nil) -> Spec {
    TestDesigns.recovery(subjectsPerArm: 1_000)
      .setting("random_effects", to: nil)
      .setting("residual", to: residual)
      .setting("dropout", to: dropout ?? .m([("model", .s("none"))]))
  }

  @Test("AR(1) residuals have the design's lag-1 correlation; iid residuals have none")
  func autocorrelation() throws {
    for (structure, rho) in [("ar1", 0.6), ("iid", 0.0)] {
      var residual: [(String, Spec)] = [("sd", .n(0.7)), ("structure", .s(structure))]
      if structure == "ar1" { residual.append(("correlation", .n(rho))) }
      let design = try TrialDesign(spec: Self.plain(.m(residual)).node())
      let trial = TrialSimulator(design: design, seed: 3).simulate(threads: 2)
      let truth = TrialTruth.fixedEffects(design, time: "week", daysPerUnit: 7)
      let coefficients = Dictionary(
        truth.map { ($0.term, $0.value) }, uniquingKeysWith: { a, _ in a })
      // A term the truth does not have is an issue, not a zero coefficient.
      func coefficient(_ term: String) throws -> Double {
        try #require(coefficients[term], "no true coefficient \(term) in \(coefficients.keys)")
      }
      var pairs = [(Double, Double)]()
      var all = [Double]()
      for s in trial.subjects {
        let label = design.arms[s.arm].label
        let isReference = label == "placebo"
        var previous: Double?
        for v in 1..<s.pain.count {
          let week = Double(design.schedule.visitDays[v]) / 7
          var mean =
            try coefficient("(Intercept)") + coefficient("baseline_pain") * s.baselinePain
          mean += try coefficient("week") * week
          if !isReference {
            mean += try coefficient("arm\(label)") + coefficient("week:arm\(label)") * week
          }
          let e = s.pain[v] - mean
          all.append(e)
          if let previous { pairs.append((previous, e)) }
          previous = e
        }
      }
      let sd = (all.reduce(0) { $0 + $1 * $1 } / Double(all.count)).squareRoot()
      let lag1 = pairs.reduce(0) { $0 + $1.0 * $1.1 } / Double(pairs.count) / (sd * sd)
      #expect(abs(sd - 0.7) < 0.02, "\(structure): residual SD \(sd)")
      #expect(abs(lag1 - rho) < 0.03, "\(structure): lag-1 correlation \(lag1), design \(rho)")
    }
  }

  @Test("MAR dropout removes high-pain subjects more often; MCAR does not depend on pain")
  func dropoutMechanisms() throws {
    let residual = Spec.m([("sd", .n(1.0))])
    let mar = Spec.m([("model", .s("mar")), ("intercept", .n(-3)), ("pain_slope", .n(1.0))])
    let mcar = Spec.m([("model", .s("mcar")), ("rate", .n(0.05))])
    func gap(_ dropout: Spec) throws -> Double {
      let design = try TrialDesign(spec: Self.plain(residual, dropout: dropout).node())
      let trial = TrialSimulator(design: design, seed: 8).simulate(threads: 2)
      // Pain at visit 1 of those who left before visit 2 versus those who stayed.
      var left = [Double]()
      var stayed = [Double]()
      for s in trial.subjects where !s.dropout[1] {
        if s.dropout[2] { left.append(s.pain[1]) } else { stayed.append(s.pain[1]) }
      }
      #expect(left.count > 20)
      return left.reduce(0, +) / Double(left.count) - stayed.reduce(0, +) / Double(stayed.count)
    }
    let marGap = try gap(mar)
    let mcarGap = try gap(mcar)
    #expect(marGap > 0.5, "MAR: leavers' pain exceeds stayers' by \(marGap)")
    #expect(abs(mcarGap) < 0.35, "MCAR: gap \(mcarGap)")
  }
}
