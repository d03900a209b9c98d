/// One simulated subject: covariates, the realised random effects and one record per visit.
///
/// Made by `TrialSimulator`; rows after dropout keep `pain` = NaN, adverse events missing and
/// `dropout` true, as `TrialSchema` prescribes.
public struct SimulatedSubject: Sendable {
  /// 0-based subject index (the ID is `S` + index + 1, zero-padded).
  public var index: Int
  /// 0-based site index (`site1` is 0).
  public var site: Int
  /// Index into `TrialDesign.arms`.
  public var arm: Int
  /// Index into `TrialSchema.routes`.
  public var route: Int
  /// Baseline pain (0.1 steps).
  public var baselinePain: Double
  /// Number of prior failed treatments.
  public var priorTreatments: Int
  /// Psychiatric history.
  public var psychHistory: Bool
  /// Elevated cardiovascular risk.
  public var cardioRisk: Bool
  /// Realised subject random intercept.
  public var randomIntercept: Double
  /// Realised subject random slope per week.
  public var randomSlope: Double
  /// Infusions received so far, per visit.
  public var infusions: [Int]
  /// Ketamine dose given at each visit, mg/kg (0: none).
  public var doses: [Double]
  /// Recorded pain per visit (NaN: missing).
  public var pain: [Double]
  /// Adverse events per visit, `adverseEvents[visit][event]` (nil: not recorded).
  public var adverseEvents: [[Bool]?]
  /// Whether the subject had left the study by each visit.
  public var dropout: [Bool]
}

/// A simulated trial: the subjects in ID order and the realised site effects.
public struct SimulatedTrial: Sendable {
  /// Subjects, in ID order.
  public var subjects: [SimulatedSubject]
  /// Realised site intercepts, `site1` first.
  public var siteEffects: [Double]
  /// The CSV bytes in `TrialSchema` column order (header included).
  public var csv: [UInt8]

  /// Number of CSV data rows (subjects × visits).
  public var rowCount: Int { subjects.reduce(0) { $0 + $1.pain.count } }
}
