/// A simulated repeated-infusion pain trial, as plain values: who is randomised to what, when
/// they are seen and infused, and every parameter of the outcome, dropout and adverse-event
/// models.
///
/// Made from a design file by `TrialDesign(spec:)` (which validates every value) and consumed
/// by `TrialSimulator`. The YAML layout is documented in `datasets/README.md`
/// (section "Simulation designs").
///
/// The pain model, for post-baseline visit j (day d, week w = d/7) of subject i in arm a:
///
///     pain_ij = intercept + Σ_c β_c·(x_ic − centre_c)      covariates (baseline_pain centred)
///             + offset(a) + slope(a)·w                       arm effects
///             + Σ_{infusions k, day_k ≤ d} response(a)·dose_k·2^(−(d − day_k)/half_life)
///             + b0_i + b1_i·w + s_site + e_ij
///
/// with `slope(a)` = placebo slope + ketamine slope (if the arm has ketamine) + the adjuncts'
/// slopes, `offset(a)` = the adjuncts' offsets, `response(a)` = ketamine's per-mg/kg infusion
/// response + the adjuncts' synergies (ketamine arms only). `(b0, b1)` is bivariate normal,
/// `s` normal, `e` iid or AR(1) over a subject's post-baseline visits. Visit 0 is the
/// baseline: its pain is the subject's `baseline_pain`, drawn from the covariate model.
/// Clamping to [0, 10] and rounding to 0.1 (both optional) make the model only approximately
/// linear, so parameter recovery uses designs with `clamp: false, rounding: none`.
public struct TrialDesign: Sendable, Equatable {
  /// One randomised arm.
  public struct Arm: Sendable, Equatable {
    /// The label: `placebo`, or components joined by `_` (`ketamine_memantine`).
    public var label: String
    /// Number of subjects randomised to it.
    public var size: Int
    /// The label split into components (empty for placebo).
    public var components: [String] {
      label == "placebo" ? [] : label.split(separator: "_").map(String.init)
    }
    /// Whether the arm's infusions contain ketamine.
    public var hasKetamine: Bool { components.contains("ketamine") }
  }

  /// The visit and infusion schedule.
  public struct Schedule: Sendable, Equatable {
    /// Day of each visit (index = visit number; visit 0 is the baseline), strictly increasing.
    public var visitDays: [Int]
    /// Visit numbers at which an infusion is given (ketamine, or saline in arms without it).
    public var infusionVisits: [Int]
  }

  /// Distribution of the per-infusion ketamine dose and of the administration route.
  public struct Dosing: Sendable, Equatable {
    /// Mean dose per infusion, mg/kg.
    public var doseMean: Double
    /// SD of the dose per infusion, mg/kg (draws are clamped to `doseRange`, rounded to 0.01).
    public var doseSD: Double
    /// Allowed doses (within `TrialSchema.labelledDose`).
    public var doseRange: ClosedRange<Double>
    /// Route probabilities in `TrialSchema.routes` order; they sum to 1.
    public var routeProbabilities: [Double]
  }

  /// Distributions of the subject-level covariates.
  public struct Covariates: Sendable, Equatable {
    /// Mean of baseline pain (also its centre in the pain model).
    public var baselineMean: Double
    /// SD of baseline pain before truncation.
    public var baselineSD: Double
    /// Baseline pain is redrawn until inside this range (inclusion criterion), then rounded
    /// to 0.1.
    public var baselineRange: ClosedRange<Double>
    /// Mean of the Poisson number of prior failed treatments.
    public var priorTreatmentsMean: Double
    /// Probability of a psychiatric history.
    public var psychProbability: Double
    /// Probability of elevated cardiovascular risk.
    public var cardioProbability: Double
  }

  /// Effects of one adjunct therapy.
  public struct AdjunctEffect: Sendable, Equatable {
    /// Constant shift in pain while on the adjunct, NRS points.
    public var offset: Double
    /// Change in the weekly pain slope, NRS points per week.
    public var slopePerWeek: Double
    /// Extra infusion response per mg/kg when combined with ketamine (synergy).
    public var synergyPerMgkg: Double
  }

  /// Fixed effects of the pain model (see the type's documentation for the formula).
  public struct Effects: Sendable, Equatable {
    /// Mean post-baseline pain at week 0, placebo, covariates at their centres.
    public var intercept: Double
    /// Pain slope per week in the placebo arm.
    public var placeboSlopePerWeek: Double
    /// Extra slope per week in arms with ketamine.
    public var ketamineSlopePerWeek: Double
    /// Acute change in pain per mg/kg of a ketamine infusion.
    public var infusionResponsePerMgkg: Double
    /// Half-life of an infusion's effect, days.
    public var halfLifeDays: Double
    /// Adjunct effects, in `TrialSchema.adjuncts` order (zero for adjuncts not given).
    public var adjuncts: [AdjunctEffect]
    /// Effect per NRS point of baseline pain above `Covariates.baselineMean`.
    public var baselinePain: Double
    /// Effect per prior failed treatment.
    public var priorTreatments: Double
    /// Effect of a psychiatric history.
    public var psychHistory: Double
    /// Effect of elevated cardiovascular risk.
    public var cardioRisk: Double
  }

  /// Random-effect standard deviations and correlation (per-week slope scale).
  public struct RandomEffects: Sendable, Equatable {
    /// SD of the subject intercept.
    public var subjectInterceptSD: Double
    /// SD of the subject slope per week.
    public var subjectSlopeSD: Double
    /// Correlation of the subject intercept and slope.
    public var interceptSlopeCorrelation: Double
    /// SD of the site intercept.
    public var siteInterceptSD: Double
  }

  /// Within-subject residual structure.
  public enum ResidualStructure: String, Sendable, Equatable {
    /// Independent errors.
    case iid
    /// First-order autoregressive over consecutive post-baseline visits.
    case ar1
  }

  /// The residual model.
  public struct Residual: Sendable, Equatable {
    /// Residual SD.
    public var sd: Double
    /// iid or AR(1).
    public var structure: ResidualStructure
    /// Lag-1 correlation for AR(1) (0 for iid).
    public var correlation: Double
  }

  /// How observed pain is recorded.
  public struct Recording: Sendable, Equatable {
    /// Whether pain is clamped to the 0–10 scale.
    public var clamp: Bool
    /// Rounding step (0.1), or nil for none (then pain is written at full precision).
    public var roundingStep: Double?
  }

  /// The dropout mechanism.
  public enum DropoutModel: String, Sendable, Equatable {
    /// Nobody drops out.
    case none
    /// Constant hazard per visit (missing completely at random).
    case mcar
    /// Logistic hazard on the last observed pain (missing at random).
    case mar
    /// Logistic hazard on the current, unobserved pain (missing not at random).
    case mnar
  }

  /// The dropout model: the probability of leaving before each post-baseline visit.
  ///
  ///     mcar:  p = rate
  ///     mar:   logit p = intercept + painSlope·(last observed pain − 5) + aeLogOdds·[AE at last visit]
  ///     mnar:  logit p = intercept + painSlope·(current pain − 5)      + aeLogOdds·[AE at last visit]
  public struct Dropout: Sendable, Equatable {
    /// The mechanism.
    public var model: DropoutModel
    /// Hazard per visit for MCAR.
    public var rate: Double
    /// Logit-scale intercept for MAR/MNAR.
    public var intercept: Double
    /// Logit-scale effect per NRS point of pain above 5.
    public var painSlope: Double
    /// Added log-odds after a visit with any adverse event.
    public var adverseEventLogOdds: Double
  }

  /// The per-visit probability of one adverse event.
  ///
  ///     p = min(1, rate(arm) + perMgkg · dose of the infusion given at the visit)
  public struct AdverseEvent: Sendable, Equatable {
    /// Rate per visit without an infusion.
    public var rate: Double
    /// Per-arm rates replacing `rate`, keyed by arm label.
    public var armRates: [String: Double]
    /// Extra probability per mg/kg of ketamine infused at the visit.
    public var perMgkg: Double

    /// The per-visit rate in `arm` before the infusion term.
    ///
    /// - Parameter arm: Arm label.
    /// - Returns: The arm's rate, or the default.
    public func rate(arm: String) -> Double { armRates[arm] ?? rate }
  }

  /// Design name (for messages and the truth file).
  public var name: String
  /// Seed from the design file, if any (`traj simulate --seed` overrides it).
  public var seed: UInt64?
  /// Number of sites (`site1` …).
  public var siteCount: Int
  /// The arms, in file order.
  public var arms: [Arm]
  /// Visits and infusions.
  public var schedule: Schedule
  /// Doses and routes.
  public var dosing: Dosing
  /// Covariate distributions.
  public var covariates: Covariates
  /// Fixed effects.
  public var effects: Effects
  /// Random effects.
  public var randomEffects: RandomEffects
  /// Residual model.
  public var residual: Residual
  /// Clamping and rounding.
  public var recording: Recording
  /// Dropout.
  public var dropout: Dropout
  /// Adverse events: dissociation, nausea, dizziness (schema order).
  public var adverseEvents: [AdverseEvent]

  /// Total number of subjects.
  public var subjectCount: Int { arms.reduce(0) { $0 + $1.size } }

  /// The names of the adverse-event columns, in schema order.
  public static let adverseEventNames = ["dissociation", "nausea", "dizziness"]
}
