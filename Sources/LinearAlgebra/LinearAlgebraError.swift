/// Why a factorisation or solve could not be completed.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The matrix is not positive definite; `order` is the leading minor that failed (1-based).
  case notPositiveDefinite(order: Int)
  /// A triangular factor has a zero pivot at `pivot` (1-based).
  case singular(pivot: Int)
  /// LAPACK reported an argument error or a failure not covered above.
  case lapack(routine: String, info: Int)

  /// A one-line explanation.
  public var description: String {
    switch self {
    case .notPositiveDefinite(let order):
      "matrix is not positive definite (leading minor of order \(order))"
    case .singular(let pivot): "matrix is singular (zero pivot at \(pivot))"
    case .lapack(let routine, let info): "LAPACK \(routine) failed with info = \(info)"
    }
  }

  /// Maps a LAPACK `info` code to an error (nil when `info == 0`).
  static func check(_ info: Int32, routine: String) -> LinearAlgebraError? {
    if info == 0 { return nil }
    if info < 0 { return .lapack(routine: routine, info: Int(info)) }
    switch routine {
    case "dpotrf": return .notPositiveDefinite(order: Int(info))
    case "dtrtri", "dpotri": return .singular(pivot: Int(info))
    default: return .lapack(routine: routine, info: Int(info))
    }
  }
}
