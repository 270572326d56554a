import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// A container's output as `kubectl logs` prints it — plain lines, or with `--timestamps` an
/// RFC 3339 time before each — in a file a support bundle's layout names as a container log
/// (must-gather `current.log`, troubleshoot `<ctr>.log`, rancher `podlogs/…`). The pod and
/// container come from the path. Application lines are free text, so every line is recognised:
/// its meaning is left to the container patterns.
package struct KubectlLogsParser: LineParser {
  package static let format = "kubectl-logs"

  private let context: ParseContext
  private let location: ContainerLogPath?

  package init(context: ParseContext) {
    self.context = context
    self.location = context.source.bundleFile.containerLog
  }

  /// Claims a source only by its place in a bundle: free text is no format on its own. Below the
  /// CRI parser, which recognises its line shape.
  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    info.bundleFile.containerLog == nil ? 0 : 50
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    if BlankText.isBlank(line.text) { return .ignored }
    var message = line.text
    var time: Date?
    // Read in the string's own storage when it has one: the first space looked for in the first 40
    // bytes there, and only a time's bytes copied for `RFC3339`; the message after it made from
    // the bytes after that space. A copy of the first 40 bytes through `UTF8View`'s iterator cost
    // 1,600 instructions a line, and a copy of them made for every line, with or without a time,
    // about 500 (docs/architecture.md, "Sniffing a head of long lines"; `KubectlLogsTimeTests`
    // keeps the old code as the reference). A space is one byte on a scalar's boundary, so the
    // bytes after it are the text `UTF8View.dropFirst` gave.
    let read = line.text.utf8.withContiguousStorageIfAvailable { b -> (Date, String)? in
      guard let space = b[..<min(b.count, 40)].firstIndex(of: 0x20), space >= 20,
        let t = RFC3339.parse(Array(b[..<space])[...])?.date
      else { return nil }
      return (t, String(decoding: UnsafeBufferPointer(rebasing: b[(space + 1)...]), as: UTF8.self))
    }
    if let read {
      if let found = read {
        time = found.0
        message = found.1
      }
    } else {
      let bytes = Array(line.text.utf8.prefix(40))
      if let space = bytes.firstIndex(of: 0x20), space >= 20, let t = RFC3339.parse(bytes[0..<space])?.date {
        time = t
        message = String(line.text.utf8.dropFirst(space + 1)) ?? message
      }
    }
    var record = LogRecord(origin: .container, message: message, evidence: context.evidence(line))
    record.time = time.map { TimeRange(exactly: $0) }
    if let location { location.attribute(&record) }
    emit(.log(record))
    return .parsed
  }

  package mutating func finish(emit: (Record) -> Void) {}
}
