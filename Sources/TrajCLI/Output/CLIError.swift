/// Errors that only the command line can have (arguments, output files).
enum CLIError: Error, CustomStringConvertible {
  /// `--ref` not of the form `variable=level`.
  case badReference(String)
  /// An output file could not be written.
  case cannotWrite(path: String, reason: String)
  /// `traj simulate` without `--seed` on a design without `seed:`.
  case missingSeed(design: String)
  /// `--threads` below 1.
  case badThreads(Int)
  /// `traj report` with several specs, some of which failed (each was reported).
  case batchFailed(failed: Int, total: Int)
  /// `traj report --verify`: the directory is not what a re-run produces.
  case notReproduced(directory: String, difference: String)
  /// `traj report`: the output directory exists and `--force` was not given.
  case outputExists(path: String)
  /// An option value outside its fixed set of choices.
  case badChoice(option: String, value: String, choices: [String])

  var description: String {
    switch self {
    case .badReference(let text):
      "--ref expects variable=level (e.g. --ref arm=placebo), got '\(text)'"
    case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
    case .missingSeed(let design):
      "no seed: give --seed N or a 'seed:' in \(design)"
    case .badThreads(let n): "--threads must be at least 1, got \(n)"
    case .batchFailed(let failed, let total): "\(failed) of \(total) specs failed"
    case .notReproduced(let directory, let difference):
      "\(directory) is not reproduced: \(difference)"
    case .outputExists(let path):
      "\(path) already exists; give --force to replace it (or --out another directory)"
    case .badChoice(let option, let value, let choices):
      "\(option) expects one of \(choices.joined(separator: ", ")), got '\(value)'"
    }
  }
}
