import Foundation
import LinearAlgebra
import MixedModels
import Parallelism

/// The sums over independent blocks of V that Kenward–Roger needs, in flat row-major storage:
/// `p[r]` = −Σ X_cᵀV_c⁻¹G_rV_c⁻¹X_c, `q[r][s]` = Σ X_cᵀV_c⁻¹G_rV_c⁻¹G_sV_c⁻¹X_c and
/// `k[r][s]` = Σ tr(V_c⁻¹G_rV_c⁻¹G_s).
struct BlockSums: Sendable {
  var p: [Double]
  var q: [Double]
  var k: [Double]

  init(parameters r: Int, columns pCount: Int) {
    p = Array(repeating: 0, count: r * pCount * pCount)
    q = Array(repeating: 0, count: r * r * pCount * pCount)
    k = Array(repeating: 0, count: r * r)
  }

  mutating func add(_ other: BlockSums) {
    for i in p.indices { p[i] += other.p[i] }
    for i in q.indices { q[i] += other.q[i] }
    for i in k.indices { k[i] += other.k[i] }
  }

  /// The sums over all clusters, split into chunks summed on up to `threads` threads (the
  /// chunks depend on the number of clusters only and are added in order, so results depend
  /// neither on scheduling nor on `threads`).
  static func parallel(
    clusters: [[Int]], model: LinearMixedModel, parameters: [(term: Int, a: Int, b: Int)],
    covariances: [[Double]], sigma2: Double, threads: Int
  ) throws -> BlockSums {
    let r = parameters.count + 1
    let pCount = model.fixedEffectCount
    let specs = parameters.map { [$0.term, $0.a, $0.b] }
    let chunks = ChunkedRange(count: clusters.count, itemsPerChunk: 256, maximumChunks: 64)
    let parts = try chunks.map(threads: threads) { _, range throws(any Error) in
      var sums = BlockSums(parameters: r, columns: pCount)
      for c in range {
        try sums.accumulate(
          rows: clusters[c], model: model, parameters: specs, covariances: covariances,
          sigma2: sigma2)
      }
      return sums
    }
    var total = BlockSums(parameters: r, columns: pCount)
    for part in parts { total.add(part) }
    return total
  }

  /// Adds one cluster's contributions.
  mutating func accumulate(
    rows: [Int], model: LinearMixedModel, parameters: [[Int]], covariances: [[Double]],
    sigma2: Double
  ) throws {
    let m = rows.count
    let pCount = model.fixedEffectCount
    let terms = model.terms
    let r = parameters.count + 1
    // G_r restricted to the cluster (r·m²), and V.
    var g = [Double](repeating: 0, count: r * m * m)
    var v = [Double](repeating: 0, count: m * m)
    for (ii, i) in rows.enumerated() {
      for jj in 0...ii {
        let j = rows[jj]
        for (k, term) in terms.enumerated() where term.levelIndex[i] == term.levelIndex[j] {
          let qk = term.q
          let zi = i * qk
          let zj = j * qk
          let z = term.values
          var vij = 0.0
          for a in 0..<qk {
            for b in 0..<qk { vij += z[zi + a] * covariances[k][a * qk + b] * z[zj + b] }
          }
          v[ii * m + jj] += vij
          for (index, parameter) in parameters.enumerated() where parameter[0] == k {
            let a = parameter[1]
            let b = parameter[2]
            let value =
              a == b
              ? z[zi + a] * z[zj + a] : z[zi + a] * z[zj + b] + z[zi + b] * z[zj + a]
            g[index * m * m + ii * m + jj] = value
            g[index * m * m + jj * m + ii] = value
          }
        }
        v[jj * m + ii] = v[ii * m + jj]
      }
      v[ii * m + ii] += sigma2
      g[(r - 1) * m * m + ii * m + ii] = 1
    }
    var factor = Matrix(rows: m, columns: m, columnMajor: v)
    guard (try? factor.choleskyLowerInPlace()) != nil,
      let vInverse = try? factor.inverseFromCholesky()
    else {
      throw InferenceError.numerical(
        reason: "the marginal covariance of a block of \(m) observations is not positive definite")
    }
    let vi = vInverse.elements
    var x = [Double](repeating: 0, count: m * pCount)
    for (ii, i) in rows.enumerated() {
      for c in 0..<pCount { x[ii * pCount + c] = model.X[i, c] }
    }
    let tt = product(vi, 0, x, m, m, pCount)  // V⁻¹X
    let h = (0..<r).map { product(g, $0 * m * m, vi, m, m, m) }  // G_r V⁻¹
    let o = (0..<r).map { product(g, $0 * m * m, tt, m, m, pCount) }  // G_r V⁻¹X
    let vo = o.map { product(vi, 0, $0, m, m, pCount) }  // V⁻¹G_r V⁻¹X
    let pp = pCount * pCount
    for s in 0..<r {
      for a in 0..<pCount {
        for b in 0..<pCount {
          var sum = 0.0
          for l in 0..<m { sum += o[s][l * pCount + a] * tt[l * pCount + b] }
          p[s * pp + a * pCount + b] -= sum
        }
      }
      for t in 0..<r {
        let base = (s * r + t) * pp
        for a in 0..<pCount {
          for b in 0..<pCount {
            var sum = 0.0
            for l in 0..<m { sum += o[s][l * pCount + a] * vo[t][l * pCount + b] }
            q[base + a * pCount + b] += sum
          }
        }
        if t >= s {
          var trace = 0.0
          for a in 0..<m {
            for b in 0..<m { trace += h[s][a * m + b] * h[t][b * m + a] }
          }
          k[s * r + t] += trace
          if t != s { k[t * r + s] += trace }
        }
      }
    }
  }
}

/// Row-major product of the a×b matrix at `x[offset...]` and the b×c matrix `y`.
private func product(
  _ x: [Double], _ offset: Int, _ y: [Double], _ a: Int, _ b: Int, _ c: Int
) -> [Double] {
  var out = [Double](repeating: 0, count: a * c)
  for i in 0..<a {
    for l in 0..<b {
      let xil = x[offset + i * b + l]
      if xil == 0 { continue }
      for j in 0..<c { out[i * c + j] += xil * y[l * c + j] }
    }
  }
  return out
}
