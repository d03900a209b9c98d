import TestSupport
import Testing

@Suite("Tolerance")
struct ToleranceTests {
  static let tolerance = Tolerance(relative: 1e-6, absolute: 1e-9, reason: "test")

  @Test("accepts within max(absolute, relative·|expected|) and rejects beyond")
  func bounds() {
    #expect(Self.tolerance.accepts(1 + 0.9e-6, 1))
    #expect(!Self.tolerance.accepts(1 + 1.1e-6, 1))
    #expect(Self.tolerance.accepts(0.9e-9, 0))
    #expect(!Self.tolerance.accepts(1.1e-9, 0))
    #expect(Self.tolerance.accepts(.infinity, .infinity))
    #expect(!Self.tolerance.accepts(-.infinity, .infinity))
    #expect(!Self.tolerance.accepts(5, .infinity))
    #expect(!Self.tolerance.accepts(.infinity, 5))
  }

  @Test("NaN never agrees, not even with NaN")
  func nan() {
    #expect(!Self.tolerance.accepts(.nan, .nan))
    #expect(!Self.tolerance.accepts(.nan, 1))
    #expect(!Self.tolerance.accepts(1, .nan))
    #expect(!Tolerance(relative: .infinity, absolute: .infinity, reason: "any").accepts(.nan, 1))
  }
}
