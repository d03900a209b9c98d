import Foundation
import LinearAlgebra
import MixedModels
import Optimization

extension KenwardRogerAdjustment {
  /// Kenward & Roger (1997) for a REML-fitted MMRM, in the fit's own (nonlinear) covariance
  /// parameters ϑ = (θ, φ), *with* the second-derivative terms — mmrm's `"Kenward-Roger"`, not
  /// its `"Kenward-Roger-Linear"` (which drops R). With V_r = ∂V/∂ϑ_r and V_rs = ∂²V/∂ϑ_r∂ϑ_s,
  ///
  ///     P_r = −XᵀV⁻¹V_rV⁻¹X,  Q_rs = XᵀV⁻¹V_rV⁻¹V_sV⁻¹X,  R_rs = XᵀV⁻¹V_rsV⁻¹X,
  ///     Φ_A = Φ + 2Φ [Σ_rs W_rs (Q_rs − P_rΦP_s − ¼R_rs)] Φ,
  ///
  /// W = 2 I⁻¹ with the expected REML information (times 2)
  /// `I_rs = tr(V⁻¹V_rV⁻¹V_s) − 2 tr(ΦQ_rs) + tr(ΦP_rΦP_s)` (KR 1997; SAS). The df and F
  /// scaling (from P_r and W) do not depend on the parameterisation; Φ_A does: R is the
  /// correction the nonlinear parameters need, and with it Φ_A differs from the linear
  /// parameterisation's (for `us` with saturated visit means the linear Φ_A is Φ, ours is not).
  ///
  /// Every sum runs over blocks of V: a visit pattern (all its subjects share V_i, so with
  /// `S_ab = Σ_i x_ia x_ibᵀ` over its subjects, `Σ_i X_iᵀ A X_i = Σ_ab A_ab S_ab`), one
  /// subject with random effects, or one cluster (such as a site) with random effects above
  /// the subject (dense n_c × n_c V, `X_cᵀ A X_c` directly). Two passes: the first forms P_r, K_rs and `tr(ΦQ_rs) =
  /// Σ_ab (V⁻¹V_rV⁻¹V_sV⁻¹)_ab tr(ΦS_ab)`, hence W; the second forms U's weight matrix
  /// `V⁻¹(Σ_rs W_rs V_rV⁻¹V_s − ¼ Σ_rs W_rs V_rs)V⁻¹` per block and contracts it with S once,
  /// so no Q_rs or R_rs (p × p each, R² of them) is ever stored. `Σ_rs W_rs V_rs` is
  /// `Σ_k λ_k ∂²V/∂u_k²` over W's eigenpairs (λ_k, u_k): R second directional derivatives
  /// instead of R²/2 mixed ones. V_r and the directional derivatives come from central
  /// finite differences of the block's V (steps 1e-4 and 1e-3 relative); no N × N matrix is
  /// formed.
  /// - Complexity: per block O(R² m³ + R m² p²) plus O(k m² p²) for its k subjects.
  /// - Parameters:
  ///   - model: The model structure.
  ///   - fit: Its REML fit.
  ///   - linear: Drop the R terms (mmrm's `"Kenward-Roger-Linear"`).
  ///   - information: Where W comes from (`KenwardRogerInformation`).
  /// - Throws: `InferenceError.unsupported` for ML fits or clusters too large to hold densely,
  ///   `InferenceError.numerical` when a block covariance or the Hessian is not usable.
  init(
    mmrm model: MMRMModel, fit: MMRMFit, linear: Bool = false,
    information: KenwardRogerInformation = .observed
  ) throws {
    guard fit.method == .reml else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger", reason: "it is defined for REML fits only")
    }
    let x0 = fit.theta + fit.phi
    let r = x0.count
    let pc = fit.fixedEffects.count
    let pp = pc * pc
    let phi = fit.fixedEffectsCovariance
    let blocks = model.covarianceBlocks

    // Pass 1: P_r (pp × r, column r row-major p × p), K_rs and tr(ΦQ_rs).
    var pSum = Matrix(rows: pp, columns: r)
    var kSum = Matrix(rows: r, columns: r)
    var traceQ = Matrix(rows: r, columns: r)
    for block in blocks {
      let d = try BlockDerivatives(model: model, block: block, at: x0)
      let design = BlockDesign(model: model, block: block)
      // P_r = −Σ X_iᵀ V⁻¹V_rV⁻¹ X_i.
      design.contract(d.middle, into: &pSum, alpha: -1)
      // tr(ΦQ_rs) = Σ_ab (V⁻¹V_rV⁻¹ · V_sV⁻¹)_ab T_ab with T = Σ_i X_iΦX_iᵀ:
      // = vec(V⁻¹V_rV⁻¹ T) · vec(V_sV⁻¹).
      let t = design.phiProjection(phi)
      var y = Matrix(rows: d.m * d.m, columns: r)
      for k in 0..<r where !d.zero[k] {
        let product = Matrix.product(d.middleMatrix(k), t)
        for i in 0..<(d.m * d.m) { y.storage[i + k * d.m * d.m] = product.storage[i] }
      }
      traceQ.multiplyAdd(y, transposeA: true, d.right)
      // K_rs = tr(V⁻¹V_r V⁻¹V_s) = vec(V_rV⁻¹) · vec(V⁻¹V_s), per subject sharing V.
      kSum.multiplyAdd(
        d.right, transposeA: true, d.left, alpha: Double(design.replicates), beta: 1)
    }
    // Column `column` of `sums` holds a row-major p × p matrix.
    func block(_ sums: Matrix, _ column: Int) -> Matrix {
      Matrix(
        rows: pc, columns: pc,
        columnMajor: Array(sums.storage[(column * pp)..<((column + 1) * pp)])
      ).transposed
    }
    let pMatrices = (0..<r).map { block(pSum, $0) }
    let w: Matrix
    switch information {
    case .expected:
      w = Self.parameterCovariance(
        phi: phi, p: pMatrices, traceQ: { traceQ[$0, $1] }, k: { kSum[$0, $1] })
    case .observed:
      let h = Matrix(
        rows: r, columns: r,
        columnMajor: FiniteDifferences.richardsonHessian(
          of: { model.objective(parameters: $0, method: .reml) }, at: x0))
      guard h.elements.allSatisfy(\.isFinite) else {
        throw InferenceError.numerical(reason: "the Hessian of the REML criterion is not finite")
      }
      w = h.pseudoInverse(tolerance: 1e-8).scaled(by: 2)
    }
    let (eigenvalues, eigenvectors) = w.jacobiEigen()

    // Pass 2: Σ_rs W_rs (Q_rs − ¼R_rs) = Σ_blocks contraction of
    // V⁻¹(Σ_rs W_rs V_rV⁻¹V_s − ¼ Σ_rs W_rs V_rs)V⁻¹.
    var flat = Matrix(rows: pp, columns: 1)
    let scale = max(1, x0.map(abs).max() ?? 1)
    let h = 1e-3 * scale
    for block in blocks {
      let d = try BlockDerivatives(model: model, block: block, at: x0)
      let m = d.m
      // C = Σ_r V_rV⁻¹ (Σ_s W_rs V_s).
      let mixed = Matrix.product(d.first, w)
      var inner = Matrix(rows: m, columns: m)
      for k in 0..<r where !d.zero[k] {
        inner.multiplyAdd(d.rightMatrix(k), d.column(mixed, k))
      }
      // Σ_rs W_rs V_rs = Σ_k λ_k ∂²V/∂u_k², central differences along each eigenvector.
      for (k, lambda) in eigenvalues.enumerated() where lambda != 0 && !linear {
        let direction = eigenvectors.column(k)
        let up = try d.covariance(at: zip(x0, direction).map { $0 + h * $1 })
        let down = try d.covariance(at: zip(x0, direction).map { $0 - h * $1 })
        let factor = -0.25 * lambda / (h * h)
        for i in 0..<(m * m) {
          inner.storage[i] += factor * (up[i] - 2 * d.v0.storage[i] + down[i])
        }
      }
      let weights = Matrix.product(Matrix.product(d.vInverse, inner), d.vInverse)
      var vectorised = Matrix(rows: m * m, columns: 1)
      vectorised.storage = weights.storage
      BlockDesign(model: model, block: block).contract(vectorised, into: &flat, alpha: 1)
    }
    // U = that − Σ_rs W_rs P_rΦP_s, the latter as Σ_r P_rΦM_r with M = P·W.
    let mixed = Matrix.product(pSum, w)
    var u = block(flat, 0)
    for i in 0..<r {
      let term = pMatrices[i].multiplied(by: phi).multiplied(by: block(mixed, i))
      u = u.adding(term, scaledBy: -1)
    }
    let correction = phi.multiplied(by: u).multiplied(by: phi)
    self.init(phi: phi, adjusted: phi.adding(correction, scaledBy: 2), p: pMatrices, w: w)
  }

  /// `S`, pp × m² column-major: column a·m + b holds `S_ab = Σ_i x_iaᵀ x_ib` (row-major p × p)
  /// over the subjects, with x_ia the row of X of subject i's a-th visit.
  ///
  /// Formed as the Gram matrix `GᵀG` of the subjects' visit rows laid side by side
  /// (G: subjects × m·p, one BLAS product per chunk of 4,096 subjects), whose block (a, b) is
  /// S_ab.
  /// - Parameters:
  ///   - model: The model (for X).
  ///   - subjectRows: Each subject's rows, in visit order (m each).
  ///   - m: Visits per subject.
  /// - Returns: The pair sums.
  static func visitPairSums(model: MMRMModel, subjectRows: [[Int]], visits m: Int) -> Matrix {
    let pc = model.fixedEffectCount
    let width = m * pc
    var gram = Matrix(rows: width, columns: width)
    let chunk = 4096
    var start = 0
    while start < subjectRows.count {
      let end = min(subjectRows.count, start + chunk)
      var g = Matrix(rows: end - start, columns: width)
      for (j, rows) in subjectRows[start..<end].enumerated() {
        for a in 0..<m {
          for c in 0..<pc { g.storage[j + (a * pc + c) * g.rows] = model.X[rows[a], c] }
        }
      }
      gram.multiplyAdd(g, transposeA: true, g, alpha: 1, beta: 1)
      start = end
    }
    var pairs = Matrix(rows: pc * pc, columns: m * m)
    for a in 0..<m {
      for b in 0..<m {
        let base = (a * m + b) * pc * pc
        for c in 0..<pc {
          for e in 0..<pc {
            pairs.storage[base + c * pc + e] = gram.storage[(a * pc + c) + (b * pc + e) * width]
          }
        }
      }
    }
    return pairs
  }

  /// Creates the adjustment from its parts.
  init(phi: Matrix, adjusted: Matrix, p: [Matrix], w: Matrix) {
    self.phi = phi
    self.adjusted = adjusted
    self.p = p
    self.w = w
  }
}

/// How the fixed effects of one block of V enter the sums: through the visit-pair sums S of
/// the subjects that share it (`KenwardRogerAdjustment.visitPairSums`), or, for a cluster, its
/// rows of X directly.
private enum BlockDesign {
  /// S (pp × m²) and the number of subjects sharing V.
  case pairs(Matrix, replicates: Int, columns: Int)
  /// The cluster's rows of X (n_c × p), in V's order.
  case rows(Matrix)

  init(model: MMRMModel, block: MMRMCovarianceBlock) {
    let pc = model.fixedEffectCount
    if block.isCluster {
      let rows = block.subjectRows.flatMap { $0 }
      var x = Matrix(rows: rows.count, columns: pc)
      for (i, row) in rows.enumerated() {
        for c in 0..<pc { x.storage[i + c * rows.count] = model.X[row, c] }
      }
      self = .rows(x)
    } else {
      self = .pairs(
        KenwardRogerAdjustment.visitPairSums(
          model: model, subjectRows: block.subjectRows, visits: block.dimension),
        replicates: block.subjectRows.count, columns: pc)
    }
  }

  /// Number of independent units sharing the block's V.
  var replicates: Int {
    switch self {
    case .pairs(_, let replicates, _): replicates
    case .rows: 1
    }
  }

  /// Adds `alpha Σ_i X_iᵀ A_k X_i` for each column k of `weights` (vec of a symmetric m × m
  /// A_k) to column k of `target` (pp × K, row-major p × p each).
  func contract(_ weights: Matrix, into target: inout Matrix, alpha: Double) {
    switch self {
    case .pairs(let pairs, _, _):
      target.multiplyAdd(pairs, weights, alpha: alpha, beta: 1)
    case .rows(let x):
      let m = x.rows
      let pp = x.columns * x.columns
      for k in 0..<weights.columns {
        let a = Matrix(
          rows: m, columns: m,
          columnMajor: Array(weights.storage[(k * m * m)..<((k + 1) * m * m)]))
        let product = Matrix.product(x, transposeA: true, Matrix.product(a, x))
        for i in 0..<pp { target.storage[i + k * pp] += alpha * product.storage[i] }
      }
    }
  }

  /// T = Σ_i X_i Φ X_iᵀ (m × m): T_ab = tr(Φ S_ab).
  func phiProjection(_ phi: Matrix) -> Matrix {
    switch self {
    case .pairs(let pairs, _, let pc):
      var flat = Matrix(rows: pc * pc, columns: 1)
      flat.storage = phi.storage
      let m = Int(Double(pairs.columns).squareRoot().rounded())
      var t = Matrix(rows: m, columns: m)
      t.storage = Matrix.product(pairs, transposeA: true, flat).storage
      return t
    case .rows(let x):
      return Matrix.product(Matrix.product(x, phi), x, transposeB: true)
    }
  }
}

/// One block of V at the fitted parameters and its first derivatives (central differences),
/// each m × m matrix vectorised as a column of an m² × R matrix.
private struct BlockDerivatives {
  let model: MMRMModel
  let block: MMRMCovarianceBlock
  /// The dimension of the block.
  let m: Int
  /// V.
  let v0: Matrix
  /// V⁻¹.
  let vInverse: Matrix
  /// V_r = ∂V/∂ϑ_r, column r.
  let first: Matrix
  /// Whether V_r is zero (a parameter of another group).
  let zero: [Bool]
  /// V⁻¹V_r, column r.
  let left: Matrix
  /// V⁻¹V_rV⁻¹, column r.
  let middle: Matrix
  /// V_rV⁻¹, column r.
  let right: Matrix

  init(model: MMRMModel, block: MMRMCovarianceBlock, at x0: [Double]) throws {
    self.model = model
    self.block = block
    let m = block.dimension
    self.m = m
    let mm = m * m
    // R dense m × m matrices are kept per block (four stacks): refuse what would not fit.
    guard x0.count * mm <= 12_500_000 else {
      throw InferenceError.unsupported(
        method: "Kenward-Roger",
        reason: "with random effects above the subject it forms each cluster's dense "
          + "covariance and its derivatives; a cluster has \(m) rows and there are "
          + "\(x0.count) covariance parameters, too large (use --df satterthwaite)")
    }
    guard let values = model.marginalCovariance(block, parameters: x0) else {
      throw InferenceError.numerical(reason: "a block covariance is not finite")
    }
    v0 = Matrix(rows: m, columns: m, columnMajor: values)
    var factor = v0
    do { try factor.choleskyLowerInPlace() } catch {
      throw InferenceError.numerical(reason: "a block covariance is not positive definite")
    }
    guard let inverse = try? factor.inverseFromCholesky() else {
      throw InferenceError.numerical(reason: "a block covariance is not positive definite")
    }
    vInverse = inverse
    let r = x0.count
    var first = Matrix(rows: mm, columns: r)
    for s in 0..<r {
      let h = 1e-4 * max(1, abs(x0[s]))
      var up = x0
      var down = x0
      up[s] += h
      down[s] -= h
      guard let a = model.marginalCovariance(block, parameters: up),
        let b = model.marginalCovariance(block, parameters: down)
      else { throw InferenceError.numerical(reason: "a block covariance is not finite") }
      for i in 0..<mm { first.storage[i + s * mm] = (a[i] - b[i]) / (2 * h) }
    }
    self.first = first
    zero = (0..<r).map { s in (0..<mm).allSatisfy { first.storage[$0 + s * mm] == 0 } }
    // V⁻¹[V_1 … V_R] (m × R·m) is V⁻¹V_r side by side; the same storage read as m² × R.
    var side = Matrix(rows: m, columns: r * m)
    side.storage = first.storage
    let leftSide = Matrix.product(vInverse, side)
    var left = Matrix(rows: mm, columns: r)
    left.storage = leftSide.storage
    self.left = left
    // V_rV⁻¹ = (V⁻¹V_r)ᵀ; V⁻¹V_rV⁻¹ = (V⁻¹V_r)V⁻¹.
    var right = Matrix(rows: mm, columns: r)
    var middle = Matrix(rows: mm, columns: r)
    for s in 0..<r {
      let block = Matrix(
        rows: m, columns: m, columnMajor: Array(leftSide.storage[(s * mm)..<((s + 1) * mm)]))
      let product = Matrix.product(block, vInverse)
      for i in 0..<m {
        for j in 0..<m {
          right.storage[i + j * m + s * mm] = block.storage[j + i * m]
          middle.storage[i + j * m + s * mm] = product.storage[i + j * m]
        }
      }
    }
    self.right = right
    self.middle = middle
  }

  /// Column k of an m² × R matrix as an m × m matrix.
  func column(_ stacked: Matrix, _ k: Int) -> Matrix {
    let mm = m * m
    return Matrix(
      rows: m, columns: m, columnMajor: Array(stacked.storage[(k * mm)..<((k + 1) * mm)]))
  }

  /// V⁻¹V_kV⁻¹.
  func middleMatrix(_ k: Int) -> Matrix { column(middle, k) }

  /// V_kV⁻¹.
  func rightMatrix(_ k: Int) -> Matrix { column(right, k) }

  /// V at other parameters, m × m column-major.
  func covariance(at x: [Double]) throws -> [Double] {
    guard let value = model.marginalCovariance(block, parameters: x) else {
      throw InferenceError.numerical(reason: "a block covariance is not finite")
    }
    return value
  }
}
