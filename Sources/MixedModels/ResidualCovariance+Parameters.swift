import Foundation

extension ResidualCovariance {
  /// Names of the reported (natural-scale) parameters, in the order of `naturalParameters`.
  ///
  /// Standard deviations are `sd` (common) or `sd[<visit>]`; correlations are `rho` (ar1, cs,
  /// sp_exp: the correlation at distance 1), `rho[lag k]` (Toeplitz), `rho[<visit>,<visit>]`
  /// (ante-dependence: adjacent visits; us: every pair). With groups, each name ends in
  /// `:<group>`.
  public var naturalParameterNames: [String] {
    let v = visitLabels
    var names: [String] = []
    switch structure {
    case .us:
      names = v.map { "sd[\($0)]" }
      for j in 0..<v.count {
        for i in (j + 1)..<max(j + 1, v.count) { names.append("rho[\(v[j]),\(v[i])]") }
      }
    case .ar1, .cs, .spExp: names = ["sd", "rho"]
    case .ar1h, .csh: names = v.map { "sd[\($0)]" } + ["rho"]
    case .toep, .toeph:
      names =
        (scaleCount == 1 ? ["sd"] : v.map { "sd[\($0)]" })
        + (1..<max(1, v.count)).map { "rho[lag \($0)]" }
    case .ad, .adh:
      names =
        (scaleCount == 1 ? ["sd"] : v.map { "sd[\($0)]" })
        + (1..<max(1, v.count)).map { "rho[\(v[$0 - 1]),\(v[$0])]" }
    }
    if groupLabels.isEmpty { return names }
    return groupLabels.flatMap { g in names.map { $0 + ":" + g } }
  }

  /// The parameters on their natural scale (standard deviations and correlations), named by
  /// `naturalParameterNames`.
  /// - Parameter phi: The unconstrained parameters.
  /// - Returns: The values, group by group.
  public func naturalParameters(phi: [Double]) -> [Double] {
    var values: [Double] = []
    let t = visitCount
    for g in 0..<groupCount {
      let block = Array(phi[(g * parametersPerGroup)..<((g + 1) * parametersPerGroup)])
      if structure == .us {
        let sigma = matrix(phi: phi, group: g)
        let sd = (0..<t).map { sigma[$0, $0].squareRoot() }
        values += sd
        for j in 0..<t {
          for i in (j + 1)..<max(j + 1, t) { values.append(sigma[i, j] / (sd[i] * sd[j])) }
        }
        continue
      }
      values += block[0..<scaleCount].map { exp($0) }
      let c = Array(block[scaleCount...])
      switch structure {
      case .ar1, .ar1h: values.append(Self.odd(c[0]))
      case .cs, .csh: values.append(Self.compoundSymmetryCorrelation(c[0], visits: t))
      case .spExp: values.append(Self.logistic(c[0]))
      case .toep, .toeph: values += Self.autocorrelations(partial: c.map(Self.odd))
      case .ad, .adh: values += c.map(Self.odd)
      case .us: break
      }
    }
    return values
  }

  /// Names of the unconstrained parameters φ (`log_sd`, `chol[i,j]`, `theta_rho`, …).
  public var parameterNames: [String] {
    let v = visitLabels
    var names: [String] = []
    if structure == .us {
      names = v.map { "log_chol[\($0),\($0)]" }
      for j in 0..<v.count {
        for i in (j + 1)..<max(j + 1, v.count) { names.append("chol[\(v[i]),\(v[j])]") }
      }
    } else {
      names = scaleCount == 1 ? ["log_sd"] : v.map { "log_sd[\($0)]" }
      let correlations = parametersPerGroup - scaleCount
      names += correlations == 1 ? ["phi_rho"] : (1...max(1, correlations)).map { "phi_rho\($0)" }
      names = Array(names.prefix(parametersPerGroup))
    }
    if groupLabels.isEmpty { return names }
    return groupLabels.flatMap { g in names.map { $0 + ":" + g } }
  }

  /// Starting values: every standard deviation `sd`, every correlation 0 (0.5 for `sp_exp`,
  /// whose correlation is positive).
  /// - Parameter sd: A residual standard deviation, such as that of ordinary least squares.
  /// - Returns: φ at the start.
  public func startingParameters(sd: Double) -> [Double] {
    let logSD = log(max(sd, 1e-8))
    var block: [Double]
    let t = visitCount
    switch structure {
    case .us:
      block =
        [Double](repeating: logSD, count: t)
        + [Double](repeating: 0, count: t * (t - 1) / 2)
    case .cs, .csh:
      let lower = t > 1 ? -1 / Double(t - 1) : -1
      let p = -lower / (1 - lower)
      block = [Double](repeating: logSD, count: scaleCount) + [log(p / (1 - p))]
    default:
      block =
        [Double](repeating: logSD, count: scaleCount)
        + [Double](repeating: 0, count: parametersPerGroup - scaleCount)
    }
    return (0..<groupCount).flatMap { _ in block }
  }
}
