import DataTable
import Formulas
import Foundation
import MixedModels
import TestSupport
import Testing

/// The model of an lme4 fixture's call, built as `traj fit` builds it (CSV → table → model
/// frame → model), as `AnalysisTests/LmerFixtureTests.swift` does through `FitPipeline`.
func fixtureModel(_ fixture: JSONValue) throws -> (
  model: LinearMixedModel, method: EstimationMethod
) {
  let call = try fixture.member("call")
  let factors = Set(try call.texts("factors"))
  let path = RepositoryPaths.root.appendingPathComponent(
    try fixture.member("dataset").text("path")
  ).path
  var table = try Table.readCSV(path: path, options: CSVOptions(factorColumns: factors))
  // Row-selection cases (`traj fit --where`; the member is present only there): the rows lme4
  // was fitted to.
  if call["where"] != .null {
    table = table.selectingRows(try RowFilter(try call.text("where")).mask(in: table))
  }
  let frame = try ModelFrame(
    formula: try Formula(try call.text("formula")), table: table,
    options: ModelFrameOptions(
      references: try call.textMembers("ref"), factors: factors,
      // Present only for the cases with prior weights or an offset.
      weights: call["weights"].string, offset: call["offset"].string))
  return (LinearMixedModel(frame: frame), try fixtureMethod(call))
}

/// The estimation method a fixture's call names (`"REML"` or `"ML"`; anything else, or none,
/// is an issue).
func fixtureMethod(_ call: JSONValue) throws -> EstimationMethod {
  let method = try call.text("method")
  try #require(method == "REML" || method == "ML", "fit method \(method)")
  return method == "ML" ? .ml : .reml
}
