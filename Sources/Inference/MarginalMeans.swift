import Formulas
import Foundation
import LinearAlgebra

/// How the levels of factors not named in an EMM specification are averaged over.
public enum MarginalWeights: String, Sendable, CaseIterable {
  /// Every combination of the other factors' levels counts the same (emmeans' default).
  case equal
  /// Each combination weighted by its frequency among the rows used (emmeans
  /// `weights = "proportional"`).
  case proportional
}

/// An estimated marginal mean (least-squares mean): a point of the reference grid averaged
/// over the factors not named.
public struct MarginalMean: Sendable, Equatable {
  /// The level (or, for a numeric variable, the value as text) of each named variable, in
  /// specification order (`specs` then `by`).
  public let levels: [(variable: String, level: String)]
  /// Weights on the coefficients: the mean is `l'β̂`.
  public let weights: [Double]
  /// Estimate, SE and df.
  public let estimate: ContrastEstimate

  /// The labels of the `by` variables (the group this mean belongs to).
  public var group: [String] { levels.dropFirst(specCount).map(\.level) }
  /// How many leading entries of `levels` are the specification's own factors.
  public let specCount: Int

  /// Equal when every field is.
  public static func == (a: MarginalMean, b: MarginalMean) -> Bool {
    a.levels.map(\.variable) == b.levels.map(\.variable)
      && a.levels.map(\.level)
        == b.levels.map(\.level)
      && a.weights == b.weights && a.estimate == b.estimate
      && a.specCount == b.specCount
  }
}

/// Estimated marginal means as emmeans computes them for a linear model.
///
/// The reference grid holds every combination of the levels of the categorical fixed-effect
/// variables; numeric covariates are held at their means over the rows used (read from their
/// own column of X, so a numeric covariate must appear as a main effect). For each combination
/// of the named variables (`specs` then `by`), the grid rows of the other factors are averaged
/// with `equal` or `proportional` weights. Each mean is `l'β̂` with SE `√(l'Cl)` and df from the
/// inference's method for that `l`.
public enum MarginalMeans {
  /// Computes the means.
  /// - Parameters:
  ///   - specs: Variables whose levels are compared (`["arm"]`).
  ///   - by: Variables that group the comparisons (`["visit"]`).
  ///   - frame: The model frame of the fit.
  ///   - inference: Tests for the fit.
  ///   - weights: How the other factors are averaged.
  /// - Returns: One mean per combination, the first spec variable varying fastest and then the
  ///   by variables (emmeans' order).
  /// - Throws: `InferenceError.unknownTerm` for a variable the model does not have;
  ///   `InferenceError.nonEstimable` when a mean involves an aliased coefficient.
  public static func compute(
    specs: [String], by: [String] = [], frame: ModelFrame, inference: MixedModelInference,
    weights: MarginalWeights = .equal
  ) throws -> [MarginalMean] {
    let variables = frame.fixedVariableNames
    for name in specs + by where !variables.contains(name) {
      throw InferenceError.unknownTerm(name: name)
    }
    let named = specs + by
    let means = try covariateMeans(frame)
    let others = variables.filter { frame.isCategorical($0) && !named.contains($0) }
    var otherCombos: [[String: GridValue]] = [[:]]
    for factor in others {
      let levels = frame.factorLevels[factor] ?? []
      otherCombos = otherCombos.flatMap { c in
        levels.map { c.merging([factor: .level($0)]) { $1 } }
      }
    }
    var comboWeights = [Double](repeating: 1 / Double(otherCombos.count), count: otherCombos.count)
    if weights == .proportional && !others.isEmpty {
      comboWeights = try proportionalWeights(frame: frame, factors: others, combos: otherCombos)
    }
    // Named combinations, first variable fastest.
    var namedCombos: [[(String, GridValue, String)]] = [[]]
    for name in named {
      let values: [(GridValue, String)]
      if let levels = frame.factorLevels[name] {
        values = levels.map { (.level($0), $0) }
      } else {
        let mean = means[name] ?? .nan
        values = [(.number(mean), formatNumber(mean))]
      }
      namedCombos = values.flatMap { value in
        namedCombos.map { $0 + [(name, value.0, value.1)] }
      }
    }
    var result = [MarginalMean]()
    for combo in namedCombos {
      var points = [[String: GridValue]]()
      for other in otherCombos {
        var point = other
        for (name, value, _) in combo { point[name] = value }
        for variable in variables where !frame.isCategorical(variable) && point[variable] == nil {
          point[variable] = .number(means[variable] ?? .nan)
        }
        points.append(point)
      }
      let design = try frame.designRows(at: points)
      let label = combo.map { "\($0.0)=\($0.2)" }.joined(separator: ", ")
      let l = try weightedRow(
        design, weights: comboWeights, frame: frame, label: "EMM at \(label)")
      result.append(
        MarginalMean(
          levels: combo.map { ($0.0, $0.2) }, weights: l, estimate: inference.estimate(l),
          specCount: specs.count))
    }
    return result
  }

  /// Σ_k w_k x_k over grid rows; refuses weight on a dropped (aliased) column.
  static func weightedRow(
    _ design: (kept: Matrix, full: Matrix, fullNames: [String]), weights: [Double],
    frame: ModelFrame, label: String
  ) throws -> [Double] {
    let dropped = Set(frame.droppedFixedEffectNames)
    if !dropped.isEmpty {
      var aliased = [String]()
      for (j, name) in design.fullNames.enumerated() where dropped.contains(name) {
        let w = weights.indices.reduce(0) { $0 + weights[$1] * design.full[$1, j] }
        if abs(w) > 1e-8 { aliased.append(name) }
      }
      if !aliased.isEmpty { throw InferenceError.nonEstimable(contrast: label, aliased: aliased) }
    }
    return (0..<design.kept.columns).map { j in
      weights.indices.reduce(0) { $0 + weights[$1] * design.kept[$1, j] }
    }
  }

  /// Means of the numeric fixed-effect variables over the rows used, from their X columns.
  static func covariateMeans(_ frame: ModelFrame) throws -> [String: Double] {
    var means = [String: Double]()
    let n = Double(frame.X.rows)
    for variable in frame.fixedVariableNames where !frame.isCategorical(variable) {
      let label = Term(variables: [variable]).label
      guard let j = frame.fixedEffectNames.firstIndex(of: label) else {
        throw InferenceError.unsupported(
          method: "estimated marginal means",
          reason: "the numeric covariate '\(variable)' has no main-effect column to average")
      }
      means[variable] = frame.X.column(j).reduce(0, +) / n
    }
    return means
  }

  /// Frequencies of the combinations of `factors` among the rows used, from their treatment
  /// indicator columns in X.
  static func proportionalWeights(
    frame: ModelFrame, factors: [String], combos: [[String: GridValue]]
  ) throws -> [Double] {
    let n = frame.X.rows
    var indicator = [String: [[Double]]]()
    for factor in factors {
      let levels = frame.factorLevels[factor] ?? []
      var columns = [[Double]]()
      var reference = [Double](repeating: 1, count: n)
      for level in levels.dropFirst() {
        let name = Term(variables: [factor]).label + level
        guard let j = frame.fixedEffectNames.firstIndex(of: name) else {
          throw InferenceError.unsupported(
            method: "proportional weights",
            reason: "the factor '\(factor)' has no main-effect columns to count levels with")
        }
        let column = frame.X.column(j)
        for i in 0..<n { reference[i] -= column[i] }
        columns.append(column)
      }
      indicator[factor] = [reference] + columns
    }
    var counts = combos.map { combo -> Double in
      var row = [Double](repeating: 1, count: n)
      for factor in factors {
        guard case .level(let level) = combo[factor],
          let k = frame.factorLevels[factor]?.firstIndex(of: level),
          let column = indicator[factor]?[k]
        else { continue }
        for i in 0..<n { row[i] *= column[i] }
      }
      return row.reduce(0, +)
    }
    let total = counts.reduce(0, +)
    counts = counts.map { $0 / total }
    return counts
  }

  /// R's `format` of a number to 7 significant digits, for labels of numeric grid values.
  static func formatNumber(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    var text = String(format: "%.7g", x)
    if text.contains("."), !text.contains("e") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
