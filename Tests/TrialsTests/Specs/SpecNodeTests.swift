import Testing
import Trials

@Suite("Design files: every error names its key path")
struct SpecNodeTests {
  /// The error thrown when reading `spec` as a design.
  func error(_ spec: Spec) -> SpecError? {
    do {
      _ = try TrialDesign(spec: spec.node())
      return nil
    } catch let error as SpecError {
      return error
    } catch {
      Issue.record("unexpected error type: \(error)")
      return nil
    }
  }

  @Test("the recovery and five-arm test designs are valid")
  func validDesigns() throws {
    let design = try TrialDesign(spec: TestDesigns.recovery().node())
    #expect(design.subjectCount == 60)
    #expect(design.schedule.visitDays == [-7, 0, 7, 14, 21, 28, 35])
    #expect(design.recording.roundingStep == nil && !design.recording.clamp)
    let five = try TrialDesign(spec: TestDesigns.fiveArm().node())
    #expect(five.arms.count == 5 && five.residual.structure == .ar1)
    #expect(five.dropout.model == .mar)
  }

  @Test("an unknown key is rejected with a suggestion")
  func unknownKey() {
    let spec = TestDesigns.recovery().setting("dropout.rat", to: .n(0.1))
    let e = error(spec)
    #expect(e?.path == "dropout.rat")
    #expect(
      e?.description == "design.yaml: dropout: unknown key 'rat' (did you mean 'rate'?)")
  }

  @Test("an unknown top-level key is rejected")
  func unknownTopLevelKey() {
    let e = error(TestDesigns.recovery().setting("residuals", to: .n(1)))
    #expect(e?.description.contains("unknown key 'residuals' (did you mean 'residual'?)") == true)
  }

  @Test("a missing required key is named")
  func missingKey() {
    let e = error(TestDesigns.recovery().setting("arms", to: nil))
    #expect(e?.description == "design.yaml: missing required key 'arms'")
    let nested = error(TestDesigns.recovery().setting("residual.sd", to: nil))
    #expect(nested?.description == "design.yaml: residual: missing required key 'sd'")
  }

  @Test("a value of the wrong type names the element's path")
  func wrongType() {
    let arms = Spec.l([
      .m([("label", .s("placebo")), ("size", .s("10"))]),
      .m([("label", .s("ketamine")), ("size", .s("10"))]),
      .m([("label", .s("ketamine_memantine")), ("size", .s("ten"))]),
    ])
    let e = error(TestDesigns.recovery().setting("arms", to: arms))
    #expect(
      e?.description == "design.yaml: arms[2].size: expected a whole number ≥ 1, found \"ten\"")
  }

  // Found while writing the spec fuzz target (Tests/Fuzz): arm sizes near Int.max decoded, then
  // `subjectCount` (their sum) overflowed, a trap in `traj simulate`; a huge single arm or
  // site count asked the simulator for that much memory.
  @Test("arm sizes and site counts are bounded (no overflow, bounded memory)")
  func boundedSizes() {
    let huge = Spec.l([
      .m([("label", .s("placebo")), ("size", .s("4611686018427387904"))]),
      .m([("label", .s("ketamine")), ("size", .s("4611686018427387904"))]),
    ])
    let e = error(TestDesigns.recovery().setting("arms", to: huge))
    #expect(
      e?.description
        == "design.yaml: arms[0].size: the arms may have at most 10000000 subjects in all, "
        + "found \"4611686018427387904\"")
    let over = Spec.l([
      .m([("label", .s("placebo")), ("size", .s("6000000"))]),
      .m([("label", .s("ketamine")), ("size", .s("4000001"))]),
    ])
    #expect(error(TestDesigns.recovery().setting("arms", to: over))?.path == "arms[1].size")
    let sites = error(TestDesigns.recovery().setting("sites", to: .s("9223372036854775807")))
    #expect(sites?.path == "sites")
  }

  @Test("a negative SD is rejected")
  func negativeSD() {
    let e = error(TestDesigns.recovery().setting("residual.sd", to: .n(-1)))
    #expect(e?.description == "design.yaml: residual.sd: must be > 0, found \"-1.0\"")
    let re = error(TestDesigns.recovery().setting("random_effects.subject_slope_sd", to: .n(-0.2)))
    #expect(re?.path == "random_effects.subject_slope_sd")
  }

  @Test("a probability outside [0, 1] is rejected")
  func probability() {
    let e = error(TestDesigns.recovery().setting("dropout.rate", to: .n(1.5)))
    #expect(e?.path == "dropout.rate")
    #expect(e?.description.contains("must be a probability in [0, 1]") == true)
  }

  @Test("a dose outside 0–5 mg/kg, or outside the labelled range for ketamine, is rejected")
  func dose() {
    let e = error(TestDesigns.recovery().setting("dosing.dose_mgkg.mean", to: .n(7)))
    #expect(e?.path == "dosing.dose_mgkg.mean")
    #expect(e?.description.contains("must be a dose in [0, 5] mg/kg") == true)
    let labelled = error(TestDesigns.recovery().setting("dosing.dose_mgkg.mean", to: .n(2)))
    #expect(labelled?.description.contains("labelled range [0.5, 1.5]") == true)
  }

  @Test("correlations outside [−1, 1] and bad arm labels are rejected")
  func correlationAndLabels() {
    let e = error(
      TestDesigns.recovery().setting("random_effects.intercept_slope_correlation", to: .n(1.2)))
    #expect(e?.path == "random_effects.intercept_slope_correlation")
    let arms = Spec.l([.m([("label", .s("ketamine_aspirin")), ("size", .s("5"))])])
    let label = error(TestDesigns.recovery().setting("arms", to: arms))
    #expect(label?.path == "arms[0].label")
  }

  @Test("visit days must increase and infusion visits must be visits")
  func schedule() {
    let days = Spec.l([.s("0"), .s("7"), .s("7")])
    let e = error(TestDesigns.recovery().setting("schedule.visit_days", to: days))
    #expect(e?.path == "schedule.visit_days[2]")
    let infusions = Spec.l([.s("1"), .s("9")])
    let f = error(TestDesigns.recovery().setting("schedule.infusion_visits", to: infusions))
    #expect(f?.path == "schedule.infusion_visits[1]")
  }

  @Test("a key the chosen dropout model does not use is rejected")
  func unusedDropoutKey() {
    let e = error(TestDesigns.recovery().setting("dropout.intercept", to: .n(-3)))
    #expect(e?.path == "dropout.intercept")
    #expect(e?.description.contains("is not used with dropout model mcar") == true)
  }

  @Test("an enumerated value suggests the nearest choice")
  func enumeration() {
    let e = error(TestDesigns.recovery().setting("dropout.model", to: .s("mnr")))
    #expect(e?.description.contains("must be one of none, mcar, mar, mnar") == true)
  }

  @Test("source lines, when known, are part of the message")
  func lines() {
    let node = SpecNode(.scalar("x"), path: "a.b", source: "d.yaml", line: 12)
    #expect(throws: SpecError.self) { try node.double() }
    #expect(
      node.wrongType("a number").description == "d.yaml:12: a.b: expected a number, found \"x\"")
  }
}

@Suite("SpecNode readers")
struct SpecNodeReaderTests {
  func scalar(_ text: String) -> SpecNode { SpecNode(.scalar(text), path: "k", source: "s.yaml") }

  @Test("scalars read as numbers, whole numbers, booleans and choices")
  func scalars() throws {
    #expect(try scalar("2.5").double() == 2.5)
    #expect(try scalar("3").int(atLeast: 1) == 3)
    #expect(try scalar("3.0").int() == 3)
    #expect(throws: SpecError.self) { try scalar("3.5").int() }
    #expect(throws: SpecError.self) { try scalar("inf").double() }
    #expect(try scalar("yes").bool() && !(try scalar("false").bool()))
    #expect(throws: SpecError.self) { try scalar("maybe").bool() }
    #expect(try scalar("ar1").oneOf(["iid", "ar1"]) == "ar1")
    #expect(try scalar("0").probability() == 0 && scalar("1").probability() == 1)
  }

  @Test("mappings give required and optional values with defaults; sequences their items")
  func containers() throws {
    let node = Spec.m([("a", .s("1")), ("b", .l([.s("x"), .s("y")]))]).node(path: "root")
    let map = try node.mapping(allowing: ["a", "b", "c"])
    #expect(map.keys == ["a", "b"])
    #expect(try map.value("a") { try $0.double() } == 1)
    #expect(try map.value("c", default: 7) { try $0.double() } == 7)
    let items = try map.required("b").sequence(minimumCount: 2)
    #expect(items.map(\.path) == ["root.b[0]", "root.b[1]"])
    #expect(throws: SpecError.self) { try map.required("c") }
    #expect(throws: SpecError.self) { try node.mapping(allowing: ["a"]) }
    #expect(throws: SpecError.self) { try map.required("a").sequence() }
  }
}
