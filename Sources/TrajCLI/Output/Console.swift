import Foundation
import Reports

/// Where every command's text goes: standard output for results, standard error for errors,
/// each through `TerminalText`, so that no control character from the data reaches the
/// terminal whichever command prints it.
enum Console {
  /// Prints `text` to standard output, control characters made visible.
  /// - Parameters:
  ///   - text: The text.
  ///   - terminator: Appended after it (a line feed unless given).
  static func print(_ text: String, terminator: String = "\n") {
    Swift.print(TerminalText.visible(text), terminator: terminator)
  }

  /// Writes `text` to standard error as it is, control characters made visible.
  /// - Parameter text: The text, with its own line feed.
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data(TerminalText.visible(text).utf8))
  }
}
