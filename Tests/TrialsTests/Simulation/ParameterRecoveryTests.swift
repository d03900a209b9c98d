import DataTable
import Dispatch
import Formulas
import Foundation
import MixedModels
import Testing
import Trials

/// Parameter recovery: simulate many trials from a design where the analysis model is
/// correctly specified, fit each with Trajectory's LMM and compare with the truth.
///
/// Replications: 500 × `TRAJ_TEST_LEVEL` (default 1). Acceptance, per fixed effect:
/// - bias: |mean(β̂) − β| ≤ 4 Monte-Carlo SEs (sd(β̂)/√R);
/// - 95 % Wald coverage (β̂ ± 1.959964·SE) within 0.95 ± 3·√(0.95·0.05/R) (±0.029 at R = 500,
///   ±0.013 at R = 2,500): a binomial band that a correct estimator leaves with probability
///   ≈ 0.003 per coefficient;
/// - variance components (σ, subject intercept and slope SDs): |mean(σ̂) − σ| ≤ 4 MC SEs +
///   5 % of σ (REML SDs are slightly biased in small samples, so the band is looser).
@Suite("Parameter recovery by simulation")
struct ParameterRecoveryTests {
  static var level: Int {
    ProcessInfo.processInfo.environment["TRAJ_TEST_LEVEL"].flatMap(Int.init).map { max(1, $0) }
      ?? 1
  }

  struct Replicate: Sendable {
    var estimates: [Double]
    var standardErrors: [Double]
    var sigma: Double
    var interceptSD: Double
    var slopeSD: Double
  }

  /// The post-baseline rows of `trial` as a table with `week` = day / 7.
  static func table(_ trial: SimulatedTrial, design: TrialDesign) throws -> Table {
    var pain = [Double]()
    var week = [Double]()
    var baseline = [Double]()
    var subject = [Int32]()
    var arm = [Int32]()
    let labels = design.arms.map(\.label).sorted()
    let armCode = design.arms.map { a in Int32(labels.firstIndex(of: a.label) ?? 0) }
    for s in trial.subjects {
      for v in 1..<s.pain.count where !s.pain[v].isNaN {
        pain.append(s.pain[v])
        week.append(Double(design.schedule.visitDays[v]) / 7)
        baseline.append(s.baselinePain)
        subject.append(Int32(s.index))
        arm.append(armCode[s.arm])
      }
    }
    let ids = trial.subjects.map { String(format: "S%05d", $0.index + 1) }
    return try Table(
      source: "simulated",
      columns: [
        Column(name: "pain", numbers: pain), Column(name: "week", numbers: week),
        Column(name: "baseline_pain", numbers: baseline),
        Column(name: "subject", codes: subject, levels: ids),
        Column(name: "arm", codes: arm, levels: labels),
      ])
  }

  static func fit(design: TrialDesign, seed: UInt64, formula: Formula) throws -> Replicate {
    let trial = TrialSimulator(design: design, seed: seed).simulate(threads: 1)
    let frame = try ModelFrame(
      formula: formula, table: try table(trial, design: design),
      options: ModelFrameOptions(references: ["arm": TrialTruth.referenceArm(design)]))
    let fit = try LinearMixedModel(frame: frame).fit()
    let subject = fit.varianceComponents.first { $0.groupName == "subject" }
    return Replicate(
      estimates: fit.fixedEffects, standardErrors: fit.standardErrors, sigma: fit.sigma,
      interceptSD: subject?.standardDeviations.first ?? .nan,
      slopeSD: subject.flatMap { $0.standardDeviations.count > 1 ? $0.standardDeviations[1] : nil }
        ?? .nan)
  }

  static func meanAndSD(_ x: [Double]) -> (mean: Double, sd: Double) {
    let mean = x.reduce(0, +) / Double(x.count)
    let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, (ss / Double(max(1, x.count - 1))).squareRoot())
  }

  @Test("fixed effects are unbiased and 95% Wald intervals cover at 95%; variances recovered")
  func recovery() throws {
    let design = try TrialDesign(spec: TestDesigns.recovery(subjectsPerArm: 40).node())
    #expect(TrialTruth.approximations(design).isEmpty)
    let truth = TrialTruth.fixedEffects(design, time: "week", daysPerUnit: 7)
    let formula = try Formula(TrialTruth.formula(design, time: "week"))
    let replications = 500 * Self.level
    let replicates = try Self.replicate(design: design, formula: formula, count: replications)
    let names = try LinearMixedModel(
      frame: ModelFrame(
        formula: formula,
        table: Self.table(TrialSimulator(design: design, seed: 1).simulate(), design: design),
        options: ModelFrameOptions(references: ["arm": "placebo"]))
    ).fixedEffectNames
    #expect(names == truth.map(\.term))
    let r = Double(replications)
    let halfWidth = 3 * (0.95 * 0.05 / r).squareRoot()
    var report = ["R = \(replications)"]
    for (j, coefficient) in truth.enumerated() {
      let estimates = replicates.map { $0.estimates[j] }
      let (mean, sd) = Self.meanAndSD(estimates)
      let mcse = sd / r.squareRoot()
      let covered = replicates.filter {
        abs($0.estimates[j] - coefficient.value) <= 1.959964 * $0.standardErrors[j]
      }.count
      let coverage = Double(covered) / r
      report.append(
        "\(coefficient.term): truth \(coefficient.value) bias \(mean - coefficient.value) "
          + "(MC SE \(mcse)) coverage \(coverage)")
      #expect(
        abs(mean - coefficient.value) <= 4 * mcse,
        "\(coefficient.term): mean \(mean), truth \(coefficient.value), MC SE \(mcse)")
      #expect(
        abs(coverage - 0.95) <= halfWidth,
        "\(coefficient.term): coverage \(coverage) outside 0.95 ± \(halfWidth)")
    }
    let re = design.randomEffects
    let components: [(String, Double, [Double])] = [
      ("sigma", design.residual.sd, replicates.map(\.sigma)),
      ("subject (Intercept) SD", re.subjectInterceptSD, replicates.map(\.interceptSD)),
      ("subject week SD", re.subjectSlopeSD, replicates.map(\.slopeSD)),
    ]
    for (name, value, estimates) in components {
      let (mean, sd) = Self.meanAndSD(estimates)
      let tolerance = 4 * sd / r.squareRoot() + 0.05 * value
      report.append("\(name): truth \(value) mean \(mean) (MC SE \(sd / r.squareRoot()))")
      #expect(abs(mean - value) <= tolerance, "\(name): mean \(mean), truth \(value)")
    }
    print(report.joined(separator: "\n"))
  }

  @Test("the same checks reject a wrong analysis (random intercept only: week SEs too small)")
  func detectsMisspecifiedFit() throws {
    let design = try TrialDesign(spec: TestDesigns.recovery(subjectsPerArm: 40).node())
    let truth = TrialTruth.fixedEffects(design, time: "week", daysPerUnit: 7)
    let formula = try Formula("pain ~ week * arm + baseline_pain + (1 | subject)")
    let replications = 200
    let replicates = try Self.replicate(design: design, formula: formula, count: replications)
    let halfWidth = 3 * (0.95 * 0.05 / Double(replications)).squareRoot()
    let failing = truth.enumerated().filter { j, coefficient in
      let covered = replicates.filter {
        abs($0.estimates[j] - coefficient.value) <= 1.959964 * $0.standardErrors[j]
      }.count
      return abs(Double(covered) / Double(replications) - 0.95) > halfWidth
    }.map(\.element.term)
    #expect(failing.contains("week"), "coverage failures: \(failing)")
  }

  static func replicate(design: TrialDesign, formula: Formula, count: Int) throws -> [Replicate] {
    let results = ReplicateStore(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { r in
      results.set(
        r, Result { try Self.fit(design: design, seed: 1_000 + UInt64(r), formula: formula) })
    }
    return try results.values.map { try $0.get() }
  }
}

/// Replicate results written from worker threads, one slot each.
private final class ReplicateStore: @unchecked Sendable {
  private var slots: [Result<ParameterRecoveryTests.Replicate, any Error>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<ParameterRecoveryTests.Replicate, any Error>) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  var values: [Result<ParameterRecoveryTests.Replicate, any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
