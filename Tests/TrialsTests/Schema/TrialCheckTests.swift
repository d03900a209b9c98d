import DataTable
import TestSupport
import Testing

@testable import Trials

@Suite("Trial schema check")
struct TrialCheckTests {
  /// (line, column) of each violation, in order.
  func places(_ validation: TrialValidation) -> [String] {
    validation.violations.map { "\($0.location.line):\($0.location.column ?? "-")" }
  }

  @Test("the mini trial is valid, with its extra column listed and rows in any order")
  func validFixture() throws {
    let validation = TrialCheck.validate(try TrialFixture.table("mini_trial"))
    #expect(validation.violations.isEmpty, "\(validation.violations)")
    #expect(validation.extraColumns == ["rater"])
    let records = try #require(validation.records)
    #expect(records.subjectRanges.count == 6)
    // M02's rows are shuffled in the file (lines 26–30 hold visits 4, 2, 0, 3, 1):
    // in visit order they are rows 26, 28, 25, 27, 24 (0-based rows = line − 2).
    // Subjects sort as K01, K02, M01, M02, P01, P02.
    let m02 = records.subjectRanges[3]
    #expect(records.subject[records.order[m02.lowerBound]] == "M02")
    #expect(Array(records.order[m02]) == [26, 28, 25, 27, 24])
  }

  @Test("numeric schema columns read as factors (--factor visit) are still checked and valid")
  func numericColumnReadAsFactor() throws {
    let url = RepositoryPaths.fixtures.appendingPathComponent("trials/mini_trial.csv")
    let table = try Table.readCSV(
      path: url.path, options: CSVOptions(factorColumns: ["visit", "infusion"]))
    let validation = TrialCheck.validate(table)
    #expect(validation.violations.isEmpty, "\(validation.violations)")
    #expect(validation.records != nil)
  }

  @Test("types, ranges, missing values, routes and arm labels are reported at their cell")
  func valueViolations() throws {
    let validation = TrialCheck.validate(try TrialFixture.table("invalid_values"))
    #expect(
      places(validation) == [
        "3:route", "4:pain", "5:psych_history", "7:site", "12:prior_treatments", "16:day",
        "26:arm",
      ])
    let text = validation.violations.map(\.description)
    #expect(
      text[0] == "invalid_values.csv:3: column 'route': \"oral\" is not one of IV, IM, SC, nasal")
    #expect(text[1] == "invalid_values.csv:4: column 'pain': value 11 is outside 0...10")
    #expect(text[2].hasSuffix("expected 0 or 1, found 2"))
    #expect(text[3].hasSuffix("column 'site': missing value"))
    #expect(text[4].hasSuffix("expected a whole number, found 3.5"))
    #expect(text[5].hasSuffix("expected a number, found \"wk1\""))
    #expect(text[6].contains("\"ketamine+memantine\" is not a valid arm"))
    #expect(validation.records == nil)
  }

  @Test("structural rules: dose, duplicates, time order, infusions, constants, dropout")
  func structuralViolations() throws {
    let validation = TrialCheck.validate(try TrialFixture.table("invalid_structure"))
    #expect(
      places(validation) == [
        "4:dose_mgkg",  // placebo with dose 1.0
        "9:visit",  // P02 visit 1 twice (lines 8 and 9)
        "13:dose_mgkg",  // ketamine 2.0 mg/kg, outside 0.5...1.5
        "14:day",  // K01 visit 3 on day 0, not after visit 1's day 0
        "17:infusion",  // K02 infusion 0 → 1 at a visit with dose 0
        "22:arm",  // M01 arm changes to ketamine
        "25:pain",  // M01 pain observed with dropout = 1
        "29:dropout",  // M02 dropout 1 at visit 2 (line 27), 0 at visit 3
      ])
    let messages = validation.violations.map(\.message)
    #expect(messages[1].contains("has visit 1 twice (also on line 8)"))
    #expect(messages[2].contains("outside the labelled range 0.5...1.5"))
    #expect(messages[5].contains("varies within subject M01: ketamine here, ketamine_memantine"))
    #expect(messages[7].contains("after being 1 on line 27"))
  }

  @Test("missing columns are reported on line 1 with the nearest header name")
  func missingColumns() throws {
    let validation = TrialCheck.validate(try TrialFixture.table("missing_columns"))
    #expect(
      validation.violations.map(\.description) == [
        "missing_columns.csv:1: column 'pain': missing from the header; did you mean 'Pain'?",
        "missing_columns.csv:1: column 'dropout': missing from the header; "
          + "did you mean 'drop_out'?",
      ])
  }

  @Test("placebo saline infusions may count up by one a visit, not by two")
  func placeboInfusionRule() throws {
    // P01 (placebo, dose 0 throughout) has infusion 0, 1, 2, 2, 2: valid. Make visit 2
    // jump to 3 (line 4): a rise of 2 is reported; the later fall 3 → 2 on line 5 as well.
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    lines[3] = lines[3].replacingOccurrences(
      of: "P01,A,placebo,2,7,2,", with: "P01,A,placebo,2,7,3,")
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let validation = TrialCheck.validate(table)
    #expect(places(validation) == ["4:infusion", "5:infusion"])
    #expect(validation.violations[0].message.contains("at most one infusion per visit"))
    #expect(validation.violations[1].message.contains("never decreases"))
  }

  @Test("the error lists at most 20 violations, then '… and N more'")
  func errorCap() throws {
    // Every pain value of the 29 rows out of range: 25 observed values → 25 violations.
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    let painIndex = try #require(lines[0].split(separator: ",").firstIndex(of: "pain"))
    for i in 1..<lines.count {
      var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
      if fields[painIndex] != "NA" { fields[painIndex] = "12" }
      lines[i] = fields.joined(separator: ",")
    }
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let error = #expect(throws: TrialError.self) { try TrialCheck.records(of: table) }
    let text = try #require(error).description.split(separator: "\n").map(String.init)
    #expect(text.first == "t.csv: 25 trial schema violations")
    #expect(text.count == 1 + 20 + 1)
    #expect(text.last == "  … and 5 more")
    #expect(text[1] == "  t.csv:2: column 'pain': value 12 is outside 0...10")
  }

  @Test("a whole number out of range (even beyond Int) is reported, not trapped on")
  func hugeVisit() throws {
    var lines = try TrialFixture.text("mini_trial").split(separator: "\n").map(String.init)
    lines[1] = lines[1].replacingOccurrences(of: "P01,A,placebo,0,", with: "P01,A,placebo,1e30,")
    let table = try Table.readCSV(text: lines.joined(separator: "\n"), source: "t.csv")
    let validation = TrialCheck.validate(table)
    #expect(places(validation) == ["2:visit"])
    #expect(validation.violations[0].message == "value 1e+30 is outside 0...10000")
  }

  @Test("a table with every schema column is recognised; one without 'dropout' is not")
  func recognition() throws {
    #expect(TrialCheck.hasSchemaColumns(try TrialFixture.table("mini_trial")))
    #expect(!TrialCheck.hasSchemaColumns(try TrialFixture.table("missing_columns")))
  }
}
