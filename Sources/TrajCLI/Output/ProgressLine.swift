import Foundation

/// A one-line progress display on standard error for long work.
///
/// Each update rewrites the line in place (carriage return, then erase to the end of the line);
/// `finish` erases it, so nothing is left between the command's other output. Shown when
/// standard error is a terminal, unless `--quiet`; `--progress` shows it even when standard
/// error is a pipe or a file (tests).
final class ProgressLine {
  /// Whether updates are written.
  let enabled: Bool
  /// Whether something is on the line now.
  private var showing = false

  /// A progress line for a command's `--quiet` and `--progress` flags.
  /// - Parameters:
  ///   - quiet: Never show it.
  ///   - forced: Show it even when standard error is not a terminal.
  init(quiet: Bool, forced: Bool) {
    enabled = !quiet && (forced || isatty(STDERR_FILENO) == 1)
  }

  /// Replaces the line with `text`.
  /// - Parameter text: What is being done now.
  func update(_ text: String) {
    guard enabled else { return }
    write("\r\u{1B}[K" + text)
    showing = true
  }

  /// Erases the line (before other output, or at the end).
  func finish() {
    guard enabled, showing else { return }
    write("\r\u{1B}[K")
    showing = false
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
