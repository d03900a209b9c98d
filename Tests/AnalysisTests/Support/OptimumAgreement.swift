import LinearAlgebra
import MixedModels
import TestSupport
import Testing

/// How far two minimisers of the same profiled criterion may differ in what they report,
/// given how flat the criterion is around the optimum.
///
/// Near the optimum θ* the criterion is quadratic in the free coordinates of θ (those not on
/// a bound):
///
///     D(θ) ≈ D* + ½ (θ − θ*)ᵀ H (θ − θ*)
///
/// so a fit whose criterion lies within ε of D* has its θ inside that ellipsoid, and any
/// quantity read off it, q(θ) (β̂, an SE, σ̂, a BLUP, a fitted value), lies within
///
///     √(2ε · ∇qᵀ H⁻¹ ∇q)
///
/// of q(θ*) (the largest of ∇q·δ over the ellipsoid). Two such fits are within twice that of
/// each other; `Tolerance.optimumSafety` covers the quadratic model's and the finite
/// differences' error. On a flat or ridge-like surface H is small in some direction, and
/// exactly the quantities that move along it get a wide tolerance; a well-conditioned fit
/// gets a narrow one.
///
/// A coordinate on its bound (a template diagonal at zero) is free when the criterion is even
/// in it there (a scalar term's variance, or the last diagonal of a template: θ enters through
/// ΛΛᵀ only): the optimum is then a smooth minimum through the bound, and another optimiser
/// may stop at 2e-9 instead of 0 with the same criterion. Otherwise the criterion rises off
/// the bound with a positive slope, and the coordinate must be on the bound in both fits.
///
/// H is the fit's finite-difference Hessian of the criterion (lme4's `deriv12`); ∇q is taken
/// by central differences of `LinearMixedModel.fit(atTheta:)`, which reports every quantity
/// at a given θ without optimising.
struct OptimumAgreement {
  /// Allowed criterion excess over the optimum: see `init`.
  let epsilon: Double
  /// The fit the tolerances are taken around (ours).
  let center: LinearMixedModelFit
  /// Indices of θ that are off their lower bound, or on it where the criterion is even.
  let free: [Int]
  /// H⁻¹ on the free coordinates, row-major.
  private let inverseHessian: [Double]
  /// For each free coordinate: the fits at θ̂ ± h (minus is θ̂ itself when θ̂ − h would cross
  /// the bound) and the distance between them.
  private let neighbours: [(plus: LinearMixedModelFit, minus: LinearMixedModelFit, width: Double)]

  /// Prepares the tolerances around `fit`.
  /// - Parameters:
  ///   - model: The model `fit` came from.
  ///   - fit: Our fit.
  ///   - referenceCriterion: The reference's criterion (lme4's tight refit).
  /// - Throws: `Failure` when the criterion's Hessian on the free coordinates is not positive
  ///   definite (no quadratic bound exists), or `fit(atTheta:)` fails.
  ///
  /// ε bounds how far either fit's criterion may lie above the optimum: the distance between
  /// the two criteria plus the precision to which converged optimisers agree
  /// (`Tolerance.optimumPrecision`). So the tolerances follow what was reached: criteria equal
  /// to 1e-13 leave estimates little room, a criterion 1e-10 worse (still accepted by
  /// `Tolerance.criterionAtOptimum`) leaves them thirty times more.
  init(model: LinearMixedModel, fit: LinearMixedModelFit, referenceCriterion: Double) throws {
    center = fit
    epsilon =
      abs(referenceCriterion - fit.objective)
      + Tolerance.optimumPrecision.relative * abs(referenceCriterion)
    let n = fit.theta.count
    free = try (0..<n).filter { j in
      if fit.theta[j] > fit.thetaLowerBounds[j] { return true }
      var up = fit.theta
      var down = fit.theta
      up[j] += 1e-4
      down[j] -= 1e-4
      let rise = try model.fit(atTheta: up, method: fit.method).objective
      let fall = try model.fit(atTheta: down, method: fit.method).objective
      return abs(rise - fall) <= 1e-13 * abs(fit.objective)
    }
    let m = free.count
    var h = Matrix(rows: m, columns: m)
    for (a, i) in free.enumerated() {
      for (b, j) in free.enumerated() { h[a, b] = fit.hessian[i * n + j] }
    }
    do {
      try h.choleskyLowerInPlace()
      inverseHessian = m == 0 ? [] : try h.inverseFromCholesky().elements
    } catch {
      throw Failure(
        message: "the criterion's Hessian on the free θ \(free) is not positive definite: "
          + "\(fit.hessian)")
    }
    var neighbours = [(plus: LinearMixedModelFit, minus: LinearMixedModelFit, width: Double)]()
    for j in free {
      let step = 1e-5 * max(abs(fit.theta[j]), 0.1)
      var up = fit.theta
      up[j] += step
      var down = fit.theta
      // Across a bound only where the criterion is even in the coordinate (see above).
      let oneSided =
        down[j] - step < fit.thetaLowerBounds[j] && fit.theta[j] > fit.thetaLowerBounds[j]
      if !oneSided { down[j] -= step }
      neighbours.append(
        (
          try model.fit(atTheta: up, method: fit.method),
          oneSided ? fit : try model.fit(atTheta: down, method: fit.method),
          oneSided ? step : 2 * step
        ))
    }
    self.neighbours = neighbours
  }

  /// A test failure that is not an expectation (no bound can be given).
  struct Failure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// For each element of the vector `read` takes from a fit, how far two fits within ε of
  /// the optimum may differ in it: 2 · `Tolerance.optimumSafety` · √(2ε ∇qᵀH⁻¹∇q).
  /// - Parameter read: The quantity (e.g. `\.fixedEffects`).
  /// - Returns: One tolerance per element of `read(center)`.
  func spread(_ read: (LinearMixedModelFit) -> [Double]) -> [Double] {
    let values = read(center)
    let m = free.count
    let derivatives = neighbours.map { plus, minus, width in
      zip(read(plus), read(minus)).map { ($0 - $1) / width }
    }
    return values.indices.map { k in
      var quadratic = 0.0
      for a in 0..<m {
        for b in 0..<m {
          quadratic += derivatives[a][k] * inverseHessian[a * m + b] * derivatives[b][k]
        }
      }
      return 2 * Tolerance.optimumSafety * (2 * epsilon * max(quadratic, 0)).squareRoot()
    }
  }

  /// Expects each element of `read(center)` within its `spread` of `expected`, plus the
  /// rounding floor `floor` (relative to the largest |expected|, as for any vector of
  /// estimates, whose small elements have no relative error of their own).
  /// - Parameters:
  ///   - read: The quantity.
  ///   - expected: The reference values.
  ///   - floor: The rounding floor.
  ///   - label: What is compared.
  ///   - sourceLocation: Where the expectation is written.
  func expectAgreement(
    _ read: (LinearMixedModelFit) -> [Double], _ expected: [Double],
    floor: Tolerance = .optimumRounding, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let observed = read(center)
    let spreads = spread(read)
    #expect(
      observed.count == expected.count,
      "\(label): \(observed.count) values, expected \(expected.count)",
      sourceLocation: sourceLocation)
    // The largest |expected|; a NaN among them makes the scale NaN, and the comparisons fail.
    let scale = expected.map(abs).reduce(0, largest)
    let base = floor.absolute + floor.relative * scale
    // Measured agreement, for the notes: the largest difference relative to the vector's
    // scale, and the largest share of its tolerance a difference used (NaN kept).
    let differences = zip(observed, expected).map { abs($0 - $1) }
    let used = zip(differences, spreads).map { d, s in d / (base + s) }
    let unit = max(scale, 1e-300)
    print(
      "optimum agreement \(label): max |Δ|/scale \(differences.reduce(0, largest) / unit), "
        + "max spread/scale \(spreads.reduce(0, largest) / unit), "
        + "max share of tolerance \(used.reduce(0, largest))")
    for (k, (o, e)) in zip(observed, expected).enumerated() {
      let tolerance = Tolerance(
        relative: floor.relative, absolute: base + spreads[k],
        reason: "\(floor.reason); plus √(2ε∇qᵀH⁻¹∇q) = \(spreads[k]) from the conditioning")
      expectClose(o, e, tolerance, "\(label)[\(k)]", sourceLocation: sourceLocation)
    }
  }
}
