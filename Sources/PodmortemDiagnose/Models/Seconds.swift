import Foundation
import PodmortemModel

/// Seconds written for people: `45s`, `5m`, `5m30s`, `1h2m`.
///
/// Parsing durations is `Durations` in PodmortemText; this only writes them, for findings and explain.
package enum Seconds {
  package static func format(_ seconds: Double) -> String {
    let negative = seconds < 0
    // Saturating: a value that escaped the range checks at parse time prints, never traps.
    let whole = Int(saturating: abs(seconds).rounded())
    let h = whole / 3600
    let m = (whole % 3600) / 60
    let s = whole % 60
    var text: String
    if h > 0 {
      text = m > 0 ? "\(h)h\(m)m" : "\(h)h"
    } else if m > 0 {
      text = s > 0 ? "\(m)m\(s)s" : "\(m)m"
    } else {
      text = "\(s)s"
    }
    if negative { text = "-" + text }
    return text
  }

  /// `40s`, or `40s–55s` when the bounds differ.
  package static func format(_ range: ClosedRange<Double>) -> String {
    let lo = format(range.lowerBound)
    let hi = format(range.upperBound)
    return lo == hi ? lo : "\(lo)–\(hi)"
  }

  /// A fact value: whole seconds, or `lo..hi` when the bounds differ.
  package static func fact(_ range: ClosedRange<Double>) -> String {
    let lo = Int(saturating: range.lowerBound.rounded())
    let hi = Int(saturating: range.upperBound.rounded())
    return lo == hi ? "\(lo)" : "\(lo)..\(hi)"
  }
}
