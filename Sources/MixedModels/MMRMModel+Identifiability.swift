import Optimization

extension MMRMModel {
  /// The most memory a fit may set aside for the optimizer: BOBYQA's workspace and the
  /// finite-difference Hessian with its factorizations (2 GB, about 4,900 parameters).
  public static let optimizerMemoryLimit: Double = 2e9

  /// Refuses, before any optimization, covariance parameters the data cannot identify or the
  /// optimizer cannot hold in memory.
  ///
  /// Three checks, cheapest and most specific first:
  ///
  /// 1. *Unstructured Σ with fewer subjects than visits* (per covariance group). With k
  ///    subjects the residual vectors r_i = y_i − X_iβ span at most k of the m visit
  ///    directions, so for k < m the ML criterion `Σ log|Σ_i| + Σ r_iᵀΣ_i⁻¹r_i` falls without
  ///    bound as Σ shrinks along a direction orthogonal to them, whatever β; the REML
  ///    criterion does the same whenever those directions are not all taken by the columns of
  ///    X. There is no estimate to find. **This is an error, not a warning**, as mmrm has it:
  ///    `mmrm()` (openpharma/mmrm `R/fit.R`, the loop over `control$optimizers` and the
  ///    `stop("Chosen optimizers ... led to problems during model fit")` after it) refuses a
  ///    fit that no optimizer brings to a converged optimum with a positive-definite
  ///    `theta_vcov` (`h_mmrm_tmb_check_conv` in `R/tmb.R`), which is what an unbounded
  ///    likelihood gives; SAS PROC MIXED stops with an infinite likelihood or a non-positive
  ///    definite Hessian. mmrm has no up-front check of subjects against visits; it refuses
  ///    more than 100 visit levels up front (`h_confirm_large_levels` in `R/utils.R`, called
  ///    from `h_mmrm_tmb_data` in `R/tmb.R`: "Visit levels too large!"), a memory guard that
  ///    check 3 makes in terms of what is actually allocated.
  /// 2. *More covariance parameters than observations left after the fixed effects*
  ///    (`parameterCount > n − p`, any structure): REML works with the n − p error contrasts,
  ///    and more parameters than contrasts cannot all be determined.
  /// 3. *Optimizer memory*: BOBYQA's workspace (≈ 7.5 k² doubles for k parameters; see
  ///    `BoundedMinimizer.workspaceBytes`) plus three k × k matrices for the Hessian checks,
  ///    against `optimizerMemoryLimit`. It also keeps k far below the ≈ 16,900 at which NLopt's
  ///    `int` workspace size overflows (a crash in NLopt 2.7).
  /// - Parameter algorithm: The optimizer the fit will use.
  /// - Throws: `FitError.unstructuredCovarianceNotIdentifiable`,
  ///   `.tooManyCovarianceParameters` or `.optimizerWorkspaceTooLarge`.
  /// - Complexity: O(patterns · m), no evaluation of the criterion.
  public func checkIdentifiable(algorithm: BoundedMinimizer.Algorithm = .bobyqa) throws {
    let term = structureText
    if covariance.structure == .us {
      var subjects = [Int](repeating: 0, count: covariance.groupCount)
      var visits = [Set<Int>](repeating: [], count: covariance.groupCount)
      for pattern in patterns {
        subjects[pattern.group] += pattern.subjectCount
        visits[pattern.group].formUnion(pattern.visits)
      }
      for g in 0..<covariance.groupCount where subjects[g] < visits[g].count {
        let m = visits[g].count
        throw FitError.unstructuredCovarianceNotIdentifiable(
          term: term, group: covariance.groupLabels.isEmpty ? nil : covariance.groupLabels[g],
          visits: m, subjects: subjects[g], parameters: m * (m + 1) / 2)
      }
    }
    let k = parameterCount
    let n = observationCount
    let p = fixedEffectCount
    if k > n - p {
      throw FitError.tooManyCovarianceParameters(
        term: term, parameters: k, observations: n, fixedEffects: p)
    }
    let bytes = Self.optimizerMemory(parameters: k, algorithm: algorithm)
    if bytes > Self.optimizerMemoryLimit {
      var maximum = Int((Self.optimizerMemoryLimit / 84).squareRoot())
      while Self.optimizerMemory(parameters: maximum + 1, algorithm: algorithm)
        <= Self.optimizerMemoryLimit
      {
        maximum += 1
      }
      while maximum > 0
        && Self.optimizerMemory(parameters: maximum, algorithm: algorithm)
          > Self.optimizerMemoryLimit
      {
        maximum -= 1
      }
      throw FitError.optimizerWorkspaceTooLarge(
        parameters: k, bytes: bytes, limit: Self.optimizerMemoryLimit, maximum: maximum)
    }
  }

  /// The covariance term as fitted: the formula's text, or, after `replacingStructure` (the
  /// fallback ladder), the same term with the structure that replaced it.
  var structureText: String {
    let spec = covarianceTerm
    guard covariance.structure != spec.structure else { return spec.text }
    let group = spec.groupVariable.map { "\($0) / " } ?? ""
    return
      "\(covariance.structure.rawValue)(\(spec.timeVariable) | \(group)\(spec.subjectVariable))"
  }

  /// Bytes a fit over `k` parameters sets aside for the optimizer: its workspace and three
  /// k × k matrices (the finite-difference Hessian, its eigen decomposition's and its
  /// Cholesky factor's copies).
  static func optimizerMemory(parameters k: Int, algorithm: BoundedMinimizer.Algorithm)
    -> Double
  {
    BoundedMinimizer.workspaceBytes(dimension: k, algorithm: algorithm) + 3 * 8
      * Double(k) * Double(k)
  }
}
