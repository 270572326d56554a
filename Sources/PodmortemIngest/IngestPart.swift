import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// What the head of a source decided, which every later line is read with: the parser, the
/// context (its capture time) and whether the paste was quoted.
package struct IngestStart: @unchecked Sendable {
  // `@unchecked`: a parser type is a metatype of a `Sendable` struct, and holds no state.
  package var parser: any LineParser.Type
  package var context: ParseContext
  package var quoted: Bool
  /// The line after which the reading thread asks its parser whether it holds nothing a second
  /// part's parser would not (`PartWatch`); set when the source is read in two parts.
  package var watch = PartWatch()
}

/// Whether the first part's parser, having read every line before the second part's first line,
/// is in the state the second part's own parser starts in (`SplitParser.isBetweenParts`):
/// written and read on the reading thread only.
package final class PartWatch: @unchecked Sendable {
  /// The number of the last line before the second part; nil when the source is read in one go.
  package var line: Int?
  /// True once the parser said, after `line`, that it holds nothing from before.
  package var between = false
  /// True when the first part ends after `line` (the second part's result is used).
  package var ends = false

  package init() {}

  /// Asks `parser` after it read `number`, when that is the watched line.
  func check<P: LineParser>(_ parser: P, after number: Int) {
    guard number == line else { return }
    between = (parser as? any SplitParser)?.isBetweenParts ?? false
  }

  /// Ends `parser`'s reading: `finishFirstPart` when the first part ends at the watched line.
  func finish<P: LineParser>(_ parser: inout P, emit: (Record) -> Void) {
    if ends, var split = parser as? any SplitParser {
      split.finishFirstPart(emit: emit)
    } else {
      parser.finish(emit: emit)
    }
  }
}

/// A parser whose source may be read in two parts (docs/architecture.md "Long and live inputs",
/// Two cores): it names the lines a second part may start at, and says whether the first part's
/// parser, on reaching such a line, holds nothing that a fresh parser would not.
package protocol SplitParser: LineParser {
  /// The first line start in `window` (bytes of the file from some offset on; the bytes before
  /// its first `\n` may be the end of a line cut by the window) where a second part may begin,
  /// the whole line in the window; nil when there is none.
  static func partStart(in window: [UInt8]) -> Int?
  /// True when, having read every line before a line `partStart` chose, the parser would read
  /// that line and every line after it as a fresh parser does, and holds nothing it would emit
  /// otherwise than at its end.
  var isBetweenParts: Bool { get }
  /// A parser for a second part whose first line, `firstLine`, is one `partStart` chose.
  init(secondPartAt firstLine: Int, context: ParseContext)
  /// The end of the first part, at a line `partStart` chose, when `isBetweenParts` held there.
  mutating func finishFirstPart(emit: (Record) -> Void)
}

extension SplitParser {
  /// A fresh parser: the line a part starts at is read as the first line of a source.
  package init(secondPartAt firstLine: Int, context: ParseContext) { self.init(context: context) }

  /// `finish`: what the parser holds at such a line it emits at the end of any source.
  package mutating func finishFirstPart(emit: (Record) -> Void) { finish(emit: emit) }

  /// The first whole line in `window` after its first `\n` that `accepts` (given the line
  /// before it too, nil for the first).
  static func firstLine(
    in window: [UInt8], where accepts: (_ line: ArraySlice<UInt8>, _ previous: ArraySlice<UInt8>?) -> Bool
  ) -> Int? {
    var start = (window.firstIndex(of: 0x0A) ?? window.endIndex) + 1
    var previous: ArraySlice<UInt8>?
    while start < window.count, let end = window[start...].firstIndex(of: 0x0A) {
      if accepts(window[start..<end], previous) { return start }
      previous = window[start..<end]
      start = end + 1
    }
    return nil
  }
}

/// The second part of a source read in two parts (docs/architecture.md "Long and live inputs",
/// Two cores): its lines are read by a parser of its own, started as the first part's was.
package struct IngestPart: Sendable {
  /// What became of the part's lines (its bytes, lines and verdicts).
  package var account: SourceAccount
  /// True when the part held a line a single reading of the source would have read otherwise:
  /// a line its parser left unrecognised (one reading offers it to the paste fallback, whose
  /// state comes from the first part). Its result must not be used then.
  package var dependsOnFirstPart: Bool
  /// The part's first line whose log record joined the source's pasted block, which its records
  /// name (`LogRecord.pastedAt`); the source's block is the first part's when it has one
  /// (`Correlator.movePastedLogs`).
  package var pastedBlock: SourceRef?
}

extension Ingestor {
  /// Reads the lines of `reader`, the part of a source after its first part, as the source's own
  /// reading would read them after a line `SplitParser.partStart` chose, numbered from
  /// `firstLine`, by a parser started there (`SplitParser.init(secondPartAt:context:)`).
  package func ingestPart(
    _ reader: inout LineReader, firstLine: Int, after start: IngestStart, emit: (Record) -> Void
  ) -> IngestPart {
    let context = start.context
    var account = SourceAccount(source: context.source.name)
    var fallback: PasteFallback?
    let patterns = self.patterns
    let isPaste = context.source.relativePath.isEmpty
    var block: SourceRef?
    var messages = MessageMatchMemo()
    if start.parser == KubeletLogParser.self {
      // The kubelet log's records handed over, as `ingest` reads them (`runHanding`).
      var parser = KubeletLogParser(secondPartAt: firstLine, context: context)
      runKubeletLog(
        &parser, fallback: &fallback, head: [], reader: &reader, account: &account, unquote: start.quoted,
        watch: nil, isPaste: isPaste, block: &block, messages: &messages, diagnostics: context.diagnostics,
        emit: emit)
      account.bytes = reader.bytesRead
      return IngestPart(account: account, dependsOnFirstPart: account.unrecognised > 0, pastedBlock: block)
    }
    var parser =
      (start.parser as? any SplitParser.Type)?.init(secondPartAt: firstLine, context: context)
      ?? start.parser.init(context: context)
    // As `ingest` hands records on, with the part's own first pod-less line as the block and its
    // own memo of the catalog's answers.
    run(
      &parser, fallback: &fallback, head: [], reader: &reader, account: &account, unquote: start.quoted, watch: nil
    ) { record in
      emit(
        Self.delivered(
          record, patterns: patterns, isPaste: isPaste, block: &block, messages: &messages,
          diagnostics: context.diagnostics))
    }
    account.bytes = reader.bytesRead
    return IngestPart(account: account, dependsOnFirstPart: account.unrecognised > 0, pastedBlock: block)
  }
}

extension KubeletLogParser: SplitParser {
  /// A line `LogPartBoundary.startsRecord` accepts.
  package static func partStart(in window: [UInt8]) -> Int? {
    firstLine(in: window) { line, _ in LogPartBoundary.startsRecord(line) }
  }

  /// Always: the line a part starts at leaves the parser holding nothing, whatever came before.
  package var isBetweenParts: Bool { true }
}

extension KubectlTextParser: SplitParser {
  /// A describe's `Name:` line at column 0 with a value, after an empty line: where `kubectl
  /// describe pods` starts its next pod (docs/kubernetes.md §1).
  package static func partStart(in window: [UInt8]) -> Int? {
    let name = Array("Name:".utf8)
    return firstLine(in: window) { line, previous in
      guard let previous, previous.isEmpty || previous.elementsEqual([0x0D]), line.starts(with: name) else {
        return false
      }
      let value = line.dropFirst(name.count)
      guard let gap = value.first, gap == 0x20 || gap == 0x09 else { return false }
      return value.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
    }
  }
}

/// Where a kubelet log may be cut in two parts read apart.
package enum LogPartBoundary {
  /// True when `line` (without its `\n`) is a line the kubelet log parser reads the same whatever
  /// came before it: ASCII, a klog header at its first byte, no paste or journald prefix. Such a
  /// line closes a multi-line value and ends a held wrapped line (`KubeletLogParser.feed`), so the
  /// parser holds nothing from the lines before it.
  package static func startsRecord(_ line: ArraySlice<UInt8>) -> Bool {
    var b = Array(line)
    if b.last == 0x0D { b.removeLast() }
    guard let first = b.first, first == 0x49 || first == 0x57 || first == 0x45 || first == 0x46,
      b.allSatisfy({ $0 < 0x80 })
    else { return false }
    return PastePrefix.length(b) == 0 && JournaldPrefix.parse(b) == nil && KlogHeader.parse(b, from: 0) != nil
      && !JournaldPrefix.isMarker(String(decoding: b, as: UTF8.self))
  }
}
