import Foundation
import LinearAlgebra
import MixedModels

/// The profiled criteria of a linear mixed model at θ, straight from their definitions.
///
/// The n×n marginal covariance is formed densely and everything is done with textbook loops
/// (no BLAS, no blocked factor):
///
///     V₀ = Z Λ Λᵀ Zᵀ + I                      (V = σ² V₀)
///     β̂  = (Xᵀ V₀⁻¹ X)⁻¹ Xᵀ V₀⁻¹ y,   r = y − X β̂,   Q = rᵀ V₀⁻¹ r
///     −2ℓ_ML(θ, β, σ²) = n log 2πσ² + log|V₀| + Q/σ²
///     −2ℓ_R (θ, σ²)    = (n−p) log 2πσ² + log|V₀| + log|Xᵀ V₀⁻¹ X| + Q/σ²
///
/// Minimising over σ² (σ̂² = Q/n, resp. Q/(n−p)) gives the profiled criteria
///
///     ML:   log|V₀| + n (1 + log(2π Q / n))
///     REML: log|V₀| + log|Xᵀ V₀⁻¹ X| + (n−p)(1 + log(2π Q / (n−p)))
///
/// which lme4 evaluates through the identities log|V₀| = log|ΛᵀZᵀZΛ + I| (Sylvester),
/// log|XᵀV₀⁻¹X| = log|L_X|² and Q = r² (Bates et al. 2015, JSS 67(1), eqs. 34 and 41).
struct DenseReference {
  let n: Int
  let p: Int
  /// log|V₀|.
  let logDeterminantV: Double
  /// log|Xᵀ V₀⁻¹ X|.
  let logDeterminantXVX: Double
  /// Q = rᵀ V₀⁻¹ r.
  let quadraticForm: Double
  /// β̂.
  let beta: [Double]
  /// (Xᵀ V₀⁻¹ X)⁻¹.
  let unscaledCovariance: [[Double]]
  /// b̂ = Λ Λᵀ Zᵀ V₀⁻¹ r, per term, level-major.
  let conditionalModes: [[Double]]
  /// Λ (ΛᵀZᵀZΛ + I)⁻¹ Λᵀ (the conditional covariance of b over σ²), dense r×r.
  let conditionalCovariance: [[Double]]
  /// Offset of each term's columns in Z.
  let offsets: [Int]

  var reml: Double {
    let dof = Double(n - p)
    return logDeterminantV + logDeterminantXVX + dof
      * (1 + log(2 * Double.pi * quadraticForm / dof))
  }

  var ml: Double {
    let n = Double(self.n)
    return logDeterminantV + n * (1 + log(2 * Double.pi * quadraticForm / n))
  }

  init(model: LinearMixedModel, theta: [Double]) {
    let n = model.observationCount
    let p = model.fixedEffectCount
    self.n = n
    self.p = p
    var offsets = [Int]()
    var total = 0
    for term in model.terms {
      offsets.append(total)
      total += term.dimension
    }
    self.offsets = offsets
    // Z (n × r) and Λ (r × r, block diagonal with each term's template repeated per level).
    var z = [[Double]](repeating: [Double](repeating: 0, count: total), count: n)
    var lambda = [[Double]](repeating: [Double](repeating: 0, count: total), count: total)
    for (k, term) in model.terms.enumerated() {
      let q = term.q
      for i in 0..<n {
        for c in 0..<q {
          z[i][offsets[k] + Int(term.levelIndex[i]) * q + c] = term.values[i * q + c]
        }
      }
      let t = model.template(theta: theta, term: k)
      for level in 0..<term.levelCount {
        for a in 0..<q {
          for b in 0..<q {
            lambda[offsets[k] + level * q + a][offsets[k] + level * q + b] = t[a + b * q]
          }
        }
      }
    }
    let zl = multiply(z, lambda)
    let lambdaLambda = multiply(lambda, transpose(lambda))
    var v = multiply(zl, transpose(zl))
    for i in 0..<n { v[i][i] += 1 }
    let lv = cholesky(v)
    logDeterminantV = (0..<n).reduce(0.0) { $0 + 2 * log(lv[$1][$1]) }

    let x = (0..<n).map { i in (0..<p).map { model.X[i, $0] } }
    let y = model.response
    let vInvX = solve(lv, x)
    let vInvY = solve(lv, y.map { [$0] }).map { $0[0] }
    let xvx = multiply(transpose(x), vInvX)
    let lx = cholesky(xvx)
    logDeterminantXVX = (0..<p).reduce(0.0) { $0 + 2 * log(lx[$1][$1]) }
    let xvy = (0..<p).map { a in (0..<n).reduce(0.0) { $0 + x[$1][a] * vInvY[$1] } }
    let beta = solve(lx, xvy.map { [$0] }).map { $0[0] }
    self.beta = beta
    var identity = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
    for i in 0..<p { identity[i][i] = 1 }
    unscaledCovariance = solve(lx, identity)

    let residual = (0..<n).map { i in y[i] - (0..<p).reduce(0.0) { $0 + x[i][$1] * beta[$1] } }
    let vInvR = solve(lv, residual.map { [$0] }).map { $0[0] }
    quadraticForm = zip(residual, vInvR).reduce(0.0) { $0 + $1.0 * $1.1 }

    let ztVInvR = (0..<total).map { c in (0..<n).reduce(0.0) { $0 + z[$1][c] * vInvR[$1] } }
    let b = lambdaLambda.map { row in zip(row, ztVInvR).reduce(0.0) { $0 + $1.0 * $1.1 } }
    conditionalModes = model.terms.indices.map { k in
      Array(b[offsets[k]..<(offsets[k] + model.terms[k].dimension)])
    }

    var inner = multiply(transpose(zl), zl)
    for i in 0..<total { inner[i][i] += 1 }
    let innerInverse = solve(
      cholesky(inner),
      lambda.indices.map { i in
        (0..<total).map { $0 == i ? 1.0 : 0.0 }
      })
    conditionalCovariance = multiply(multiply(lambda, innerInverse), transpose(lambda))
  }
}

// MARK: - Textbook dense linear algebra on row-major [[Double]].

private func transpose(_ a: [[Double]]) -> [[Double]] {
  guard let columns = a.first?.count else { return [] }
  return (0..<columns).map { j in a.map { $0[j] } }
}

private func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
  let inner = b.count
  let columns = b.first?.count ?? 0
  return a.map { row in
    (0..<columns).map { j in
      var s = 0.0
      for k in 0..<inner { s += row[k] * b[k][j] }
      return s
    }
  }
}

/// Lower Cholesky factor (precondition: positive definite).
private func cholesky(_ a: [[Double]]) -> [[Double]] {
  let n = a.count
  var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
  for j in 0..<n {
    var d = a[j][j]
    for k in 0..<j { d -= l[j][k] * l[j][k] }
    precondition(d > 0, "DenseReference: not positive definite")
    l[j][j] = d.squareRoot()
    for i in (j + 1)..<max(j + 1, n) {
      var s = a[i][j]
      for k in 0..<j { s -= l[i][k] * l[j][k] }
      l[i][j] = s / l[j][j]
    }
  }
  return l
}

/// (L Lᵀ)⁻¹ B by forward then back substitution.
private func solve(_ l: [[Double]], _ b: [[Double]]) -> [[Double]] {
  let n = l.count
  let columns = b.first?.count ?? 0
  var x = b
  for c in 0..<columns {
    for i in 0..<n {
      var s = x[i][c]
      for k in 0..<i { s -= l[i][k] * x[k][c] }
      x[i][c] = s / l[i][i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = x[i][c]
      for k in (i + 1)..<n { s -= l[k][i] * x[k][c] }
      x[i][c] = s / l[i][i]
    }
  }
  return x
}
