import Reports
import Trials

/// `traj check`'s outputs: the plain-text summary and the JSON document.
public enum CheckReport {
  /// The summary as plain-text tables, ending with a newline.
  /// - Parameter outcome: A valid file's summary.
  /// - Returns: The text.
  public static func text(_ outcome: CheckOutcome) -> String {
    let s = outcome.summary
    var lines = [
      "\(outcome.source): valid trial data (\(s.rows) rows, \(s.subjectCount) subjects, "
        + "\(s.arms.count) arms, \(s.sites.count) sites, \(s.visits.count) visits)"
    ]
    if !outcome.extraColumns.isEmpty {
      lines.append(
        "Note: columns not in the schema (kept, not checked): "
          + outcome.extraColumns.joined(separator: ", "))
    }
    lines.append("")
    lines.append("Subjects by arm and site:")
    lines.append(
      contentsOf: table(
        header: ["arm"] + s.sites + ["total"],
        rows: s.arms.indices.map { a in
          [s.arms[a]] + s.subjectsByArmSite[a].map(String.init) + [String(s.subjectsPerArm[a])]
        }))
    lines.append("")
    lines.append("Scheduled visits:")
    lines.append(
      contentsOf: table(
        header: ["visit", "day", "rows"],
        rows: s.visits.map { v in
          let day =
            v.dayMin == v.dayMax ? number(v.dayMin) : "\(number(v.dayMin))..\(number(v.dayMax))"
          return [String(v.visit), day, String(v.rows)]
        }))
    lines.append("")
    let final = s.visits.last.map { String($0.visit) } ?? "?"
    lines.append("Completers (pain observed at the final visit, \(final)):")
    lines.append(
      contentsOf: table(
        header: ["arm", "completers", "subjects", "%"],
        rows: s.arms.indices.map { a in
          [
            s.arms[a], String(s.completers[a]), String(s.subjectsPerArm[a]),
            percent(s.completers[a], of: s.subjectsPerArm[a]),
          ]
        }))
    lines.append("")
    lines.append("Missing pain by visit and arm (row absent or pain empty), n (%):")
    lines.append(
      contentsOf: table(
        header: ["visit"] + s.arms,
        rows: s.visits.indices.map { v in
          [String(s.visits[v].visit)]
            + s.missingPain[v].map { "\($0.missing) (\(percent($0.missing, of: $0.subjects)))" }
        }))
    lines.append("")
    lines.append("Dropout (first visit with dropout = 1):")
    lines.append(
      contentsOf: table(
        header: ["arm", "dropouts", "median visit", "by visit"],
        rows: s.arms.indices.map { a in
          let d = s.dropout[a]
          return [
            s.arms[a], String(d.total), d.medianVisit.map(number) ?? "-",
            d.byVisit.isEmpty
              ? "-" : d.byVisit.map { "visit \($0.visit): \($0.count)" }.joined(separator: ", "),
          ]
        }))
    lines.append("")
    lines.append("Adverse events, visits with the event / visits recorded (%):")
    lines.append(
      contentsOf: table(
        header: ["event"] + s.arms,
        rows: s.adverseEventNames.indices.map { e in
          [s.adverseEventNames[e]]
            + s.adverseEvents[e].map {
              "\($0.events)/\($0.recorded) (\(percent($0.events, of: $0.recorded)))"
            }
        }))
    return lines.joined(separator: "\n") + "\n"
  }

  /// The summary as an ordered JSON document.
  /// - Parameter outcome: A valid file's summary.
  /// - Returns: The document (keys in a fixed order, labels sorted).
  public static func json(_ outcome: CheckOutcome) -> JSON {
    let s = outcome.summary
    func byArm(_ value: (Int) -> JSON) -> JSON {
      .object(s.arms.indices.map { (s.arms[$0], value($0)) })
    }
    return .object([
      ("source", .string(outcome.source)),
      ("valid", .bool(true)),
      ("rows", .integer(s.rows)),
      ("subjects", .integer(s.subjectCount)),
      ("extra_columns", .strings(outcome.extraColumns)),
      ("arms", .strings(s.arms)),
      ("sites", .strings(s.sites)),
      (
        "subjects_by_arm_site",
        byArm { a in
          .object(s.sites.indices.map { (s.sites[$0], .integer(s.subjectsByArmSite[a][$0])) })
        }
      ),
      (
        "visits",
        .array(
          s.visits.map {
            .object([
              ("visit", .integer($0.visit)), ("rows", .integer($0.rows)),
              ("day_min", .number($0.dayMin)), ("day_max", .number($0.dayMax)),
            ])
          })
      ),
      ("completers", byArm { .integer(s.completers[$0]) }),
      (
        "missing_pain",
        .array(
          s.visits.indices.map { v in
            .object([
              ("visit", .integer(s.visits[v].visit)),
              (
                "by_arm",
                byArm { a in
                  let m = s.missingPain[v][a]
                  return .object([
                    ("missing", .integer(m.missing)), ("subjects", .integer(m.subjects)),
                    ("percent", .number(m.percent)),
                  ])
                }
              ),
            ])
          })
      ),
      (
        "dropout",
        byArm { a in
          let d = s.dropout[a]
          return .object([
            ("count", .integer(d.total)),
            ("median_visit", d.medianVisit.map { .number($0) } ?? .null),
            (
              "by_visit",
              .array(
                d.byVisit.map {
                  .object([("visit", .integer($0.visit)), ("count", .integer($0.count))])
                })
            ),
          ])
        }
      ),
      (
        "adverse_events",
        .object(
          s.adverseEventNames.indices.map { e in
            (
              s.adverseEventNames[e],
              byArm { a in
                let ae = s.adverseEvents[e][a]
                return .object([
                  ("events", .integer(ae.events)), ("recorded", .integer(ae.recorded)),
                  ("subjects", .integer(ae.subjects)), ("percent", .number(ae.percent)),
                ])
              }
            )
          })
      ),
    ])
  }

  // MARK: - Formatting

  /// Columns padded to their widest cell: the first left-aligned, the rest right-aligned.
  private static func table(header: [String], rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    return all.map { row in
      row.indices.map { c in
        let pad = String(repeating: " ", count: widths[c] - row[c].count)
        return c == 0 ? row[c] + pad : pad + row[c]
      }.joined(separator: "  ").trimmingTrailingSpaces
    }.map { "  " + $0 }
  }

  private static func percent(_ part: Int, of whole: Int) -> String {
    whole == 0 ? "-" : RNumberFormat.fixed(100 * Double(part) / Double(whole), decimals: 1) + "%"
  }

  private static func number(_ x: Double) -> String {
    x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
