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
    // Copied from the string's own storage when it has one: a copy through `UTF8View`'s iterator
    // cost 1,600 instructions a line of a bundle's container logs (docs/architecture.md,
    // "Sniffing a head of long lines"); the bytes are the same.
    let bytes =
      line.text.utf8.withContiguousStorageIfAvailable { Array($0.prefix(40)) } ?? Array(line.text.utf8.prefix(40))
    if let space = bytes.firstIndex(of: 0x20), space >= 20, let t = RFC3339.parse(bytes[0..<space])?.date {
      time = t
      message = String(line.text.utf8.dropFirst(space + 1)) ?? message
    }
    var record = LogRecord(origin: .container, message: message, evidence: context.evidence(line))
    record.time = time.map { TimeRange(exactly: $0) }
    if let location { location.attribute(&record) }
    emit(.log(record))
    return .parsed
  }

  package mutating func finish(emit: (Record) -> Void) {}
}
