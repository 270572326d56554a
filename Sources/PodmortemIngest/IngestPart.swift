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
  /// reading would read them after a line that leaves its parser holding nothing (a line that
  /// `LogPartBoundary.startsRecord` accepts, for the kubelet log parser).
  package func ingestPart(_ reader: inout LineReader, after start: IngestStart, emit: (Record) -> Void) -> IngestPart {
    let context = start.context
    var account = SourceAccount(source: context.source.name)
    var parser = start.parser.init(context: context)
    var fallback: PasteFallback?
    let patterns = self.patterns
    let isPaste = context.source.relativePath.isEmpty
    var block: SourceRef?
    // As `ingest` hands records on, with the part's own first pod-less line as the block.
    run(&parser, fallback: &fallback, head: [], reader: &reader, account: &account, unquote: start.quoted) { record in
      emit(
        Self.delivered(record, patterns: patterns, isPaste: isPaste, block: &block, diagnostics: context.diagnostics))
    }
    account.bytes = reader.bytesRead
    return IngestPart(account: account, dependsOnFirstPart: account.unrecognised > 0, pastedBlock: block)
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
