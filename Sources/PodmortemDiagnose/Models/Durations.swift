import Foundation

/// Go `time.Duration` strings as the kubelet prints them (`5m0s`, `40s`, `1m20s`, `500ms`).
///
/// The CrashLoopBackOff waiting message carries the current delay in this form (REFERENCE.md §7.1).
package enum GoDuration {
  /// Seconds in a Go duration string, or nil when the text is not one.
  package static func seconds(_ text: String) -> Double? {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !rest.isEmpty else { return nil }
    if rest == "0" { return 0 }
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      guard !number.isEmpty, let value = Double(number) else { return nil }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { $0.isLetter || $0 == "µ" }
      rest = rest.dropFirst(unit.count)
      switch unit {
      case "h": total += value * 3600
      case "m": total += value * 60
      case "s": total += value
      case "ms": total += value / 1000
      case "us", "µs": total += value / 1_000_000
      case "ns": total += value / 1_000_000_000
      default: return nil
      }
    }
    return total
  }
}

/// Seconds written for people: `45s`, `5m`, `5m30s`, `1h2m`.
package enum Seconds {
  package static func format(_ seconds: Double) -> String {
    let negative = seconds < 0
    let whole = Int(abs(seconds).rounded())
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
    let lo = Int(range.lowerBound.rounded())
    let hi = Int(range.upperBound.rounded())
    return lo == hi ? "\(lo)" : "\(lo)..\(hi)"
  }
}
