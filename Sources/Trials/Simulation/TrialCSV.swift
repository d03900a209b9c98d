/// Byte-stable CSV formatting of simulated subjects in `TrialSchema` column order.
///
/// Labels are double-quoted; numbers use fixed decimals computed with integer arithmetic
/// (day and counts whole, dose 2 decimals, pain and baseline pain 1 decimal; pain at full
/// precision in Swift's shortest round-trip form when the design does not round); a missing
/// value is `NA`.
enum TrialCSV {
  /// The header row.
  static func header() -> [UInt8] {
    Array((TrialSchema.columnNames.joined(separator: ",") + "\n").utf8)
  }

  /// Appends one row per visit of `subject`.
  static func append(
    _ subject: SimulatedSubject, design: TrialDesign, idWidth: Int, to out: inout [UInt8]
  ) {
    let digits = String(subject.index + 1)
    let id = "S" + String(repeating: "0", count: max(0, idWidth - digits.count)) + digits
    var fixed = [UInt8]()
    quoted(id, into: &fixed)
    comma(&fixed)
    quoted("site\(subject.site + 1)", into: &fixed)
    comma(&fixed)
    quoted(design.arms[subject.arm].label, into: &fixed)
    comma(&fixed)
    var covariates = [UInt8]()
    comma(&covariates)
    decimal(subject.baselinePain, places: 1, into: &covariates)
    comma(&covariates)
    covariates.append(contentsOf: String(subject.priorTreatments).utf8)
    comma(&covariates)
    flag(subject.psychHistory, into: &covariates)
    comma(&covariates)
    flag(subject.cardioRisk, into: &covariates)
    let route = TrialSchema.routes[subject.route]
    for v in 0..<subject.pain.count {
      out.append(contentsOf: fixed)
      out.append(contentsOf: String(v).utf8)
      comma(&out)
      out.append(contentsOf: String(design.schedule.visitDays[v]).utf8)
      comma(&out)
      out.append(contentsOf: String(subject.infusions[v]).utf8)
      comma(&out)
      decimal(subject.doses[v], places: 2, into: &out)
      comma(&out)
      quoted(route, into: &out)
      comma(&out)
      let pain = subject.pain[v]
      if pain.isNaN {
        out.append(contentsOf: "NA".utf8)
      } else if design.recording.roundingStep == nil && v > 0 {
        out.append(contentsOf: String(pain).utf8)
      } else {
        decimal(pain, places: 1, into: &out)
      }
      out.append(contentsOf: covariates)
      for k in 0..<TrialDesign.adverseEventNames.count {
        comma(&out)
        if let events = subject.adverseEvents[v] {
          flag(events[k], into: &out)
        } else {
          out.append(contentsOf: "NA".utf8)
        }
      }
      comma(&out)
      flag(subject.dropout[v], into: &out)
      out.append(UInt8(ascii: "\n"))
    }
  }

  private static func comma(_ out: inout [UInt8]) { out.append(UInt8(ascii: ",")) }

  private static func flag(_ value: Bool, into out: inout [UInt8]) {
    out.append(UInt8(ascii: value ? "1" : "0"))
  }

  private static func quoted(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    out.append(contentsOf: text.utf8)
    out.append(UInt8(ascii: "\""))
  }

  /// `x` with `places` decimals, rounded half away from zero on the scaled integer.
  static func decimal(_ x: Double, places: Int, into out: inout [UInt8]) {
    var scale = 1
    for _ in 0..<places { scale *= 10 }
    let n = Int((x * Double(scale)).rounded())
    if n < 0 { out.append(UInt8(ascii: "-")) }
    let magnitude = n.magnitude
    out.append(contentsOf: String(magnitude / UInt(scale)).utf8)
    if places > 0 {
      out.append(UInt8(ascii: "."))
      let fraction = String(magnitude % UInt(scale))
      for _ in fraction.count..<places { out.append(UInt8(ascii: "0")) }
      out.append(contentsOf: fraction.utf8)
    }
  }
}
