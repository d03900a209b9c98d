import LinearAlgebra
import MixedModels
import TestSupport
import Testing

/// Small simulated designs covering the factorisation's code paths: one grouping factor with
/// q = 1, 2, 3 (the fused single-factor kernel), crossed factors and a slope term with a
/// nested factor (the generic blocked path), and unequal group sizes.
enum SimulatedDesign: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case randomIntercept
  case unbalancedIntercept
  case randomSlope
  case quadraticSlope
  case crossed
  case slopeAndSite

  var testDescription: String { rawValue }

  /// A θ of the right length, away from the boundary, with non-zero correlations.
  var theta: [Double] {
    switch self {
    case .randomIntercept, .unbalancedIntercept: [0.8]
    case .randomSlope: [0.9, -0.25, 0.35]
    case .quadraticSlope: [0.7, 0.2, -0.1, 0.5, 0.15, 0.3]
    case .crossed: [0.7, 1.3]
    case .slopeAndSite: [0.9, -0.25, 0.35, 0.6]
    }
  }

  /// A second θ, on the boundary (a zero template diagonal), for the singular case.
  var boundaryTheta: [Double] {
    var t = theta
    t[t.count - 1] = 0
    return t
  }

  var model: LinearMixedModel {
    var generator = TestGenerator(
      seed: 0x5EED_0000 + UInt64(Self.allCases.firstIndex(of: self) ?? 0))
    switch self {
    case .randomIntercept:
      return longitudinalModel(subjects: 12, perSubject: 5, q: 1, using: &generator)
    case .unbalancedIntercept:
      return longitudinalModel(
        subjects: 14, perSubject: 0, q: 1, sizes: { 1 + ($0 * 7) % 9 }, using: &generator)
    case .randomSlope:
      return longitudinalModel(subjects: 12, perSubject: 5, q: 2, using: &generator)
    case .quadraticSlope:
      return longitudinalModel(subjects: 12, perSubject: 6, q: 3, using: &generator)
    case .crossed:
      return crossedModel(using: &generator)
    case .slopeAndSite:
      return longitudinalModel(subjects: 12, perSubject: 5, q: 2, sites: 3, using: &generator)
    }
  }
}

/// y = 10 + 0.5 x − g + Σ(random effects) + ε for `subjects` subjects, with time x = 0, 1, …
/// plus jitter, a between-subject binary covariate g, random effects on (1, x, x²)[..<q], and
/// optionally a site factor (subjects nested in sites) with a random intercept.
func longitudinalModel(
  subjects: Int, perSubject: Int, q: Int, sites: Int = 0, sizes: ((Int) -> Int)? = nil,
  using generator: inout TestGenerator
) -> LinearMixedModel {
  var y = [Double]()
  var x = [Double]()
  var g = [Double]()
  var subjectIndex = [Int32]()
  var values = [Double]()
  let siteEffects = (0..<sites).map { _ in 0.8 * generator.normal() }
  for s in 0..<subjects {
    let effects = (0..<q).map { c in generator.normal() / Double(1 + 2 * c) }
    let count = sizes?(s) ?? perSubject
    for j in 0..<count {
      let time = Double(j) + 0.2 * generator.normal()
      let row = [1, time, time * time].prefix(q)
      let group = Double(s % 2)
      var response = 10 + 0.5 * time - group + 0.7 * generator.normal()
      for (c, v) in row.enumerated() { response += effects[c] * v }
      if sites > 0 { response += siteEffects[s % sites] }
      y.append(response)
      x.append(time)
      g.append(group)
      subjectIndex.append(Int32(s))
      values.append(contentsOf: row)
    }
  }
  let n = y.count
  let xMatrix = Matrix(columns: [Array(repeating: 1, count: n), x, g])
  var terms = [
    RandomEffectsTerm(
      groupName: "subject", factorName: "subject",
      columnNames: Array(["(Intercept)", "x", "x2"].prefix(q)),
      levels: (0..<subjects).map { "s\($0)" }, levelIndex: subjectIndex, values: values)
  ]
  if sites > 0 {
    terms.append(
      RandomEffectsTerm(
        groupName: "site", factorName: "site", columnNames: ["(Intercept)"],
        levels: (0..<sites).map { "site\($0)" },
        levelIndex: subjectIndex.map { $0 % Int32(sites) }, values: Array(repeating: 1, count: n)))
  }
  return LinearMixedModel(
    response: y, X: xMatrix, fixedEffectNames: ["(Intercept)", "x", "g"], terms: terms)
}

/// Two crossed factors (10 × 6 levels, every combination once) with random intercepts.
private func crossedModel(using generator: inout TestGenerator) -> LinearMixedModel {
  let (levelsA, levelsB) = (10, 6)
  let effectsA = (0..<levelsA).map { _ in generator.normal() }
  let effectsB = (0..<levelsB).map { _ in 2 * generator.normal() }
  var y = [Double]()
  var x = [Double]()
  var a = [Int32]()
  var b = [Int32]()
  for i in 0..<levelsA {
    for j in 0..<levelsB {
      let covariate = generator.normal()
      y.append(5 + 0.3 * covariate + effectsA[i] + effectsB[j] + 0.5 * generator.normal())
      x.append(covariate)
      a.append(Int32(i))
      b.append(Int32(j))
    }
  }
  let n = y.count
  let ones = [Double](repeating: 1, count: n)
  return LinearMixedModel(
    response: y, X: Matrix(columns: [ones, x]), fixedEffectNames: ["(Intercept)", "x"],
    terms: [
      RandomEffectsTerm(
        groupName: "plate", factorName: "plate", columnNames: ["(Intercept)"],
        levels: (0..<levelsA).map { "p\($0)" }, levelIndex: a, values: ones),
      RandomEffectsTerm(
        groupName: "sample", factorName: "sample", columnNames: ["(Intercept)"],
        levels: (0..<levelsB).map { "s\($0)" }, levelIndex: b, values: ones),
    ])
}
