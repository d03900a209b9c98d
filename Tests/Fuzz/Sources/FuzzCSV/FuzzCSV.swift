import DataTable
import LibFuzzerDriver

/// libFuzzer entry: the bytes are a CSV file.
///
/// The first byte, when it is a digit `k`, also
/// forces column `k` (1-based) categorical, as `--factor` does. Reading may throw; it must
/// never trap. A table read is then put in canonical order and each column made categorical,
/// the steps a fit takes next.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  var options = CSVOptions()
  if let first = bytes.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first),
    let header = try? Table.readCSV(
      bytes: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), source: "fuzz.csv")
  {
    let k = Int(first - UInt8(ascii: "1"))
    if k < header.columns.count { options.factorColumns = [header.columns[k].name] }
  }
  guard let table = try? Table.readCSV(bytes: bytes, source: "fuzz.csv", options: options) else {
    return 0
  }
  let sorted = table.canonicallySorted()
  for column in sorted.columns { _ = Column.categorical(from: column) }
  return 0
}

/// The executable's entry point: runs libFuzzer on `fuzzCSV`.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzCSV(data, size) })
}
