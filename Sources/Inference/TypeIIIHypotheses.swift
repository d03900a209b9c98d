import Formulas
import Foundation
import LinearAlgebra

/// The hypothesis matrix of one fixed term for a type III test.
public struct TermHypothesis: Sendable, Equatable {
  /// The term label (`week:arm`).
  public let term: String
  /// Rows `L`, one weight per coefficient of X; the test is `Lβ = 0`.
  public let rows: [[Double]]
}

/// Type III hypotheses for each fixed term, built as lmerTest's `anova(type = 3)` builds them
/// for treatment-coded models.
///
/// Let X be the model's (treatment-coded, full-rank) design and D the "complete" design that
/// codes every term by indicators of all its factor levels (R's `model.matrix(~ 0 + term)`,
/// plus the intercept). `B = X⁺D` writes each column of D in X's coefficients; the columns of
/// `L = Bᵀ` that belong to a term are made orthogonal (least-squares residuals) to those of
/// every term that contains it — higher-order terms first — where A is contained in B when
/// B has every variable of A and more, with the same numeric variables. The hypothesis of a
/// term is read off the rows of L named like X's columns.
///
/// Because treatment coding expresses each column of D exactly through X, B depends only on
/// the coding, not on the data: it is computed on a small synthetic grid of every factor-level
/// combination with generic numeric values. Models with a single term (or one column) use the
/// indicator rows of the term's coefficients (lmerTest's type I rows there span the same space,
/// so the F test is the same).
public enum TypeIIIHypotheses {
  /// The hypotheses for every fixed term of `frame`, in formula order.
  /// - Parameter frame: The model frame the fit was built from.
  /// - Returns: One hypothesis per term (terms whose columns were all dropped are left out).
  /// - Throws: `FormulaError` if the synthetic grid cannot be coded.
  public static func hypotheses(for frame: ModelFrame) throws -> [TermHypothesis] {
    let terms = frame.formula.fixedTerms
    let names = frame.fixedEffectNames
    let p = names.count
    let assign = frame.fixedEffectAssign
    if p <= 1 || terms.count <= 1 {
      return terms.indices.compactMap { t in
        let rows = (0..<p).filter { assign[$0] == t + 1 }.map { j in
          (0..<p).map { $0 == j ? 1.0 : 0.0 }
        }
        return rows.isEmpty ? nil : TermHypothesis(term: terms[t].label, rows: rows)
      }
    }
    let points = syntheticPoints(frame)
    let x = try frame.designRows(at: points).kept
    var dNames = [String]()
    var dColumns = [[Double]]()
    if frame.formula.hasIntercept {
      dNames.append("(Intercept)")
      dColumns.append(Array(repeating: 1, count: points.count))
    }
    for term in terms {
      let d = try frame.indicatorDesign(of: term, at: points)
      dNames += d.names
      for j in 0..<d.matrix.columns { dColumns.append(d.matrix.column(j)) }
    }
    // B = (XᵀX)⁻¹ Xᵀ D, then L = Bᵀ: m × p.
    let xt = (0..<p).map { x.column($0) }
    let xtx = xt.map { a in xt.map { b in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } } }
    guard let xtxInverse = Matrix(rows: xtx).inverseSPD() else {
      throw InferenceError.numerical(reason: "the type III design is singular")
    }
    var l = dColumns.map { column -> [Double] in
      let xtd = xt.map { a in zip(a, column).reduce(0) { $0 + $1.0 * $1.1 } }
      return xtxInverse.multiplied(by: xtd)
    }
    l = zapSmall(l)
    let columnsOfTerm = terms.indices.map { t in (0..<p).filter { assign[$0] == t + 1 } }
    let isFactor = frame.isCategorical
    let order = terms.indices.sorted { terms[$0].order > terms[$1].order }
    for t in order {
      let containers = terms.indices.filter { contains(terms[$0], terms[t], isFactor: isFactor) }
      guard !containers.isEmpty, !columnsOfTerm[t].isEmpty else { continue }
      let basis = containers.flatMap { columnsOfTerm[$0] }
      let regressors = basis.map { b in l.map { $0[b] } }
      let responses = columnsOfTerm[t].map { c in l.map { $0[c] } }
      let residuals = zapSmall(responses.map { leastSquaresResidual($0, on: regressors) })
      for (k, c) in columnsOfTerm[t].enumerated() {
        for r in l.indices { l[r][c] = residuals[k][r] }
      }
    }
    let rowIndex = Dictionary(dNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let rowsForX = names.map { rowIndex[$0] }
    return terms.indices.compactMap { t in
      let rows = columnsOfTerm[t].map { c in rowsForX.map { r in r.map { l[$0][c] } ?? 0 } }
        .filter { $0.reduce(0) { $0 + abs($1) } > 1e-8 }
      return rows.isEmpty ? nil : TermHypothesis(term: terms[t].label, rows: rows)
    }
  }

  /// Whether `inner` is contained in `outer`: a proper subset of its variables with the same
  /// numeric variables.
  static func contains(_ outer: Term, _ inner: Term, isFactor: (String) -> Bool) -> Bool {
    let o = Set(outer.variables)
    let i = Set(inner.variables)
    guard i.isSubset(of: o), o.count > i.count else { return false }
    return o.filter { !isFactor($0) } == i.filter { !isFactor($0) }
  }

  /// Every combination of factor levels, each repeated with generic numeric values.
  static func syntheticPoints(_ frame: ModelFrame) -> [[String: GridValue]] {
    let variables = frame.fixedVariableNames
    let factors = variables.filter(frame.isCategorical)
    let numerics = variables.filter { !frame.isCategorical($0) }
    var combos: [[String: GridValue]] = [[:]]
    for factor in factors {
      let levels = frame.factorLevels[factor] ?? []
      combos = combos.flatMap { combo in
        levels.map { level in combo.merging([factor: .level(level)]) { $1 } }
      }
    }
    let replicates = 2 + 2 * numerics.count
    var points = [[String: GridValue]]()
    var counter = 0.0
    for combo in combos {
      for _ in 0..<replicates {
        var point = combo
        for (v, name) in numerics.enumerated() {
          counter += 1
          point[name] = .number(sin(counter * 12.9898 + Double(v) * 78.233) * 3 + 0.5)
        }
        points.append(point)
      }
    }
    return points
  }

  /// R's `zapsmall` with 7 digits, column by column of the transposed layout (whole matrix).
  static func zapSmall(_ m: [[Double]]) -> [[Double]] {
    let largest = m.flatMap { $0 }.map(abs).max() ?? 0
    guard largest > 0 else { return m }
    let digits = max(0, 7 - Int(ceil(log10(largest))))
    let scale = pow(10, Double(digits))
    return m.map { $0.map { ($0 * scale).rounded(.toNearestOrEven) / scale } }
  }

  /// `y − A(AᵀA)⁺Aᵀy` with A's columns given as `columns`.
  static func leastSquaresResidual(_ y: [Double], on columns: [[Double]]) -> [Double] {
    // Orthonormalise the columns (modified Gram–Schmidt), then subtract projections.
    let basis = Matrix.orthonormalBasis(of: columns, threshold: 1e-10)
    var r = y
    for b in basis {
      let d = zip(r, b).reduce(0) { $0 + $1.0 * $1.1 }
      r = zip(r, b).map { $0 - d * $1 }
    }
    return r
  }
}

extension MixedModelInference {
  /// Type III F tests of every fixed term (lmerTest's `anova(type = 3)`).
  /// - Parameter frame: The model frame the fit was built from.
  /// - Returns: Term labels and their tests, in formula order.
  /// - Throws: `FormulaError` or `InferenceError` when the hypotheses cannot be built.
  public func typeIIITests(frame: ModelFrame) throws -> [(term: String, test: FTest)] {
    try TypeIIIHypotheses.hypotheses(for: frame).map { ($0.term, test($0.rows)) }
  }
}
