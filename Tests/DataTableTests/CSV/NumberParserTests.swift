import DataTable
import Foundation
import TestSupport
import Testing

/// Random finite doubles of several kinds: any bit pattern, values near 1, short decimals,
/// integers, tiny and huge magnitudes.
private func randomDoubles(count: Int, seed: UInt64) -> [Double] {
  var generator = TestGenerator(state: seed)
  var values: [Double] = []
  while values.count < count {
    let x: Double
    switch values.count % 6 {
    case 0: x = Double(bitPattern: generator.next())
    case 1: x = Double.random(in: -10...10, using: &generator)
    case 2: x = Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 100
    case 3: x = Double(Int64.random(in: -(1 << 60)...(1 << 60), using: &generator))
    case 4: x = Double.random(in: 0...1, using: &generator) * 1e-300
    default:
      x =
        Double.random(in: 1...2, using: &generator)
        * pow(10, Double(Int.random(in: -30...30, using: &generator)))
    }
    if x.isFinite { values.append(x) }
  }
  return values
}

/// Whether the parser's value for `text` is bit for bit `Double(text)`.
private func agrees(_ text: String) -> Bool {
  guard let expected = Double(text), let parsed = NumberParser.parse(text) else { return false }
  return parsed.bitPattern == expected.bitPattern
}

@Suite("Number parsing")
struct NumberParserTests {
  @Test("round-trips random doubles printed by Swift, %.17g and %.6f exactly")
  func randomRoundTrip() {
    var failures: [String] = []
    for x in randomDoubles(count: 20_000, seed: 20_261_124) {
      for text in ["\(x)", String(format: "%.17g", x), String(format: "%.6f", x)]
      where !agrees(text) {
        failures.append(text)
      }
    }
    #expect(failures.isEmpty, "first failures: \(failures.prefix(5))")
  }

  @Test("hard cases agree with the correctly rounded standard library")
  func hardCases() {
    let cases = [
      "0", "-0", "0.0", "1", "9007199254740992", "9007199254740993", "9007199254740994",
      "18446744073709551615", "18446744073709551616", "1e22", "1e23", "1e-22", "1e-23",
      "8.98846567431158e307", "1.7976931348623157e308", "2.2250738585072011e-308",
      "2.2250738585072014e-308", "4.9406564584124654e-324", "5e-324", "2.4703282292062327e-324",
      "0.1", "0.2", "0.3", "3.141592653589793238462643383279", "0.000000000000000000001",
      "1.00000000000000000000000000001", "123456789012345678901234567890e-10",
      "0.0000000000000000000000000000000000001e37", "7.038531e-26", "9.5e-5", "1448997445238699",
      "1234567890123456789", "12345678901234567890", "1e0022", "+.5e+1", "-00.0012",
      "43.75", "6.5", "100000000000000000000000", "0.1e-5",
    ]
    for text in cases { #expect(agrees(text), "\(text)") }
  }

  @Test("rejects what is not a number and reads infinities")
  func grammar() {
    for text in [
      "", "+", "-", ".", "-.", "e5", "1e", "1e+", "1.2.3", "--1", "1-", "0x10", " 1",
      "1 ", "nan", "NaN", "NA", "Infx", "in", "infinit", "infinityy", "1,5", "١",
    ] {
      #expect(NumberParser.parse(text) == nil, "\(text)")
    }
    #expect(NumberParser.parse("inf") == .infinity)
    #expect(NumberParser.parse("-Inf") == -.infinity)
    #expect(NumberParser.parse("+INFINITY") == .infinity)
    #expect(NumberParser.parse("1e400") == .infinity)
    #expect(NumberParser.parse("-1e-400")?.sign == .minus)
  }

  @Test("a CSV column of random decimals reads back exactly")
  func columnRoundTrip() throws {
    let values = randomDoubles(count: 6_000, seed: 7)
    let texts = values.enumerated().map { index, x in
      index % 2 == 0 ? "\(x)" : String(format: "%.17g", x)
    }
    let table = try Table.readCSV(text: "x\n" + texts.joined(separator: "\n"), source: "x.csv")
    let column = try table.column(named: "x")
    #expect(column.kind == .numeric)
    #expect(column.numbers.map(\.bitPattern) == texts.compactMap { Double($0)?.bitPattern })
  }
}
