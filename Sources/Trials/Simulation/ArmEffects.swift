/// The pain-model effects of one arm, summed from its components (see `TrialDesign`).
///
///     offset        = Σ adjunct offsets
///     slopePerWeek  = placebo slope + ketamine slope·[ketamine] + Σ adjunct slopes
///     responsePerMgkg = (ketamine response + Σ adjunct synergies)·[ketamine]
public struct ArmEffects: Sendable, Equatable {
  /// Constant shift in pain, NRS points.
  public let offset: Double
  /// Pain slope per week.
  public let slopePerWeek: Double
  /// Acute infusion response per mg/kg (0 without ketamine).
  public let responsePerMgkg: Double

  /// The effects of `arm` under `design`.
  ///
  /// - Parameters:
  ///   - design: The design.
  ///   - arm: One of its arms.
  public init(design: TrialDesign, arm: TrialDesign.Arm) {
    let e = design.effects
    let components = arm.components
    var offset = 0.0
    var slope = e.placeboSlopePerWeek + (arm.hasKetamine ? e.ketamineSlopePerWeek : 0)
    var response = arm.hasKetamine ? e.infusionResponsePerMgkg : 0
    for (i, name) in TrialSchema.adjuncts.enumerated() where components.contains(name) {
      offset += e.adjuncts[i].offset
      slope += e.adjuncts[i].slopePerWeek
      if arm.hasKetamine { response += e.adjuncts[i].synergyPerMgkg }
    }
    self.offset = offset
    self.slopePerWeek = slope
    self.responsePerMgkg = response
  }
}
