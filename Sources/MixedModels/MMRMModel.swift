import Formulas
import LinearAlgebra

/// A mixed model for repeated measures: `y_i ~ N(X_i β, Σ_i(φ))` for each subject i, with Σ_i
/// the rows and columns of a structured visit covariance Σ(φ) (`ResidualCovariance`) for the
/// visits subject i has.
///
/// The structure is built once from a model frame: subjects are grouped by *visit pattern*
/// (covariance group and set of visits), and one evaluation factors Σ once per pattern. The
/// weighted cross-products `Σ_i Z_iᵀ Σ⁻¹ Z_i` (Z_i = [X_i y_i]) of a pattern are then formed in
/// one of two ways, whichever costs less:
///
/// - *pair sums* (patterns with several subjects): with z_ir row r of Z_i,
///   `Σ_i Z_iᵀ W Z_i = Σ_{r≤s} W_rs D_rs`, `D_rr = Σ_i z_ir z_irᵀ`,
///   `D_rs = Σ_i (z_ir z_isᵀ + z_is z_irᵀ)`, W = Σ⁻¹ of the pattern. The D's are summed over
///   subjects once, at construction, so an evaluation costs O(m²(p+1)²) per pattern whatever
///   the number of subjects; all patterns' D's form one matrix, applied with one product;
/// - *whitening* (patterns with few subjects): Z_i laid out contiguously as an m × k(p+1)
///   matrix (column `l·k + j` is column l of subject j), whitened with one triangular solve
///   and accumulated with one rank-k update.
///
/// Nothing of size n × n is ever formed.
///
/// Random-effects terms may be grouped by the covariance subject (V_i = Z_iGZ_iᵀ + Σ_i per
/// subject) and by one factor in which the subjects are nested, such as a site (a *cluster*):
/// then the independent blocks of V are the clusters, patterns are formed within clusters,
/// every pattern is whitened, and the cluster-level design columns ride along with `[X y]`
/// (see `crossProducts`).
///
/// Invariants: every row of the frame belongs to exactly one pattern; within a pattern the
/// visits are increasing; all subjects of a pattern are in one cluster.
public struct MMRMModel: Sendable {
  /// One visit pattern: a group, its visits, and the data of the subjects who have exactly
  /// those visits.
  struct Pattern: Sendable {
    /// Covariance group (0 without groups).
    let group: Int
    /// Cluster (level of the cluster factor; 0 without cluster-level random effects).
    let cluster: Int
    /// Visit positions, increasing (m of them).
    let visits: [Int]
    /// Number of subjects k.
    let subjectCount: Int
    /// The subjects' data, or empty when the pattern uses pair sums.
    ///
    /// m × k(p+1) column-major: column `l·k + j` holds column l of `[X y]` for subject j.
    /// With cluster-level random effects, m × k(c+p+1) with the c cluster-level design
    /// columns first: `[Z_cluster X y]`.
    let data: [Double]
    /// First column of this pattern's pair sums in `pairSums`, or nil when it is whitened.
    let pairOffset: Int?
    /// m × k·q column-major subject-level random-effects design (column `l·k + j` is column l
    /// of Z_j); empty without subject-level random effects.
    let randomData: [Double]
    /// Row of the frame of subject j's r-th visit at `j·m + r`.
    let rows: [Int]
  }

  /// The covariance structure over the frame's visits.
  public internal(set) var covariance: ResidualCovariance
  /// The formula's covariance term (structure as written, time, subject and group variables).
  public let covarianceTerm: CovarianceTermSpecification
  /// Fixed-effect names, as lme4 prints them.
  public let fixedEffectNames: [String]
  /// Number of observations n.
  public let observationCount: Int
  /// Number of subjects.
  public let subjectCount: Int
  /// Number of distinct visit patterns (with groups: group × visit set).
  public var patternCount: Int { Set(patterns.map { [$0.group] + $0.visits }).count }
  /// The response, one per row used.
  public let response: [Double]
  /// The constant subtracted from the response in every cross-product (see `ResponseShift`),
  /// or nil; `response` itself is never shifted.
  let responseShift: ResponseShift?
  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// The fixed-effects model matrix, n × p.
  public let X: Matrix
  let patterns: [Pattern]
  /// The pair sums D_rs of every pattern that uses them, packed: column `offset + s(s+1)/2 + r`
  /// (r ≤ s) holds the lower triangle of D_rs, column by column ((p+1)(p+2)/2 rows).
  let pairSums: Matrix

  /// The random-effects terms (grouped by the covariance subject, or by the cluster factor),
  /// in frame order.
  public let randomTerms: [RandomEffectsBlock]
  /// Number of random-effects columns over all terms (subject and cluster level).
  public var randomEffectCount: Int { randomTerms.reduce(0) { $0 + $1.columnNames.count } }
  /// q, the random effects per subject (summed over the subject-level terms).
  public var subjectEffectCount: Int {
    randomTerms.filter { !$0.isClusterLevel }.reduce(0) { $0 + $1.columnNames.count }
  }
  /// The random effects per cluster (summed over the cluster-level terms); 0 without them.
  public var clusterEffectCount: Int {
    randomTerms.filter(\.isClusterLevel).reduce(0) { $0 + $1.columnNames.count }
  }
  /// The factor the cluster-level terms are grouped by (such as `site`), or nil.
  public let clusterFactor: String?
  /// Number of clusters (levels of `clusterFactor` with data); 0 without cluster-level terms.
  public let clusterCount: Int
  /// Number of random-effects parameters θ (lower triangles of the terms' Λ).
  public var thetaCount: Int { randomTerms.reduce(0) { $0 + $1.thetaCount } }
  /// Number of all parameters: θ then φ.
  public var parameterCount: Int { thetaCount + covariance.parameterCount }

  /// p, the number of fixed effects.
  public var fixedEffectCount: Int { X.columns }

  /// The model of a model frame with a covariance term.
  ///
  /// A random-effects term is grouped by the covariance subject when its factor is the
  /// subject or has exactly one subject per level (`site:subject` with subjects nested in
  /// sites); it is cluster-level when its factor is constant within every subject and has
  /// several subjects in some level (such as `site`).
  /// - Parameter frame: A model frame whose formula has a covariance term.
  /// - Throws: `FitError.noCovarianceTerm` without one, `.covarianceGroupVaries` when a
  ///   subject's rows are in more than one covariance group, `.randomEffectsGrouping` when a
  ///   random-effects term's factor varies within a subject, `.randomEffectsClusterFactors`
  ///   when cluster-level terms are grouped by two different factors.
  public init(frame: ModelFrame) throws {
    guard let cov = frame.covariance else { throw FitError.noCovarianceTerm }
    guard frame.weights == nil && frame.offset == nil else {
      throw FitError.priorWeightsNeedLinearMixedModel
    }
    self.covarianceTerm = cov.specification
    let n = frame.observationCount
    let p = frame.X.columns
    let levels = try Self.classify(frame: frame, covariance: cov)
    self.randomTerms = zip(frame.randomTerms, levels.clusterLevel).map {
      RandomEffectsBlock(
        groupName: $0.groupName, columnNames: $0.columnNames, isClusterLevel: $1)
    }
    self.clusterFactor = levels.factor
    self.clusterCount = levels.count
    let subjectTerms = zip(frame.randomTerms, levels.clusterLevel).filter { !$1 }.map(\.0)
    let clusterTerms = zip(frame.randomTerms, levels.clusterLevel).filter { $1 }.map(\.0)
    let q = subjectTerms.reduce(0) { $0 + $1.columnCount }
    let qc = clusterTerms.reduce(0) { $0 + $1.columnCount }
    self.covariance = ResidualCovariance(
      structure: cov.specification.structure, visitLabels: cov.timeLevels,
      coordinates: cov.timeCoordinates, groupLabels: cov.groupLevels)
    self.fixedEffectNames = frame.fixedEffectNames
    self.observationCount = n
    self.response = frame.response
    self.X = frame.X
    let shift = ResponseShift(response: frame.response, design: frame.X)
    self.responseShift = shift
    let y = shift?.apply(to: frame.response) ?? frame.response

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

    // Patterns in order of first appearance (within clusters when there are any).
    var index: [[Int]: Int] = [:]
    var members: [[Int]] = []
    for s in present {
      let key =
        (qc > 0 ? [levels.clusterOfSubject[s]] : []) + [groupOf[s]]
        + rowsOf[s].map { Int(cov.timeIndex[$0]) }
      if let k = index[key] {
        members[k].append(s)
      } else {
        index[key] = members.count
        members.append([s])
      }
    }
    var patterns: [Pattern] = []
    patterns.reserveCapacity(members.count)
    let packed = (p + 1) * (p + 2) / 2
    var sums: [Double] = []
    var pairColumns = 0
    for subjectsOfPattern in members {
      let first = rowsOf[subjectsOfPattern[0]]
      let m = first.count
      let k = subjectsOfPattern.count
      var rows = [Int](repeating: 0, count: m * k)
      for (j, s) in subjectsOfPattern.enumerated() {
        for (r, row) in rowsOf[s].enumerated() { rows[j * m + r] = row }
      }
      // Whitening costs ≈ k·m·(p+1)·(m+p+1) per evaluation, pair sums ≈ m²(p+1)²/4 + m³.
      let whitening = Double(k * m * (p + 1) * (m + p + 1))
      let pairCost = Double(m * m * (p + 1) * (p + 1)) / 4 + Double(m * m * m)
      var data: [Double] = []
      var offset: Int?
      var randomData: [Double] = []
      if q > 0 {
        // Z_j by term, then column; the frame's term values are row-major n × q_t.
        randomData = [Double](repeating: 0, count: m * k * q)
        var column = 0
        for term in subjectTerms {
          let qt = term.columnCount
          for c in 0..<qt {
            for j in 0..<k {
              for r in 0..<m {
                randomData[((column + c) * k + j) * m + r] = term.values[rows[j * m + r] * qt + c]
              }
            }
          }
          column += qt
        }
      }
      if q == 0 && qc == 0 && pairCost < whitening {
        offset = pairColumns
        let pairs = m * (m + 1) / 2
        var d = [Double](repeating: 0, count: packed * pairs)
        var z = [Double](repeating: 0, count: m * (p + 1))  // row r of Z_i at r·(p+1)
        for j in 0..<k {
          for r in 0..<m {
            let row = rows[j * m + r]
            for l in 0..<p { z[r * (p + 1) + l] = frame.X[row, l] }
            z[r * (p + 1) + p] = y[row]
          }
          Self.accumulatePairSums(z, visits: m, width: p + 1, into: &d)
        }
        sums += d
        pairColumns += pairs
      } else {
        data = [Double](repeating: 0, count: m * k * (qc + p + 1))
        var column = 0
        for term in clusterTerms {
          let qt = term.columnCount
          for c in 0..<qt {
            for j in 0..<k {
              for r in 0..<m {
                data[((column + c) * k + j) * m + r] = term.values[rows[j * m + r] * qt + c]
              }
            }
          }
          column += qt
        }
        for j in 0..<k {
          for r in 0..<m {
            let row = rows[j * m + r]
            for l in 0..<p { data[((qc + l) * k + j) * m + r] = frame.X[row, l] }
            data[((qc + p) * k + j) * m + r] = y[row]
          }
        }
      }
      patterns.append(
        Pattern(
          group: groupOf[subjectsOfPattern[0]],
          cluster: qc > 0 ? levels.clusterOfSubject[subjectsOfPattern[0]] : 0,
          visits: first.map { Int(cov.timeIndex[$0]) },
          subjectCount: k, data: data, pairOffset: offset, randomData: randomData, rows: rows))
    }
    self.patterns = patterns
    self.pairSums = Matrix(rows: packed, columns: pairColumns, columnMajor: sums)
  }

  /// Names of all parameters: θ (`<group>.<column>` and `<group>.<column>.<column>` as lme4
  /// names them, but on the scale of the data: Λ with G = ΛΛᵀ), then φ.
  public var parameterNames: [String] {
    randomTerms.flatMap { term -> [String] in
      let c = term.columnNames
      var names: [String] = []
      for j in c.indices {
        for i in j..<c.count {
          names.append(
            i == j ? "\(term.groupName).\(c[i])" : "\(term.groupName).\(c[i]).\(c[j])")
        }
      }
      return names
    } + covariance.parameterNames
  }

  /// Adds one subject's pair products to `d` (see `pairSums` for the layout).
  /// - Parameters:
  ///   - z: The subject's `[X y]`, row r at `r·width`.
  ///   - m: Number of visits.
  ///   - width: p + 1.
  ///   - d: Packed pair sums of the pattern.
  private static func accumulatePairSums(
    _ z: [Double], visits m: Int, width: Int, into d: inout [Double]
  ) {
    let packed = width * (width + 1) / 2
    z.withUnsafeBufferPointer { z in
      d.withUnsafeMutableBufferPointer { d in
        for s in 0..<m {
          for r in 0...s {
            let base = (s * (s + 1) / 2 + r) * packed
            var idx = base
            for b in 0..<width {
              let zrb = z[r * width + b]
              let zsb = z[s * width + b]
              for a in b..<width {
                let v =
                  r == s
                  ? z[r * width + a] * zrb
                  : z[r * width + a] * zsb + z[s * width + a] * zrb
                d[idx] += v
                idx += 1
              }
            }
          }
        }
      }
    }
  }
}

/// One random-effects term of an MMRM with random effects: its group (the covariance subject,
/// or a cluster factor such as a site in which the subjects are nested) and columns; its
/// covariance is G = ΛΛᵀ with Λ lower triangular (q(q+1)/2 parameters).
public struct RandomEffectsBlock: Sendable, Equatable {
  /// Group name as lme4 prints it.
  public let groupName: String
  /// Column names (`(Intercept)`, `week`).
  public let columnNames: [String]
  /// Whether the term is grouped by the cluster factor (above the subject) rather than by the
  /// covariance subject.
  public let isClusterLevel: Bool
  /// Number of parameters of Λ.
  public var thetaCount: Int { columnNames.count * (columnNames.count + 1) / 2 }
}
