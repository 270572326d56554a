import Foundation
import PodmortemModel
import PodmortemText

/// Wall-clock readings in a time zone, for log timestamps that carry no offset: klog and journald
/// leave out the year and the zone (docs/kubernetes.md §10.1). RFC 3339 times go through `RFC3339`.
package enum LogTime {
  /// The instant a wall-clock reading in `zone` names, or nil when the reading is not a valid date
  /// (month 13, 30 February, hour 25).
  package static func instant(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double = 0,
    zone: TimeZone
  ) -> Date? {
    instant(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone, fixedOffset: fixedOffset(of: zone))
  }

  /// The offset of a zone that changes it no more (UTC, a fixed offset, a zone without daylight
  /// saving time ahead), nil for one that still does: what `instant` asks the zone each time.
  package static func fixedOffset(of zone: TimeZone) -> Int? {
    zone.nextDaylightSavingTimeTransition == nil ? zone.secondsFromGMT() : nil
  }

  /// `instant(…zone:)` with the zone's `fixedOffset` asked once by the caller: a log's every line
  /// would otherwise ask the zone (Foundation, ICU) the same question.
  package static func instant(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double = 0,
    zone: TimeZone, fixedOffset: Int?
  ) -> Date? {
    guard CivilDate.isValid(year: year, month: month, day: day), (0...23).contains(hour), (0...59).contains(minute),
      (0...60).contains(second)
    else { return nil }
    let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
    let local = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
    if let fixedOffset {
      return Date(timeIntervalSince1970: local - Double(fixedOffset))
    }
    // The offset depends on the instant; take it twice so a reading next to a DST change settles.
    let first = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
    return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: first))))
  }

  /// The calendar year `date` falls in, read in `zone`.
  package static func year(of date: Date, in zone: TimeZone) -> Int {
    let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
    return CivilDate.year(fromDays: Int(saturating: (local / 86_400).rounded(.down)))
  }

  /// UTC as a zone of fixed offset 0. FoundationEssentials answers it without ICU, where
  /// `TimeZone(identifier: "UTC")` opened ICU's zone data: 4.7 MB of every run's peak RSS
  /// (docs/architecture.md, "The start-up floor"). The same offsets, and no transitions, either way.
  package static let utc = TimeZone(secondsFromGMT: 0) ?? .gmt

  /// `date` as `ISO8601DateFormatter` with `.withInternetDateTime` in `zone` writes it
  /// (`2026-11-27T01:00:00Z`, `2026-11-27T02:00:00+01:00`; the seconds' fraction dropped). In a zone
  /// of a fixed whole-minute offset and for the years 1583–9999 the digits are placed by hand
  /// (days to a civil date, H. Hinnant's `civil_from_days`, http://howardhinnant.github.io/date_algorithms.html);
  /// otherwise, and for a time that is not finite, Foundation's formatter (ICU) writes it.
  package static func internetDateTime(_ date: Date, zone: TimeZone) -> String {
    if let offset = fixedOffset(of: zone), let text = internetDateTime(date, offset: offset) { return text }
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    f.timeZone = zone
    return f.string(from: date)
  }

  /// `internetDateTime(_:zone:)` at a fixed offset east of UTC, or nil when the offset is not in
  /// whole minutes under a day, or the local time is outside 1583-01-01…9999-12-31 (before 1583
  /// ICU's calendar is Julian) or not finite.
  package static func internetDateTime(_ date: Date, offset: Int) -> String? {
    guard offset > -86_400, offset < 86_400, offset % 60 == 0 else { return nil }
    // As Foundation hands the time to ICU and ICU splits it: milliseconds since 1970 in a Double,
    // half a millisecond added (so it is rounded to the nearest millisecond, `…59.9996` is the
    // next second), the offset added, days floored, the time of day's milliseconds truncated.
    let localMillis =
      (date.timeIntervalSinceReferenceDate + 978_307_200) * 1_000 + 0.5 + Double(offset) * 1_000
    let dayCount = (localMillis / 86_400_000).rounded(.down)
    // 1583-01-01 and 10000-01-01 in days since 1970.
    guard dayCount.isFinite, dayCount >= -141_349, dayCount < 2_932_897 else { return nil }
    let days = Int(dayCount)
    let millisInDay = localMillis - dayCount * 86_400_000
    guard millisInDay >= 0, millisInDay < 86_400_000 else { return nil }
    let inDay = Int(millisInDay) / 1_000
    let (year, month, day) = CivilDate.civil(fromDays: days)
    var out = [UInt8]()
    out.reserveCapacity(25)
    func put(_ value: Int, _ width: Int) { ISOTime.appendDigits(value, width: width, to: &out) }
    put(year, 4)
    out.append(0x2D)
    put(month, 2)
    out.append(0x2D)
    put(day, 2)
    out.append(0x54)
    put(inDay / 3_600, 2)
    out.append(0x3A)
    put(inDay / 60 % 60, 2)
    out.append(0x3A)
    put(inDay % 60, 2)
    if offset == 0 {
      out.append(0x5A)
    } else {
      out.append(offset < 0 ? 0x2D : 0x2B)
      put(abs(offset) / 3_600, 2)
      out.append(0x3A)
      put(abs(offset) / 60 % 60, 2)
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Gives a year to timestamps that have none (klog headers, journald's short format).
///
/// The year is the anchor's year unless that would put the line more than a day after the anchor,
/// in which case it is the year before: a log read on 2 January holds December lines (§10.1).
package struct YearInference: Sendable {
  package let anchor: Date
  package let zone: TimeZone
  private let anchorYear: Int
  /// `LogTime.fixedOffset(of: zone)`, asked once: not once per line.
  private let fixedOffset: Int?

  package init(anchor: Date, zone: TimeZone) {
    self.anchor = anchor
    self.zone = zone
    self.anchorYear = LogTime.year(of: anchor, in: zone)
    self.fixedOffset = LogTime.fixedOffset(of: zone)
  }

  package func instant(month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double) -> Date? {
    if let date = LogTime.instant(
      year: anchorYear, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone, fixedOffset: fixedOffset), date.timeIntervalSince(anchor) <= 86_400
    {
      return date
    }
    return LogTime.instant(
      year: anchorYear - 1, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone, fixedOffset: fixedOffset)
  }
}

/// The time an application wrote into its own log line, for container logs whose lines carry no
/// runtime time (`kubectl logs` output, a dump's log sections, a paste): so they sort with the
/// events instead of after them.
///
/// Read, in this order: a JSON line's `ts`, `time`, `timestamp` or `@timestamp` member (text, or
/// epoch seconds, milliseconds, microseconds or nanoseconds as zap and pino write them:
/// `"ts":1732668716.877`, `"time":1732668716877`); logfmt's leading `time="…"` or `ts=…`
/// (logrus, containerd); a leading `2026-11-27 00:58:36.877`, `2026-11-27T00:58:36.877Z`,
/// `2026-11-27 00:58:36,877` (Python logging, Spring Boot), `[2026-11-27 00:58:36,877]`, nginx's
/// `2026/11/27 00:58:36`; nginx's access-log `[27/Nov/2026:00:58:36 +0000]`. A reading without a
/// zone is UTC, the zone containers run in unless told otherwise. A time outside the years
/// 2000–9999 is not a log time (a counter or an uptime) and is not taken (`Plausible`).
package enum WrittenTime {
  /// The time `message` says it was written, as wide as its last written digit; nil when it
  /// says none.
  package static func time(in message: String) -> TimeRange? {
    // Copied from the string's own storage when it has one: a copy through `UTF8View`'s iterator
    // cost more than the reading below on a plain-text container log's lines.
    let bytes =
      message.utf8.withContiguousStorageIfAvailable { Array($0.prefix(4096)) } ?? Array(message.utf8.prefix(4096))
    guard let first = bytes.first else { return nil }
    if first == 0x7B { return json(bytes) }
    if let t = logfmt(bytes[...]) { return t }
    var start = 0
    if first == 0x5B { start = 1 }
    if let (range, _) = leading(bytes[start...]) { return range }
    return accessLog(bytes[...])
  }

  /// Log times before this are not taken: 2000-01-01T00:00:00Z.
  static let earliest = 946_684_800.0

  static func plausible(_ date: Date, unit: Double) -> TimeRange? {
    let seconds = date.timeIntervalSince1970
    guard seconds.isFinite, seconds >= earliest, Plausible.contains(date) else { return nil }
    return TimeRange(earliest: date, latest: date.addingTimeInterval(unit * 0.999))
  }

  static let jsonKeys = ["ts", "time", "timestamp", "@timestamp"]
  private static let jsonKeyBytes = jsonKeys.map { Array($0.utf8) }

  /// A JSON line's time, read from the members `jsonKeys` name without building the others
  /// (`LogJSON.skimObject`); where the skim cannot tell (a key or the chosen string not plain
  /// ASCII) the line is parsed whole as before (`jsonParsed`). A plain string's text is its bytes
  /// and a number's text always is, so each reading gets the bytes `jsonParsed` gives it.
  /// `WrittenTimeJSONTests` holds the two to each other.
  static func json(_ bytes: [UInt8]) -> TimeRange? {
    let found: [LogJSON.Skimmed?]
    switch LogJSON.skimObject(bytes, keys: jsonKeyBytes) {
    case .rejected: return nil
    case .undecided: return jsonParsed(bytes)
    case .found(let f): found = f
    }
    for member in found {
      guard let member else { continue }
      switch member.kind {
      case .string:
        guard member.plain else { return jsonParsed(bytes) }
        let b = Array(bytes[member.range])[...]
        if let (range, end) = leading(b), end == b.endIndex { return range }
        if let epoch = epoch(b) { return epoch }
      case .number:
        if let epoch = epoch(Array(bytes[member.range])[...]) { return epoch }
      case .other: break
      }
    }
    return nil
  }

  /// A JSON line's time from every member parsed: the reading before `json`'s skim, kept for
  /// the lines the skim leaves undecided.
  static func jsonParsed(_ bytes: [UInt8]) -> TimeRange? {
    guard let members = LogJSON.parseObject(bytes) else { return nil }
    for key in jsonKeys {
      guard let value = members.first(where: { $0.key == key })?.value else { continue }
      switch value {
      case .string(let text):
        let b = Array(text.utf8)[...]
        if let (range, end) = leading(b), end == b.endIndex { return range }
        if let epoch = epoch(b) { return epoch }
      case .number(let text):
        if let epoch = epoch(Array(text.utf8)[...]) { return epoch }
      default: break
      }
    }
    return nil
  }

  /// `1732668716.877` (seconds), `1732668716877` (milliseconds), and micro- and nanoseconds,
  /// told apart by magnitude: every scale puts a time after 2000 in its own range of digits.
  static func epoch(_ b: ArraySlice<UInt8>) -> TimeRange? {
    guard !b.isEmpty, b.count <= 32, b.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E }),
      let value = Double(String(decoding: b, as: UTF8.self)), value.isFinite, value > 0
    else { return nil }
    let fractionDigits = b.firstIndex(of: 0x2E).map { b.endIndex - $0 - 1 } ?? 0
    let scale: Double =
      switch value {
      case ..<1e11: 1
      case ..<1e14: 1e3
      case ..<1e17: 1e6
      default: 1e9
      }
    let seconds = value / scale
    guard let date = Plausible.date(secondsSince1970: seconds) else { return nil }
    return plausible(date, unit: pow(10, -Double(min(fractionDigits, 9))) / scale)
  }

  /// logfmt's leading `time="2026-11-27T00:58:36Z"` or `ts=2026-11-27T00:58:36.877Z`.
  private static func logfmt(_ b: ArraySlice<UInt8>) -> TimeRange? {
    for key in ["time=", "ts="] {
      let k = Array(key.utf8)
      guard b.count > k.count, b.prefix(k.count).elementsEqual(k) else { continue }
      var i = b.startIndex + k.count
      let quoted = b[i] == 0x22
      if quoted { i += 1 }
      let end = b[i...].firstIndex { quoted ? $0 == 0x22 : $0 == 0x20 } ?? b.endIndex
      let value = b[i..<end]
      if let (range, stop) = leading(value), stop == value.endIndex { return range }
      return epoch(value)
    }
    return nil
  }

  /// A date and clock at the start of `b`: `YYYY-MM-DD` or `YYYY/MM/DD`, `T` or a space,
  /// `hh:mm:ss`, a fraction after `.` or `,`, then `Z`, `±hh:mm` or `±hhmm` (or no zone: UTC).
  /// Returns the range and where the reading ended; the reading must end the text or be followed
  /// by a character that cannot continue it.
  static func leading(_ b: ArraySlice<UInt8>) -> (TimeRange, Int)? {
    var i = b.startIndex
    func number(_ digits: Int) -> Int? {
      guard b.endIndex - i >= digits else { return nil }
      var v = 0
      for _ in 0..<digits {
        guard (0x30...0x39).contains(b[i]) else { return nil }
        v = v * 10 + Int(b[i] - 0x30)
        i += 1
      }
      return v
    }
    func byte(_ allowed: (UInt8) -> Bool) -> UInt8? {
      guard i < b.endIndex, allowed(b[i]) else { return nil }
      defer { i += 1 }
      return b[i]
    }
    guard let year = number(4), let separator = byte({ $0 == 0x2D || $0 == 0x2F }), let month = number(2),
      byte({ $0 == separator }) != nil, let day = number(2), byte({ $0 == 0x54 || $0 == 0x20 }) != nil,
      let hour = number(2), byte({ $0 == 0x3A }) != nil, let minute = number(2), byte({ $0 == 0x3A }) != nil,
      let second = number(2), hour < 24, minute < 60, second < 61
    else { return nil }
    var fraction = 0.0
    var digits = 0
    if i + 1 < b.endIndex, b[i] == 0x2E || b[i] == 0x2C, (0x30...0x39).contains(b[i + 1]) {
      i += 1
      var scale = 0.1
      while i < b.endIndex, (0x30...0x39).contains(b[i]), digits < 12 {
        fraction += Double(b[i] - 0x30) * scale
        scale /= 10
        digits += 1
        i += 1
      }
      while i < b.endIndex, (0x30...0x39).contains(b[i]) { i += 1 }
    }
    var offset = 0
    if i < b.endIndex, b[i] == 0x5A {
      i += 1
    } else if i < b.endIndex, b[i] == 0x2B || b[i] == 0x2D {
      let sign = b[i] == 0x2D ? -1 : 1
      let save = i
      i += 1
      if let h = number(2) {
        _ = byte { $0 == 0x3A }
        if let m = number(2), h < 24, m < 60 { offset = sign * (h * 3_600 + m * 60) } else { i = save }
      } else {
        i = save
      }
    }
    // The reading ends the text or a word: `2026-11-27 00:58:36.877 INFO`, `…,877]`.
    if i < b.endIndex, (0x30...0x39).contains(b[i]) || (0x41...0x5A).contains(b[i]) || (0x61...0x7A).contains(b[i]) {
      return nil
    }
    guard
      let date = CivilDate.instant(
        year: year, month: month, day: day, secondsOfDay: hour * 3_600 + minute * 60 + min(second, 59),
        fraction: fraction, utcOffset: offset),
      let range = plausible(date, unit: pow(10, -Double(min(digits, 9))))
    else { return nil }
    return (range, i)
  }

  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// nginx's and Apache's access-log time, in brackets early in the line:
  /// `10.0.0.7 - - [27/Nov/2026:00:58:36 +0000] "GET / HTTP/1.1" 200`.
  static func accessLog(_ b: ArraySlice<UInt8>) -> TimeRange? {
    let head = b.prefix(120)
    // The closing bracket is looked at before any string is made: most bracketed words early in a
    // line (`[INFO]`, `[main]`) are not such a time, and this was asked of each of their lines.
    guard let open = head.firstIndex(of: 0x5B), head.endIndex - open >= 28, head[open + 27] == 0x5D else { return nil }
    let text = String(decoding: head[(open + 1)..<(open + 27)], as: UTF8.self)
    let parts = text.split(whereSeparator: { $0 == "/" || $0 == ":" || $0 == " " })
    guard parts.count == 7, let day = Int(parts[0]),
      let month = months.firstIndex(of: String(parts[1])), let year = Int(parts[2]), let hour = Int(parts[3]),
      let minute = Int(parts[4]), let second = Int(parts[5]), hour < 24, minute < 60, second < 61,
      parts[6].count == 5, let zone = Int(parts[6].dropFirst()), parts[6].first == "+" || parts[6].first == "-",
      zone / 100 < 24, zone % 100 < 60
    else { return nil }
    let offset = (parts[6].first == "-" ? -1 : 1) * (zone / 100 * 3_600 + zone % 100 * 60)
    guard
      let date = CivilDate.instant(
        year: year, month: month + 1, day: day, secondsOfDay: hour * 3_600 + minute * 60 + min(second, 59),
        utcOffset: offset)
    else { return nil }
    return plausible(date, unit: 1)
  }
}
