import DataTable
import Formulas
import LibFuzzerDriver

/// libFuzzer entry: the bytes are a formula and a row filter.
///
/// The bytes (as UTF-8, invalid sequences replaced) are parsed as an lme4 formula and as a
/// `--where` row filter. Parsing may throw; it must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormula(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let formula = try? Formula(text) { _ = formula.description }
  _ = try? RowFilter(text)
  return 0
}

/// The executable's entry point: runs libFuzzer on `fuzzFormula`.
@_cdecl("FuzzFormula_main")
public func fuzzFormulaMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzFormula(data, size) })
}
