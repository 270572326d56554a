import Foundation
import PodmortemModel

/// How long before the capture time something happened, as the range of seconds a printed age
/// allows: `5m` is 300…300.999 s, `15m` is 900…959.999 s (docs/kubernetes.md §2).
package struct AgeRange: Hashable, Sendable {
  package var minSeconds: Double
  package var maxSeconds: Double

  package init(minSeconds: Double, maxSeconds: Double) {
    self.minSeconds = min(minSeconds, maxSeconds)
    self.maxSeconds = max(minSeconds, maxSeconds)
  }

  /// The age `value` with a precision of `unit` seconds: value … value + unit − 1 ms.
  package init(value: Double, unit: Double) {
    self.init(minSeconds: value, maxSeconds: value + unit - Durations.epsilon)
  }

  /// The moments this age allows, counted back from `date`: age a…b ago is [date − b, date − a].
  package func timeRange(before date: Date) -> TimeRange {
    TimeRange(earliest: date.addingTimeInterval(-maxSeconds), latest: date.addingTimeInterval(-minSeconds))
  }

  /// The moments this age allows, counted back from the capture time.
  package func timeRange(before capture: CaptureTime) -> TimeRange { timeRange(before: capture.date) }
}

/// What an age cell of kubectl says.
package enum Age: Hashable, Sendable {
  case known(AgeRange)
  /// `<unknown>`: the timestamp was zero.
  case unknown
  /// `<invalid>`: the timestamp lies at least 2 s after the capture time (clock skew, or a
  /// deletionTimestamp during the grace period, docs/kubernetes.md §1.2).
  case future

  /// The range, when the age is known.
  package var range: AgeRange? {
    if case .known(let range) = self { return range }
    return nil
  }

  /// The moments this age allows before `capture`; nil for `<unknown>` and `<invalid>`.
  package func timeRange(before capture: CaptureTime) -> TimeRange? { range?.timeRange(before: capture) }
}

/// Inverts the duration formats kubectl prints: `HumanDuration`, `ShortHumanDuration` and Go's
/// `time.Duration.String()` (docs/kubernetes.md §2).
package enum Durations {
  /// The gap left below the next unit so a range never touches the next printed value.
  package static let epsilon = 0.001

  private static let minute = 60.0
  private static let hour = 3600.0
  private static let day = 86400.0
  private static let year = 365 * 86400.0

  /// Inverts `duration.HumanDuration` band by band, each with its own precision (docs/kubernetes.md §2).
  /// Also accepts the pre-1.12 forms with zero parts (`5m0s`, `3h0m`, `2d0h`) and the 1.12–1.18
  /// `2y0d`. Returns nil for text HumanDuration cannot print.
  package static func human(_ text: some StringProtocol) -> Age? {
    if let special = special(text) { return special }
    guard let parts = components(text) else { return nil }
    let units = String(parts.map(\.unit))
    let v = parts.map { Double($0.value) }
    switch units {
    case "s":
      guard v[0] < 120 else { return nil }
      return v[0] == 0 ? zero : known(v[0], 1)
    case "m":
      if v[0] >= 2 && v[0] < 10 { return known(v[0] * minute, 1) }
      if v[0] >= 10 && v[0] < 180 { return known(v[0] * minute, minute) }
      return nil
    case "ms":
      guard v[0] >= 2 && v[0] < 10 && v[1] < 60 else { return nil }
      return known(v[0] * minute + v[1], 1)
    case "h":
      if v[0] >= 3 && v[0] < 8 { return known(v[0] * hour, minute) }
      if v[0] >= 8 && v[0] < 48 { return known(v[0] * hour, hour) }
      return nil
    case "hm":
      guard v[0] >= 3 && v[0] < 8 && v[1] < 60 else { return nil }
      return known(v[0] * hour + v[1] * minute, minute)
    case "d":
      if v[0] >= 2 && v[0] < 8 { return known(v[0] * day, hour) }
      if v[0] >= 8 && v[0] < 730 { return known(v[0] * day, day) }
      return nil
    case "dh":
      guard v[0] >= 2 && v[0] < 8 && v[1] < 24 else { return nil }
      return known(v[0] * day + v[1] * hour, hour)
    case "y":
      if v[0] >= 2 && v[0] < 8 { return known(v[0] * year, day) }
      if v[0] >= 8 { return known(v[0] * year, year) }
      return nil
    case "yd":
      guard v[0] >= 2 && v[0] < 8 && v[1] < 365 else { return nil }
      return known(v[0] * year + v[1] * day, day)
    default:
      return nil
    }
  }

  /// Inverts `duration.ShortHumanDuration`, the single-unit style of pre-1.12 `get events` and the
  /// old describe tables: `10m` means 600…659.999 s.
  package static func shortHuman(_ text: some StringProtocol) -> Age? {
    if let special = special(text) { return special }
    guard let parts = components(text), parts.count == 1 else { return nil }
    let v = Double(parts[0].value)
    switch parts[0].unit {
    case "s": return v == 0 ? zero : (v < 60 ? known(v, 1) : nil)
    case "m": return v < 60 ? known(v * minute, minute) : nil
    case "h": return v < 24 ? known(v * hour, hour) : nil
    case "d": return v < 365 ? known(v * day, day) : nil
    case "y": return known(v * year, year)
    default: return nil
    }
  }

  /// An age in any y/d/h/m/s notation (`21h13m`, `2d5h`, `3h45m10s`), as web consoles and Lens
  /// print them where kubectl would not: precise to its smallest unit. Tried only after the
  /// kubectl forms, so an age kubectl prints keeps kubectl's own precision.
  package static func compound(_ text: some StringProtocol) -> Age? {
    if let special = special(text) { return special }
    guard let parts = components(text), let smallest = parts.last else { return nil }
    let units: [Character: Double] = ["s": 1, "m": minute, "h": hour, "d": day, "y": year]
    var total = 0.0
    for part in parts { total += Double(part.value) * (units[part.unit] ?? 0) }
    return known(total, units[smallest.unit] ?? 1)
  }

  /// Seconds of a Go `time.Duration` string: `5m0s`, `1m20s`, `300ms`, `1h0m0s`, `1.234s`, `0s`;
  /// nil beyond `Plausible.maxDurationSeconds` (`back-off 18446744073709551615s`).
  package static func goDuration(_ text: some StringProtocol) -> Double? {
    var scalars = Substring(text).unicodeScalars[...]
    var sign = 1.0
    if scalars.first == "-" || scalars.first == "+" {
      if scalars.first == "-" { sign = -1 }
      scalars = scalars.dropFirst()
    }
    if String(scalars) == "0" { return 0 }
    guard !scalars.isEmpty else { return nil }
    var total = 0.0
    while !scalars.isEmpty {
      let number = scalars.prefix { ("0"..."9").contains($0) || $0 == "." }
      guard !number.isEmpty, let value = Double(String(number)) else { return nil }
      scalars = scalars.dropFirst(number.count)
      let unit = String(scalars.prefix { !("0"..."9").contains($0) && $0 != "." })
      scalars = scalars.dropFirst(unit.unicodeScalars.count)
      switch unit {
      case "ns": total += value / 1e9
      case "us", "µs", "μs": total += value / 1e6
      case "ms": total += value / 1e3
      case "s": total += value
      case "m": total += value * minute
      case "h": total += value * hour
      default: return nil
      }
    }
    // Past 100 years (or not finite) is no duration Kubernetes prints; nil, never a trap later.
    return Plausible.duration(sign * total)
  }

  // `0s` covers −2 s < d < 1 s: HumanDuration truncates toward zero and prints `0s` for −1 (§2).
  private static let zero = Age.known(AgeRange(minSeconds: -2 + epsilon, maxSeconds: 1 - epsilon))

  /// The age `value` (precise to `unit`); nil past `Plausible.maxDurationSeconds`, which no
  /// object's age reaches (`999999999y` would place an event before the year 1).
  private static func known(_ value: Double, _ unit: Double) -> Age? {
    guard Plausible.duration(value + unit) != nil else { return nil }
    return .known(AgeRange(value: value, unit: unit))
  }

  private static func special(_ text: some StringProtocol) -> Age? {
    switch text {
    case "<unknown>": .unknown
    case "<invalid>": .future
    default: nil
    }
  }

  /// `2d3h` → [(2, d), (3, h)]; nil unless the text is digits-and-unit pairs in the order
  /// y, d, h, m, s with each unit at most once.
  private static func components(_ text: some StringProtocol) -> [(value: Int, unit: Character)]? {
    let order: [UInt8] = Array("ydhms".utf8)
    var parts: [(value: Int, unit: Character)] = []
    var value = 0
    var digits = 0
    var lastRank = -1
    for byte in text.utf8 {
      if byte >= 0x30 && byte <= 0x39 {
        guard digits < 9 else { return nil }
        value = value * 10 + Int(byte - 0x30)
        digits += 1
      } else {
        guard digits > 0, let rank = order.firstIndex(of: byte), rank > lastRank else { return nil }
        parts.append((value, Character(UnicodeScalar(byte))))
        lastRank = rank
        value = 0
        digits = 0
      }
    }
    guard digits == 0, !parts.isEmpty else { return nil }
    return parts
  }
}
