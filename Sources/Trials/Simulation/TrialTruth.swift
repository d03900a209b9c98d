import Reports

/// The truth behind a simulated trial: every parameter used, the coefficients of the intended
/// analysis model under Trajectory's (lme4's) term names, and realised summaries.
///
/// The analysis model is `pain ~ T * arm + covariates + (1 + T | subject)` (plus `(1 | site)`
/// when sites vary), fitted to the post-baseline visits (visit ≥ 1) with `arm` coded against
/// `placebo` (or the first label in byte order). With time `T` in units of `daysPerUnit` days
/// its coefficients are exactly the generating values when the design's mean is linear
/// (no infusion response or synergy), pain is neither clamped nor rounded and residuals are
/// iid; otherwise they describe the linear part only and `exact` is false.
public enum TrialTruth {
  /// One fixed-effect coefficient of the analysis model.
  public struct Coefficient: Sendable, Equatable {
    /// Term name as Trajectory and lme4 print it (`(Intercept)`, `week:armketamine`).
    public let term: String
    /// True value.
    public let value: Double
  }

  /// Covariates in the analysis model: those whose effect is non-zero, in schema order.
  ///
  /// - Parameter design: The design.
  /// - Returns: Column names.
  public static func modelCovariates(_ design: TrialDesign) -> [String] {
    let e = design.effects
    return [
      ("baseline_pain", e.baselinePain), ("prior_treatments", e.priorTreatments),
      ("psych_history", e.psychHistory), ("cardio_risk", e.cardioRisk),
    ].filter { $0.1 != 0 }.map(\.0)
  }

  /// The reference arm: `placebo` if present, else the first label in byte order.
  ///
  /// - Parameter design: The design.
  /// - Returns: The label.
  public static func referenceArm(_ design: TrialDesign) -> String {
    let labels = design.arms.map(\.label)
    return labels.contains("placebo") ? "placebo" : (labels.min() ?? "placebo")
  }

  /// The analysis formula with time variable `time`.
  ///
  /// - Parameters:
  ///   - design: The design.
  ///   - time: Name of the time variable (`week`, derived from `day` by `traj fit` on a trial
  ///     file; or `day`).
  /// - Returns: Formula text.
  public static func formula(_ design: TrialDesign, time: String = "week") -> String {
    let covariates = modelCovariates(design).map { " + \($0)" }.joined()
    let site = design.randomEffects.siteInterceptSD > 0 ? " + (1 | site)" : ""
    return "pain ~ \(time) * arm\(covariates) + (1 + \(time) | subject)\(site)"
  }

  /// True fixed-effect coefficients of `formula(design, time:)`.
  ///
  /// - Parameters:
  ///   - design: The design.
  ///   - time: Name of the time variable.
  ///   - daysPerUnit: Days per unit of the time variable (7 for `week`, 1 for `day`).
  /// - Returns: Coefficients in lme4's order.
  public static func fixedEffects(
    _ design: TrialDesign, time: String = "week", daysPerUnit: Double = 7
  ) -> [Coefficient] {
    let reference = referenceArm(design)
    let perUnit = daysPerUnit / 7
    let armEffects = Dictionary(
      design.arms.map { ($0.label, ArmEffects(design: design, arm: $0)) },
      uniquingKeysWith: { a, _ in a })
    guard let ref = armEffects[reference] else { return [] }
    let others = design.arms.map(\.label).filter { $0 != reference }.sorted()
    let e = design.effects
    var result = [
      Coefficient(
        term: "(Intercept)",
        value: e.intercept - e.baselinePain * design.covariates.baselineMean + ref.offset),
      Coefficient(term: time, value: ref.slopePerWeek * perUnit),
    ]
    for label in others {
      let arm = armEffects[label] ?? ref
      result.append(Coefficient(term: "arm\(label)", value: arm.offset - ref.offset))
    }
    let covariateValues = [
      "baseline_pain": e.baselinePain, "prior_treatments": e.priorTreatments,
      "psych_history": e.psychHistory, "cardio_risk": e.cardioRisk,
    ]
    for name in modelCovariates(design) {
      result.append(Coefficient(term: name, value: covariateValues[name] ?? 0))
    }
    for label in others {
      let arm = armEffects[label] ?? ref
      result.append(
        Coefficient(
          term: "\(time):arm\(label)", value: (arm.slopePerWeek - ref.slopePerWeek) * perUnit))
    }
    return result
  }

  /// Why the analysis model is only approximate for `design` (empty: it is exact).
  ///
  /// - Parameter design: The design.
  /// - Returns: One phrase per reason.
  public static func approximations(_ design: TrialDesign) -> [String] {
    var reasons = [String]()
    let ketamine = design.arms.contains { $0.hasKetamine }
    let synergy = design.effects.adjuncts.contains { $0.synergyPerMgkg != 0 }
    if ketamine && (design.effects.infusionResponsePerMgkg != 0 || synergy) {
      reasons.append("infusion responses wane between infusions (not linear in time)")
    }
    if design.recording.clamp { reasons.append("pain clamped to [0, 10]") }
    if design.recording.roundingStep != nil { reasons.append("pain rounded to 0.1") }
    if design.residual.structure == .ar1 { reasons.append("AR(1) residuals") }
    if design.dropout.model == .mnar { reasons.append("dropout not at random (MNAR)") }
    return reasons
  }

  /// The truth document written beside a simulated CSV.
  ///
  /// - Parameters:
  ///   - design: The design.
  ///   - seed: The seed used.
  ///   - trial: The simulated trial.
  /// - Returns: An ordered JSON document (byte-deterministic when rendered).
  public static func document(design: TrialDesign, seed: UInt64, trial: SimulatedTrial) -> JSON {
    let reasons = approximations(design)
    let re = design.randomEffects
    var varcorr: [JSON] = [
      .object([
        ("group", .string("subject")), ("term", .string("(Intercept)")),
        ("sd", .number(re.subjectInterceptSD)),
      ]),
      .object([
        ("group", .string("subject")), ("term", .string("week")),
        ("sd", .number(re.subjectSlopeSD)),
      ]),
      .object([
        ("group", .string("subject")), ("terms", .strings(["(Intercept)", "week"])),
        ("corr", .number(re.interceptSlopeCorrelation)),
      ]),
    ]
    if re.siteInterceptSD > 0 {
      varcorr.append(
        .object([
          ("group", .string("site")), ("term", .string("(Intercept)")),
          ("sd", .number(re.siteInterceptSD)),
        ]))
    }
    let model: JSON = .object([
      ("formula", .string(formula(design))),
      ("reference", .object([("arm", .string(referenceArm(design)))])),
      ("rows", .string("post-baseline visits (visit >= 1); visit 0 pain is baseline_pain")),
      ("exact", .bool(reasons.isEmpty)),
      ("approximations", .strings(reasons)),
      (
        "fixef",
        .array(
          fixedEffects(design).map {
            .object([("term", .string($0.term)), ("value", .number($0.value))])
          })
      ),
      ("varcorr", .array(varcorr)),
      ("sigma", .number(design.residual.sd)),
    ])
    let seedJSON: JSON = seed <= UInt64(Int.max) ? .integer(Int(seed)) : .string(String(seed))
    return .object([
      ("generator", .string("traj simulate")),
      ("design", .string(design.name)),
      ("seed", seedJSON),
      ("subjects", .integer(design.subjectCount)),
      ("rows", .integer(trial.rowCount)),
      ("parameters", TrialDesignJSON.parameters(design)),
      ("analysis_model", model),
      ("realised", TrialDesignJSON.realised(design: design, trial: trial)),
    ])
  }
}
