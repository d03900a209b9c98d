import DataTable
import Testing

/// The labels of a categorical column, row by row (nil = missing).
private func labels(_ column: Column) -> [String?] {
  column.codes.map { $0 < 0 ? nil : column.levels[Int($0)] }
}

/// Doubles and the text R 4.2.2's `as.character()` gives for each.
private let rLabelCases: [(Double, String)] = [
  (308, "308"), (1.5, "1.5"), (0.1, "0.1"), (1e-10, "1e-10"), (100_000, "1e+05"),
  (123_456, "123456"), (1e-4, "1e-04"), (0.1 + 0.2, "0.3"), (1e15, "1e+15"),
  (123_456_789_012_345, "123456789012345"), (1.0 / 3, "0.333333333333333"),
  (2.0 / 3 * 1e5, "66666.6666666667"), (-2.5, "-2.5"), (1e100, "1e+100"),
  (1.5e-300, "1.5e-300"), (.infinity, "Inf"), (-.infinity, "-Inf"),
  (.leastNonzeroMagnitude, "4.94065645841247e-324"), (100_000.1, "100000.1"), (99_999, "99999"),
  (0.00012345, "0.00012345"), (1e22, "1e+22"), (1_234_567_890_123_456_768, "1234567890123456768"),
  (-0.0, "0"), (0, "0"), (-100_000, "-1e+05"),
]

@Suite("Numeric to categorical")
struct ColumnCategoricalTests {
  @Test("levels are distinct values in numeric order; missing stays missing")
  func numericOrder() {
    let column = Column(name: "site", numbers: [308, 12, .nan, 1000, 12, -3])
    let factor = Column.categorical(from: column)
    #expect(factor.name == "site")
    #expect(factor.kind == .categorical)
    #expect(factor.levels == ["-3", "12", "308", "1000"])
    #expect(factor.codes == [2, 1, -1, 3, 1, 0])
  }

  @Test("labels are R's as.character of the value", arguments: rLabelCases)
  func rLabels(value: Double, label: String) {
    #expect(Column.categorical(from: Column(name: "x", numbers: [value])).levels == [label])
  }

  @Test("values that print alike share one level, as in R")
  func mergedLabels() {
    let factor = Column.categorical(from: Column(name: "x", numbers: [0.3, 0.1 + 0.2, 0.2]))
    #expect(factor.levels == ["0.2", "0.3"])
    #expect(factor.codes == [1, 1, 0])
  }

  @Test("a categorical column is returned unchanged")
  func alreadyCategorical() {
    let column = Column(name: "arm", codes: [1, 0, -1], levels: ["a", "b"])
    let same = Column.categorical(from: column)
    #expect(same.levels == ["a", "b"])
    #expect(labels(same) == ["b", "a", nil])
  }
}
