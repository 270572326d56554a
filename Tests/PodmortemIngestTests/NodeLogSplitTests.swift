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
          NodeLogParser.logfmt(text).first(where: { $0.key == "time" }).flatMap { NodeLogParser.RFC3339Time($0.value) },
          text
        )
        : nil
    }
    if let space = ASCIISearch.firstIndex(of: " ", in: text[...]) ?? text.firstIndex(of: " "), space > text.startIndex,
      let time = NodeLogParser.RFC3339Time(String(text[..<space]))
    {
      let rest = text[text.index(after: space)...]
      let kinds = ["container ", "image ", "network ", "volume ", "daemon ", "plugin "]
      if kinds.contains(where: { rest.hasPrefix($0) }) { return (.dockerEvent, time, String(rest)) }
    }
    return nil
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
