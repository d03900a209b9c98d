import LinearAlgebra

/// The structure of a linear mixed model `y = Xβ + Zb + ε`, `b = Λ(θ)u`, `u ~ N(0, σ²I)`,
/// `ε ~ N(0, σ²I)`, with the sufficient statistics `A = [Z X y]ᵀ[Z X y]` formed once.
///
/// Built once per data set; every evaluation of the profiled deviance works on `A` through a
/// `PLSWorkspace`, so its cost depends on the numbers of levels and columns, never on the
/// number of observations. Its statistics are immutable and it is `Sendable`: refits (bootstrap,
/// profiling, power) reuse it. `threads`, an execution setting, is the one thing to set.
///
/// Blocks of `A` (terms ordered as given; lme4 orders them by number of levels, most first):
/// - `zz[k]`: `Z_kᵀZ_k`, block diagonal with one q_k×q_k block per level;
/// - `zzOff[k][j]` (k > j): `Z_kᵀZ_j`, dense r_k × r_j;
/// - `xyz[j]`: `[X y]ᵀZ_j`, dense (p+1) × r_j, columns grouped by level;
/// - `xyxy`: `[X y]ᵀ[X y]`, lower triangle.
/// See `MixedModels.docc/Notation.md`.
public struct LinearMixedModel: Sendable {
  /// Response, one value per observation.
  public let response: [Double]
  /// The response side: y with its prior weights, offset and family.
  public let responseModel: ModelResponse
  /// `Σ log wᵢ` of the prior weights (0 without them), subtracted from −2ℓ.
  let logWeightSum: Double
  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// Fixed-effects model matrix, n × p, full column rank.
  public let X: Matrix
  /// Names of the columns of `X` as lme4 prints them.
  public let fixedEffectNames: [String]
  /// Random-effects terms in fitting order.
  public let terms: [RandomEffectsTerm]
  /// Threads the per-level loops of this model's fits may use.
  ///
  /// Those of the workspaces made for it, and Kenward–Roger's sums over clusters for its fits.
  /// The results do not depend on it (see `ChunkedRange`). 1 unless set; `traj` sets it from
  /// `TRAJ_THREADS`.
  public var threads: Int = 1

  /// `Z_kᵀZ_k` per term.
  let zz: [UniformBlockDiagonal]
  /// `Z_kᵀZ_j` for k > j (`zzOff[k][j]`; empty arrays for j ≥ k).
  let zzOff: [[Matrix]]
  /// `[X y]ᵀZ_j` per term.
  let xyz: [Matrix]
  /// `[X y]ᵀ[X y]`, lower triangle valid.
  let xyxy: Matrix
  /// The constant subtracted from y before the sufficient statistics are formed (0 unless
  /// the response is far from zero relative to its spread; see `ResponseShift`), and the
  /// intercept column of X that absorbs it: the intercept of the fit is that of `y − shift`
  /// plus `shift`.
  let responseShift: ResponseShift?

  /// Number of observations.
  public var observationCount: Int { response.count }
  /// Number of fixed-effect coefficients.
  public var fixedEffectCount: Int { X.columns }
  /// Number of covariance parameters θ.
  public var thetaCount: Int { terms.reduce(0) { $0 + $1.thetaCount } }

  /// Builds the model structure and the sufficient statistics.
  /// - Parameters:
  ///   - response: y, length n.
  ///   - X: n × p fixed-effects matrix of full column rank.
  ///   - fixedEffectNames: p names.
  ///   - terms: Random-effects terms (at least one), each with n observations.
  /// - Complexity: O(n · (p + Σq)²) once, plus O(Σ_{k>j} r_k r_j) memory for crossed terms.
  public init(response: [Double], X: Matrix, fixedEffectNames: [String], terms: [RandomEffectsTerm])
  {
    self.init(
      response: ModelResponse(values: response), X: X, fixedEffectNames: fixedEffectNames,
      terms: terms)
  }

  /// Builds the model structure and the sufficient statistics of a response with prior
  /// weights and an offset: row i of [Z X y − o] enters every cross-product multiplied by
  /// √wᵢ (see `ModelResponse`).
  /// - Parameters:
  ///   - model: y, its weights and offset, length n.
  ///   - X: n × p fixed-effects matrix of full column rank.
  ///   - fixedEffectNames: p names.
  ///   - terms: Random-effects terms (at least one), each with n observations.
  /// - Complexity: As the unweighted initialiser, plus O(n · (p + Σq)) with weights.
  public init(
    response model: ModelResponse, X: Matrix, fixedEffectNames: [String],
    terms: [RandomEffectsTerm]
  ) {
    let n = model.values.count
    precondition(X.rows == n, "X must have one row per observation")
    precondition(fixedEffectNames.count == X.columns, "one name per column of X")
    precondition(!terms.isEmpty, "at least one random-effects term")
    precondition(terms.allSatisfy { $0.levelIndex.count == n }, "terms must cover every row")
    self.response = model.values
    self.responseModel = model
    self.logWeightSum = model.logWeightSum
    self.X = X
    self.fixedEffectNames = fixedEffectNames
    self.terms = terms
    let centred = model.centred
    self.responseShift = ResponseShift(response: centred, design: X)
    var y = responseShift?.apply(to: centred) ?? centred
    // With prior weights the cross-products are those of the rows scaled by √w.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var X = X
    var terms = terms
    if let scale = model.rowScale {
      y = zip(y, scale).map { $0 * $1 }
      X = X.scalingRows(by: scale)
      terms = terms.map { $0.scalingRows(by: scale) }
    }
    let response = y
    // Z_kᵀZ_k and [X y]ᵀZ_k, one pass per term.
    var zz = [UniformBlockDiagonal]()
    var xyz = [Matrix]()
    for term in terms {
      let blocks = SufficientStatistics.termBlocks(
        levelIndex: term.levelIndex, values: term.values, q: term.q, levels: term.levelCount,
        x: X, y: response)
      zz.append(blocks.zz)
      xyz.append(blocks.xyz)
    }
    self.zz = zz
    self.xyz = xyz

    // Z_kᵀZ_j, k > j
    var zzOff = [[Matrix]]()
    for (k, tk) in terms.enumerated() {
      var row = [Matrix]()
      for j in 0..<k {
        let tj = terms[j]
        var m = Matrix(rows: tk.dimension, columns: tj.dimension)
        for i in 0..<n {
          let rk = Int(tk.levelIndex[i]) * tk.q
          let rj = Int(tj.levelIndex[i]) * tj.q
          for b in 0..<tj.q {
            let vb = tj.values[i * tj.q + b]
            for a in 0..<tk.q { m[rk + a, rj + b] += tk.values[i * tk.q + a] * vb }
          }
        }
        row.append(m)
      }
      zzOff.append(row)
    }
    self.zzOff = zzOff

    // [X y]ᵀ[X y]
    self.xyxy = SufficientStatistics.crossProduct(x: X, y: response)
  }

  // MARK: - θ layout

  /// Lower bounds of θ: 0 for template diagonals, −∞ below them.
  public var thetaLowerBounds: [Double] {
    terms.flatMap { term -> [Double] in
      var bounds = [Double]()
      for j in 0..<term.q {
        for i in j..<term.q { bounds.append(i == j ? 0 : -.infinity) }
      }
      return bounds
    }
  }

  /// lme4's starting value: 1 on template diagonals, 0 elsewhere — except when every term is a
  /// scalar random intercept on a factor of its own, where lme4 (`mkLmerDevfun`) starts from
  /// the variance ratios `θ_i = √(v_i / v_e)`, with `v_i` the sample variance of each
  /// observation's group mean for factor i and `v_e = var(y) − Σ v_i` (when positive).
  public var thetaStart: [Double] {
    let generic = thetaLowerBounds.map { $0 == 0 ? 1.0 : 0.0 }
    let factors = Set(terms.map(\.factorName))
    guard terms.allSatisfy({ $0.q == 1 && $0.columnNames == ["(Intercept)"] }),
      factors.count == terms.count, response.count > 1
    else { return generic }
    let ratios = terms.map { term -> Double in
      var sums = [Double](repeating: 0, count: term.levelCount)
      var counts = [Double](repeating: 0, count: term.levelCount)
      for (i, level) in term.levelIndex.enumerated() {
        sums[Int(level)] += response[i]
        counts[Int(level)] += 1
      }
      return sampleVariance(term.levelIndex.map { sums[Int($0)] / counts[Int($0)] })
    }
    let residual = sampleVariance(response) - ratios.reduce(0, +)
    guard residual > 0 else { return generic }
    return ratios.map { ($0 / residual).squareRoot() }
  }

  /// lme4's names for θ (`Subject.(Intercept)`, `Subject.Days.(Intercept)`, …): the grouping
  /// factor's name, not the de-duplicated group label (`(Days || Subject)` gives `Subject.Days`).
  public var thetaNames: [String] {
    terms.flatMap { term -> [String] in
      var names = [String]()
      for j in 0..<term.q {
        for i in j..<term.q {
          names.append(
            i == j
              ? "\(term.factorName).\(term.columnNames[i])"
              : "\(term.factorName).\(term.columnNames[i]).\(term.columnNames[j])")
        }
      }
      return names
    }
  }

  /// The lower-triangular template `T_k` of term `k` (q×q column-major) from θ.
  /// - Parameters:
  ///   - theta: All covariance parameters.
  ///   - k: Term index.
  /// - Returns: `q*q` values.
  public func template(theta: [Double], term k: Int) -> [Double] {
    var offset = 0
    for j in 0..<k { offset += terms[j].thetaCount }
    let q = terms[k].q
    var t = [Double](repeating: 0, count: q * q)
    for j in 0..<q {
      for i in j..<q {
        t[i + j * q] = theta[offset]
        offset += 1
      }
    }
    return t
  }

  /// The covariance `σ² T Tᵀ` of one level's random effects of a term, from its template.
  ///
  /// Entry (i, j) sums `T_ic T_jc` over c = 0…min(i, j) in increasing c, then scales by σ²
  /// (the one place that order is written, so the fit's variance components and
  /// Kenward–Roger's G_k agree to the bit).
  /// - Parameters:
  ///   - t: The lower-triangular template `T` (q×q column-major), from `template(theta:term:)`.
  ///   - q: The order of the term.
  ///   - sigma2: σ², the residual variance.
  /// - Returns: `q*q` values, row-major (symmetric).
  package static func covariance(template t: [Double], order q: Int, sigma2: Double) -> [Double] {
    var cov = [Double](repeating: 0, count: q * q)
    for i in 0..<q {
      for j in 0..<q {
        var s = 0.0
        for c in 0...min(i, j) { s += t[i + c * q] * t[j + c * q] }
        cov[i * q + j] = sigma2 * s
      }
    }
    return cov
  }
}
