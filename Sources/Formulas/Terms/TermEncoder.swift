/// Expands formula operators into terms with the semantics of R's `terms.formula`
/// (`src/library/stats/src/model.c`: `EncodeVars` and its helpers).
///
/// A term is the sorted list of indices of its variables, numbered in order of first
/// appearance. `0` and `1` set a single intercept flag, flipped inside the right operand of
/// `-` (R's "parity"), so `- 1` removes the intercept and `a:(b + 0)` does too, exactly as in R.
/// Random-effects terms and covariance terms contribute nothing (lme4's `nobars`).
struct TermEncoder {
  /// Variable names in order of first appearance.
  private(set) var variables: [String] = []
  /// Whether the expansion keeps the intercept.
  private(set) var intercept = true
  private var indices: [String: Int] = [:]
  private var parity = true

  /// Registers `name` (if new) and returns its index.
  @discardableResult
  mutating func install(_ name: String) -> Int {
    if let index = indices[name] { return index }
    indices[name] = variables.count
    variables.append(name)
    return variables.count - 1
  }

  /// The terms of `expression`, in R's order: by order, then by first appearance.
  mutating func terms(of expression: Formula.Expression) -> [Term] {
    let encoded = encode(expression)
    // Swift's sort is not guaranteed stable; sort on (order, position) instead.
    let sorted = encoded.enumerated().sorted {
      ($0.element.count, $0.offset) < ($1.element.count, $1.offset)
    }
    return sorted.map { Term(variables: $0.element.map { variables[$0] }) }
  }

  private mutating func encode(_ expression: Formula.Expression) -> [[Int]] {
    switch expression {
    case .variable(let name, _):
      return [[install(name)]]
    case .number(let value, _):
      intercept = (value == 1) == parity
      return []
    case .parenthesized(let inner, _):
      return encode(inner)
    case .negation(let operand, _):
      return delete(encode: operand, from: [])
    case .call:
      // A residual covariance term adds no fixed-effect columns.
      return []
    case .binary(let op, let left, let right, _):
      switch op {
      case .plus:
        let l = encode(left)
        return trimmed(l + encode(right))
      case .minus:
        let l = encode(left)
        return delete(encode: right, from: l)
      case .times:
        let l = encode(left)
        let r = encode(right)
        return trimmed(l + r + products(l, r))
      case .colon:
        let l = encode(left)
        return trimmed(products(l, encode(right)))
      case .slash:
        let l = encode(left)
        let r = encode(right)
        let all = l.reduce([Int]()) { union($0, $1) }
        return trimmed(l + r.map { union(all, $0) })
      case .power:
        let l = encode(left)
        guard case .number(let k, _) = right else { return l }
        var result = l
        for _ in 1..<max(k, 1) { result = trimmed(products(l, result)) }
        return result
      case .bar, .doubleBar:
        return []
      }
    }
  }

  /// `left` without the terms of `right`, encoded with the intercept meaning flipped.
  private mutating func delete(encode right: Formula.Expression, from left: [[Int]]) -> [[Int]] {
    parity.toggle()
    let removed = encode(right)
    parity.toggle()
    return left.filter { !removed.contains($0) }
  }

  /// Every term of `left` joined with every term of `right` (left outer, right inner).
  private func products(_ left: [[Int]], _ right: [[Int]]) -> [[Int]] {
    var out: [[Int]] = []
    for l in left { for r in right { out.append(union(l, r)) } }
    return out
  }

  private func union(_ a: [Int], _ b: [Int]) -> [Int] { Array(Set(a).union(b)).sorted() }

  /// Drops repeats (keeping the first) and empty terms, like R's `TrimRepeats`.
  private func trimmed(_ terms: [[Int]]) -> [[Int]] {
    var seen = Set<[Int]>()
    return terms.filter { !$0.isEmpty && seen.insert($0).inserted }
  }
}
