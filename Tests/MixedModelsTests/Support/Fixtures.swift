import DataTable
import Formulas
import Foundation
import MixedModels
import TestSupport

/// The model of an lme4 fixture's call, built as `traj fit` builds it (CSV → table → model
/// frame → model), as `AnalysisTests/LmerFixtureTests.swift` does through `FitPipeline`.
func fixtureModel(_ fixture: JSONValue) throws -> (
  model: LinearMixedModel, method: EstimationMethod
) {
  let call = fixture["call"]
  let factors = Set(call["factors"].strings)
  let path = RepositoryPaths.root.appendingPathComponent(fixture["dataset"]["path"].string ?? "")
    .path
  var table = try Table.readCSV(path: path, options: CSVOptions(factorColumns: factors))
  if let filter = call["where"].string {
    // Row-selection cases (`traj fit --where`): the rows lme4 was fitted to.
    table = table.selectingRows(try RowFilter(filter).mask(in: table))
  }
  let frame = try ModelFrame(
    formula: try Formula(call["formula"].string ?? ""), table: table,
    options: ModelFrameOptions(
      references: call["ref"].object.compactMapValues(\.string), factors: factors))
  return (LinearMixedModel(frame: frame), call["method"].string == "ML" ? .ml : .reml)
}
