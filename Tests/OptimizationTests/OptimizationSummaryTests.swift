import Foundation
import Optimization
import Testing

private func summary(code: Int) -> OptimizationSummary {
  OptimizationSummary(
    algorithm: "NLOPT_LN_BOBYQA", start: [1, 0], x: [0.5, -0.25], f: 3.5, evaluations: 17,
    code: code)
}

@Suite("Optimization summary")
struct OptimizationSummaryTests {
  @Test("positive NLopt codes and round-off-limited (−4) count as succeeded; others do not")
  func succeeded() {
    for code in 1...6 { #expect(summary(code: code).succeeded, "code \(code)") }
    #expect(summary(code: -4).succeeded)
    for code in [-1, -2, -3, -5, 0] { #expect(!summary(code: code).succeeded, "code \(code)") }
  }

  @Test("every code has a message, and unknown codes are named by number")
  func messages() {
    let known = [1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5]
    let messages = known.map { summary(code: $0).message }
    #expect(Set(messages).count == known.count)
    #expect(messages.allSatisfy { !$0.hasPrefix("code ") })
    #expect(summary(code: 42).message == "code 42")
  }

  @Test("a summary survives a JSON round trip unchanged")
  func codable() throws {
    let original = summary(code: 4)
    let data = try JSONEncoder().encode(original)
    #expect(try JSONDecoder().decode(OptimizationSummary.self, from: data) == original)
  }
}
