import DataTable

/// Arm labels as therapies: which components an arm contains, indicator columns for a
/// factorial (ketamine × adjunct) model, and the default reference level.
///
/// An arm is `placebo` or one or more of `ketamine`, `memantine`, `amitriptyline`,
/// `pregabalin` joined by `_` (`ketamine_memantine`), each at most once.
///
/// Factorial coding: the columns `ketamine`, `memantine`, `amitriptyline` and `pregabalin`
/// are 1 when the arm contains that component and 0 otherwise (all 0 for placebo), so
/// `pain ~ week + ketamine * (memantine + amitriptyline + pregabalin) + (1 | subject)` gives
/// named main effects and `ketamine:memantine` synergy terms (the effect of the combination
/// beyond the sum of the two alone). Synergy is estimable only when the design has the adjunct
/// without ketamine (a `memantine` arm) as well as ketamine alone and the combination;
/// otherwise `ketamine:memantine` is aliased with `memantine` and the fit drops it with
/// lme4's rank-deficiency message.
public enum TherapyCoding {
  /// The components in indicator-column order: ketamine, then the adjuncts.
  public static let components = ["ketamine"] + TrialSchema.adjuncts

  /// The label of the arm with no active therapy.
  public static let placebo = "placebo"

  /// The components of an arm, or nil when the label is not a valid arm.
  /// - Parameter arm: An arm label such as `ketamine_memantine`.
  /// - Returns: The components (empty for `placebo`), or nil.
  public static func components(of arm: String) -> Set<String>? {
    if arm == placebo { return [] }
    let parts = arm.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    let set = Set(parts)
    guard set.count == parts.count, set.isSubset(of: components) else { return nil }
    return set
  }

  /// Whether an arm contains ketamine.
  /// - Parameter arm: An arm label.
  /// - Returns: `true` for `ketamine` and every `ketamine_…` combination.
  public static func containsKetamine(_ arm: String) -> Bool {
    components(of: arm)?.contains("ketamine") ?? false
  }

  /// The reference level for `arm` when the user names none: `placebo` if present, else
  /// `ketamine` (ketamine alone) if present, else nil (the first level in sorted order).
  /// - Parameter levels: The arm labels in the data.
  /// - Returns: The reference level, or nil.
  public static func defaultReference(among levels: [String]) -> String? {
    if levels.contains(placebo) { return placebo }
    if levels.contains("ketamine") { return "ketamine" }
    return nil
  }

  /// One 0/1 column per component (`ketamine`, `memantine`, `amitriptyline`, `pregabalin`)
  /// from the arm label of each row.
  /// - Parameter arms: Arm label per row (valid labels; an invalid or missing one gives
  ///   missing values in every indicator).
  /// - Returns: The indicator columns, in `components` order.
  public static func indicatorColumns(arms: [String?]) -> [Column] {
    // Each distinct label is parsed once.
    var cache: [String: Set<String>?] = [:]
    let parsed = arms.map { arm -> Set<String>? in
      guard let arm else { return nil }
      if let known = cache[arm] { return known }
      let set = components(of: arm)
      cache[arm] = .some(set)
      return set
    }
    return components.map { component in
      Column(
        name: component,
        numbers: parsed.map { set in set.map { $0.contains(component) ? 1 : 0 } ?? .nan })
    }
  }
}
