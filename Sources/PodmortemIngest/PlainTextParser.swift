import PodmortemInput
import PodmortemModel

/// The fallback for text no other parser claims: every non-blank line is unrecognised, so the
/// accounting tells the user exactly what podmortem did not understand.
package struct PlainTextParser: LineParser {
  package static let format = "plain-text"

  package static func sniff(head: [Line], info: SourceInfo) -> Int { 1 }

  package init(context: ParseContext) {}

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    line.text.allSatisfy(\.isWhitespace) ? .ignored : .unrecognised
  }

  package mutating func finish(emit: (Record) -> Void) {}
}
