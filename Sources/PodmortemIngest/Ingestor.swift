import Foundation
import PodmortemInput
import PodmortemModel

/// Reads one source: sniffs its first lines, picks the most confident parser, feeds it every
/// line and keeps the account of what became of each one.
package struct Ingestor: Sendable {
  /// How many lines the sniffer looks at.
  package static let headLines = 40

  /// The parsers, most specific first; ties go to the earlier one.
  package var parsers: [any LineParser.Type]

  package init(parsers: [any LineParser.Type] = Ingestor.standardParsers) {
    self.parsers = parsers
  }

  /// Every parser podmortem ships, in order of preference on equal confidence.
  package static let standardParsers: [any LineParser.Type] = [
    ObjectStreamParser.self,
    YAMLObjectParser.self,
    PlainTextParser.self,
  ]

  /// The parser type the sniffer picks for a source starting with `head`.
  package func pick(head: [Line], info: SourceInfo) -> any LineParser.Type {
    var best: (any LineParser.Type)? = nil
    var bestScore = 0
    for parser in parsers {
      let score = parser.sniff(head: head, info: info)
      if score > bestScore {
        best = parser
        bestScore = score
      }
    }
    return best ?? PlainTextParser.self
  }

  /// Parses one source to the end, emitting records as they complete.
  package func ingest(
    _ reader: inout LineReader, context: ParseContext, emit: (Record) -> Void
  ) -> SourceAccount {
    var account = SourceAccount(source: context.source.name)
    account.captureTime = context.captureTime
    var head: [Line] = []
    head.reserveCapacity(Self.headLines)
    while head.count < Self.headLines, let line = reader.next() { head.append(line) }
    let parserType = pick(head: head, info: context.source)
    account.formats = [parserType.format]
    var parser = parserType.init(context: context)
    run(&parser, head: head, reader: &reader, account: &account, emit: emit)
    account.bytes = reader.bytesRead
    return account
  }

  private func run<P: LineParser>(
    _ parser: inout P, head: [Line], reader: inout LineReader, account: inout SourceAccount,
    emit: (Record) -> Void
  ) {
    for line in head { account.count(parser.feed(line, emit: emit), line: line.number) }
    while let line = reader.next() { account.count(parser.feed(line, emit: emit), line: line.number) }
    parser.finish(emit: emit)
  }
}
