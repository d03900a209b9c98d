import DataTable
import Formulas
import MixedModels

/// What to fit: a data file, an lme4 formula and the options of `traj fit`.
public struct FitRequest: Sendable, Equatable {
  /// Path of the CSV file.
  public var dataPath: String
  /// Further CSV files whose rows are stacked under those of `dataPath` (a report spec's
  /// `data:` list; see `DataFiles`); empty for one file.
  public var additionalDataPaths: [String] = []
  /// The lme4 formula, parsed (`formula.text` as written, such as
  /// `pain ~ week * arm + (1 + week | subject)`).
  public var formula: Formula
  /// REML (default) or ML.
  public var method: EstimationMethod
  /// Reference levels by variable (`arm` → `placebo`).
  public var references: [String: String]
  /// Columns to treat as categorical even if numeric-looking.
  public var factors: [String]
  /// Whether to add the trial's derived covariates and therapy indicators before fitting.
  ///
  /// See `DerivedCovariates`; the table must then follow `TrialSchema`. They are added without being asked
  /// when the table has every schema column.
  public var derive: Bool
  /// Which rows to analyse, parsed from a text such as `visit >= 1` (`traj fit --where`);
  /// nil for every row.
  ///
  /// Applied after the derived trial covariates are added (they need each subject's whole
  /// history, and may be used in the filter, as `week >= 1`) and before the model frame drops
  /// rows with missing values.
  public var filter: RowFilter?
  /// Columns renamed when the file is read, analysis name → name in the file.
  ///
  /// With `["subject": "patient_id"]` a file with other column names can be analysed with the
  /// trial schema's names. Formulas, filters and `factors` use the analysis names.
  public var columns: [String: String] = [:]
  /// Sort the rows by their values before fitting, so the result does not depend on the
  /// order of the rows in the file (reports use this; `traj fit` keeps the file's order).
  public var canonicalOrder: Bool
  /// Tests, means and contrasts to compute after the fit (nil: none, the default output).
  public var inference: InferenceRequest?
  /// The covariance fallback ladder of an MMRM (`MMRMModel.fitWithFallback`), or nil.
  ///
  /// When the formula's structure does not converge, the next structures of this ladder are
  /// fitted in turn. nil: no fallback. Only for formulas with a residual covariance term.
  public var covarianceFallback: [CovarianceStructure]?
  /// The column of prior weights (lme4's `weights =`), or nil.
  public var weights: String?
  /// The column of an offset (lme4's `offset =`), or nil.
  public var offset: String?
  /// A warm start for the covariance parameters; nil for each family's default start.
  ///
  /// In the fit's order: an LMM's θ in `thetaNames` order, an MMRM's θ then φ in
  /// `parameterNames` order. A full-data fit's estimates, say, for refits of imputed or
  /// simulated data. The JSON's `optimizer.start` records it.
  public var start: [Double]?
  /// Threads the fit's and the inference's parallel loops may use (≥ 1).
  ///
  /// The results do not depend on it. 1 unless set; `traj` sets it from `TRAJ_THREADS`.
  public var threads: Int = 1

  /// Creates a request, parsing its formula and row filter, so that an error in either is
  /// reported before any data is read.
  /// - Parameters:
  ///   - dataPath: CSV path.
  ///   - formula: Formula text.
  ///   - method: Estimation method.
  ///   - references: Reference levels.
  ///   - factors: Forced-categorical columns.
  ///   - derive: Add the derived trial covariates (see `derive`).
  ///   - filter: Row filter text (see `filter`).
  ///   - canonicalOrder: Sort the rows by value first (see `canonicalOrder`).
  /// - Throws: `FormulaError` for a formula, `DataError` for a filter that does not parse.
  public init(
    dataPath: String, formula: String, method: EstimationMethod = .reml,
    references: [String: String] = [:], factors: [String] = [], derive: Bool = false,
    filter: String? = nil, canonicalOrder: Bool = false
  ) throws {
    self.dataPath = dataPath
    self.formula = try Formula(formula)
    self.method = method
    self.references = references
    self.factors = factors
    self.derive = derive
    self.filter = try filter.map { try RowFilter($0) }
    self.canonicalOrder = canonicalOrder
  }
}
