import DataTable

/// Reading and validating a design from a specification tree (see `datasets/README.md`,
/// "Simulation designs", for the layout).
extension TrialDesign {
  /// The top-level keys of a design file.
  public static let topLevelKeys = [
    "name", "seed", "sites", "arms", "schedule", "dosing", "covariates", "effects",
    "random_effects", "residual", "recording", "dropout", "adverse_events",
  ]

  /// Builds and validates a design from its specification tree.
  ///
  /// Every key is checked (unknown keys are errors, with a suggestion), every value is typed
  /// and range-checked: SDs ≥ 0 (residual SD > 0), correlations in [−1, 1] (so the 2×2
  /// subject covariance is positive semidefinite), probabilities in [0, 1], doses in 0–5
  /// mg/kg and inside `TrialSchema.labelledDose` when any arm has ketamine, arm sizes ≥ 1,
  /// visit days strictly increasing, infusion visits a subset of the post-baseline visits,
  /// arm labels `placebo` or known components joined by `_`.
  ///
  /// - Parameter spec: The root node (a mapping).
  /// - Throws: `SpecError` naming the key path of the first problem.
  public init(spec: SpecNode) throws {
    let root = try spec.mapping(allowing: Self.topLevelKeys)
    name = try root.value("name", default: "design") { try $0.string() }
    seed = try root.value("seed", default: nil) { node -> UInt64? in
      guard case .scalar(let text) = node.value, let s = UInt64(text) else {
        throw node.wrongType("a whole number in 0…2⁶⁴−1")
      }
      return s
    }
    siteCount = try root.value("sites", default: 1) { node in
      let count = try node.int(atLeast: 1)
      guard count <= Self.maximumSubjects else {
        throw node.invalid("must be at most \(Self.maximumSubjects)")
      }
      return count
    }
    arms = try Self.readArms(root.required("arms"))
    schedule = try Self.readSchedule(root.required("schedule"))
    let anyKetamine = arms.contains { $0.hasKetamine }
    dosing = try Self.readDosing(root.optional("dosing"), ketamine: anyKetamine, parent: root)
    covariates = try Self.readCovariates(root.optional("covariates"))
    effects = try Self.readEffects(root.required("effects"))
    randomEffects = try Self.readRandomEffects(root.optional("random_effects"))
    residual = try Self.readResidual(root.required("residual"))
    recording = try Self.readRecording(root.optional("recording"))
    dropout = try Self.readDropout(root.optional("dropout"))
    adverseEvents = try Self.readAdverseEvents(root.optional("adverse_events"), arms: arms)
  }

  // MARK: - Sections

  private static func readArms(_ node: SpecNode) throws -> [Arm] {
    var arms = [Arm]()
    for item in try node.sequence(minimumCount: 1) {
      let map = try item.mapping(allowing: ["label", "size"])
      let labelNode = try map.required("label")
      let label = try labelNode.string()
      try validateArmLabel(label, node: labelNode)
      if arms.contains(where: { $0.label == label }) {
        throw labelNode.invalid("arm labels must be unique")
      }
      let sizeNode = try map.required("size")
      let size = try sizeNode.int(atLeast: 1)
      // Bounded so that the total cannot overflow and a simulation fits in memory.
      let total = arms.reduce(0) { $0 + $1.size } + min(size, maximumSubjects + 1)
      guard total <= maximumSubjects else {
        throw sizeNode.invalid("the arms may have at most \(maximumSubjects) subjects in all")
      }
      arms.append(Arm(label: label, size: size))
    }
    return arms
  }

  /// Largest number of subjects a design may simulate (all arms together).
  public static let maximumSubjects = 10_000_000

  private static func validateArmLabel(_ label: String, node: SpecNode) throws {
    if label == "placebo" { return }
    let known = ["ketamine"] + TrialSchema.adjuncts
    let parts = label.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    let reason =
      "must be 'placebo' or components from \(known.joined(separator: ", ")) joined by '_'"
    guard !parts.isEmpty, Set(parts).count == parts.count else { throw node.invalid(reason) }
    for part in parts where !known.contains(part) { throw node.invalid(reason) }
  }

  private static func readSchedule(_ node: SpecNode) throws -> Schedule {
    let map = try node.mapping(allowing: ["visit_days", "infusion_visits"])
    let daysNode = try map.required("visit_days")
    let days = try daysNode.sequence(minimumCount: 2).map { try $0.int() }
    for (i, day) in days.enumerated() where i > 0 && day <= days[i - 1] {
      throw try daysNode.sequence()[i].invalid("visit days must be strictly increasing")
    }
    for (i, day) in days.enumerated() where !(-365...3650).contains(day) {
      throw try daysNode.sequence()[i].invalid("must be a day in [-365, 3650]")
    }
    let infusionNode = try map.required("infusion_visits")
    var infusions = [Int]()
    for item in try infusionNode.sequence() {
      let visit = try item.int(atLeast: 1)
      guard visit < days.count else {
        throw item.invalid("must be a post-baseline visit number, 1…\(days.count - 1)")
      }
      guard infusions.last.map({ visit > $0 }) ?? true else {
        throw item.invalid("infusion visits must be strictly increasing")
      }
      infusions.append(visit)
    }
    return Schedule(visitDays: days, infusionVisits: infusions)
  }

  private static func readDosing(
    _ node: SpecNode?, ketamine: Bool, parent: SpecMapping
  ) throws -> Dosing {
    let labelled = TrialSchema.labelledDose
    var dosing = Dosing(
      doseMean: 1, doseSD: 0, doseRange: labelled,
      routeProbabilities: TrialSchema.routes.map { $0 == "IV" ? 1 : 0 })
    guard let node else {
      if ketamine {
        throw SpecError.missingKey(
          source: parent.node.source, line: parent.node.line, path: parent.node.path,
          key: "dosing")
      }
      return dosing
    }
    let map = try node.mapping(allowing: ["dose_mgkg", "routes"])
    let doseMap = try map.required("dose_mgkg").mapping(allowing: ["mean", "sd", "min", "max"])
    func dose(_ key: String, _ fallback: Double) throws -> Double {
      try doseMap.value(key, default: fallback) { node in
        let x = try node.double()
        guard (0...5).contains(x) else { throw node.invalid("must be a dose in [0, 5] mg/kg") }
        if ketamine && !labelled.contains(x) {
          throw node.invalid("ketamine doses must lie in the labelled range [0.5, 1.5] mg/kg")
        }
        return x
      }
    }
    dosing.doseMean = try dose("mean", .nan)
    dosing.doseSD = try doseMap.value("sd", default: 0) { try $0.double(atLeast: 0) }
    let low = try dose("min", labelled.lowerBound)
    let high = try dose("max", labelled.upperBound)
    guard low <= dosing.doseMean && dosing.doseMean <= high else {
      throw try doseMap.required("mean").invalid("must lie between min and max")
    }
    dosing.doseRange = low...high
    if let routesNode = map.optional("routes") {
      let routes = try routesNode.mapping(allowing: TrialSchema.routes)
      var probabilities = [Double](repeating: 0, count: TrialSchema.routes.count)
      for (i, route) in TrialSchema.routes.enumerated() {
        probabilities[i] = try routes.value(route, default: 0) { try $0.probability() }
      }
      let total = probabilities.reduce(0, +)
      guard abs(total - 1) < 1e-9 else {
        throw routesNode.invalid("route probabilities must sum to 1 (they sum to \(total))")
      }
      dosing.routeProbabilities = probabilities
    }
    return dosing
  }

  private static func readCovariates(_ node: SpecNode?) throws -> Covariates {
    var result = Covariates(
      baselineMean: 6.5, baselineSD: 1, baselineRange: 4...10, priorTreatmentsMean: 2,
      psychProbability: 0.3, cardioProbability: 0.2)
    guard let node else { return result }
    let map = try node.mapping(allowing: [
      "baseline_pain", "prior_treatments_mean", "psych_history", "cardio_risk",
    ])
    if let baseNode = map.optional("baseline_pain") {
      let base = try baseNode.mapping(allowing: ["mean", "sd", "min", "max"])
      let scale: ClosedRange<Double> = 0...10
      result.baselineMean = try base.value("mean") { try $0.double(in: scale) }
      result.baselineSD = try base.value("sd", default: 1) { try $0.double(atLeast: 0) }
      let low = try base.value("min", default: 0) { try $0.double(in: scale) }
      let high = try base.value("max", default: 10) { try $0.double(in: scale) }
      guard low <= result.baselineMean && result.baselineMean <= high else {
        throw try base.required("mean").invalid("must lie between min and max")
      }
      result.baselineRange = low...high
    }
    result.priorTreatmentsMean = try map.value("prior_treatments_mean", default: 2) {
      try $0.double(in: 0...50)
    }
    result.psychProbability = try map.value("psych_history", default: 0.3) {
      try $0.probability()
    }
    result.cardioProbability = try map.value("cardio_risk", default: 0.2) {
      try $0.probability()
    }
    return result
  }

  private static func readEffects(_ node: SpecNode) throws -> Effects {
    let map = try node.mapping(allowing: [
      "intercept", "placebo_slope_per_week", "ketamine", "adjuncts", "covariates",
    ])
    let zero = AdjunctEffect(offset: 0, slopePerWeek: 0, synergyPerMgkg: 0)
    var effects = Effects(
      intercept: try map.value("intercept") { try $0.double() },
      placeboSlopePerWeek: try map.value("placebo_slope_per_week", default: 0) {
        try $0.double()
      },
      ketamineSlopePerWeek: 0, infusionResponsePerMgkg: 0, halfLifeDays: 7,
      adjuncts: Array(repeating: zero, count: TrialSchema.adjuncts.count), baselinePain: 0,
      priorTreatments: 0, psychHistory: 0, cardioRisk: 0)
    if let ketNode = map.optional("ketamine") {
      let ket = try ketNode.mapping(allowing: [
        "slope_per_week", "infusion_response_per_mgkg", "half_life_days",
      ])
      effects.ketamineSlopePerWeek = try ket.value("slope_per_week", default: 0) {
        try $0.double()
      }
      effects.infusionResponsePerMgkg = try ket.value("infusion_response_per_mgkg", default: 0) {
        try $0.double()
      }
      effects.halfLifeDays = try ket.value("half_life_days", default: 7) {
        try $0.double(atLeast: 0, strictly: true)
      }
    }
    if let adjNode = map.optional("adjuncts") {
      let adj = try adjNode.mapping(allowing: TrialSchema.adjuncts)
      for (i, name) in TrialSchema.adjuncts.enumerated() {
        guard let one = adj.optional(name) else { continue }
        let m = try one.mapping(allowing: ["offset", "slope_per_week", "synergy_per_mgkg"])
        effects.adjuncts[i] = AdjunctEffect(
          offset: try m.value("offset", default: 0) { try $0.double() },
          slopePerWeek: try m.value("slope_per_week", default: 0) { try $0.double() },
          synergyPerMgkg: try m.value("synergy_per_mgkg", default: 0) { try $0.double() })
      }
    }
    if let covNode = map.optional("covariates") {
      let cov = try covNode.mapping(allowing: [
        "baseline_pain", "prior_treatments", "psych_history", "cardio_risk",
      ])
      effects.baselinePain = try cov.value("baseline_pain", default: 0) { try $0.double() }
      effects.priorTreatments = try cov.value("prior_treatments", default: 0) { try $0.double() }
      effects.psychHistory = try cov.value("psych_history", default: 0) { try $0.double() }
      effects.cardioRisk = try cov.value("cardio_risk", default: 0) { try $0.double() }
    }
    return effects
  }

  private static func readRandomEffects(_ node: SpecNode?) throws -> RandomEffects {
    var result = RandomEffects(
      subjectInterceptSD: 0, subjectSlopeSD: 0, interceptSlopeCorrelation: 0, siteInterceptSD: 0)
    guard let node else { return result }
    let map = try node.mapping(allowing: [
      "subject_intercept_sd", "subject_slope_sd", "intercept_slope_correlation",
      "site_intercept_sd",
    ])
    let sd: (SpecNode) throws -> Double = { try $0.double(atLeast: 0) }
    result.subjectInterceptSD = try map.value("subject_intercept_sd", default: 0, sd)
    result.subjectSlopeSD = try map.value("subject_slope_sd", default: 0, sd)
    // With |ρ| ≤ 1 the 2×2 covariance [σ0², ρσ0σ1; ρσ0σ1, σ1²] is positive semidefinite.
    result.interceptSlopeCorrelation = try map.value("intercept_slope_correlation", default: 0) {
      try $0.double(in: -1...1)
    }
    result.siteInterceptSD = try map.value("site_intercept_sd", default: 0, sd)
    return result
  }

  private static func readResidual(_ node: SpecNode) throws -> Residual {
    let map = try node.mapping(allowing: ["sd", "structure", "correlation"])
    let sd = try map.value("sd") { try $0.double(atLeast: 0, strictly: true) }
    let structure = try map.value("structure", default: ResidualStructure.iid) {
      ResidualStructure(rawValue: try $0.oneOf(["iid", "ar1"])) ?? .iid
    }
    var correlation = 0.0
    if let corrNode = map.optional("correlation") {
      guard structure == .ar1 else { throw corrNode.invalid("is only allowed with structure ar1") }
      correlation = try corrNode.double(in: -0.999...0.999)
    } else if structure == .ar1 {
      throw SpecError.missingKey(
        source: node.source, line: node.line, path: node.path, key: "correlation")
    }
    return Residual(sd: sd, structure: structure, correlation: correlation)
  }

  private static func readRecording(_ node: SpecNode?) throws -> Recording {
    guard let node else { return Recording(clamp: true, roundingStep: 0.1) }
    let map = try node.mapping(allowing: ["clamp", "rounding"])
    let clamp = try map.value("clamp", default: true) { try $0.bool() }
    let rounding = try map.value("rounding", default: "0.1") { try $0.oneOf(["0.1", "none"]) }
    return Recording(clamp: clamp, roundingStep: rounding == "none" ? nil : 0.1)
  }

  private static func readDropout(_ node: SpecNode?) throws -> Dropout {
    var result = Dropout(
      model: .none, rate: 0, intercept: 0, painSlope: 0, adverseEventLogOdds: 0)
    guard let node else { return result }
    let map = try node.mapping(allowing: [
      "model", "rate", "intercept", "pain_slope", "adverse_event_log_odds",
    ])
    result.model = try map.value("model") {
      DropoutModel(rawValue: try $0.oneOf(["none", "mcar", "mar", "mnar"])) ?? .none
    }
    switch result.model {
    case .none: break
    case .mcar: result.rate = try map.value("rate") { try $0.probability() }
    case .mar, .mnar:
      result.intercept = try map.value("intercept") { try $0.double() }
      result.painSlope = try map.value("pain_slope", default: 0) { try $0.double() }
    }
    // A key the chosen model does not use is an error, not silently ignored.
    let used: [DropoutModel: [String]] = [
      .none: ["model"], .mcar: ["model", "rate", "adverse_event_log_odds"],
      .mar: ["model", "intercept", "pain_slope", "adverse_event_log_odds"],
      .mnar: ["model", "intercept", "pain_slope", "adverse_event_log_odds"],
    ]
    for entry in map.entries where !(used[result.model] ?? []).contains(entry.key) {
      throw entry.node.invalid("is not used with dropout model \(result.model.rawValue)")
    }
    result.adverseEventLogOdds = try map.value("adverse_event_log_odds", default: 0) {
      try $0.double()
    }
    return result
  }

  private static func readAdverseEvents(_ node: SpecNode?, arms: [Arm]) throws -> [AdverseEvent] {
    let none = AdverseEvent(rate: 0, armRates: [:], perMgkg: 0)
    var result = Array(repeating: none, count: adverseEventNames.count)
    guard let node else { return result }
    let map = try node.mapping(allowing: adverseEventNames)
    for (i, name) in adverseEventNames.enumerated() {
      guard let one = map.optional(name) else { continue }
      let m = try one.mapping(allowing: ["rate", "per_mgkg", "by_arm"])
      result[i].rate = try m.value("rate", default: 0) { try $0.probability() }
      result[i].perMgkg = try m.value("per_mgkg", default: 0) { try $0.double(in: 0...1) }
      if let byArm = m.optional("by_arm") {
        let arms = try byArm.mapping(allowing: arms.map(\.label))
        for entry in arms.entries { result[i].armRates[entry.key] = try entry.node.probability() }
      }
    }
    return result
  }
}
