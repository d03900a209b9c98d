import Reports
import Testing

@Suite("Nice axis scales")
struct NiceScaleTests {
  @Test(
    "ticks are round numbers covering the data",
    arguments: [
      // 9.4 / 4 intervals = 2.35 → the nice step 2.5.
      ([0.3, 9.7], [0.0, 2.5, 5, 7.5, 10], ["0.0", "2.5", "5.0", "7.5", "10.0"]),
      // 10 / 4 = 2.5 exactly; 7 / 4 = 1.75 → 2.
      ([1, 8], [0.0, 2, 4, 6, 8], ["0", "2", "4", "6", "8"]),
      ([-1.23, 0.5], [-1.5, -1, -0.5, 0, 0.5], ["-1.5", "-1.0", "-0.5", "0.0", "0.5"]),
      ([0, 1], [0, 0.25, 0.5, 0.75, 1], ["0.00", "0.25", "0.50", "0.75", "1.00"]),
      ([12, 988], [0, 250, 500, 750, 1000], ["0", "250", "500", "750", "1000"]),
      (
        [0.00012, 0.00049], [0.0001, 0.0002, 0.0003, 0.0004, 0.0005],
        ["0.0001", "0.0002", "0.0003", "0.0004", "0.0005"]
      ),
    ])
  func ticks(values: [Double], ticks: [Double], labels: [String]) {
    let scale = NiceScale(covering: values)
    #expect(scale.ticks.count == ticks.count)
    for (a, b) in zip(scale.ticks, ticks) { #expect(abs(a - b) < 1e-12) }
    #expect(scale.labels == labels)
    #expect(scale.lower <= values.min() ?? 0 && scale.upper >= values.max() ?? 0)
  }

  @Test("one value, no finite value, and zero included on request")
  func edges() {
    let single = NiceScale(covering: [5])
    #expect(single.lower < 5 && single.upper > 5)
    let none = NiceScale(covering: [Double.nan, .infinity])
    #expect(none.lower == 0 && none.upper == 1)
    let withZero = NiceScale(covering: [3, 7], includeZero: true)
    #expect(withZero.lower == 0 && withZero.upper >= 7)
    #expect(NiceScale(covering: [3, 7]).lower > 0)
  }

  @Test("positions map the ends of the domain to the ends of the range, y upwards")
  func positions() {
    let scale = NiceScale(covering: [0, 10])
    #expect(scale.position(of: scale.lower, from: 100, to: 20) == 100)
    #expect(scale.position(of: scale.upper, from: 100, to: 20) == 20)
    #expect(scale.position(of: 5, from: 0, to: 200) == 100)
  }

  @Test("fixed-point text: rounding half away from zero, no negative zero")
  func numbers() {
    #expect(SVGNumber.fixed(1234.5, decimals: 0) == "1235")
    #expect(SVGNumber.fixed(-1234.5, decimals: 0) == "-1235")
    #expect(SVGNumber.fixed(-0.001, decimals: 2) == "0.00")
    #expect(SVGNumber.fixed(0.05, decimals: 3) == "0.050")
    #expect(SVGNumber.fixed(-7, decimals: 1) == "-7.0")
    #expect(SVGNumber.coordinate(12.5) == "12.5")
    #expect(SVGNumber.coordinate(3.0001) == "3")
    #expect(SVGNumber.coordinate(-0.001) == "0")
  }
}
