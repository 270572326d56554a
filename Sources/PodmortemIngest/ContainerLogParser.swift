import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// A container's own output as the runtime stored it (docs/kubernetes.md §10.2): CRI lines
/// `<RFC3339Nano> stdout|stderr P|F <text>` and docker json-file lines
/// `{"log":"…\n","stream":"stdout","time":"…"}`. Each line of output becomes one `LogRecord` with
/// origin `.container` and the stream as its severity; partial chunks are joined with the chunk
/// that ends them. The pod and container come from the file's path when it follows the kubelet's
/// layout (`BundleLayout`, `ContainerLogPath`).
package struct ContainerLogParser: LineParser {
  package static let format = "container-log"

  /// A joined line stops growing here; the chunks past it are still accounted as parsed.
  package static let maxRecordBytes = 1 << 20

  private let context: ParseContext
  /// The pod and container the lines belong to: from the source's path, else from a file a
  /// command line in the paste names (`$ sudo tail /var/log/containers/<pod>_<ns>_<c>-<id>.log`).
  private var location: ContainerLogPath?
  /// Unfinished lines, per stream: a runtime interleaves stdout and stderr in one file.
  private var partials: [Partial] = []
  private var notedOversize = false

  /// A line whose chunks are still arriving.
  private struct Partial {
    var stream: String
    var record: LogRecord
    var bytes: Int
  }

  /// One line of the file, decoded.
  struct Entry {
    var time: Date
    var stream: String
    var content: String
    var partial: Bool
  }

  package init(context: ParseContext) {
    self.context = context
    self.location = Self.location(of: context.source)
  }

  /// The pod and container a source's path names, if it names any.
  package static func location(of source: SourceInfo) -> ContainerLogPath? {
    source.bundleFile.containerLog
  }

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    var hits = 0
    var lines = 0
    for line in head where !BlankText.isBlank(line.text) {
      lines += 1
      if mayBeEntry(line.text), entry(Array(line.text.utf8)) != nil { hits += 1 }
    }
    guard hits > 0 else { return 0 }
    if hits * 2 < lines { return 40 }
    return location(of: info) == nil ? 90 : 95
  }

  /// 95 is the most `sniff` gives, and 90 where the path is not a container log's
  /// (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    if bar > 95 || bar > 90 && location(of: info) == nil { return 0 }
    return sniff(head: head, info: info)
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    if line.text.isEmpty { return .ignored }
    guard let entry = Self.entry(Array(line.text.utf8)) else {
      if let named = Self.namedLogFile(line.text) {
        location = named
        return .parsed
      }
      return .unrecognised
    }
    if let index = partials.firstIndex(where: { $0.stream == entry.stream }) {
      var p = partials.remove(at: index)
      if p.bytes + entry.content.utf8.count <= Self.maxRecordBytes {
        p.record.message += entry.content
        p.bytes += entry.content.utf8.count
      } else {
        noteOversize(p.record.evidence.ref)
      }
      if entry.partial {
        partials.insert(p, at: index)
      } else {
        emit(.log(Self.finished(p.record)))
      }
      return .parsed
    }
    var record = LogRecord(origin: .container, message: entry.content, evidence: context.evidence(line))
    record.time = TimeRange(exactly: entry.time)
    record.severity = entry.stream
    if let location { location.attribute(&record) }
    if entry.partial {
      partials.append(Partial(stream: entry.stream, record: record, bytes: entry.content.utf8.count))
    } else {
      emit(.log(record))
    }
    return .parsed
  }

  /// A chunk without its end (the last line of a file written mid-line) is emitted as it is.
  package mutating func finish(emit: (Record) -> Void) {
    for p in partials { emit(.log(Self.finished(p.record))) }
    partials = []
  }

  private static func finished(_ record: LogRecord) -> LogRecord {
    var r = record
    r.text = r.message
    return r
  }

  /// The kubelet's `/var/log/containers/<pod>_<ns>_<container>-<id>.log` link that a command in a
  /// paste reads (`tail`, `cat`, `less`; docs/kubernetes.md §10.2): the pod and container of the
  /// lines after it. Only a line that is not itself a log line, and only that exact file name.
  static func namedLogFile(_ text: String) -> ContainerLogPath? {
    guard text.utf8.count <= 4096 else { return nil }
    for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) where word.hasSuffix(".log") {
      let file = word.split(separator: "/").last.map(String.init) ?? ""
      if let log = BundleLayout.kubeletContainerLink(file) { return log }
    }
    return nil
  }

  private mutating func noteOversize(_ ref: SourceRef) {
    guard !notedOversize else { return }
    notedOversize = true
    context.diagnostics(
      Diagnostic(.warning, ref, "joined log line is longer than \(Self.maxRecordBytes) bytes: the rest is skipped"))
  }

  // MARK: formats

  /// False when `text` cannot be an entry: a docker entry opens with `{`, and a CRI entry's time
  /// (`RFC3339.parse`) with a digit. Asked before the line is copied, of every line of a head
  /// (docs/architecture.md, "Sniffing a head of long lines"; `ContainerEntryGateTests`).
  static func mayBeEntry(_ text: String) -> Bool {
    guard let first = text.utf8.first else { return true }
    return first == 0x7B || (first >= 0x30 && first <= 0x39)
  }

  static func entry(_ b: [UInt8]) -> Entry? {
    b.first == 0x7B ? dockerEntry(b) : criEntry(b)
  }

  /// `2026-11-27T01:02:03.4567Z stdout F text`; the tag splits on `:` for forward compatibility.
  private static func criEntry(_ b: [UInt8]) -> Entry? {
    guard let timeEnd = b.firstIndex(of: 0x20), let time = RFC3339.parse(b[0..<timeEnd])?.date else { return nil }
    let streamStart = timeEnd + 1
    guard let streamEnd = b[streamStart...].firstIndex(of: 0x20) else { return nil }
    let stream = String(decoding: b[streamStart..<streamEnd], as: UTF8.self)
    guard stream == "stdout" || stream == "stderr" else { return nil }
    let tagStart = streamEnd + 1
    let tagEnd = b[tagStart...].firstIndex(of: 0x20) ?? b.count
    let tag = b[tagStart..<tagEnd].split(separator: 0x3A, omittingEmptySubsequences: false).first
    guard let tag, tag.count == 1, tag.first == 0x50 || tag.first == 0x46 else { return nil }
    let content = tagEnd < b.count ? String(decoding: b[(tagEnd + 1)...], as: UTF8.self) : ""
    return Entry(time: time, stream: stream, content: content, partial: tag.first == 0x50)
  }

  /// `{"log":"text\n","stream":"stderr","time":"2016-10-20T18:39:20.57606443Z"}`; a `log` without
  /// the final newline is a chunk of a longer line.
  private static func dockerEntry(_ b: [UInt8]) -> Entry? {
    // A line that cannot hold a `log` member is answered before its object is parsed (about
    // 11,000 instructions a JSON line of another shape, asked of every line of a head).
    guard mayHoldLogKey(b) else { return nil }
    guard let members = LogJSON.parseObject(b),
      let log = members.first(where: { $0.key == "log" })?.value.string,
      let stream = members.first(where: { $0.key == "stream" })?.value.string,
      let time = members.first(where: { $0.key == "time" })?.value.string,
      let date = RFC3339.parse(time)?.date
    else { return nil }
    var content = Array(log.utf8)[...]
    let partial = content.last != 0x0A
    if !partial {
      content = content.dropLast()
      if content.last == 0x0D { content = content.dropLast() }
    }
    return Entry(time: date, stream: stream, content: String(decoding: content, as: UTF8.self), partial: partial)
  }

  /// False only when no member of `b` can be named `log`: a JSON string without a backslash is its
  /// bytes, so such a key is the bytes `"log"`, and no other text is canonically equivalent to
  /// `log`; a backslash anywhere (`"\u006cog"`) leaves the answer to the parser.
  static func mayHoldLogKey(_ b: [UInt8]) -> Bool {
    let n = b.count
    var i = 0
    while i < n {
      let c = b[i]
      if c == 0x5C { return true }
      if c == 0x22, n - i > 4, b[i + 1] == 0x6C, b[i + 2] == 0x6F, b[i + 3] == 0x67, b[i + 4] == 0x22 { return true }
      i += 1
    }
    return false
  }
}
