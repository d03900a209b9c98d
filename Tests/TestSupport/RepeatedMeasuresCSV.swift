import Foundation

/// A repeated-measures table as CSV text: `subjects` × `visits` rows of `subject`, `arm`,
/// `visit`, `y`, with `y` a subject offset, a visit trend and deterministic noise in [0, 1).
///
/// For the MMRM identifiability tests, in process and through `traj`.
/// - Parameters:
///   - subjects: Subjects `s0`, `s1`, …, alternately in `placebo` and `drug`.
///   - visits: Visits `v000`, `v001`, ….
///   - keep: Which (subject, visit) rows to write; all by default.
/// - Returns: The CSV text, header first.
public func repeatedMeasuresCSV(
  subjects: Int, visits: Int, keep: (Int, Int) -> Bool = { _, _ in true }
) -> String {
  var text = "subject,arm,visit,y\n"
  for s in 0..<subjects {
    let arm = s % 2 == 0 ? "placebo" : "drug"
    for v in 0..<visits where keep(s, v) {
      let u = sin(Double(s * 31 + v * 17 + 1) * 12.9898) * 43758.5453
      let y = Double(s % 7) * 0.3 + 0.1 * Double(v) + (u - u.rounded(.down))
      text += "s\(s),\(arm),v\(String(format: "%03d", v)),\(y)\n"
    }
  }
  return text
}
