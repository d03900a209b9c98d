import Foundation
import LinearAlgebra

/// The mutable buffers of one fit.
///
/// They hold the blocked Cholesky factor `L` of
///
///     [ΛᵀZᵀZΛ + I   ΛᵀZᵀX   ΛᵀZᵀy]
///     [  XᵀZΛ        XᵀX     Xᵀy ]
///     [  yᵀZΛ        yᵀX     yᵀy ]
///
/// refreshed in place by `updateFactor(theta:)`. One workspace per task; never shared.
///
/// The path is `setθ → updateFactor → objective`: `updateFactor(theta:)` refactors what the
/// criterion, β̂ and the covariance of β̂ need, which for one grouping factor leaves out the
/// per-level blocks `L_b` and `[X y]` panels (skipping their stores halves the memory traffic
/// of the evaluations inside the optimiser). The solutions that need those blocks (the
/// conditional modes and variances) are read after `completeFactor()`, which brings every
/// block up to date at the same θ; `hasFullFactor` says whether it is.
///
/// Blocks mirror `LinearMixedModel`'s: `diagonal0` for the first term (block diagonal, stays so),
/// `diagonal[k]` dense for later terms (they fill in), `offDiagonal[k][j]`, `xyRow[j]` and
/// `xyxy`, whose last row holds `[c_Xᵀ r]` so that `r² ` is the penalised residual sum of squares.
public struct PLSWorkspace: Sendable {
  /// The model this workspace belongs to.
  public let model: LinearMixedModel
  /// θ of the last successful `updateFactor`.
  public private(set) var theta: [Double]
  /// Whether every block of `L` is valid for `theta` (see `completeFactor()`).
  public private(set) var hasFullFactor = false
  /// Whether the factor holds a valid factorisation for `theta`.
  public private(set) var isFactored = false

  var templates: [[Double]]
  var diagonal0: UniformBlockDiagonal
  var diagonal: [Matrix]
  var offDiagonal: [[Matrix]]
  var xyRow: [Matrix]
  var xyxy: Matrix
  private var scratchBlocks: [UniformBlockDiagonal]
  /// `log|L_Z|²` when the single-factor kernel computed it.
  private var logDeterminantZCache: Double?
  /// Threads for the per-level loops (results do not depend on it); the model's `threads`
  /// unless changed.
  public var threads: Int

  /// Allocates a workspace for `model` (the only allocation; updates reuse it).
  /// - Parameter model: The model structure.
  public init(model: LinearMixedModel) {
    self.model = model
    self.threads = model.threads
    self.theta = model.thetaStart
    self.templates = model.terms.map { Array(repeating: 0, count: $0.q * $0.q) }
    self.diagonal0 = model.zz[0]
    // Dense diagonal blocks only for the later terms: the first stays block diagonal in
    // `diagonal0` (a dense copy of it would be (levels·q)², 320 GB at 100,000 subjects).
    self.diagonal = model.terms.indices.map { k in
      k == 0
        ? Matrix(rows: 0, columns: 0)
        : Matrix(rows: model.terms[k].dimension, columns: model.terms[k].dimension)
    }
    self.offDiagonal = model.zzOff
    self.xyRow = model.xyz
    self.xyxy = model.xyxy
    self.scratchBlocks = model.zz
  }

  /// Refactors `L` for covariance parameters `theta`, as far as the criterion, β̂ and the
  /// covariance of β̂ need it (every block but, for one grouping factor, the per-level ones;
  /// see `completeFactor()`).
  /// - Parameter theta: Template parameters in `LinearMixedModel.thetaNames` order.
  /// - Returns: `false` when a block is not positive definite (the deviance is then +∞).
  /// - Complexity: O(levels · q³ + levels · q · p² ) for one grouping factor; independent of n.
  @discardableResult
  public mutating func updateFactor(theta: [Double]) -> Bool {
    precondition(theta.count == model.thetaCount, "theta has the wrong length")
    self.theta = theta
    return refactor(storingLevelBlocks: false)
  }

  /// Brings every block of `L` up to date at the current `theta`.
  ///
  /// For the solutions that read the per-level blocks (`sphericalModes(beta:)`,
  /// `unscaledConditionalVariances()`). Does nothing when `hasFullFactor` already holds; the
  /// criterion and β̂ keep their bits.
  /// - Returns: `false` when the workspace is not factored or a block is not positive definite.
  /// - Complexity: one more pass of `updateFactor(theta:)` for one grouping factor; none else.
  @discardableResult
  public mutating func completeFactor() -> Bool {
    guard isFactored else { return false }
    if hasFullFactor { return true }
    return refactor(storingLevelBlocks: true)
  }

  /// Refactors `L` at `theta`; with `storingLevelBlocks` false the single-factor kernel skips
  /// the per-level stores.
  private mutating func refactor(storingLevelBlocks: Bool) -> Bool {
    isFactored = false
    hasFullFactor = false
    let terms = model.terms
    let count = terms.count
    for k in 0..<count { templates[k] = model.template(theta: theta, term: k) }

    // One grouping factor: the fused, chunked per-level kernel does the whole update.
    if count == 1 {
      guard
        let logDet = SingleFactorKernel.run(
          blocks: model.zz[0], template: templates[0], panels: model.xyz[0],
          factors: &diagonal0, projected: &xyRow[0], gram: &xyxy, threads: threads,
          store: storingLevelBlocks)
      else { return false }
      // xyxy := A_xyxy − G
      for j in 0..<xyxy.columns {
        for i in j..<xyxy.rows { xyxy[i, j] = model.xyxy[i, j] - xyxy[i, j] }
      }
      logDeterminantZCache = logDet
      do { try xyxy.choleskyLowerInPlace() } catch { return false }
      isFactored = true
      hasFullFactor = storingLevelBlocks
      return true
    }
    logDeterminantZCache = nil

    // First term: block diagonal Λ₀ᵀ A₀₀ Λ₀ + I, factored block by block.
    diagonal0.setCongruence(of: model.zz[0], by: templates[0], addIdentity: true)
    do { try diagonal0.choleskyInPlace() } catch { return false }

    // Later terms' rows.
    for k in 1..<max(1, count) {
      for j in 0..<k {
        offDiagonal[k][j].assign(from: model.zzOff[k][j])
        offDiagonal[k][j].multiplyRowBlocksTransposed(height: terms[k].q, by: templates[k])
        offDiagonal[k][j].multiplyColumnBlocks(width: terms[j].q, by: templates[j])
        for m in 0..<j {
          offDiagonal[k][j].multiplyAdd(
            offDiagonal[k][m], offDiagonal[j][m], transposeB: true, alpha: -1, beta: 1)
        }
        if j == 0 {
          offDiagonal[k][j].solveColumnBlocksTransposed(by: diagonal0)
        } else {
          offDiagonal[k][j].solveRightLowerTransposed(diagonal[j])
        }
      }
      scratchBlocks[k].setCongruence(of: model.zz[k], by: templates[k], addIdentity: true)
      diagonal[k].assign(blockDiagonal: scratchBlocks[k])
      for m in 0..<k {
        diagonal[k].symmetricRankUpdate(offDiagonal[k][m], alpha: -1, beta: 1)
      }
      do { try diagonal[k].choleskyLowerInPlace() } catch { return false }
    }

    // The [X y] row.
    for j in 0..<count {
      xyRow[j].assign(from: model.xyz[j])
      xyRow[j].multiplyColumnBlocks(width: terms[j].q, by: templates[j])
      for m in 0..<j {
        xyRow[j].multiplyAdd(xyRow[m], offDiagonal[j][m], transposeB: true, alpha: -1, beta: 1)
      }
      if j == 0 {
        xyRow[j].solveColumnBlocksTransposed(by: diagonal0)
      } else {
        xyRow[j].solveRightLowerTransposed(diagonal[j])
      }
    }
    xyxy.assign(from: model.xyxy)
    for m in 0..<count { xyxy.symmetricRankUpdate(xyRow[m], alpha: -1, beta: 1) }
    do { try xyxy.choleskyLowerInPlace() } catch { return false }
    isFactored = true
    hasFullFactor = true
    return true
  }

  // MARK: - Pieces of the profiled deviance

  /// `log|L_Z|²`: twice the sum of the logs of the diagonal of the random-effects factor.
  public var logDeterminantZ: Double {
    if let logDeterminantZCache { return logDeterminantZCache }
    var sum = diagonal0.logDeterminantOfFactor
    for k in 1..<max(1, model.terms.count) {
      for i in 0..<diagonal[k].rows { sum += 2 * log(diagonal[k][i, i]) }
    }
    return sum
  }

  /// `log|L_X|²`: twice the sum of the logs of the fixed-effects part of the diagonal.
  public var logDeterminantX: Double {
    var sum = 0.0
    for i in 0..<model.fixedEffectCount { sum += 2 * log(xyxy[i, i]) }
    return sum
  }

  /// `r²`, the penalised residual sum of squares at the conditional estimates.
  public var penalizedResidualSumOfSquares: Double {
    let p = model.fixedEffectCount
    let r = xyxy[p, p]
    return r * r
  }

  /// The profiled deviance (ML) or REML criterion at the current factor.
  ///
  ///     ML:   log|L_Z|² + n (1 + log(2π r²/n))
  ///     REML: log|L_Z|² + log|L_X|² + (n−p)(1 + log(2π r²/(n−p)))
  ///
  /// (Bates, Mächler, Bolker & Walker 2015, JSS 67(1), eqs. 34 and 41.)
  /// - Parameter reml: REML criterion instead of the deviance.
  /// - Returns: The criterion; +∞ when the last factorisation failed.
  public func objective(reml: Bool) -> Double {
    guard isFactored else { return .infinity }
    let n = Double(model.observationCount)
    let p = Double(model.fixedEffectCount)
    let r2 = penalizedResidualSumOfSquares
    let criterion: Double
    if reml {
      let dof = n - p
      criterion = logDeterminantZ + logDeterminantX + dof * (1 + log(2 * Double.pi * r2 / dof))
    } else {
      criterion = logDeterminantZ + n * (1 + log(2 * Double.pi * r2 / n))
    }
    // Prior weights: −Σ log wᵢ (lme4's ldW); without them nothing is added.
    return model.responseModel.weights == nil ? criterion : criterion - model.logWeightSum
  }
}
