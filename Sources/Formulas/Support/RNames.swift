/// R's `make.names(names, unique = TRUE)`: syntactic names, made distinct.
///
/// lme4's `VarCorr` passes its group names through this when a grouping factor appears in more
/// than one term, which is how `(Days || Subject)` prints as `Subject` and `Subject.1`, and
/// why `cask:batch` then becomes `cask.batch`.
/// - Parameter names: Names, possibly repeated or non-syntactic.
/// - Returns: Names of the same count, each syntactic and all distinct.
func makeNames(_ names: [String]) -> [String] {
  makeUnique(names.map(makeName))
}

/// R's `make.names` for one name (without `unique`).
private func makeName(_ name: String) -> String {
  var characters = Array(name)
  let first = characters.first
  let needsPrefix: Bool
  if let first {
    let startsWithDotDigit =
      first == "." && characters.count > 1 && characters[1].isASCII && characters[1].isNumber
    needsPrefix = !(first.isLetter || first == ".") || startsWithDotDigit
  } else {
    needsPrefix = true
  }
  if needsPrefix { characters.insert("X", at: 0) }
  let cleaned = String(
    characters.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" ? $0 : "." })
  return reservedWords.contains(cleaned) ? cleaned + "." : cleaned
}

/// R's `make.unique(names)`: later repeats get `.1`, `.2`, …, skipping names already taken.
/// - Parameter names: Names, possibly repeated.
/// - Returns: Distinct names; the first occurrence of each keeps its name.
func makeUnique(_ names: [String]) -> [String] {
  var taken = Set(names)
  var seen = Set<String>()
  var counters: [String: Int] = [:]
  var out: [String] = []
  for name in names {
    if seen.insert(name).inserted {
      out.append(name)
      continue
    }
    var count = counters[name] ?? 1
    var candidate = "\(name).\(count)"
    while taken.contains(candidate) {
      count += 1
      candidate = "\(name).\(count)"
    }
    counters[name] = count + 1
    taken.insert(candidate)
    out.append(candidate)
  }
  return out
}
