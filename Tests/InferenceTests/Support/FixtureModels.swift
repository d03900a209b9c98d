import DataTable
import Formulas
import Foundation
import MixedModels
import TestSupport

/// A fixture's model fitted the way `traj fit` fits it: frame, structure and fit.
struct FittedCase {
  let frame: ModelFrame
  let model: LinearMixedModel
  let fit: LinearMixedModelFit

  /// Reads the fixture's dataset and call and fits it (REML unless the call says ML).
  init(fixture: JSONValue) throws {
    let call = fixture["call"]
    let path = RepositoryPaths.root.appendingPathComponent(fixture["dataset"]["path"].string ?? "")
      .path
    let factors = Set(call["factors"].strings)
    let table = try Table.readCSV(path: path, options: CSVOptions(factorColumns: factors))
    let references = call["ref"].object.compactMapValues(\.string)
    frame = try ModelFrame(
      formula: Formula(call["formula"].string ?? ""), table: table,
      options: ModelFrameOptions(references: references, factors: factors))
    model = LinearMixedModel(frame: frame)
    fit = try model.fit(method: call["method"].string == "ML" ? .ml : .reml)
  }

  /// Cache: each fixture is fitted once per test process.
  static func load(_ name: String) throws -> (JSONValue, FittedCase) {
    let fixture = try Fixture.load("inference/\(name)")
    return (fixture, try FittedCase(fixture: fixture))
  }
}
