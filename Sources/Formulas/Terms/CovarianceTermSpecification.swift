/// A residual covariance structure of a repeated-measures (MMRM) model, named as mmrm names it
/// in formulas.
///
/// Discrete structures (`us` … `adh`) describe the covariance between the levels of a visit
/// factor; `spExp` describes it as a function of the distance between numeric time points.
/// The `h` variants have one standard deviation per visit; the others a common one.
public enum CovarianceStructure: String, Sendable, Equatable, CaseIterable, Codable {
  /// Unstructured (SAS `TYPE=UN`): every variance and covariance free.
  case us
  /// First-order autoregressive, homogeneous variance (SAS `AR(1)`).
  case ar1
  /// First-order autoregressive, one variance per visit (SAS `ARH(1)`).
  case ar1h
  /// Compound symmetry: common variance and correlation (SAS `CS`).
  case cs
  /// Heterogeneous compound symmetry (SAS `CSH`).
  case csh
  /// Toeplitz: one correlation per lag, common variance (SAS `TOEP`).
  case toep
  /// Heterogeneous Toeplitz (SAS `TOEPH`).
  case toeph
  /// First-order ante-dependence, common variance.
  case ad
  /// First-order ante-dependence, one variance per visit (SAS `ANTE(1)`).
  case adh
  /// Spatial exponential on a numeric time: `σ² ρ^|t_i − t_j|` (SAS `SP(EXP)`, in mmrm's
  /// parameterisation by ρ).
  case spExp = "sp_exp"

  /// Whether the structure works on a numeric time rather than a visit factor.
  public var isSpatial: Bool { self == .spExp }

  /// Whether the structure has one standard deviation per visit.
  public var isHeterogeneous: Bool {
    switch self {
    case .us, .ar1h, .csh, .toeph, .adh: true
    case .ar1, .cs, .toep, .ad, .spExp: false
    }
  }

  /// The names a formula accepts, in documentation order.
  public static var formulaNames: [String] { allCases.map(\.rawValue) }
}

/// A residual covariance term of a formula, such as `us(visit | subject)` or
/// `ar1(visit | arm / subject)`.
///
/// `structure(time | subject)` says that the observations of one subject are correlated as the
/// structure describes over the levels of `time`, and that different subjects are independent
/// (mmrm's formula convention). With `time | group / subject` each level of `group` has its
/// own covariance parameters. `ModelFrame` evaluates it into a `CovarianceFrame`.
public struct CovarianceTermSpecification: Sendable, Equatable {
  /// The structure.
  public let structure: CovarianceStructure
  /// The visit (discrete structures) or time (spatial) variable.
  public let timeVariable: String
  /// The subject variable: observations of different subjects are independent.
  public let subjectVariable: String
  /// The variable whose levels get separate covariance parameters, if any.
  public let groupVariable: String?
  /// The term as written, deparsed (`us(visit | subject)`).
  public let text: String
  /// 0-based `Character` offset of the term in the formula.
  public let offset: Int

  /// Creates a specification.
  /// - Parameters:
  ///   - structure: The covariance structure.
  ///   - timeVariable: Visit or time variable.
  ///   - subjectVariable: Subject variable.
  ///   - groupVariable: Grouping variable for group-specific parameters.
  ///   - text: The deparsed term.
  ///   - offset: Where the term starts in the formula.
  public init(
    structure: CovarianceStructure, timeVariable: String, subjectVariable: String,
    groupVariable: String?, text: String, offset: Int
  ) {
    self.structure = structure
    self.timeVariable = timeVariable
    self.subjectVariable = subjectVariable
    self.groupVariable = groupVariable
    self.text = text
    self.offset = offset
  }
}
