import Foundation
import Reports
import TestSupport
import Testing

/// What a conforming parser should read back from a rendered document.
private func parsed(_ json: JSON) -> JSONValue {
  switch json {
  case .null: .null
  case .bool(let b): .bool(b)
  case .number(let x): x.isFinite ? .number(x) : .null
  case .integer(let i): .number(Double(i))
  case .string(let s): .string(s)
  case .array(let items): .array(items.map(parsed))
  case .object(let members):
    .object(Dictionary(members.map { ($0.0, parsed($0.1)) }, uniquingKeysWith: { a, _ in a }))
  }
}

private func parse(_ text: String) throws -> JSONValue {
  try JSONValue.parse(Data(text.utf8))
}

/// Random finite, non-zero doubles of many kinds: any bit pattern, integers, short decimals,
/// values near 1, subnormals, huge and tiny magnitudes, integers beyond 2⁵³.
private func randomDoubles(count: Int, seed: UInt64) -> [Double] {
  var generator = TestGenerator(state: seed)
  var values = [Double]()
  while values.count < count {
    let x: Double
    switch values.count % 7 {
    case 0: x = Double(bitPattern: generator.next())
    case 1: x = Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
    case 2: x = Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 1000
    case 3: x = Double.random(in: -10...10, using: &generator)
    case 4: x = Double(bitPattern: generator.next() >> 12)  // subnormal or zero
    case 5: x = Double(Int64.random(in: -(1 << 62)...(1 << 62), using: &generator))
    default:
      x =
        Double.random(in: 1...2, using: &generator)
        * pow(10, Double(Int.random(in: -300...300, using: &generator)))
    }
    if x.isFinite && x != 0 { values.append(x) }
  }
  return values
}

/// A string argument, shown escaped in test output.
struct DisplayedString: CustomTestStringConvertible, Sendable {
  let value: String
  init(_ value: String) { self.value = value }
  var testDescription: String { value.debugDescription }
}

/// The members of an object (empty otherwise).
private func members(of json: JSON) -> [(String, JSON)] {
  if case .object(let members) = json { return members }
  return []
}

/// A document with every kind of value, nested.
private let sample = JSON.object([
  ("name", .string("pain_trial")),
  ("converged", .bool(true)),
  ("singular", .bool(false)),
  ("warnings", .array([])),
  ("n", .integer(867)),
  ("theta", .numbers([1.2241315096155799, -0.085419065338664, 0.21450714387304])),
  ("sigma", .number(1.5)),
  ("missing", .null),
  ("empty", .object([])),
  (
    "fixef",
    .array([
      .object([("term", .string("(Intercept)")), ("estimate", .number(3.25)), ("se", .null)]),
      .object([("term", .string("week")), ("estimate", .number(-0.125)), ("se", .number(0.5))]),
    ])
  ),
  ("labels", .strings(["a", "b", "c"])),
  ("nested", .array([.array([.integer(1), .integer(2)]), .array([])])),
])

@Suite("JSON rendering")
struct JSONTests {
  @Test("a rendered document is valid JSON and parses back to the same values")
  func validJSON() throws {
    let text = sample.rendered
    #expect(try parse(text) == parsed(sample))
  }

  @Test("object keys are written in insertion order, not sorted")
  func keyOrder() throws {
    let keys = ["zeta", "alpha", "mu", "beta", "omega", "a"]
    let json = JSON.object(keys.enumerated().map { ($0.1, .integer($0.0)) })
    let text = json.rendered
    let positions = try keys.map { key in
      try #require(text.range(of: "\"\(key)\"")).lowerBound
    }
    #expect(positions == positions.sorted())
    #expect(try parse(text) == parsed(json))
  }

  @Test("objects compare key by key in order; NaN numbers equal each other")
  func equality() {
    let ab = JSON.object([("a", .integer(1)), ("b", .integer(2))])
    let ba = JSON.object([("b", .integer(2)), ("a", .integer(1))])
    #expect(ab != ba)
    #expect(ab == JSON.object([("a", .integer(1)), ("b", .integer(2))]))
    #expect(JSON.number(.nan) == JSON.number(.nan))
    #expect(JSON.number(1) != JSON.integer(1))
  }

  @Test(
    "strings with quotes, backslashes, control characters and non-ASCII survive a round trip",
    arguments: [
      "plain", "", "quote \" inside", "back\\slash", "\\\"", "line\nbreak", "cr\rlf\r\n",
      "tab\there", "bell\u{07} nul\u{00} esc\u{1B} us\u{1F}", "del \u{7F}",
      "é ü ß – ≥ σ² θ̂ 中文 😀 👩🏽‍⚕️", "\u{2028}\u{2029}", "a\"b\\c\nd\u{01}e",
    ].map(DisplayedString.init))
  func escapes(_ argument: DisplayedString) throws {
    let s = argument.value
    let json = JSON.object([(s, .string(s)), ("list", .strings([s, s]))])
    let text = json.rendered
    #expect(try parse(text) == parsed(json))
    // Raw control characters never appear inside the text (only the layout's newlines).
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for line in lines {
      #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "raw control character")
    }
    // Non-ASCII is written as itself, not as \u escapes.
    for scalar in s.unicodeScalars where scalar.value >= 0x80 {
      #expect(text.unicodeScalars.contains(scalar))
    }
  }

  @Test("control characters are written as \\uXXXX with four lower-case hex digits")
  func controlCharacterForm() {
    let text = JSON.string("\u{01}\u{1F}\u{0B}").rendered
    #expect(text == "\"\\u0001\\u001f\\u000b\"\n")
    #expect(JSON.string("\"\\\n\r\t").rendered == "\"\\\"\\\\\\n\\r\\t\"\n")
  }

  @Test("non-finite numbers are written as null")
  func nonFinite() throws {
    for x in [Double.nan, .infinity, -.infinity, -Double.nan, .signalingNaN] {
      #expect(JSON.format(x) == "null")
      #expect(JSON.number(x).rendered == "null\n")
    }
    let json = JSON.numbers([1, .nan, -.infinity, 2.5])
    #expect(try parse(json.rendered) == .array([.number(1), .null, .null, .number(2.5)]))
  }

  @Test("numbers round-trip bit for bit through the rendered text")
  func numberRoundTrip() throws {
    let values = randomDoubles(count: 5000, seed: 2026)
    let text = JSON.numbers(values).rendered
    let back = try parse(text).array.map { $0.double ?? .nan }
    #expect(back.count == values.count)
    let mismatches = zip(values, back).filter { $0.bitPattern != $1.bitPattern }
    #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    // Each number alone, through `format`, and as Swift itself parses it.
    for x in values.prefix(1000) {
      let formatted = JSON.format(x)
      #expect(Double(formatted)?.bitPattern == x.bitPattern, "\(x) → \(formatted)")
    }
  }

  @Test("integral doubles below 10¹⁵ are written without a fraction or exponent")
  func integralNumbers() {
    var generator = TestGenerator(state: 5)
    for _ in 0..<500 {
      let i = Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &generator)
      #expect(JSON.format(Double(i)) == String(i))
    }
    for i in [Int.min, -1, 0, 1, Int.max] { #expect(JSON.integer(i).rendered == "\(i)\n") }
  }

  @Test("rendering is byte-identical on repeat and for equal documents built separately")
  func deterministic() {
    let first = sample.rendered
    #expect(sample.rendered == first)
    let rebuilt = JSON.object(members(of: sample).map { ($0.0, $0.1) })
    #expect(rebuilt.rendered == first)
    let values = randomDoubles(count: 200, seed: 9)
    #expect(JSON.numbers(values).rendered == JSON.numbers(values).rendered)
  }

  @Test("layout: two-space indents, one member per line, scalar arrays inline, final newline")
  func layout() {
    let text = sample.rendered
    #expect(text.hasSuffix("}\n") && !text.hasSuffix("\n\n"))
    let lines = text.split(separator: "\n")
    #expect(lines.first == "{" && lines.last == "}")
    for line in lines {
      let indent = line.prefix { $0 == " " }.count
      #expect(indent % 2 == 0, "odd indentation: \(line)")
    }
    // Top-level members sit at indent 2, one per line.
    let topLevel = lines.filter { $0.hasPrefix("  \"") && !$0.hasPrefix("   ") }
    #expect(topLevel.count == members(of: sample).count)
    // Arrays of scalars stay on one line.
    #expect(lines.contains { $0.hasPrefix("  \"labels\": [") && $0.hasSuffix("],") })
    #expect(JSON.array([]).rendered == "[]\n")
    #expect(JSON.object([]).rendered == "{}\n")
  }

  @Test("rendering in pieces gives the bytes of renderedBytes, each piece near the chunk size")
  func chunked() {
    let document = JSON.object([
      ("head", sample), ("values", .numbers(randomDoubles(count: 3000, seed: 4))),
      ("rows", .array((0..<200).map { .object([("i", .integer($0)), ("x", .number(0.5))]) })),
    ])
    let whole = document.renderedBytes
    for chunk in [1, 64, 1000, 1 << 20] {
      var pieces = [[UInt8]]()
      document.render(chunkBytes: chunk) { pieces.append($0) }
      #expect(Array(pieces.joined()) == whole, "chunk \(chunk)")
      // Every piece but the last reached the chunk size; none is far beyond it (a piece is
      // passed on between elements, so it overshoots by at most one element).
      #expect(pieces.dropLast().allSatisfy { $0.count >= chunk && $0.count < chunk + 30_000 })
    }
    #expect(whole.count > 60_000)
  }

  @Test("an error thrown by the sink stops rendering and reaches the caller")
  func sinkError() {
    struct Stop: Error {}
    var calls = 0
    #expect(throws: Stop.self) {
      try JSON.numbers(randomDoubles(count: 5000, seed: 2)).render(chunkBytes: 100) { _ in
        calls += 1
        if calls == 3 { throw Stop() }
      }
    }
    #expect(calls == 3)
  }
}
