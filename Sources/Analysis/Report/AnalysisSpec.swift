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
/// data: ../datasets/ketamine_small.csv   # relative to the spec file
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
/// inference:                            # every model: df and p; means and contrasts
///   df: kenward-roger                    # residual | between-within | satterthwaite | kenward-roger
///   anova: true                          # type III tests
///   emmeans: arm | visit                 # LS means (emmeans syntax)
///   contrast: trt.vs.ctrl(placebo)       # pairwise | revpairwise | trt.vs.ctrl(level) | custom(…)
///   adjust: holm                         # none | bonferroni | holm
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
  /// Data file path as written in the spec (relative to the spec file's directory).
  public var data: String
  /// Row filter for the models and plots, or nil.
  public var filter: String?
  /// Trial covariate derivation.
  public var derive: Derive
  /// Reference levels.
  public var references: [String: String]
  /// Columns read as categorical.
  public var factors: [String]
  /// The models, primary first.
  public var models: [Model]
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
      "title", "data", "where", "derive", "references", "factors", "models", "inference",
      "trajectories", "output", "seed",
    ])
    title = try top.required("title").string()
    data = try top.required("data").string()
    filter = try top.optional("where")?.string()
    derive =
      try top.optional("derive").map { Derive(rawValue: try $0.oneOf(["auto", "yes"])) }
      .flatMap { $0 } ?? .auto
    var references: [String: String] = [:]
    if let node = top.optional("references") {
      for entry in try node.mapping().entries { references[entry.key] = try entry.node.string() }
    }
    self.references = references
    factors = try top.optional("factors")?.sequence().map { try $0.string() } ?? []

    let modelNodes = try top.required("models").sequence(minimumCount: 1)
    var models: [Model] = []
    for (k, node) in modelNodes.enumerated() {
      let m = try node.mapping(allowing: ["name", "formula", "method", "role"])
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
      models.append(
        Model(
          name: name, formula: try m.required("formula").string(),
          method: method == "ml" ? .ml : .reml, role: role))
    }
    self.models = models

    inference = try top.optional("inference").map(Self.inference)

    let t = try top.optional("trajectories")?.mapping(allowing: [
      "time", "outcome", "group", "subject",
    ])
    // The primary model's response (its formula is checked when the model is fitted).
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
      do { _ = try InferenceRequest.parseMeans(emmeans) } catch {
        throw node.invalid("\(error)")
      }
    }
    let contrast = try m.optional("contrast")?.string()
    if contrast != nil && emmeans == nil, let node = m.optional("contrast") {
      throw node.invalid("contrasts compare LS means: give inference.emmeans too")
    }
    return InferenceRequest(
      degreesOfFreedom: try choice("df") as DegreesOfFreedomMethod?,
      anova: try m.optional("anova")?.bool() ?? false, emmeans: emmeans, contrast: contrast,
      adjustment: try choice("adjust") ?? .none, weights: try choice("weights") ?? .equal)
  }
}
