import Trials

/// A specification tree written as Swift literals, turned into `SpecNode`s with key paths
/// as the YAML reader makes them (tests of Trials cannot see Yams).
indirect enum Spec {
  /// A scalar.
  case s(String)
  /// A list.
  case l([Spec])
  /// A mapping, keys in order.
  case m([(String, Spec)])

  /// A number as a scalar.
  static func n(_ x: Double) -> Spec { .s(String(x)) }

  /// The tree as `SpecNode`s from `path` in source `design.yaml`.
  func node(path: String = "") -> SpecNode {
    switch self {
    case .s(let text):
      return SpecNode(.scalar(text), path: path, source: "design.yaml")
    case .l(let items):
      let nodes = items.enumerated().map { i, item in
        item.node(path: SpecNode.childPath(path, index: i))
      }
      return SpecNode(.sequence(nodes), path: path, source: "design.yaml")
    case .m(let entries):
      let nodes = entries.map { key, value in
        SpecNode.Entry(key: key, node: value.node(path: SpecNode.childPath(path, key: key)))
      }
      return SpecNode(.mapping(nodes), path: path, source: "design.yaml")
    }
  }

  /// This mapping with `key` set to `value` (added at the end when absent), or, with a
  /// dotted key, the nested mapping changed.
  func setting(_ key: String, to value: Spec?) -> Spec {
    guard case .m(var entries) = self else { return self }
    let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
    let index = entries.firstIndex { $0.0 == parts[0] }
    if parts.count == 2 {
      guard let index else { return self }
      entries[index].1 = entries[index].1.setting(parts[1], to: value)
      return .m(entries)
    }
    if let index {
      if let value { entries[index].1 = value } else { entries.remove(at: index) }
    } else if let value {
      entries.append((key, value))
    }
    return .m(entries)
  }
}

/// Designs shared by the Trials tests.
enum TestDesigns {
  /// A design in which the analysis model `pain ~ week * arm + baseline_pain +
  /// (1 + week | subject)` on visits ≥ 1 is correctly specified: no infusion response, no
  /// clamping or rounding, iid residuals, one site, MCAR dropout (ignorable).
  static func recovery(subjectsPerArm: Int = 20) -> Spec {
    .m([
      ("name", .s("recovery")),
      ("sites", .s("1")),
      (
        "arms",
        .l(
          ["placebo", "ketamine", "ketamine_memantine"].map {
            .m([("label", .s($0)), ("size", .s(String(subjectsPerArm)))])
          })
      ),
      (
        "schedule",
        .m([
          ("visit_days", .l([-7, 0, 7, 14, 21, 28, 35].map { .s(String($0)) })),
          ("infusion_visits", .l([.s("1"), .s("2"), .s("3")])),
        ])
      ),
      ("dosing", .m([("dose_mgkg", .m([("mean", .n(1)), ("sd", .n(0.2))]))])),
      (
        "covariates",
        .m([("baseline_pain", .m([("mean", .n(6.5)), ("sd", .n(1)), ("min", .n(3))]))])
      ),
      (
        "effects",
        .m([
          ("intercept", .n(6)),
          ("placebo_slope_per_week", .n(-0.1)),
          ("ketamine", .m([("slope_per_week", .n(-0.3)), ("infusion_response_per_mgkg", .n(0))])),
          (
            "adjuncts",
            .m([("memantine", .m([("offset", .n(-0.4)), ("slope_per_week", .n(-0.1))]))])
          ),
          ("covariates", .m([("baseline_pain", .n(0.6))])),
        ])
      ),
      (
        "random_effects",
        .m([
          ("subject_intercept_sd", .n(0.8)), ("subject_slope_sd", .n(0.2)),
          ("intercept_slope_correlation", .n(-0.3)),
        ])
      ),
      ("residual", .m([("sd", .n(0.7))])),
      ("recording", .m([("clamp", .s("false")), ("rounding", .s("none"))])),
      ("dropout", .m([("model", .s("mcar")), ("rate", .n(0.03))])),
    ])
  }

  /// A realistic five-arm design with every feature on (clamping, rounding, AR(1), MAR
  /// dropout, adverse events, several sites).
  static func fiveArm(subjectsPerArm: Int = 30) -> Spec {
    recovery(subjectsPerArm: subjectsPerArm)
      .setting(
        "arms",
        to: .l(
          [
            "placebo", "ketamine", "ketamine_memantine", "ketamine_amitriptyline",
            "ketamine_pregabalin",
          ].map { .m([("label", .s($0)), ("size", .s(String(subjectsPerArm)))]) })
      )
      .setting("sites", to: .s("3"))
      .setting("effects.ketamine", to: .m([("infusion_response_per_mgkg", .n(-1.2))]))
      .setting("random_effects.site_intercept_sd", to: .n(0.3))
      .setting(
        "residual", to: .m([("sd", .n(0.7)), ("structure", .s("ar1")), ("correlation", .n(0.4))])
      )
      .setting("recording", to: nil)
      .setting(
        "dropout",
        to: .m([("model", .s("mar")), ("intercept", .n(-3)), ("pain_slope", .n(0.4))])
      )
      .setting(
        "adverse_events",
        to: .m([("dissociation", .m([("rate", .n(0.02)), ("per_mgkg", .n(0.3))]))]))
  }
}
