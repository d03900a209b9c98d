import Distributions
import Formulas
import MixedModels
import Reports

/// Several models of one data file, fitted by one method and compared: an AIC/BIC table and
/// likelihood-ratio tests of each model against the one before it (`traj compare`, as R's
/// `anova(m1, m2, …)` on lme4 or nlme fits).
///
/// The models are given from smaller to larger; each is tested against its predecessor with
/// `ModelComparison.test`, so the same rules hold as in a report's `comparisons`: one method,
/// REML only with the same fixed effects, ML with nested fixed effects, the same observations.
public enum ComparePipeline {
  /// Fits every formula on the data of `base` and compares consecutive models.
  /// - Parameters:
  ///   - base: The data, method and options (its `formula` is ignored).
  ///   - formulas: Two or more formulas, smaller to larger.
  ///   - names: One name per formula (default `m1`, `m2`, …).
  ///   - fallback: Whether MMRM fits use the covariance fallback ladder.
  /// - Returns: The fits and the tests.
  /// - Throws: What reading the data or a fit throws (naming the model), and
  ///   `CompareError` when the models cannot be compared.
  public static func run(
    _ base: FitRequest, formulas: [String], names: [String]? = nil, fallback: Bool = false
  ) throws -> CompareOutcome {
    guard formulas.count >= 2 else { throw CompareError.tooFewModels(formulas.count) }
    let labels = names ?? formulas.indices.map { "m\($0 + 1)" }
    guard labels.count == formulas.count else {
      throw CompareError.nameCount(names: labels.count, formulas: formulas.count)
    }
    if let duplicate = labels.firstIndex(where: { name in labels.filter { $0 == name }.count > 1 })
    {
      throw CompareError.duplicateName(labels[duplicate])
    }
    // Every formula is parsed before any model is fitted.
    let parsed: [Formula] = try zip(labels, formulas).map { name, formula in
      do { return try Formula(formula) } catch {
        throw ReportError.model(name: name, underlying: "\(error)")
      }
    }
    let outcomes: [FitOutcome] = try zip(labels, parsed).map { name, formula in
      var request = base
      request.inference = nil
      request.formula = formula
      // The ladder applies to the formulas with a covariance term.
      request.covarianceFallback =
        fallback && formula.covarianceTerm != nil ? MMRMModel.fallbackLadder : nil
      do {
        return try FitPipeline.run(request)
      } catch {
        throw ReportError.model(name: name, underlying: "\(error)")
      }
    }
    var tests: [ModelComparison] = []
    for k in 1..<outcomes.count {
      do {
        tests.append(
          try ModelComparison.test(
            smaller: (labels[k - 1], outcomes[k - 1].fit), larger: (labels[k], outcomes[k].fit)))
      } catch {
        throw CompareError.notComparable(
          smaller: labels[k - 1], larger: labels[k], reason: error.reason)
      }
    }
    return CompareOutcome(
      dataPath: base.dataPath, names: labels, formulas: formulas, outcomes: outcomes,
      tests: tests)
  }
}

/// The fits and tests of `ComparePipeline.run`.
public struct CompareOutcome: Sendable {
  /// The data file.
  public let dataPath: String
  /// Model names, in the order given.
  public let names: [String]
  /// Model formulas, in the order given.
  public let formulas: [String]
  let outcomes: [FitOutcome]
  let tests: [ModelComparison]

  /// The fits, in the order given.
  var fits: [any FittedModel] { outcomes.map(\.fit) }

  /// The JSON document (`traj compare --json`): `data`, `method`, `observations`,
  /// `models` [{`name`, `formula`, `kind`, `npar`, `AIC`, `BIC`, `logLik`, `criterion`,
  /// `converged`}] and `tests` [{`smaller`, `larger`, `method`, `statistic`, `df`, `p`,
  /// `boundary`}], plus `warnings` [{`model`, `code`, `message`}].
  public var json: JSON {
    let fits = self.fits
    let models: [JSON] = zip(names, zip(formulas, fits)).map { name, pair in
      let (formula, fit) = pair
      return .object([
        ("name", .string(name)), ("formula", .string(formula)),
        ("kind", .string(fit.family.rawValue)),
        ("npar", .integer(fit.parameterCount)), ("AIC", .number(fit.aic)),
        ("BIC", .number(fit.bic)), ("logLik", .number(fit.logLikelihood)),
        ("criterion", .number(fit.objective)), ("converged", .bool(fit.converged)),
      ])
    }
    let warnings: [JSON] = zip(names, outcomes).flatMap { name, outcome in
      outcome.warnings.map { warning in
        JSON.object([
          ("model", .string(name)), ("code", .string(warning.code)),
          ("message", .string(warning.message)),
        ])
      }
    }
    return .object([
      ("data", .string(dataPath)), ("method", .string(fits[0].method.rawValue)),
      ("observations", .integer(fits[0].observationCount)), ("models", .array(models)),
      ("tests", .array(tests.map(\.json))), ("warnings", .array(warnings)),
    ])
  }

  /// The printed comparison: the models, then R's `anova()` table (`npar AIC BIC logLik
  /// criterion Chisq Df Pr(>Chisq)`), then notes on boundary tests and warnings.
  public var text: String {
    let fits = self.fits
    let method = fits[0].method
    let criterion = method == .reml ? "REMLcrit" : "deviance"
    var lines = [
      "Model comparison by likelihood-ratio tests (\(method == .reml ? "REML" : "ML"); "
        + "\(fits[0].observationCount) observations of \(dataPath))",
      "Models:",
    ]
    lines += zip(names, formulas).map { "\($0): \($1)" }
    let round2 = { (values: [Double]) in
      RNumberFormat.format(values.map { RNumberFormat.round($0, 2) }, digits: 7)
    }
    let testOf = { (k: Int) in k == 0 ? nil : tests[k - 1] }
    let columns: [(String, [String])] = [
      ("npar", fits.map { String($0.parameterCount) }),
      ("AIC", round2(fits.map { $0.aic })),
      ("BIC", round2(fits.map { $0.bic })),
      ("logLik", round2(fits.map { $0.logLikelihood })),
      (criterion, round2(fits.map { $0.objective })),
      (
        "Chisq",
        fits.indices.map { k in
          testOf(k).map {
            RNumberFormat.format([RNumberFormat.round($0.statistic, 4)], digits: 7)[0]
          }
            ?? ""
        }
      ),
      ("Df", fits.indices.map { k in testOf(k).map { String($0.df) } ?? "" }),
      (
        "Pr(>Chisq)",
        fits.indices.map { k in testOf(k).map { InferenceSummary.pValueText($0.p) } ?? "" }
      ),
    ]
    lines += Self.table(rowNames: names, columns: columns)
    var notes: [String] = []
    for test in tests where test.boundary {
      notes.append(
        "\(test.larger) adds random-effect variances to \(test.smaller): the test puts them on "
          + "the boundary (zero), so the χ² p-value is conservative (an upper bound).")
    }
    if method == .reml {
      notes.append(
        "REML likelihoods: the models share their fixed effects; refit by ML (--ml) "
          + "to compare fixed effects.")
    }
    if !notes.isEmpty { lines += ["", "Notes:"] + notes.map { "- " + $0 } }
    let warnings = zip(names, outcomes).flatMap { name, outcome in
      outcome.warnings.filter { $0.code != "data_note" }.map { "\(name): \($0.message)" }
    }
    if !warnings.isEmpty { lines += ["", "Warnings:"] + warnings.map { "- " + $0 } }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Left-aligned row names, right-aligned columns under their headers.
  private static func table(rowNames: [String], columns: [(String, [String])]) -> [String] {
    let nameWidth = rowNames.map(\.count).max() ?? 0
    let widths = columns.map { max($0.0.count, $0.1.map(\.count).max() ?? 0) }
    func pad(_ s: String, _ w: Int) -> String {
      String(repeating: " ", count: max(0, w - s.count)) + s
    }
    func name(_ s: String) -> String { s + String(repeating: " ", count: nameWidth - s.count) }
    var lines = [name("") + " " + zip(columns, widths).map { pad($0.0, $1) }.joined(separator: " ")]
    for (i, row) in rowNames.enumerated() {
      let line =
        name(row) + " " + zip(columns, widths).map { pad($0.1[i], $1) }.joined(separator: " ")
      lines.append(
        String(
          line[..<(line.lastIndex { $0 != " " }.map { line.index(after: $0) } ?? line.startIndex)]))
    }
    return lines
  }
}

/// Why `traj compare` could not compare its models.
public enum CompareError: Error, Sendable, CustomStringConvertible {
  /// Fewer than two formulas.
  case tooFewModels(Int)
  /// The number of names differs from the number of formulas.
  case nameCount(names: Int, formulas: Int)
  /// Two models have one name.
  case duplicateName(String)
  /// Two consecutive models cannot be compared.
  case notComparable(smaller: String, larger: String, reason: String)

  /// The message.
  public var description: String {
    switch self {
    case .tooFewModels(let count):
      "give at least two formulas to compare (got \(count))"
    case .nameCount(let names, let formulas):
      "\(names) names for \(formulas) formulas: give one --name per --formula, or none"
    case .duplicateName(let name):
      "the model name \"\(name)\" is given twice"
    case .notComparable(let smaller, let larger, let reason):
      "cannot compare \(smaller) with \(larger): \(reason)"
    }
  }
}
