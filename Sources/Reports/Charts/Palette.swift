/// Colours for series, from the Okabe–Ito palette, which stays distinguishable under the
/// common forms of colour blindness and in greyscale print.
public enum Palette {
  /// Series colours in order of use (black reserved for references and text).
  public static let series = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
  ]

  /// The colour of series `index` (cycling after the last).
  /// - Parameter index: Series number from 0.
  /// - Returns: A `#rrggbb` colour.
  public static func color(_ index: Int) -> String { series[index % series.count] }

  /// Grid lines.
  public static let grid = "#e5e5e5"
  /// Axes, ticks and text.
  public static let ink = "#222222"
  /// Reference lines (zero effect, y = x).
  public static let reference = "#777777"
}
