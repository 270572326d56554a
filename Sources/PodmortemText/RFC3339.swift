import Foundation
import PodmortemModel

/// RFC 3339 times, read byte by byte: `metav1.Time` (`2026-11-27T01:02:03Z`) and `MicroTime` (six
/// decimals) in API objects (docs/kubernetes.md §4.1), containerd's RFC3339Nano with trailing zeros
/// trimmed (§10.2), journalctl's short-iso `+0000` (§10.1).
///
/// Any number of fraction digits after `.` or `,` (as Go's parser allows); the zone is `Z`, `±hh:mm`
/// or `±hhmm`. The result says how many fraction digits were written, so a caller can make a range
/// as wide as the last written digit.
package enum RFC3339 {
  /// A parsed time and how it was written.
  package struct Time: Hashable, Sendable {
    package var date: Date
    /// Digits written after the seconds: 0 for `01:02:03Z`, 6 for a `MicroTime`.
    package var fractionDigits: Int
    /// The offset the text gave, in seconds east of UTC (0 for `Z`).
    package var utcOffset: Int
    /// True for Go's zero time (`0001-01-01T00:00:00Z`, in any zone and with any fraction).
    package var isZero: Bool

    /// The length of the last written digit, in seconds: 1 for whole seconds, 1e-6 for microseconds.
    package var unit: Double { pow(10, -Double(min(fractionDigits, 9))) }
  }

  /// Forms some sources tolerate beyond the usual `T`.
  package struct Options: OptionSet, Hashable, Sendable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    /// `2026-11-27 01:02:03Z`: a space for the `T`, which RFC 3339 §5.6 lets applications choose.
    package static let spaceSeparator = Options(rawValue: 1)
  }

  /// Parses the whole of `b`; nil when it is not an RFC 3339 time or names a date that does not
  /// exist (30 February).
  package static func parse(_ b: ArraySlice<UInt8>, options: Options = []) -> Time? {
    var i = b.startIndex
    guard let (year, month, day) = TimeBytes.isoDate(b, &i), i < b.endIndex else { return nil }
    switch b[i] {
    case 0x54, 0x74: i += 1
    case 0x20 where options.contains(.spaceSeparator): i += 1
    default: return nil
    }
    guard let clock = TimeBytes.clock(b, &i, comma: true), i < b.endIndex else { return nil }
    let offset: Int
    if b[i] == 0x5A || b[i] == 0x7A {
      i += 1
      offset = 0
    } else {
      guard let o = TimeBytes.utcOffset(b, &i, colon: true) else { return nil }
      offset = o
    }
    guard i == b.endIndex,
      let date = CivilDate.instant(
        year: year, month: month, day: day, secondsOfDay: clock.secondsOfDay, fraction: clock.fraction,
        utcOffset: offset)
    else { return nil }
    let isZero = year <= 1 && month == 1 && day == 1 && clock.secondsOfDay == 0
    return Time(date: date, fractionDigits: clock.digits, utcOffset: offset, isZero: isZero)
  }

  /// Parses the whole of `text`.
  package static func parse(_ text: String, options: Options = []) -> Time? {
    parse(Array(text.utf8)[...], options: options)
  }
}
