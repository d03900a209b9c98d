/// The data of the large adversarial cases of `scripts/reference/adversarial.R`
/// (`large_data`), generated with the same integer arithmetic, so the rows are the ones lme4
/// fitted.
public enum AdversarialData {
  /// The rows of `large_data(groups, visits)` as CSV bytes: subject `g<i>`, `x = j`,
  /// `y = (1000 + 50 j + u + e) / 100` with `u = (7919 i) mod 401 − 200` and
  /// `e = (104729 i + 7907 j) mod 199 − 99` (integers over 100: the same doubles in R and here).
  /// - Parameters:
  ///   - groups: Number of subjects.
  ///   - visits: Rows per subject.
  /// - Returns: The CSV file's bytes, header included.
  public static func largeCSV(groups: Int, visits: Int) -> [UInt8] {
    var out = Array("subject,x,y\n".utf8)
    out.reserveCapacity(groups * visits * 16)
    for i in 0..<groups {
      let u = (i * 7919) % 401 - 200
      let prefix = Array("g\(i),".utf8)
      for j in 0..<visits {
        let e = (i * 104_729 + j * 7907) % 199 - 99
        let y = Double(1000 + 50 * j + u + e) / 100
        out += prefix
        out += Array("\(j),\(y)\n".utf8)
      }
    }
    return out
  }
}
