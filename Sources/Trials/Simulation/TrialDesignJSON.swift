import Reports

/// The design echoed as JSON (every parameter the simulator used, derived arm effects
/// included) and the realised summaries of a simulated trial, for `truth.json`.
enum TrialDesignJSON {
  /// Every parameter of `design`, keyed as in the design file.
  static func parameters(_ design: TrialDesign) -> JSON {
    let e = design.effects
    let arms: [JSON] = design.arms.map { arm in
      let effects = ArmEffects(design: design, arm: arm)
      return .object([
        ("label", .string(arm.label)), ("size", .integer(arm.size)),
        ("offset", .number(effects.offset)),
        ("slope_per_week", .number(effects.slopePerWeek)),
        ("infusion_response_per_mgkg", .number(effects.responsePerMgkg)),
      ])
    }
    let routes = zip(TrialSchema.routes, design.dosing.routeProbabilities).map {
      ($0, JSON.number($1))
    }
    let adjuncts = zip(TrialSchema.adjuncts, e.adjuncts).map { name, a in
      (
        name,
        JSON.object([
          ("offset", .number(a.offset)), ("slope_per_week", .number(a.slopePerWeek)),
          ("synergy_per_mgkg", .number(a.synergyPerMgkg)),
        ])
      )
    }
    let events = zip(TrialDesign.adverseEventNames, design.adverseEvents).map { name, ae in
      let byArm = design.arms.compactMap { arm in
        ae.armRates[arm.label].map { (arm.label, JSON.number($0)) }
      }
      return (
        name,
        JSON.object([
          ("rate", .number(ae.rate)), ("per_mgkg", .number(ae.perMgkg)),
          ("by_arm", .object(byArm)),
        ])
      )
    }
    let c = design.covariates
    let re = design.randomEffects
    let d = design.dropout
    return .object([
      ("sites", .integer(design.siteCount)),
      ("arms", .array(arms)),
      (
        "schedule",
        .object([
          ("visit_days", .array(design.schedule.visitDays.map { .integer($0) })),
          ("infusion_visits", .array(design.schedule.infusionVisits.map { .integer($0) })),
        ])
      ),
      (
        "dosing",
        .object([
          (
            "dose_mgkg",
            .object([
              ("mean", .number(design.dosing.doseMean)), ("sd", .number(design.dosing.doseSD)),
              ("min", .number(design.dosing.doseRange.lowerBound)),
              ("max", .number(design.dosing.doseRange.upperBound)),
            ])
          ),
          ("routes", .object(routes)),
        ])
      ),
      (
        "covariates",
        .object([
          (
            "baseline_pain",
            .object([
              ("mean", .number(c.baselineMean)), ("sd", .number(c.baselineSD)),
              ("min", .number(c.baselineRange.lowerBound)),
              ("max", .number(c.baselineRange.upperBound)),
            ])
          ),
          ("prior_treatments_mean", .number(c.priorTreatmentsMean)),
          ("psych_history", .number(c.psychProbability)),
          ("cardio_risk", .number(c.cardioProbability)),
        ])
      ),
      (
        "effects",
        .object([
          ("intercept", .number(e.intercept)),
          ("placebo_slope_per_week", .number(e.placeboSlopePerWeek)),
          (
            "ketamine",
            .object([
              ("slope_per_week", .number(e.ketamineSlopePerWeek)),
              ("infusion_response_per_mgkg", .number(e.infusionResponsePerMgkg)),
              ("half_life_days", .number(e.halfLifeDays)),
            ])
          ),
          ("adjuncts", .object(adjuncts)),
          (
            "covariates",
            .object([
              ("baseline_pain", .number(e.baselinePain)),
              ("prior_treatments", .number(e.priorTreatments)),
              ("psych_history", .number(e.psychHistory)),
              ("cardio_risk", .number(e.cardioRisk)),
            ])
          ),
        ])
      ),
      (
        "random_effects",
        .object([
          ("subject_intercept_sd", .number(re.subjectInterceptSD)),
          ("subject_slope_sd", .number(re.subjectSlopeSD)),
          ("intercept_slope_correlation", .number(re.interceptSlopeCorrelation)),
          ("site_intercept_sd", .number(re.siteInterceptSD)),
        ])
      ),
      (
        "residual",
        .object([
          ("sd", .number(design.residual.sd)),
          ("structure", .string(design.residual.structure.rawValue)),
          ("correlation", .number(design.residual.correlation)),
        ])
      ),
      (
        "recording",
        .object([
          ("clamp", .bool(design.recording.clamp)),
          ("rounding", design.recording.roundingStep.map { .number($0) } ?? .string("none")),
        ])
      ),
      (
        "dropout",
        .object([
          ("model", .string(d.model.rawValue)), ("rate", .number(d.rate)),
          ("intercept", .number(d.intercept)), ("pain_slope", .number(d.painSlope)),
          ("adverse_event_log_odds", .number(d.adverseEventLogOdds)),
        ])
      ),
      ("adverse_events", .object(events)),
    ])
  }

  /// Realised counts and random-effect summaries of `trial`.
  static func realised(design: TrialDesign, trial: SimulatedTrial) -> JSON {
    let subjects = trial.subjects
    let arms: [JSON] = design.arms.enumerated().map { a, arm in
      let members = subjects.filter { $0.arm == a }
      let dropped = members.filter { $0.dropout.last ?? false }.count
      return .object([
        ("label", .string(arm.label)), ("randomised", .integer(members.count)),
        ("dropped_out", .integer(dropped)), ("completed", .integer(members.count - dropped)),
      ])
    }
    let observed = subjects.reduce(0) { $0 + $1.pain.filter { !$0.isNaN }.count }
    return .object([
      ("arms", .array(arms)),
      ("observed_pain_rows", .integer(observed)),
      ("missing_pain_rows", .integer(trial.rowCount - observed)),
      ("site_effects", .numbers(trial.siteEffects)),
      ("subject_intercept_sd", .number(sampleSD(subjects.map(\.randomIntercept)))),
      ("subject_slope_sd_per_week", .number(sampleSD(subjects.map(\.randomSlope)))),
    ])
  }

  private static func sampleSD(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (ss / Double(values.count - 1)).squareRoot()
  }
}
