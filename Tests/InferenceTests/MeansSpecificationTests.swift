import Formulas
import Inference
import TestSupport
import Testing

/// `MeansSpecification` and `ContrastSpecification`: parsed when a request is made, checked
/// against the formula before any data is read.
@Suite("means and contrast specifications")
struct MeansSpecificationTests {
  @Test("specs and by variables, with emmeans' ~ and separators")
  func parsing() throws {
    let plain = try MeansSpecification(parsing: "arm")
    #expect(plain.specs == ["arm"] && plain.by.isEmpty && plain.text == "arm")
    let by = try MeansSpecification(parsing: "~ arm + dose | visit, site")
    #expect(by.specs == ["arm", "dose"] && by.by == ["visit", "site"])
    #expect("\(by)" == "~ arm + dose | visit, site")
    for bad in ["", "|", "arm |", " | visit"] {
      #expect(throws: InferenceError.self, "\(bad)") { try MeansSpecification(parsing: bad) }
    }
  }

  @Test("a variable the fixed effects do not have is an error before any data")
  func namesAgainstFormula() throws {
    let formula = try Formula("pain ~ week * arm + (1 | subject)")
    try MeansSpecification(parsing: "arm | week").check(against: formula)
    for name in ["armm", "subject"] {
      #expect(throws: InferenceError.unknownTerm(name: name)) {
        try MeansSpecification(parsing: name).check(against: formula)
      }
    }
  }

  @Test("contrast texts parse into methods; others are errors naming them")
  func contrasts() throws {
    #expect(try ContrastSpecification(parsing: "pairwise").method == .pairwise)
    #expect(
      try ContrastSpecification(parsing: "trt.vs.ctrl(placebo)").method
        == .treatmentVersusControl(control: "placebo"))
    #expect(
      try ContrastSpecification(parsing: "custom(1, -1, 0)").method
        == .custom(name: "custom", coefficients: [1, -1, 0]))
    #expect {
      try ContrastSpecification(parsing: "tukey")
    } throws: { "\($0)".contains("cannot read 'tukey'") }
  }
}
