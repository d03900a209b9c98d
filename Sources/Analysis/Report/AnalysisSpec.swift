import DataTable
import Formulas
import Inference
import MixedModels
import Trials

/// A declarative analysis, as `traj report` reads it from a spec file.
///
/// It names the data, how rows are prepared, the models, what the report plots and where its
/// outputs go. Read from a YAML file by `traj report` (through
/// `SpecNode`, so every unknown key and bad value is an error naming its key path).
///
/// ```yaml
/// title: Ketamine small trial, primary efficacy analysis
/// data: ../datasets/ketamine_small.csv   # relative to the spec file; or a list of files
///                                        # with the same columns, stacked
/// columns: {subject: patient_id}         # optional: analysis name → column in the file
/// where: visit >= 1                      # optional row filter (traj fit --where)
/// derive: auto                           # auto | yes (trial covariates)
/// references: {arm: placebo}
/// factors: [visit]                       # columns to treat as categorical
/// models:
///   - name: primary
///     formula: pain ~ week * arm + baseline_pain + (1 + week | subject)
///   - name: random intercept only
///     role: sensitivity
///     formula: pain ~ week * arm + baseline_pain + (1 | subject)
///     method: ml
///   - name: weighted
///     role: sensitivity
///     formula: pain ~ week * arm + baseline_pain + (1 + week | subject)
///     prior_weights: w                   # column of prior weights (LMMs); offset: column too
///   - name: mmrm
///     formula: pain ~ visit * arm + baseline_pain + us(visit | subject)
///     covariance_fallback: true          # us → toeph → ar1h → cs when a fit fails to converge
///                                        # (or a ladder of your own: [us, toeph, ar1h, cs])
/// comparisons:                           # likelihood-ratio tests between pairs of models
///   - models: [smaller, larger]          # two model names, fitted by the same method
/// inference:                            # every model: df and p; means and contrasts
///   df: kenward-roger                    # residual | between-within | satterthwaite | kenward-roger
///   anova: true                          # type III tests
///   emmeans: arm | visit                 # LS means (emmeans syntax)
///   contrast: trt.vs.ctrl(placebo)       # pairwise | revpairwise | trt.vs.ctrl(level) | custom(…)
///   adjust: holm                         # none | bonferroni | holm | mvt | dunnett
///   weights: equal                       # equal | proportional
/// trajectories: {time: week, outcome: pain, group: arm, subject: subject}
/// output: {directory: report, formats: [html, md, json]}
/// seed: 20261125
/// ```
public struct AnalysisSpec: Sendable, Equatable {
  /// One model of the analysis.
  public struct Model: Sendable, Equatable {
    /// Name used in headings and in `results.json` (unique in the spec).
    public var name: String
    /// lme4 formula.
    public var formula: String
    /// REML (default) or ML.
    public var method: EstimationMethod
    /// `primary` or `sensitivity`.
    public var role: String
    /// For an MMRM (a formula with a residual covariance term): when the requested structure
    /// does not converge, fit the next structures of this ladder in turn (nil: no fallback).
    ///
    /// `covariance_fallback: true` is the conventional ladder us → toeph → ar1h → cs
    /// (`MMRMModel.fallbackLadder`); a list such as `[us, toeph, ar1h, cs]` is a custom one,
    /// which must contain the formula's structure (fitting starts there).
    public var covarianceLadder: [CovarianceStructure]? = nil
    /// The column of prior weights (`prior_weights:`), nil for none.
    ///
    /// Observation i has residual variance σ²/wᵢ, as with lme4's `weights =`. Linear mixed
    /// models only so far.
    public var priorWeights: String? = nil
    /// The column added to the linear predictor with coefficient 1 (`offset:`), nil for none.
    public var offset: String? = nil

    /// Whether the covariance fallback ladder is used.
    public var covarianceFallback: Bool { covarianceLadder != nil }
  }

  /// A likelihood-ratio comparison of two models of the spec (`comparisons[k]`).
  public struct Comparison: Sendable, Equatable {
    /// The smaller (null) model's name.
    public var smaller: String
    /// The larger (alternative) model's name.
    public var larger: String
    /// The spec node of `models`, for errors found once the models are fitted.
    public var node: SpecNode
  }

  /// Whether to add the derived trial covariates.
  public enum Derive: String, Sendable, Equatable {
    /// When the file has every trial schema column.
    case auto
    /// Always (the file must follow the schema).
    case yes
  }

  /// The columns the trajectory plots use.
  public struct Trajectories: Sendable, Equatable {
    /// x axis (time).
    public var time: String
    /// y axis (the outcome).
    public var outcome: String
    /// Panels and colours (arms), or nil for one group.
    public var group: String?
    /// Identifies one subject's rows.
    public var subject: String
  }

  /// Report title.
  public var title: String
  /// Data file paths as written in the spec (relative to the spec file's directory), at
  /// least one; several are stacked (`DataFiles`).
  public var dataFiles: [String]
  /// The data file paths as the report names them (joined by ", ").
  public var data: String { dataFiles.joined(separator: ", ") }
  /// Row filter for the models and plots, or nil.
  public var filter: String?
  /// Trial covariate derivation.
  public var derive: Derive
  /// Columns renamed when the data are read: analysis name → name in the file.
  public var columns: [String: String]
  /// Reference levels.
  public var references: [String: String]
  /// Columns read as categorical.
  public var factors: [String]
  /// The models, primary first.
  public var models: [Model]
  /// Likelihood-ratio comparisons between pairs of models (empty: none).
  public var comparisons: [Comparison]
  /// Tests, LS means and contrasts computed for every model (nil: estimates and Wald
  /// intervals only).
  public var inference: InferenceRequest?
  /// Columns of the trajectory plots.
  public var trajectories: Trajectories
  /// Output directory as written in the spec (relative to the spec file's directory).
  public var outputDirectory: String
  /// Output formats: a subset of `html`, `md`, `json` (`provenance.json` is always written).
  public var formats: [String]
  /// The seed recorded in the provenance (and used by any resampling).
  public var seed: UInt64

  /// The output formats a spec may ask for.
  public static let allFormats = ["html", "md", "json"]

  /// Reads a spec from its tree, checking every key and value.
  /// - Parameter root: The parsed spec file.
  /// - Throws: `SpecError` naming the key path of the first problem.
  public init(_ root: SpecNode) throws {
    let top = try root.mapping(allowing: [
      "title", "data", "columns", "where", "derive", "references", "factors", "models",
      "comparisons",
      "inference", "trajectories", "output", "seed",
    ])
    title = try top.required("title").string()
    dataFiles = try Self.dataFiles(try top.required("data"))
    filter = try top.optional("where")?.string()
    // Parsed now, so that an error is reported at its key before any data is read.
    if let filter, let node = top.optional("where") {
      do { _ = try RowFilter(filter) } catch { throw node.invalid("\(error)") }
    }
    derive =
      try top.optional("derive").map { Derive(rawValue: try $0.oneOf(["auto", "yes"])) }
      .flatMap { $0 } ?? .auto
    var columns: [String: String] = [:]
    if let node = top.optional("columns") {
      for entry in try node.mapping().entries { columns[entry.key] = try entry.node.string() }
    }
    self.columns = columns
    var references: [String: String] = [:]
    if let node = top.optional("references") {
      for entry in try node.mapping().entries { references[entry.key] = try entry.node.string() }
    }
    self.references = references
    factors = try top.optional("factors")?.sequence().map { try $0.string() } ?? []

    let modelNodes = try top.required("models").sequence(minimumCount: 1)
    var models: [Model] = []
    for (k, node) in modelNodes.enumerated() {
      let m = try node.mapping(allowing: [
        "name", "formula", "method", "role", "covariance_fallback", "prior_weights", "offset",
      ])
      let nameNode = try m.required("name")
      let name = try nameNode.string()
      if models.contains(where: { $0.name == name }) {
        throw nameNode.invalid("another model is already named \"\(name)\"")
      }
      let method = try m.optional("method")?.oneOf(["reml", "ml"]) ?? "reml"
      let roleNode = m.optional("role")
      let role =
        try roleNode?.oneOf(["primary", "sensitivity"]) ?? (k == 0 ? "primary" : "sensitivity")
      if role == "primary" && k > 0, let roleNode {
        throw roleNode.invalid("only the first model may be primary")
      }
      let formulaNode = try m.required("formula")
      let formula = try formulaNode.string()
      let parsed: Formula
      do { parsed = try Formula(formula) } catch { throw formulaNode.invalid("\(error)") }
      for key in ["prior_weights", "offset"] {
        if parsed.covarianceTerm != nil, let node = m.optional(key) {
          throw node.invalid(
            "\(key) is for linear mixed models only so far; this formula has a residual "
              + "covariance term (an MMRM)")
        }
      }
      let ladder = try m.optional("covariance_fallback").flatMap {
        try Self.covarianceLadder($0, formula: formula)
      }
      models.append(
        Model(
          name: name, formula: formula, method: method == "ml" ? .ml : .reml, role: role,
          covarianceLadder: ladder, priorWeights: try m.optional("prior_weights")?.string(),
          offset: try m.optional("offset")?.string()))
    }
    self.models = models
    comparisons = try top.optional("comparisons").map { try Self.comparisons($0, models) } ?? []

    inference = try top.optional("inference").map(Self.inference)

    let t = try top.optional("trajectories")?.mapping(allowing: [
      "time", "outcome", "group", "subject",
    ])
    // The primary model's response (its formula was checked above).
    let outcome = (try? Formula(models[0].formula))?.responseName
    trajectories = Trajectories(
      time: try t?.optional("time")?.string() ?? "week",
      outcome: try t?.optional("outcome")?.string() ?? outcome ?? "pain",
      group: try t?.optional("group")?.string() ?? "arm",
      subject: try t?.optional("subject")?.string() ?? "subject")

    let output = try top.optional("output")?.mapping(allowing: ["directory", "formats"])
    outputDirectory = try output?.optional("directory")?.string() ?? "report"
    if let node = output?.optional("formats") {
      var formats: [String] = []
      for item in try node.sequence(minimumCount: 1) {
        let format = try item.oneOf(Self.allFormats)
        if !formats.contains(format) { formats.append(format) }
      }
      self.formats = Self.allFormats.filter(formats.contains)
    } else {
      formats = Self.allFormats
    }
    seed = UInt64(try top.optional("seed")?.int(atLeast: 0) ?? 1)
  }

  /// `data`: one path, or a list of different paths.
  private static func dataFiles(_ node: SpecNode) throws -> [String] {
    guard case .sequence = node.value else { return [try node.string()] }
    var paths: [String] = []
    for item in try node.sequence(minimumCount: 1) {
      let path = try item.string()
      if paths.contains(path) { throw item.invalid("\(path) is already listed") }
      paths.append(path)
    }
    return paths
  }

  /// A model's `covariance_fallback`: `true`/`false` (the conventional ladder, on which a
  /// structure not in it is fitted alone), or a list of structure names (a custom ladder, no
  /// repeats, containing the formula's structure).
  private static func covarianceLadder(
    _ node: SpecNode, formula: String
  ) throws -> [CovarianceStructure]? {
    var ladder: [CovarianceStructure]
    let custom: Bool
    if case .sequence = node.value {
      custom = true
      ladder = []
      for item in try node.sequence(minimumCount: 1) {
        let name = try item.oneOf(CovarianceStructure.allCases.map(\.rawValue))
        guard let structure = CovarianceStructure(rawValue: name) else { continue }
        if ladder.contains(structure) { throw item.invalid("\(name) is already on the ladder") }
        ladder.append(structure)
      }
    } else {
      guard try node.bool() else { return nil }
      custom = false
      ladder = MMRMModel.fallbackLadder
    }
    // A formula that does not parse is reported when its model is fitted.
    guard let parsed = try? Formula(formula) else { return ladder }
    guard let term = parsed.covarianceTerm else {
      throw node.invalid(
        "applies only to a formula with a residual covariance term such as us(visit | subject)")
    }
    // The conventional ladder fits a structure that is not on it alone.
    if custom && !ladder.contains(term.structure) {
      throw node.invalid(
        "the ladder must contain the formula's structure \(term.structure.rawValue) "
          + "(fitting starts there)")
    }
    if custom && ladder.contains(where: \.isSpatial) != term.structure.isSpatial {
      throw node.invalid("sp_exp cannot be mixed with the visit-factor structures")
    }
    return ladder
  }

  /// The `comparisons` list: each entry names two different models of the spec.
  private static func comparisons(_ node: SpecNode, _ models: [Model]) throws -> [Comparison] {
    try node.sequence().map { item in
      let m = try item.mapping(allowing: ["models"])
      let namesNode = try m.required("models")
      let nodes = try namesNode.sequence(minimumCount: 2)
      guard nodes.count == 2 else {
        throw namesNode.invalid("give exactly two model names: [smaller, larger]")
      }
      let names = try nodes.map { name in
        let text = try name.string()
        guard models.contains(where: { $0.name == text }) else {
          throw name.invalid(
            "no model is named \"\(text)\""
              + (nearestName(to: text, among: models.map(\.name)).map { "; did you mean '\($0)'?" }
                ?? ""))
        }
        return text
      }
      if names[0] == names[1] { throw namesNode.invalid("a model cannot be compared with itself") }
      return Comparison(smaller: names[0], larger: names[1], node: namesNode)
    }
  }

  /// The `inference` mapping.
  private static func inference(_ node: SpecNode) throws -> InferenceRequest {
    let m = try node.mapping(allowing: ["df", "anova", "emmeans", "contrast", "adjust", "weights"])
    func choice<T: RawRepresentable & CaseIterable>(_ key: String) throws -> T?
    where T.RawValue == String {
      try m.optional(key).map { T(rawValue: try $0.oneOf(T.allCases.map(\.rawValue))) }
        .flatMap { $0 }
    }
    let emmeans = try m.optional("emmeans")?.string()
    if let emmeans, let node = m.optional("emmeans") {
      do { _ = try MeansSpecification(parsing: emmeans) } catch {
        throw node.invalid("\(error)")
      }
    }
    let contrast = try m.optional("contrast")?.string()
    if let contrast, let node = m.optional("contrast") {
      if emmeans == nil {
        throw node.invalid("contrasts compare LS means: give inference.emmeans too")
      }
      do { _ = try ContrastSpecification(parsing: contrast) } catch {
        throw node.invalid("\(error)")
      }
    }
    return try InferenceRequest(
      degreesOfFreedom: try choice("df") as DegreesOfFreedomMethod?,
      anova: try m.optional("anova")?.bool() ?? false, emmeans: emmeans, contrast: contrast,
      adjustment: try choice("adjust") ?? .none, weights: try choice("weights") ?? .equal)
  }
}
