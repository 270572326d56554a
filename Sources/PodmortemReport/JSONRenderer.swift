import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Renders the versioned JSON document (docs/findings-schema.md). Keys are sorted and every array is
/// in a deterministic order, so the output is stable for scripts and golden tests.
///
/// The document is written as it is produced (`JSONStreamWriter`), element by element, to a sink
/// (the output handle): a report of a million events is never held whole in memory. Its bytes are
/// those `JSONEncoder` writes for the `Document` types below (`JSONRendererTests` holds the two
/// together); each type's `write(to:)` lists its members in the order of their keys.
package struct JSONRenderer: Sendable {
  /// Bumped on any incompatible change to the document's shape.
  package static let schemaVersion = 1

  package init() {}

  package func render(_ input: ReportInput) -> String {
    Self.collect { render(input, to: $0) }
  }

  /// Writes the document to `sink` as it is produced.
  package func render(_ input: ReportInput, to sink: @escaping JSONStreamWriter.Sink) {
    var w = JSONStreamWriter(sink: sink)
    Self.write(
      input, findings: input.findings, pods: input.state.pods, events: input.citedEvents,
      suppressed: input.suppressed, to: &w)
  }

  /// The document of `podmortem events -o json`: the same document without `findings`, `pods` and
  /// `suppressed`, its `events` the ones selected (docs/findings-schema.md "The events document").
  package func renderEvents(_ input: ReportInput, events: [MergedEvent]) -> String {
    Self.collect { renderEvents(input, events: events, to: $0) }
  }

  /// Writes the events document to `sink` as it is produced.
  package func renderEvents(_ input: ReportInput, events: [MergedEvent], to sink: @escaping JSONStreamWriter.Sink) {
    var w = JSONStreamWriter(sink: sink)
    Self.write(input, findings: nil, pods: nil, events: events, suppressed: nil, to: &w)
  }

  /// The document as one string, for callers that want it whole.
  private static func collect(_ render: (@escaping JSONStreamWriter.Sink) -> Void) -> String {
    let bytes = ByteCollector()
    render { chunk in
      bytes.data.append(contentsOf: chunk)
      return true
    }
    return String(decoding: bytes.data, as: UTF8.self)
  }

  /// The top level, keys in `sortedKeys` order (`Document`'s members).
  private static func write(
    _ input: ReportInput, findings: [Finding]?, pods: [PodHistory]?, events: [MergedEvent], suppressed: Suppressed?,
    to w: inout JSONStreamWriter
  ) {
    w.beginObject()
    w.key("caveats")
    w.strings(input.state.caveats)
    w.key("diagnostics")
    w.beginArray()
    for d in input.diagnostics {
      w.element()
      DiagnosticDTO(d).write(to: &w)
    }
    w.endArray()
    w.key("events")
    w.beginArray()
    // Events, findings and pods are read in place, through the array's buffer: `for p in pods`
    // copied each one out (every field retained and released again; 9M instructions for 6,233
    // pods on an 8 MiB EventList, docs/architecture.md "JSON, fast and streamed").
    events.withUnsafeBufferPointer { events in
      for i in events.indices {
        w.element()
        w.event(events[i])
      }
    }
    w.endArray()
    if let findings {
      w.key("findings")
      w.beginArray()
      findings.withUnsafeBufferPointer { findings in
        for i in findings.indices {
          w.element()
          w.finding(findings[i])
        }
      }
      w.endArray()
    }
    if let now = input.state.now {
      w.key("now")
      CaptureDTO(now).write(to: &w)
    }
    if let pods {
      w.key("pods")
      w.beginArray()
      // Through a pointer: `pods[i]` passed by value was copied whole first, as the writer's
      // calls may write any memory (docs/architecture.md "JSON, fast and streamed").
      pods.withUnsafeBufferPointer { pods in
        guard let first = pods.baseAddress else { return }
        for i in pods.indices {
          w.element()
          w.pod(at: first + i)
        }
      }
      w.endArray()
    }
    w.key("schemaVersion")
    w.int(schemaVersion)
    w.key("sources")
    w.beginArray()
    for a in input.accounts {
      w.element()
      Source(a).write(to: &w)
    }
    w.endArray()
    if let suppressed {
      w.key("suppressed")
      SuppressedDTO(suppressed).write(to: &w)
    }
    w.key("tool")
    ToolDTO(name: "podmortem", version: input.toolVersion).write(to: &w)
    w.endObject()
    w.endDocument()
  }
}

/// The bytes of a document rendered whole (a class: the sink closure appends to it).
private final class ByteCollector {
  var data: [UInt8] = []
}

/// How reports write times: ISO 8601 in UTC, fractional seconds only when there are any.
enum ReportTime {
  static func iso(_ date: Date) -> String {
    let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
    if whole, let text = wholeSecond(date.timeIntervalSince1970) { return text }
    if !whole, let text = ISOTime.milliseconds(date) { return text }
    return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole, timeZone: .gmt))
  }

  /// The last second of 9999-12-31 (`CivilDate.daysFromCivil(year: 10000, month: 1, day: 1)`
  /// × 86,400 − 1): the fast path stays within four-digit years.
  static let lastFastSecond = 253_402_300_799.0

  /// `yyyy-MM-ddTHH:mm:ssZ` for a whole second from 1970 to 9999, written from the day count
  /// (H. Hinnant's `civil_from_days`, http://howardhinnant.github.io/date_algorithms.html): what
  /// `Date.ISO8601FormatStyle` writes for it, without Foundation's formatter on every time of a
  /// report; nil outside that range, which the formatter writes.
  static func wholeSecond(_ seconds: Double) -> String? {
    guard seconds >= 0, seconds <= lastFastSecond else { return nil }
    let total = Int(seconds)
    var bytes = [UInt8](repeating: 0, count: 20)
    bytes.withUnsafeMutableBytes { writeWholeSecond(total, into: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The 20 bytes of `yyyy-MM-ddTHH:mm:ssZ` for `total` seconds from 1970 (0 through
  /// `lastFastSecond`) into the first 20 bytes of `bytes`: `wholeSecond`'s text, also written
  /// by `JSONStreamWriter.time` straight into its buffer.
  static func writeWholeSecond(_ total: Int, into bytes: UnsafeMutableRawBufferPointer) {
    precondition(total >= 0 && Double(total) <= lastFastSecond && bytes.count >= 20)
    let days = total / 86_400
    let secondOfDay = total % 86_400
    let (year, month, day) = CivilDate.civil(fromDays: days)
    func put(_ value: Int, _ at: Int, _ width: Int) {
      var v = value
      for k in stride(from: at + width - 1, through: at, by: -1) {
        bytes[k] = 0x30 + UInt8(v % 10)
        v /= 10
      }
    }
    put(year, 0, 4)
    bytes[4] = 0x2D
    put(month, 5, 2)
    bytes[7] = 0x2D
    put(day, 8, 2)
    bytes[10] = 0x54
    put(secondOfDay / 3600, 11, 2)
    bytes[13] = 0x3A
    put(secondOfDay / 60 % 60, 14, 2)
    bytes[16] = 0x3A
    put(secondOfDay % 60, 17, 2)
    bytes[19] = 0x5A
  }

  /// A time range for people, to the nearest second: a range narrower than a second is one time
  /// (its midpoint: `lastTimestamp`, describe times and second-precision ages all land on their
  /// second); a wider one is `start…end`, the end shortened to its time of day, so an age's
  /// uncertainty stays visible.
  static func text(_ range: TimeRange) -> String {
    func second(_ d: Date) -> Date { Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded()) }
    if range.width < 1 { return iso(second(range.midpoint)) }
    let end = iso(second(range.latest))
    // `iso` writes ASCII only, so its last `T` byte is its last `T` character.
    let short =
      end.utf8.lastIndex(of: 0x54).map { String(decoding: end.utf8[end.utf8.index(after: $0)...], as: UTF8.self) }
      ?? end
    return "\(iso(second(range.earliest)))…\(short)"
  }
}
