import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// What a parser knows about the source it reads.
package struct ParseContext: Sendable {
  package var source: SourceInfo
  /// The moment ages in this source are relative to (docs/architecture.md "Time").
  package var captureTime: CaptureTime
  package var diagnostics: DiagnosticSink
  /// Keep environment variable values (never shown unless the user asks).
  package var keepEnvironmentValues: Bool
  /// The pattern catalog, for parsers that recognise a line by its message alone (`PlainTextParser`);
  /// the `Ingestor` sets it.
  package var patterns: PatternCatalog = .empty
  /// The text a line had as pasted, when the lines a parser reads were rebuilt from it (`GronParser`
  /// turns assignments back into JSON): evidence quotes what the user pasted.
  package var lineText: (@Sendable (Int) -> String?)?

  package init(
    source: SourceInfo, captureTime: CaptureTime, diagnostics: @escaping DiagnosticSink,
    keepEnvironmentValues: Bool = false
  ) {
    self.source = source
    self.captureTime = captureTime
    self.diagnostics = diagnostics
    self.keepEnvironmentValues = keepEnvironmentValues
  }

  /// A reference to line `number` of this source.
  package func ref(_ number: Int) -> SourceRef { SourceRef(source: source.name, line: number) }

  /// Evidence for one line.
  package func evidence(_ line: Line) -> Evidence {
    Evidence(ref: ref(line.number), text: lineText?(line.number) ?? line.text)
  }
}

/// A parser for one format. The sniffer picks it from the first lines of a source; it then sees
/// every line once, in order, and emits records as soon as they are complete so memory stays flat.
package protocol LineParser: Sendable {
  /// A stable format name for accounting (`kubectl-describe`, `plain-text`).
  static var format: String { get }
  /// How sure the parser is that a source starting with `head` is its format: 0 means no,
  /// 100 means certain. `info` gives the path, for formats a bundle layout names.
  static func sniff(head: [Line], info: SourceInfo) -> Int
  /// `sniff(head:info:)` when that is at least `bar`; otherwise any score below `bar`. The sniffer
  /// asks with the best score already given, so a parser may skip the questions that could only
  /// raise its score to less (`Ingestor.pick`).
  static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int
  /// How costly `sniff` is beside the other parsers' (0, the default, is cheap): `Ingestor.pick`
  /// asks the costlier later, with the score the cheaper ones have set as the bar.
  static var sniffCost: Int { get }

  init(context: ParseContext)
  /// Consumes one line and says what became of it.
  mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict
  /// The end of the source: emit what is still pending.
  mutating func finish(emit: (Record) -> Void)
  /// True when the parser can read a line from its bytes (`feed(bytes:number:emit:)`):
  /// `Ingestor.run` then offers it each line's bytes before a `String` is made of them.
  static var readsBytes: Bool { get }
  /// `feed(_:emit:)` of line `number`, whose text is `bytes` decoded as UTF-8 (the bytes
  /// `LineReader` decodes, valid or not), when the parser can read it from them; otherwise nil,
  /// with nothing changed, and the line is then fed as a `Line` (docs/architecture.md "Speed of
  /// the EventList path").
  mutating func feed(bytes: UnsafeBufferPointer<UInt8>, number: Int, emit: (Record) -> Void) -> SourceAccount.Verdict?
  /// A followed stream has nothing more waiting for now: emit what is only held back in case the
  /// next line continues it (the stream may stay quiet for a long time).
  mutating func idle(emit: (Record) -> Void)
}

extension LineParser {
  package mutating func idle(emit: (Record) -> Void) {}

  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    sniff(head: head, info: info)
  }

  package static var sniffCost: Int { 0 }

  package static var readsBytes: Bool { false }

  package mutating func feed(
    bytes: UnsafeBufferPointer<UInt8>, number: Int, emit: (Record) -> Void
  ) -> SourceAccount.Verdict? { nil }
}
