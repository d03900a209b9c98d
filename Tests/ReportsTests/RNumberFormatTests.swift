import Foundation
import Reports
import TestSupport
import Testing

/// Random finite numbers on many scales, both signs, with some exact integers and zeros.
private func randomValues(count: Int, seed: UInt64) -> [Double] {
  var generator = TestGenerator(state: seed)
  return (0..<count).map { k in
    switch k % 5 {
    case 0: Double(Int.random(in: -5000...5000, using: &generator))
    case 1: Double(Int.random(in: -99_999...99_999, using: &generator)) / 1000
    case 2: k % 35 == 2 ? 0 : Double.random(in: -1...1, using: &generator)
    default:
      Double.random(in: -10...10, using: &generator)
        * pow(10, Double(Int.random(in: -8...8, using: &generator)))
    }
  }
}

/// `x` rounded to `digits` significant digits, by C's `%.*e`.
private func significant(_ x: Double, _ digits: Int) -> Double {
  Double(String(format: "%.\(digits - 1)e", x)) ?? .nan
}

/// `x` rounded to `decimals` decimals, by C's `%.*f`.
private func decimalRounded(_ x: Double, _ decimals: Int) -> Double {
  Double(String(format: "%.\(decimals)f", x)) ?? .nan
}

/// Digits after the decimal point of a fixed-notation string.
private func decimalCount(_ s: Substring) -> Int {
  guard let dot = s.firstIndex(of: ".") else { return 0 }
  return s.distance(from: s.index(after: dot), to: s.endIndex)
}

@Suite("R number formatting")
struct RNumberFormatTests {
  static let digitChoices = [1, 2, 3, 4, 5, 7]

  @Test(
    "format gives equal-width, right-aligned strings with one common number of decimals",
    arguments: digitChoices)
  func formatShape(digits: Int) {
    for trial in 0..<40 {
      let values = randomValues(count: 1 + trial % 9, seed: UInt64(digits * 1000 + trial))
      let minimumDecimals = trial % 4 == 0 ? 3 : 0
      let strings = RNumberFormat.format(values, digits: digits, minimumDecimals: minimumDecimals)
      #expect(strings.count == values.count)
      #expect(Set(strings.map(\.count)).count == 1, "\(strings)")
      let trimmed = strings.map { $0.drop { $0 == " " } }
      #expect(trimmed.allSatisfy { !$0.contains(" ") })
      let decimals = Set(trimmed.map(decimalCount))
      #expect(decimals.count == 1, "\(strings)")
      let common = decimals.first ?? -1
      #expect(common >= minimumDecimals)
      for (x, s) in zip(values, trimmed) {
        // Each element is x rounded to the common decimals, shown to ≥ `digits` digits.
        #expect(Double(s) == decimalRounded(x, common))
        #expect(common >= RNumberFormat.decimalsNeeded(x, digits: digits))
      }
      // No more decimals than some element (or nsmall) needs.
      if common > minimumDecimals {
        #expect(
          values.contains { decimalRounded($0, common - 1) != significant($0, digits) },
          "\(strings) has a superfluous decimal")
      }
    }
  }

  @Test("non-finite values print as R prints them and keep the common width")
  func formatNonFinite() {
    let strings = RNumberFormat.format([1.25, .nan, .infinity, -.infinity, -3.5], digits: 3)
    #expect(
      strings.map { $0.trimmingCharacters(in: .whitespaces) }[1...3] == ["NaN", "Inf", "-Inf"])
    #expect(Set(strings.map(\.count)).count == 1)
  }

  @Test("round(x, d) agrees with %.Nf for d ≥ 0 and is idempotent")
  func roundNonNegative() {
    for (k, x) in randomValues(count: 2000, seed: 1).enumerated() {
      let decimals = k % 9
      let rounded = RNumberFormat.round(x, decimals)
      #expect(rounded == decimalRounded(x, decimals), "round(\(x), \(decimals))")
      #expect(RNumberFormat.round(rounded, decimals) == rounded)
    }
  }

  @Test("round(x, −d) is a multiple of 10^d within half of it of x")
  func roundNegative() {
    for (k, x) in randomValues(count: 1000, seed: 2).enumerated() {
      let d = 1 + k % 3
      let scale = pow(10, Double(d))
      let rounded = RNumberFormat.round(x, -d)
      #expect((rounded / scale).rounded() == rounded / scale)
      #expect(abs(rounded - x) <= scale / 2 * (1 + 1e-12), "round(\(x), \(-d)) = \(rounded)")
    }
    #expect(RNumberFormat.round(.nan, 2).isNaN)
    #expect(RNumberFormat.round(.infinity, -2) == .infinity)
  }

  @Test(
    "decimalsNeeded: that many decimals show x to `digits` significant digits, one fewer does not",
    arguments: digitChoices)
  func decimalsNeeded(digits: Int) {
    for x in randomValues(count: 1500, seed: UInt64(10 + digits)) {
      let d = RNumberFormat.decimalsNeeded(x, digits: digits)
      #expect(d >= 0)
      let target = significant(x, digits)
      if d > 0 {
        #expect(decimalRounded(x, d) == target, "x = \(x), digits = \(digits), d = \(d)")
        #expect(decimalRounded(x, d - 1) != target, "x = \(x), digits = \(digits): d too large")
      } else {
        // No decimals needed: x to `digits` significant digits is a whole number.
        #expect(target == target.rounded(), "x = \(x), digits = \(digits)")
      }
    }
    #expect(RNumberFormat.decimalsNeeded(0, digits: digits) == 0)
    #expect(RNumberFormat.decimalsNeeded(.nan, digits: digits) == 0)
    #expect(RNumberFormat.decimalsNeeded(-.infinity, digits: digits) == 0)
  }

  @Test("fixed: exactly d decimals, the value rounded to d, and no negative zero")
  func fixed() {
    for (k, x) in randomValues(count: 1000, seed: 3).enumerated() {
      let d = k % 6
      let s = RNumberFormat.fixed(x, decimals: d)
      #expect(decimalCount(s[...]) == d)
      #expect(Double(s) == decimalRounded(x, d))
      if let value = Double(s), value == 0 { #expect(!s.hasPrefix("-"), "\(x) → \(s)") }
    }
    #expect(RNumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(RNumberFormat.fixed(-0.0, decimals: 0) == "0")
    #expect(RNumberFormat.fixed(.nan, decimals: 2) == "NaN")
    #expect(RNumberFormat.fixed(.infinity, decimals: 2) == "Inf")
    #expect(RNumberFormat.fixed(-.infinity, decimals: 2) == "-Inf")
  }

  @Test("abbreviate keeps short names, else gives a subsequence of the target length")
  func abbreviate() {
    let names = [
      "(Intercept)", "week:armactive", "baseline_pain", "Subject", "x", "Days", "AGEGROUP",
      "age:SexFemale", "aeiouAEIOU", "abcdefghijklmnop",
    ]
    for name in names {
      for length in 1...12 {
        let short = RNumberFormat.abbreviate(name, minimumLength: length)
        if name.count <= length {
          #expect(short == name)
          continue
        }
        #expect(short.count == length, "\(name) → \(short)")
        #expect(short.first == name.first, "\(name) → \(short)")
        #expect(isSubsequence(short, of: name), "\(name) → \(short)")
      }
    }
  }
}

private func isSubsequence(_ s: String, of t: String) -> Bool {
  var remaining = s[...]
  for c in t where remaining.first == c { remaining = remaining.dropFirst() }
  return remaining.isEmpty
}
