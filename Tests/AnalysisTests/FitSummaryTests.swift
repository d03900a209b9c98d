import Analysis
import TestSupport
import Testing

/// The console summary against lme4's own `print(summary(fit))` of its fit at the true optimum
/// (the fixture's `tight` block), captured by `scripts/reference/lmer.R`: every line from the
/// criterion to the end of the fixed-effect correlations must read the same (trailing blanks
/// aside; a number may be one unit off in its last printed digit), so that numbers printed by
/// Trajectory agree with lme4's to the printed digit.
@Suite("summary as lme4 prints it")
struct FitSummaryTests {
  /// The lines of lme4's summary that carry numbers: from the line after `Data:` (and the
  /// `Control:` line lme4 prints when the fit was given a control argument, as the tight refit
  /// is) up to the messages lme4 appends after the fixed-effect correlations.
  static func comparable(_ lines: [String]) -> [String] {
    guard let data = lines.firstIndex(where: { $0.hasPrefix("   Data:") }) else { return [] }
    var body = Array(lines[(data + 1)...])
    // lme4 prints the call's Weights and Offset (as ours does), then its Control.
    if let control = body.prefix(3).firstIndex(where: { $0.hasPrefix("Control:") }) {
      body.remove(at: control)
    }
    if let end = body.firstIndex(where: {
      $0.hasPrefix("optimizer (") || $0.hasPrefix("boundary (singular)")
        || $0.hasPrefix("Rows:") || $0.hasPrefix("fit warnings:") || $0.hasPrefix("Model failed")
    }) {
      body = Array(body[..<end])
    }
    while body.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { body.removeLast() }
    return body.map { line in
      var l = line
      while l.hasSuffix(" ") { l.removeLast() }
      return l
    }
  }

  /// Whether two printed lines agree to the printed digit.
  ///
  /// Their layout must be identical and every number the same or one unit apart in its last
  /// printed digit (the two values straddle a rounding boundary, as
  /// lme4's 16.3406249999 and our 16.3406250001 print as 16.34062 and 16.34063).
  static func agree(_ ours: String, _ theirs: String) -> Bool {
    if ours == theirs { return true }
    guard ours.count == theirs.count else { return false }
    let a = ours.split(separator: " ", omittingEmptySubsequences: false)
    let b = theirs.split(separator: " ", omittingEmptySubsequences: false)
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where x != y {
      guard x.count == y.count, let u = Double(x), let v = Double(y) else { return false }
      let decimals = y.split(separator: ".").dropFirst().first?.count ?? 0
      var unit = 1.0
      for _ in 0..<decimals { unit /= 10 }
      if abs(u - v) > unit * 1.000001 { return false }
    }
    return true
  }

  @Test("summary lines equal lme4's printed summary", arguments: LmerFixtureTests.cases)
  func summaryMatchesLme4(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let outcome = try LmerFixtureTests.fit(fixture)
    let ours = Self.comparable(FitSummary.text(outcome).components(separatedBy: "\n"))
    let theirs = Self.comparable(try fixture.member("tight").texts("printed_summary"))
    try #require(!theirs.isEmpty, "\(name): no printed summary of the tight refit")
    #expect(ours.count == theirs.count, "line count \(ours.count) vs lme4 \(theirs.count)")
    for (i, (o, t)) in zip(ours, theirs).enumerated() where !Self.agree(o, t) {
      Issue.record("line \(i + 1):\n  lme4: \(t)\n  ours: \(o)")
    }
  }
}
