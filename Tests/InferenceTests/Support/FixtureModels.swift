import DataTable
import Formulas
import Foundation
import MixedModels
import TestSupport
import Testing

/// A fixture's model fitted the way `traj fit` fits it: frame, structure and fit.
struct FittedCase {
  let frame: ModelFrame
  let model: LinearMixedModel
  let fit: LinearMixedModelFit

  /// Reads the fixture's dataset and call and fits it (REML or ML, as the call says).
  init(fixture: JSONValue) throws {
    let call = try fixture.member("call")
    let path = RepositoryPaths.root.appendingPathComponent(
      try fixture.member("dataset").text("path")
    ).path
    let factors = Set(try call.texts("factors"))
    let table = try Table.readCSV(path: path, options: CSVOptions(factorColumns: factors))
    frame = try ModelFrame(
      formula: Formula(try call.text("formula")), table: table,
      options: ModelFrameOptions(
        references: try call.textMembers("ref"), factors: factors,
        // Present only for the case with prior weights.
        weights: call["weights"].string))
    model = LinearMixedModel(frame: frame)
    let method = try call.text("method")
    try #require(method == "REML" || method == "ML", "fit method \(method)")
    fit = try model.fit(method: method == "ML" ? .ml : .reml)
  }

  /// Cache: each fixture is fitted once per test process.
  static func load(_ name: String) throws -> (JSONValue, FittedCase) {
    let fixture = try Fixture.load("inference/\(name)")
    return (fixture, try FittedCase(fixture: fixture))
  }
}
