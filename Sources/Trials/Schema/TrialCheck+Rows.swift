// MARK: - Checks across rows (within subject, in visit order)

extension TypedColumns {
  /// Runs the within-subject checks that the usable columns allow and returns the typed rows
  /// when every schema column is usable.
  mutating func checkRows() -> TrialRecords? {
    guard usable.contains("subject"), usable.contains("visit"),
      let subjects = labels["subject"], let visits = numbers["visit"], table.rowCount > 0
    else { return nil }
    let subject = subjects.map { $0 ?? "" }
    let visit = visits.map { Int($0) }
    // Sorted on the subject's level code (levels are sorted, so this is label order).
    let code = labelCodes["subject"] ?? []
    let order = (0..<table.rowCount).sorted {
      (code[$0], visit[$0], $0) < (code[$1], visit[$1], $1)
    }
    var ranges: [Range<Int>] = []
    var start = 0
    for k in 1...order.count where k == order.count || code[order[k]] != code[order[start]] {
      ranges.append(start..<k)
      start = k
    }

    let ketamine = usable.contains("arm") ? rowsWithKetamine() : []
    let constants = constantColumns()
    for range in ranges {
      let rows = Array(order[range])
      checkDuplicates(rows, visit: visit)
      checkConstants(rows, constants)
      checkDays(rows)
      checkDoses(rows, ketamine: ketamine)
      checkInfusions(rows, ketamine: ketamine)
      checkDropout(rows)
    }

    guard TrialSchema.columnNames.allSatisfy(usable.contains) else { return nil }
    func text(_ name: String) -> [String] { (labels[name] ?? []).map { $0 ?? "" } }
    func values(_ name: String) -> [Double] { numbers[name] ?? [] }
    return TrialRecords(
      subject: subject, site: text("site"), arm: text("arm"), visit: visit, day: values("day"),
      infusion: values("infusion").map { Int($0) }, dose: values("dose_mgkg"),
      pain: values("pain"), baselinePain: values("baseline_pain"),
      dropout: values("dropout").map { Int($0) },
      adverseEvents: ["dissociation", "nausea", "dizziness"].map { ($0, values($0)) },
      order: order, subjectRanges: ranges)
  }

  private mutating func checkDuplicates(_ rows: [Int], visit: [Int]) {
    for (previous, row) in zip(rows, rows.dropFirst()) where visit[previous] == visit[row] {
      report(
        row, "visit",
        "subject \(subjectLabel(row)) has visit \(visit[row]) twice (also on line "
          + "\(table.lines[previous])); one row per subject × visit")
    }
  }

  private func subjectLabel(_ row: Int) -> String {
    labels["subject"]?[row] ?? "?"
  }

  /// A usable column that must be constant within subject: level codes or numbers.
  private typealias ConstantColumn = (name: String, codes: [Int32]?, numbers: [Double]?)

  private func constantColumns() -> [ConstantColumn] {
    TrialSchema.columns.filter {
      $0.constantWithinSubject && $0.name != "subject" && usable.contains($0.name)
    }.map { ($0.name, labelCodes[$0.name], labelCodes[$0.name] == nil ? numbers[$0.name] : nil) }
  }

  private mutating func checkConstants(_ rows: [Int], _ columns: [ConstantColumn]) {
    guard let first = rows.first else { return }
    for column in columns {
      for row in rows.dropFirst() {
        let same: Bool
        if let codes = column.codes {
          same = codes[row] == codes[first]
        } else if let values = column.numbers {
          same = values[row] == values[first] || (values[row].isNaN && values[first].isNaN)
        } else {
          continue
        }
        if !same {
          report(
            row, column.name,
            "varies within subject \(subjectLabel(row)): \(text(column.name, row)) here, "
              + "\(text(column.name, first)) on line \(table.lines[first])")
        }
      }
    }
  }

  /// A cell as text for messages.
  private func text(_ name: String, _ row: Int) -> String {
    if let values = labels[name] { return values[row] ?? "NA" }
    return numbers[name].map { Self.format($0[row]) } ?? "?"
  }

  private mutating func checkDays(_ rows: [Int]) {
    guard usable.contains("day"), let day = numbers["day"], let visit = numbers["visit"] else {
      return
    }
    for (previous, row) in zip(rows, rows.dropFirst())
    where visit[previous] != visit[row] && !(day[row] > day[previous]) {
      report(
        row, "day",
        "day \(Self.format(day[row])) of visit \(Self.format(visit[row])) is not after day "
          + "\(Self.format(day[previous])) of visit \(Self.format(visit[previous])) (line "
          + "\(table.lines[previous])); visits must be ordered in time")
    }
  }

  private mutating func checkDoses(_ rows: [Int], ketamine: [Bool]) {
    guard usable.contains("arm"), let dose = numbers["dose_mgkg"], usable.contains("dose_mgkg")
    else { return }
    let range = TrialSchema.labelledDose
    for row in rows where dose[row] != 0 {
      let arm = labels["arm"]?[row] ?? ""
      if ketamine[row] {
        if !range.contains(dose[row]) {
          report(
            row, "dose_mgkg",
            "dose \(Self.format(dose[row])) mg/kg is outside the labelled range "
              + "\(range.lowerBound)...\(range.upperBound) mg/kg (0 = no infusion)")
        }
      } else {
        report(
          row, "dose_mgkg",
          "arm '\(arm)' has no ketamine but the dose is \(Self.format(dose[row])) mg/kg "
            + "(expected 0)")
      }
    }
  }

  private mutating func checkInfusions(_ rows: [Int], ketamine: [Bool]) {
    guard usable.contains("infusion"), let infusion = numbers["infusion"] else { return }
    let ketamineRule =
      usable.contains("arm") && usable.contains("dose_mgkg")
      && rows.first.map { ketamine[$0] } == true
    let dose = numbers["dose_mgkg"] ?? []
    var previous = 0.0
    var previousLine: String = "before the first visit"
    for row in rows {
      let step = infusion[row] - previous
      if step < 0 {
        report(
          row, "infusion",
          "infusion count falls from \(Self.format(previous)) (\(previousLine)) to "
            + "\(Self.format(infusion[row])); it never decreases")
      } else if ketamineRule {
        let expected: Double = dose[row] > 0 ? 1 : 0
        if step != expected {
          report(
            row, "infusion",
            "infusion count goes from \(Self.format(previous)) (\(previousLine)) to "
              + "\(Self.format(infusion[row])) at a visit with dose "
              + "\(Self.format(dose[row])) mg/kg; in an arm with ketamine it must "
              + (expected == 1 ? "rise by 1 when a dose is given" : "stay the same without a dose"))
        }
      } else if step > 1 {
        report(
          row, "infusion",
          "infusion count rises from \(Self.format(previous)) (\(previousLine)) to "
            + "\(Self.format(infusion[row])); at most one infusion per visit")
      }
      previous = infusion[row]
      previousLine = "line \(table.lines[row])"
    }
  }

  private mutating func checkDropout(_ rows: [Int]) {
    guard usable.contains("dropout"), let dropout = numbers["dropout"] else { return }
    var droppedAt: Int?
    for row in rows {
      if dropout[row] == 1 {
        if droppedAt == nil { droppedAt = row }
        if let pain = numbers["pain"], !pain[row].isNaN {
          report(row, "pain", "pain is observed after dropout (dropout = 1); it must be missing")
        }
      } else if let first = droppedAt {
        report(
          row, "dropout",
          "dropout returns to 0 after being 1 on line \(table.lines[first]); once 1 it stays 1")
      }
    }
  }
}
