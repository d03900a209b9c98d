/// Errors that only the command line can have (arguments, output files).
enum CLIError: Error, CustomStringConvertible {
  /// `--ref` not of the form `variable=level`.
  case badReference(String)
  /// An output file could not be written.
  case cannotWrite(path: String, reason: String)

  var description: String {
    switch self {
    case .badReference(let text):
      "--ref expects variable=level (e.g. --ref arm=placebo), got '\(text)'"
    case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
    }
  }
}
