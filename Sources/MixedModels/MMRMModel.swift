import Formulas
import LinearAlgebra

/// A mixed model for repeated measures: `y_i ~ N(X_i β, Σ_i(φ))` for each subject i, with Σ_i
/// the rows and columns of a structured visit covariance Σ(φ) (`ResidualCovariance`) for the
/// visits subject i has.
///
/// The structure is built once from a model frame: subjects are grouped by *visit pattern*
/// (covariance group and set of visits), and each pattern's data `[X_i y_i]` are laid out
/// contiguously as an m × k(p+1) matrix (m visits, k subjects; column `l·k + j` is column l
/// of subject j), so that one evaluation factors Σ once per pattern, whitens all its subjects
/// with one triangular solve and accumulates their cross-products with one rank-k update.
/// Nothing of size n × n is ever formed.
///
/// Invariants: every row of the frame belongs to exactly one pattern; within a pattern the
/// visits are increasing.
public struct MMRMModel: Sendable {
  /// One visit pattern: a group, its visits, and the data of the subjects who have exactly
  /// those visits.
  struct Pattern: Sendable {
    /// Covariance group (0 without groups).
    let group: Int
    /// Visit positions, increasing (m of them).
    let visits: [Int]
    /// Number of subjects k.
    let subjectCount: Int
    /// m × k(p+1) column-major: column `l·k + j` holds column l of `[X y]` for subject j.
    let data: [Double]
    /// Row of the frame of subject j's r-th visit at `j·m + r`.
    let rows: [Int]
  }

  /// The covariance structure over the frame's visits.
  public let covariance: ResidualCovariance
  /// Fixed-effect names, as lme4 prints them.
  public let fixedEffectNames: [String]
  /// Number of observations n.
  public let observationCount: Int
  /// Number of subjects.
  public let subjectCount: Int
  /// Number of distinct visit patterns (with groups: group × visit set).
  public var patternCount: Int { patterns.count }
  /// The response, one per row used.
  public let response: [Double]
  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// The fixed-effects model matrix, n × p.
  public let X: Matrix
  let patterns: [Pattern]

  /// p, the number of fixed effects.
  public var fixedEffectCount: Int { X.columns }

  /// The model of a model frame with a covariance term.
  /// - Parameter frame: A model frame whose formula has a covariance term.
  /// - Throws: `FitError.noCovarianceTerm` without one, `.covarianceGroupVaries` when a
  ///   subject's rows are in more than one covariance group.
  public init(frame: ModelFrame) throws {
    guard let cov = frame.covariance else { throw FitError.noCovarianceTerm }
    let n = frame.observationCount
    let p = frame.X.columns
    self.covariance = ResidualCovariance(
      structure: cov.specification.structure, visitLabels: cov.timeLevels,
      coordinates: cov.timeCoordinates, groupLabels: cov.groupLevels)
    self.fixedEffectNames = frame.fixedEffectNames
    self.observationCount = n
    self.response = frame.response
    self.X = frame.X

    // Rows of each subject, by visit.
    let subjects = cov.subjectLevels.count
    var rowsOf = [[Int]](repeating: [], count: subjects)
    for i in 0..<n { rowsOf[Int(cov.subjectIndex[i])].append(i) }
    var groupOf = [Int](repeating: 0, count: subjects)
    for s in 0..<subjects {
      rowsOf[s].sort { cov.timeIndex[$0] < cov.timeIndex[$1] }
      guard !cov.groupIndex.isEmpty, let first = rowsOf[s].first else { continue }
      let g = cov.groupIndex[first]
      if rowsOf[s].contains(where: { cov.groupIndex[$0] != g }) {
        throw FitError.covarianceGroupVaries(subject: cov.subjectLevels[s])
      }
      groupOf[s] = Int(g)
    }
    let present = (0..<subjects).filter { !rowsOf[$0].isEmpty }
    self.subjectCount = present.count

    // Patterns in order of first appearance.
    var index: [[Int]: Int] = [:]
    var members: [[Int]] = []
    for s in present {
      let key = [groupOf[s]] + rowsOf[s].map { Int(cov.timeIndex[$0]) }
      if let k = index[key] {
        members[k].append(s)
      } else {
        index[key] = members.count
        members.append([s])
      }
    }
    var patterns: [Pattern] = []
    patterns.reserveCapacity(members.count)
    for subjectsOfPattern in members {
      let first = rowsOf[subjectsOfPattern[0]]
      let m = first.count
      let k = subjectsOfPattern.count
      var data = [Double](repeating: 0, count: m * k * (p + 1))
      var rows = [Int](repeating: 0, count: m * k)
      for (j, s) in subjectsOfPattern.enumerated() {
        for (r, row) in rowsOf[s].enumerated() {
          rows[j * m + r] = row
          for l in 0..<p { data[(l * k + j) * m + r] = frame.X[row, l] }
          data[(p * k + j) * m + r] = frame.response[row]
        }
      }
      patterns.append(
        Pattern(
          group: groupOf[subjectsOfPattern[0]], visits: first.map { Int(cov.timeIndex[$0]) },
          subjectCount: k, data: data, rows: rows))
    }
    self.patterns = patterns
  }
}
