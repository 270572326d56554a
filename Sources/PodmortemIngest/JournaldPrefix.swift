import Foundation
import PodmortemText

/// The prefix `journalctl` writes before each message: `Nov 27 01:02:03 node-1 kubelet[123]: `
/// (docs/kubernetes.md §10.1), its `-o short-precise` form with microseconds, and the `-o short-iso` /
/// `short-iso-precise` forms that carry a year and an offset.
package struct JournaldPrefix: Hashable, Sendable {
  /// When the time has no year (the short formats): month, day, hour, minute, second, fraction.
  package struct Reading: Hashable, Sendable {
    package var month: Int
    package var day: Int
    package var hour: Int
    package var minute: Int
    package var second: Int
    package var fraction: Double
    /// Digits after the seconds (0 for `short`, 6 for `short-precise`).
    package var fractionDigits: Int
  }

  /// The full instant, for the ISO formats.
  package var instant: Date?
  /// The year-less reading, for the short formats.
  package var reading: Reading?
  /// The UTC offset the ISO formats printed, in seconds.
  package var utcOffset: Int?
  package var host: String
  /// The syslog identifier: `kubelet`, `systemd`, `containerd`.
  package var identifier: String
  package var pid: Int?
  /// The byte offset where the message starts.
  package var payloadStart: Int

  private static let months: [[UInt8]] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ].map { Array($0.utf8) }

  /// Whether a prefix may start `b`: false only where `parse` answers nil at once, neither
  /// `shortTime`'s first test (`shortMonth`: 15 bytes, a space after the month) nor `isoTime`'s
  /// (21 bytes, `-` and `T` in their places) passing. A klog line (`I1127 …`) fails both, so the
  /// kubelet-log parser does not make the optional prefix of 152 bytes for it
  /// (docs/architecture.md "Speed of the kubelet-log path").
  package static func mayStart(_ b: [UInt8]) -> Bool {
    mayStartShort(b) || mayStartISO(b)
  }

  /// `shortTime`'s first test (`shortMonth`'s): 15 bytes or more, a space after the month.
  @inline(__always) private static func mayStartShort(_ b: [UInt8]) -> Bool {
    b.count >= 15 && b[3] == 0x20
  }

  /// `isoTime`'s first test: more than 20 bytes, `-` and `T` in their places.
  @inline(__always) private static func mayStartISO(_ b: [UInt8]) -> Bool {
    b.count > 20 && b[4] == 0x2D && b[10] == 0x54
  }

  /// Reads a prefix at the start of `b`; nil when there is none.
  package static func parse(_ b: [UInt8]) -> JournaldPrefix? {
    var i = 0
    var prefix: JournaldPrefix
    if let reading = shortTime(b, &i) {
      prefix = JournaldPrefix(host: "", identifier: "", payloadStart: 0)
      prefix.reading = reading
    } else if let (instant, offset) = isoTime(b, &i) {
      prefix = JournaldPrefix(host: "", identifier: "", payloadStart: 0)
      prefix.instant = instant
      prefix.utcOffset = offset
    } else {
      return nil
    }
    guard i < b.count, b[i] == 0x20 else { return nil }
    i += 1
    let hostStart = i
    while i < b.count, b[i] != 0x20 { i += 1 }
    guard i > hostStart, i < b.count else { return nil }
    prefix.host = String(decoding: b[hostStart..<i], as: UTF8.self)
    i += 1
    let identStart = i
    while i < b.count, b[i] != 0x5B, b[i] != 0x3A, b[i] != 0x20 { i += 1 }
    guard i > identStart, i < b.count else { return nil }
    prefix.identifier = String(decoding: b[identStart..<i], as: UTF8.self)
    if b[i] == 0x5B {
      i += 1
      var pid = 0
      let pidStart = i
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - pidStart < 10 {
        pid = pid * 10 + Int(b[i] - 0x30)
        i += 1
      }
      guard i > pidStart, i < b.count, b[i] == 0x5D else { return nil }
      prefix.pid = pid
      i += 1
    }
    guard i < b.count, b[i] == 0x3A else { return nil }
    i += 1
    if i < b.count, b[i] == 0x20 { i += 1 }
    prefix.payloadStart = i
    return prefix
  }

  /// True for the lines journalctl adds between entries: `-- Boot 5c1e… --`, `-- Logs begin at …`,
  /// `-- No entries --`, `-- Reboot --`.
  package static func isMarker(_ text: String) -> Bool {
    // A text whose first byte is not `-` has no first character `-`: no scalar but `-` itself is
    // `-` or decomposes canonically to a sequence starting with it (UAX #15), so `hasPrefix`,
    // 105 instructions asked of every kubelet line, is asked only of a text starting with it
    // (docs/architecture.md "Speed of the kubelet-log path").
    guard text.utf8.first == 0x2D else { return false }
    return text.hasPrefix("-- ") && text.hasSuffix(" --")
  }

  /// The month (0 for January) a short time's first three bytes name, when the line is long enough
  /// for such a time and a space follows them. The space is looked at before the months: a line
  /// without one there is no journald line, and the twelve months compared one by one cost about
  /// 500 instructions a line, asked of every head line by the kubelet-log sniffer
  /// (docs/architecture.md, "Sniffing a head of long lines"; `JournaldMonthGateTests` keeps the
  /// old order as the reference).
  static func shortMonth(_ b: [UInt8]) -> Int? {
    guard mayStartShort(b) else { return nil }
    return months.firstIndex(where: { b[0..<3].elementsEqual($0) })
  }

  /// `Nov 27 01:02:03` or `Nov  7 01:02:03.123456`.
  private static func shortTime(_ b: [UInt8], _ i: inout Int) -> Reading? {
    guard let month = shortMonth(b) else { return nil }
    let s = b[...]
    var k = 4
    if b[k] == 0x20 { k += 1 }
    let dayStart = k
    var day = 0
    while k < b.count, b[k] >= 0x30, b[k] <= 0x39, k - dayStart < 2 {
      day = day * 10 + Int(b[k] - 0x30)
      k += 1
    }
    guard k > dayStart, k < b.count, b[k] == 0x20 else { return nil }
    k += 1
    guard let hour = TimeBytes.digits(s, &k, 2), k < b.count, b[k] == 0x3A else { return nil }
    k += 1
    guard let minute = TimeBytes.digits(s, &k, 2), k < b.count, b[k] == 0x3A else { return nil }
    k += 1
    guard let second = TimeBytes.digits(s, &k, 2), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    let fraction = TimeBytes.fraction(s, &k)
    i = k
    return Reading(
      month: month + 1, day: day, hour: hour, minute: minute, second: second, fraction: fraction.value,
      fractionDigits: fraction.digits)
  }

  /// `2026-11-27T01:02:03+0000` or `2026-11-27T01:02:03.123456+00:00`.
  private static func isoTime(_ b: [UInt8], _ i: inout Int) -> (Date, Int)? {
    guard mayStartISO(b) else { return nil }
    var end = 19
    while end < b.count, b[end] != 0x20 { end += 1 }
    guard let time = RFC3339.parse(b[0..<end]) else { return nil }
    i = end
    return (time.date, time.utcOffset)
  }
}
