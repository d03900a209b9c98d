import Analysis
import Inference
import MixedModels
import TestSupport
import Testing

@testable import TrajCLI

/// `traj fit`'s arguments, parsed in process: the choices are enums, and the request the
/// command builds carries the parsed formula, filter, weights and inference specifications.
@Suite("traj fit arguments, in process")
struct FitCommandParsingTests {
  @Test("choices parse into their enums; the defaults are the documented ones")
  func choices() throws {
    let plain = try FitCommand.parse(["d.csv", "--formula", "y ~ x + (1 | g)"])
    #expect(plain.df == nil && plain.adjust == .none && plain.weights == .equal)
    #expect(plain.vcov == .model)
    let chosen = try FitCommand.parse([
      "d.csv", "--formula", "y ~ x + (1 | g)", "--df", "kenward-roger-linear", "--adjust",
      "mvt", "--weights", "proportional", "--vcov", "empirical",
    ])
    #expect(chosen.df == .kenwardRogerLinear && chosen.adjust == .mvt)
    #expect(chosen.weights == .proportional && chosen.vcov == .empirical)
    for (option, value) in [("--df", "kr"), ("--adjust", "sidak"), ("--vcov", "robust")] {
      #expect(throws: (any Error).self, "\(option) \(value)") {
        try FitCommand.parse(["d.csv", "--formula", "y ~ x + (1 | g)", option, value])
      }
    }
  }

  @Test("the request carries the parsed formula, filter, references, weights and offset")
  func request() throws {
    let command = try FitCommand.parse([
      "d.csv", "--formula", "y ~ x * arm + (1 | g)", "--ref", "arm=placebo", "--factor", "g",
      "--where", "x >= 1", "--prior-weights", "w", "--offset", "o", "--ml",
    ])
    let request = try command.options.request(data: command.data, formula: command.formula)
    #expect(request.formula.text == "y ~ x * arm + (1 | g)")
    #expect(request.formula.fixedVariableNames == ["x", "arm"])
    #expect(request.filter?.text == "x >= 1")
    #expect(request.references == ["arm": "placebo"] && request.factors == ["g"])
    #expect(request.weights == "w" && request.offset == "o" && request.method == .ml)
  }

  @Test("a formula or filter that does not parse fails when the request is made")
  func parseErrors() throws {
    for (formula, filter) in [("y ~ (x | g", "x > 1"), ("y ~ x + (1 | g)", "x >")] {
      let command = try FitCommand.parse(["d.csv", "--formula", formula, "--where", filter])
      #expect(throws: (any Error).self, "\(formula) / \(filter)") {
        try command.options.request(data: command.data, formula: command.formula)
      }
    }
  }
}
