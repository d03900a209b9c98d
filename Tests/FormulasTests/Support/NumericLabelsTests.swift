import DataTable
import Testing

@testable import Formulas

@Suite("Numeric labels")
struct NumericLabelsTests {
  @Test("labels numbers as R's as.character")
  func asCharacter() {
    // as.character(c(308, 1.5, 1e5, 123456, 0.1, 1/3, 1e-20, -2.5, 1e15, 123456789012, 100,
    //                0.0001, 0.00012, 1e-5, 1234567.1, 2^60, 0.1 + 0.2, -0))
    let values: [Double] = [
      308, 1.5, 1e5, 123456, 0.1, 1.0 / 3, 1e-20, -2.5, 1e15, 123_456_789_012, 100, 0.0001,
      0.00012, 1e-5, 1234567.1, 1_152_921_504_606_846_976, 0.1 + 0.2, -0.0,
    ]
    #expect(
      values.map(rNumberLabel) == [
        "308", "1.5", "1e+05", "123456", "0.1", "0.333333333333333", "1e-20", "-2.5", "1e+15",
        "123456789012", "100", "1e-04", "0.00012", "1e-05", "1234567.1", "1152921504606846976",
        "0.3", "0",
      ])
  }

  @Test("a numeric column becomes a factor with levels in numeric order")
  func categoricalFromNumeric() {
    let column = Column(name: "id", numbers: [10, 9, .nan, 100, 1.5, 10])
    let view = categoricalView(ofNumeric: column)
    #expect(view.levels == ["1.5", "9", "10", "100"])
    #expect(view.codes == [2, 1, -1, 3, 0, 2])
  }
}
