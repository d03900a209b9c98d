import Distributions
import Foundation
import Inference
import TestSupport
import Testing

/// The single-step multivariate t adjustment: emmeans' integer df and small families with
/// known answers.
@Suite("mvt adjustment")
struct SingleStepAdjustmentTests {
  @Test("emmeans' integer df for mvtnorm")
  func integerDegreesOfFreedom() {
    #expect(SingleStepAdjustment.degreesOfFreedom(9.74) == 9)
    #expect(SingleStepAdjustment.degreesOfFreedom(9.75) == 10)
    #expect(SingleStepAdjustment.degreesOfFreedom(0.3) == 1)
    #expect(SingleStepAdjustment.degreesOfFreedom(12_000) == .infinity)
  }

  @Test("one contrast in a family is not adjusted; two uncorrelated ones are Šidák's")
  func smallFamilies() throws {
    let single = SingleStepAdjustment.adjustedPValues(t: [2.2], df: [14.6], correlation: [[1]])
    #expect(single == [StudentT(df: 14.6).twoSidedPValue(t: 2.2)])
    // Independent normal statistics: P(max|Z| < z) = (1 − p)², exactly Šidák.
    let p = SingleStepAdjustment.adjustedPValues(
      t: [2.0, 1.0], df: [.infinity, .infinity], correlation: [[1, 0], [0, 1]])
    for (adjusted, z) in try zipExactly(p, [2.0, 1.0], "Šidák") {
      let unadjusted = Normal.twoSidedPValue(z: z)
      #expect(abs(adjusted - (1 - (1 - unadjusted) * (1 - unadjusted))) <= 2e-5)
    }
  }
}
