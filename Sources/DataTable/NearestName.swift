/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
///
/// Close enough: distance ≤ max(2, name.count / 3), or equal ignoring case.
/// - Parameters:
///   - name: The unknown name.
///   - candidates: Known names.
/// - Returns: The suggestion, or nil.
public func nearestName(to name: String, among candidates: [String]) -> String? {
  var best: (String, Int)?
  for candidate in candidates {
    if candidate.lowercased() == name.lowercased() { return candidate }
    let d = editDistance(Array(name.unicodeScalars), Array(candidate.unicodeScalars))
    if best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
  }
  guard let (candidate, distance) = best else { return nil }
  return distance <= max(2, name.count / 3) ? candidate : nil
}

/// Levenshtein distance between two scalar sequences.
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
