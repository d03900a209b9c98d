import Distributions
import Foundation
import Parallelism

#if canImport(Glibc)
  import Glibc
#endif

/// Simulates trials from a `TrialDesign`, deterministically: the same design and seed give
/// the same subjects and byte-identical CSV on every run and for every thread count.
///
/// Each subject draws from its own `Xoshiro256StarStar` stream, seeded from `(seed, subject
/// index)` through `SplitMix64`; arm allocation (a seeded shuffle) and site effects use
/// streams of their own. Subjects are simulated in parallel chunks (`ChunkedRange`) and the
/// chunks joined in subject order, so neither the thread count nor the schedule can change the
/// output.
public struct TrialSimulator: Sendable {
  /// The design.
  public let design: TrialDesign
  /// The seed.
  public let seed: UInt64

  /// Creates a simulator.
  ///
  /// - Parameters:
  ///   - design: A validated design.
  ///   - seed: The seed of every random stream.
  public init(design: TrialDesign, seed: UInt64) {
    self.design = design
    self.seed = seed
  }

  /// Simulates the trial and writes its CSV.
  ///
  /// - Parameter threads: Worker count (results do not depend on it); default 1.
  /// - Returns: The subjects, site effects and CSV bytes.
  /// - Complexity: O(subjects · visits · infusions).
  public func simulate(threads: Int = 1) -> SimulatedTrial {
    let n = design.subjectCount
    let allocation = armAllocation()
    var siteStream = Xoshiro256StarStar(seed: Self.streamSeed(seed, stream: 1))
    let siteEffects = (0..<design.siteCount).map { _ in
      design.randomEffects.siteInterceptSD * siteStream.normal()
    }
    // About four chunks per thread (of at least 64 subjects), for the load balance; the
    // output is their concatenation, so the split cannot change it.
    let chunks = ChunkedRange(count: n, itemsPerChunk: 64, maximumChunks: 4 * max(1, threads))
    let idWidth = max(3, String(n).count)
    let parts = chunks.map(threads: threads) { _, range in
      var subjects = [SimulatedSubject]()
      subjects.reserveCapacity(range.count)
      var bytes = [UInt8]()
      bytes.reserveCapacity(range.count * design.schedule.visitDays.count * 96)
      for i in range {
        let subject = simulateSubject(i, arm: allocation[i], siteEffects: siteEffects)
        TrialCSV.append(subject, design: design, idWidth: idWidth, to: &bytes)
        subjects.append(subject)
      }
      return (subjects, bytes)
    }
    var csv = TrialCSV.header()
    var subjects = [SimulatedSubject]()
    subjects.reserveCapacity(n)
    for (chunkSubjects, bytes) in parts {
      subjects.append(contentsOf: chunkSubjects)
      csv.append(contentsOf: bytes)
    }
    return SimulatedTrial(subjects: subjects, siteEffects: siteEffects, csv: csv)
  }

  // MARK: - Streams and allocation

  /// The seed of stream `stream` (0: allocation, 1: sites, 16 + i: subject i).
  static func streamSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
    var mixer = SplitMix64(seed: seed ^ (stream &* 0xd1b5_4a32_d192_ed03))
    _ = mixer.next()
    return mixer.next()
  }

  /// Arm index per subject: each arm's `size` copies, shuffled (Fisher–Yates) by stream 0.
  func armAllocation() -> [Int] {
    var arms = [Int]()
    for (a, arm) in design.arms.enumerated() {
      arms.append(contentsOf: repeatElement(a, count: arm.size))
    }
    var rng = Xoshiro256StarStar(seed: Self.streamSeed(seed, stream: 0))
    if arms.count > 1 {
      for i in stride(from: arms.count - 1, to: 0, by: -1) {
        let j = Int(rng.next() % UInt64(i + 1))
        arms.swapAt(i, j)
      }
    }
    return arms
  }

  // MARK: - One subject

  private func simulateSubject(_ index: Int, arm a: Int, siteEffects: [Double])
    -> SimulatedSubject
  {
    let d = design
    var rng = Xoshiro256StarStar(seed: Self.streamSeed(seed, stream: 16 + UInt64(index)))
    let arm = d.arms[a]
    let site = index % d.siteCount
    let route = Self.categorical(d.dosing.routeProbabilities, rng.uniform())
    let cov = d.covariates
    var baseline = cov.baselineMean
    for _ in 0..<1000 {
      let draw = rng.normal(mean: cov.baselineMean, sd: cov.baselineSD)
      baseline = draw
      if cov.baselineRange.contains(draw) { break }
    }
    let clamped = min(max(baseline, cov.baselineRange.lowerBound), cov.baselineRange.upperBound)
    baseline = (clamped * 10).rounded() / 10
    let prior = rng.poisson(mean: cov.priorTreatmentsMean)
    let psych = rng.bernoulli(cov.psychProbability)
    let cardio = rng.bernoulli(cov.cardioProbability)
    let re = d.randomEffects
    let z1 = rng.normal()
    let z2 = rng.normal()
    let rho = re.interceptSlopeCorrelation
    let b0 = re.subjectInterceptSD * z1
    let b1 = re.subjectSlopeSD * (rho * z1 + (max(0, 1 - rho * rho)).squareRoot() * z2)

    let arms = ArmEffects(design: d, arm: arm)
    let e = d.effects
    let fixed =
      e.intercept + e.baselinePain * (baseline - cov.baselineMean)
      + e.priorTreatments * Double(prior) + (psych ? e.psychHistory : 0)
      + (cardio ? e.cardioRisk : 0) + arms.offset + b0 + siteEffects[site]
    let visits = d.schedule.visitDays.count
    var subject = SimulatedSubject(
      index: index, site: site, arm: a, route: route, baselinePain: baseline,
      priorTreatments: prior, psychHistory: psych, cardioRisk: cardio, randomIntercept: b0,
      randomSlope: b1, infusions: Array(repeating: 0, count: visits),
      doses: Array(repeating: 0, count: visits), pain: Array(repeating: .nan, count: visits),
      adverseEvents: Array(repeating: nil, count: visits),
      dropout: Array(repeating: false, count: visits))

    var given = [(day: Double, dose: Double)]()
    var infusionCount = 0
    var residual = 0.0
    var dropped = false
    var lastPain = baseline
    var lastAE = false
    let sigma = d.residual.sd
    let phi = d.residual.correlation
    for v in 0..<visits {
      let day = Double(d.schedule.visitDays[v])
      // Every draw is made whether or not it is used, so one subject's stream layout does
      // not depend on its own dropout history.
      let isInfusion = d.schedule.infusionVisits.contains(v)
      var dose = 0.0
      let doseDraw = rng.normal(mean: d.dosing.doseMean, sd: d.dosing.doseSD)
      if isInfusion && arm.hasKetamine {
        let range = d.dosing.doseRange
        dose = (min(max(doseDraw, range.lowerBound), range.upperBound) * 100).rounded() / 100
      }
      let z = rng.normal()
      let dropoutDraw = rng.uniform()
      let aeDraws = (0..<TrialDesign.adverseEventNames.count).map { _ in rng.uniform() }
      if v == 0 {
        subject.pain[0] = baseline
        subject.adverseEvents[0] = aeDraws.enumerated().map { k, u in
          u < d.adverseEvents[k].rate(arm: arm.label)
        }
        lastAE = subject.adverseEvents[0]?.contains(true) ?? false
        continue
      }
      residual =
        (v == 1 || d.residual.structure == .iid)
        ? sigma * z : phi * residual + sigma * (1 - phi * phi).squareRoot() * z
      let week = day / 7
      var infusionEffect = 0.0
      for past in given {
        infusionEffect +=
          arms.responsePerMgkg * past.dose * exp2(-(day - past.day) / e.halfLifeDays)
      }
      if isInfusion && !dropped {
        // The infusion given at this visit, if the subject is still in the study.
        infusionEffect += arms.responsePerMgkg * dose
      }
      let latent = fixed + (arms.slopePerWeek + b1) * week + infusionEffect + residual
      if !dropped {
        dropped = dropsOut(draw: dropoutDraw, lastPain: lastPain, latent: latent, lastAE: lastAE)
      }
      subject.dropout[v] = dropped
      if dropped {
        subject.infusions[v] = infusionCount
        continue
      }
      if isInfusion {
        infusionCount += 1
        given.append((day, dose))
      }
      subject.infusions[v] = infusionCount
      subject.doses[v] = dose
      let recorded = record(latent)
      subject.pain[v] = recorded
      let events = aeDraws.enumerated().map { k, u in
        u < min(1, d.adverseEvents[k].rate(arm: arm.label) + d.adverseEvents[k].perMgkg * dose)
      }
      subject.adverseEvents[v] = events
      lastPain = recorded
      lastAE = events.contains(true)
    }
    return subject
  }

  private func record(_ latent: Double) -> Double {
    var x = latent
    if design.recording.clamp { x = min(max(x, 0), 10) }
    if let step = design.recording.roundingStep { x = (x / step).rounded() * step }
    return x
  }

  private func dropsOut(draw: Double, lastPain: Double, latent: Double, lastAE: Bool) -> Bool {
    let model = design.dropout
    let aeShift = lastAE ? model.adverseEventLogOdds : 0
    let p: Double
    switch model.model {
    case .none: return false
    case .mcar: p = model.rate
    case .mar: p = Self.logistic(model.intercept + model.painSlope * (lastPain - 5) + aeShift)
    case .mnar:
      p = Self.logistic(model.intercept + model.painSlope * (record(latent) - 5) + aeShift)
    }
    return draw < p
  }

  static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

  static func categorical(_ probabilities: [Double], _ u: Double) -> Int {
    var total = 0.0
    for (i, p) in probabilities.enumerated() {
      total += p
      if u < total { return i }
    }
    return probabilities.lastIndex { $0 > 0 } ?? 0
  }
}
