/// Orders labels as a reader expects: runs of ASCII digits compare as numbers, so `site2`
/// comes before `site10` (plain string order puts `site10` first, as R's factor levels do).
///
/// Other runs compare by Unicode scalar values; labels equal under this rule (`site01`,
/// `site1`) fall back to plain string order, so the order is total and deterministic.
enum NaturalOrder {
  /// Whether `a` comes before `b`.
  static func precedes(_ a: String, _ b: String) -> Bool {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    var i = 0
    var j = 0
    while i < x.count && j < y.count {
      if isDigit(x[i]) && isDigit(y[j]) {
        let startI = i
        let startJ = j
        while i < x.count && isDigit(x[i]) { i += 1 }
        while j < y.count && isDigit(y[j]) { j += 1 }
        let runX = trimmedZeros(x[startI..<i])
        let runY = trimmedZeros(y[startJ..<j])
        // Longer run without leading zeros is the larger number; equal lengths compare digit
        // by digit (no integer conversion, so any number of digits works).
        if runX.count != runY.count { return runX.count < runY.count }
        for (dx, dy) in zip(runX, runY) where dx != dy { return dx.value < dy.value }
      } else {
        if x[i] != y[j] { return x[i].value < y[j].value }
        i += 1
        j += 1
      }
    }
    // One label is used up: it comes first, unless both are (equal under this rule).
    if i == x.count && j == y.count { return a < b }
    return i == x.count
  }

  private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }

  private static func trimmedZeros(_ run: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar>
  {
    var run = run
    while run.count > 1, run.first == "0" { run = run.dropFirst() }
    return run
  }
}
