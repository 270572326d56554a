import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `NodeLogParser.split` asks Foundation's date formatters only once the cheap checks pass (the
/// words after a `docker events` time, the length of a `dmesg -T` time). These tests hold it to the
/// split it replaced, on every sample line, on seeded hostile lines and on lines made to sit on
/// either side of each check.
@Suite struct NodeLogSplitTests {
  /// The split as it was, kept as the reference: the time read before the words after it, the
  /// formatter made before the length was checked.
  static func referenceSplit(_ b: [UInt8]) -> (form: NodeLogParser.Form, time: Date?, body: String)? {
    if b.first == 0x5B, let close = b.firstIndex(of: 0x5D), close < 40 {
      let inside = String(decoding: b[1..<close], as: UTF8.self)
      let bodyStart = close + 1 < b.count && b[close + 1] == 0x20 ? close + 2 : close + 1
      let body = String(decoding: b[min(bodyStart, b.count)...], as: UTF8.self)
      let trimmed = inside.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." }), trimmed.contains(".") {
        return (.dmesg, nil, body)
      }
      if let date = referenceCtime(inside) { return (.dmesg, date, body) }
      return nil
    }
    let text = String(decoding: b, as: UTF8.self)
    if text.hasPrefix("level=") || text.hasPrefix("time=\"") {
      return text.contains("msg=")
        ? (
          .logfmt,
          NodeLogParser.logfmt(text).first(where: { $0.key == "time" }).flatMap { referenceRFC3339Time($0.value) },
          text
        )
        : nil
    }
    if let space = ASCIISearch.firstIndex(of: " ", in: text[...]) ?? text.firstIndex(of: " "), space > text.startIndex,
      let time = referenceRFC3339Time(String(text[..<space]))
    {
      let rest = text[text.index(after: space)...]
      let kinds = ["container ", "image ", "network ", "volume ", "daemon ", "plugin "]
      if kinds.contains(where: { rest.hasPrefix($0) }) { return (.dockerEvent, time, String(rest)) }
    }
    return nil
  }

  /// `NodeLogParser.RFC3339Time` as it was: Foundation's formatters for every time.
  static func referenceRFC3339Time(_ s: String) -> Date? {
    guard s.count >= 20, s.count <= 40, s.first?.isNumber == true, s.contains("T") else { return nil }
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: s) { return d }
    if let dot = s.firstIndex(of: "."), let zone = s[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
    {
      let digits = s[s.index(after: dot)..<zone]
      guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
      return f.date(from: String(s[..<dot]) + "." + String(digits.prefix(3)) + String(s[zone...]))
    }
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s)
  }

  /// Times of the plain shape and around it: every year's edges, month lengths and leap days,
  /// fractions of 0 to 10 digits, offsets up to and past 14 hours, and fields one past their range.
  static func seededTimes(count: Int) -> [String] {
    var rng = SplitMix64(seed: 1720)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return (0..<count).map { _ in
      let years = [1582, 1583, 1600, 1700, 1900, 1969, 1970, 2000, 2024, 2026, 2100, 9999, 1000, 10_000]
      let year = rng.below(3) == 0 ? years[rng.below(years.count)] : 1583 + rng.below(8_417)
      let month = rng.below(14)
      let day = rng.below(33)
      let hour = rng.below(26)
      let minute = rng.below(62)
      let second = rng.below(62)
      var text = "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
      if year >= 1000 && year <= 9999 && rng.below(4) > 0 {
        text = String(
          format: "%04d-%02d-%02dT%02d:%02d:%02d", year, 1 + rng.below(12), 1 + rng.below(31), rng.below(24),
          rng.below(60), rng.below(60))
      }
      let n = rng.below(11)
      if n > 0 { text += "." + String((0..<n).map { _ in Character(String(rng.below(10))) }) }
      switch rng.below(5) {
      case 0: text += ["+", "-"][rng.below(2)] + two(rng.below(16)) + ":" + two(rng.below(61))
      case 1: text += ["z", "+0100", "+01", ""][rng.below(4)]
      default: text += "Z"
      }
      return text
    }
  }

  @Test func plainTimesAreTheFormattersTimes() {
    var fast = 0
    let times =
      Self.seededTimes(count: 20_000) + [
        "2019-05-04T18:05:45.011072877-05:00", "2019-05-04T18:05:45Z", "2026-02-29T00:00:00Z",
        "2024-02-29T23:59:59.999Z",
        "1583-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+14:00", "1582-12-31T23:59:59Z", "2026-11-27T01:00:00.5Z",
        "2026-11-27T01:00:00.05Z", "2026-11-27T01:00:00.0001Z", "2026-11-27T24:00:00Z", "2026-11-27T23:59:60Z",
      ]
    for text in times {
      let new = NodeLogParser.RFC3339Time(text)
      #expect(new == Self.referenceRFC3339Time(text), "\(text)")
      if NodeLogParser.plainInternetTime(text) != nil { fast += 1 }
    }
    // Most seeded times take the plain path, so it is the path compared.
    #expect(fast > 10_000)
  }

  static func referenceCtime(_ s: String) -> Date? {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(secondsFromGMT: 0)
    f.dateFormat = "EEE MMM d HH:mm:ss yyyy"
    let squeezed = s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    guard squeezed.count >= 20, squeezed.count <= 28 else { return nil }
    return f.date(from: squeezed)
  }

  /// Lines on either side of each check: docker events of every kind and near misses, times with
  /// and without fractions and zones, bracketed times of every length around 20 and 28.
  static let madeLines: [String] = {
    let times = [
      "2019-05-04T18:05:45.011072877-05:00", "2019-05-04T18:05:45Z", "2019-05-04T18:05:45.123Z",
      "2019-05-04T18:05:45+01:00", "2019-05-04 18:05:45Z", "2019-13-04T18:05:45Z", "2019-05-04T18:05:45.Z",
      "2019-05-04T18:05:45.12a3Z", "12345678901234567890T", "2026-11-27T00:00:01.000001Z",
    ]
    let rests = [
      "container oom 4f1e (image=x, io.kubernetes.pod.name=web-0)", "image pull nginx:1", "network connect br0",
      "volume mount v1", "daemon reload", "plugin enable p", "containers oom x", "INFO starting server", "container",
      "Container oom x", "", " container oom x",
    ]
    let brackets = [
      "[Thu Dec  7 00:05:14 2017] oom-kill", "[Thu Dec 7 00:05:14 2017]", "[Mon Jan  1 00:00:00 2018] x",
      "[ 7063.247407] msg", "[INFO] starting", "[main] ok", "[Thu Dec  7 00:05:14 20171] x",
      "[Thu Dec  7 0:5:1 2017] x",
      "[Thu Dec  7 00:05:14 2017 extra words here] x", "[2026-11-27 00:00:01] INFO ready", "[]", "[", "[ ] x",
    ]
    return times.flatMap { t in rests.map { "\(t) \($0)" } } + brackets
      + ["level=info msg=\"x\" time=\"2019-05-04T18:05:45Z\"", "time=\"2019-05-04T18:05:45.5Z\" level=error msg=y"]
      // Around the byte searches for `msg=` and a time's `T`: accents and look-alikes on each side.
      + [
        "level=info ms\u{301}g=x", "level=info msg\u{301}=x", "level=info msg=\u{301}x", "level=info \u{301}msg=x",
        "time=\"2019-05-04T18:05:45Z\" msg\u{2260}x", "time=\"2019-05-04T\u{301}18:05:45Z\" level=info msg=x",
        "level=info é msg=x", "level=info msg=x é", "level=info", "level=info MSG=x",
        "time=\"2019-05-04t18:05:45Z\" msg=x",
        "time=\"2019-05-04\u{162}18:05:45Z\" msg=x", "time=\"2019-05-04 18:05:45Z\" msg=x",
        "time=\"2019-05-04T18:05:45.123456789+01:00\" level=debug msg=\"a \\\"b\\\"\"",
      ]
  }()

  static func same(
    _ a: (form: NodeLogParser.Form, time: Date?, body: String)?,
    _ b: (form: NodeLogParser.Form, time: Date?, body: String)?
  ) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let a?, let b?): return a.form == b.form && a.time == b.time && a.body == b.body
    default: return false
    }
  }

  @Test func splitAnswersAsTheReferenceOnMadeAndSampleLines() {
    var docker = 0
    var dated = 0
    for text in Self.madeLines + SampleLines.all {
      let b = Array(text.utf8)
      let new = NodeLogParser.split(b)
      #expect(Self.same(new, Self.referenceSplit(b)), "\(text)")
      if new?.form == .dockerEvent { docker += 1 }
      if new?.time != nil { dated += 1 }
    }
    // The made lines reach both formatters' answers, so the checks before them are exercised.
    #expect(docker >= 30)
    #expect(dated >= 45)
  }

  @Test func splitAnswersAsTheReferenceOnSeededHostileLines() {
    var rng = SplitMix64(seed: 1717)
    for _ in 0..<3_000 {
      let text: String
      if rng.below(2) == 0 {
        let made = Self.madeLines[rng.below(Self.madeLines.count)]
        let hostile = SampleLines.hostile[rng.below(SampleLines.hostile.count)]
        var chars = Array(made)
        chars.insert(contentsOf: hostile, at: rng.below(chars.count + 1))
        text = String(chars)
      } else {
        text = String(SampleLines.random(&rng).prefix(300))
      }
      let b = Array(text.utf8)
      #expect(Self.same(NodeLogParser.split(b), Self.referenceSplit(b)), "\(text)")
    }
  }
}
