import PodmortemInput
import PodmortemModel

/// The container-log sections of `kubectl cluster-info dump` (docs/kubernetes.md §10.3): a `logs.txt`
/// of an `--output-directory` dump, or the log part of the dump's stdout.
///
/// Each `==== START logs for container C of pod NS/P ====` opens a section whose lines become
/// container log records for NS/P/C; `==== END … ====` closes it. When kubectl cannot fetch a
/// log it writes `Create log request error: …` or `Request log error: …` instead (END still follows,
/// from a `defer` in kubectl's `dumpAllLogs`); such a line is ignored and closes the section, so a
/// truncated dump cannot leak the next JSON into a container's log. Lines outside any section (the
/// JSON objects of the stdout form) are unrecognised here; the JSON stream parser reads them.
package struct ClusterInfoDumpLogsParser: LineParser {
  package static let format = "cluster-info-dump-logs"

  /// The container whose section is open.
  private var section: (namespace: String, pod: String, container: String)?
  private let context: ParseContext

  package init(context: ParseContext) { self.context = context }

  /// True between a START marker and its END: the lines are a container's log.
  package var isInSection: Bool { section != nil }

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    if head.contains(where: { $0.text.hasPrefix(Marker.startPrefix) }) { return 90 }
    let file = info.bundleFile
    if file.producer == .clusterInfoDump, file.containerLog != nil { return 90 }
    // The whole stdout in one file starts with JSON; the log sections come later.
    if file.role == .clusterInfoDump { return 20 }
    return 0
  }

  /// 90 is the most `sniff` gives (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 90 ? 0 : sniff(head: head, info: info)
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    switch Marker(line.text) {
    case .start(let namespace, let pod, let container):
      section = (namespace, pod, container)
      return .ignored
    case .end(let before):
      // kubectl writes END right after the log bytes (§10.3), so a log without a final newline
      // ends on the marker's line.
      let verdict: SourceAccount.Verdict = before.isEmpty ? .ignored : record(before, line, emit: emit)
      section = nil
      return verdict
    case .error:
      section = nil
      return .ignored
    case nil:
      guard section != nil else { return .unrecognised }
      if line.text.allSatisfy(\.isWhitespace) { return .ignored }
      return record(line.text, line, emit: emit)
    }
  }

  package mutating func finish(emit: (Record) -> Void) { section = nil }

  private func record(_ text: String, _ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    guard let section else { return .unrecognised }
    var log = LogRecord(origin: .container, message: text, evidence: context.evidence(line))
    log.namespace = section.namespace
    log.pod = section.pod
    log.container = section.container
    emit(.log(log))
    return .parsed
  }

  /// A marker line of the log part of a dump.
  package enum Marker: Equatable, Sendable {
    /// `==== START logs for container C of pod NS/P ====`.
    case start(namespace: String, pod: String, container: String)
    /// `==== END logs for container C of pod NS/P ====`, with any log text glued in front of it.
    case end(before: String)
    /// `Create log request error: …` or `Request log error: …`.
    case error(String)

    static let startPrefix = "==== START logs for container "
    static let endPrefix = "==== END logs for container "
    static let suffix = " ===="

    package init?(_ text: String) {
      if text.hasPrefix(Self.startPrefix), text.hasSuffix(Self.suffix),
        let subject = Self.subject(text.dropFirst(Self.startPrefix.count).dropLast(Self.suffix.count))
      {
        self = .start(namespace: subject.namespace, pod: subject.pod, container: subject.container)
      } else if text.hasSuffix(Self.suffix), let range = text.range(of: Self.endPrefix),
        Self.subject(text[range.upperBound...].dropLast(Self.suffix.count)) != nil
      {
        self = .end(before: String(text[..<range.lowerBound]))
      } else if text.hasPrefix("Create log request error: ") || text.hasPrefix("Request log error: ") {
        self = .error(text)
      } else {
        return nil
      }
    }

    /// `C of pod NS/P`.
    static func subject(_ text: Substring) -> (namespace: String, pod: String, container: String)? {
      guard let of = text.range(of: " of pod ") else { return nil }
      let container = text[..<of.lowerBound]
      let qualified = text[of.upperBound...]
      guard let slash = qualified.firstIndex(of: "/"), !container.isEmpty, !container.contains(" ") else {
        return nil
      }
      let namespace = qualified[..<slash]
      let pod = qualified[qualified.index(after: slash)...]
      guard !namespace.isEmpty, !pod.isEmpty, !pod.contains(" ") else { return nil }
      return (String(namespace), String(pod), String(container))
    }
  }
}
