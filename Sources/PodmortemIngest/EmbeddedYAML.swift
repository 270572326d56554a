import PodmortemInput
import PodmortemModel

/// A piece of a pod's YAML pasted among lines another reader owns — `state:` / `  waiting:` above
/// a describe's `State:  Waiting`, a `status:` block below a journal excerpt — read by a YAML
/// reader of its own from its first line while its lines are YAML's (docs/kubernetes.md §4.4).
/// `KubectlTextParser` and `PasteFallback` share it.
struct EmbeddedYAML {
  private var reader: YAMLObjectParser
  /// The indentation the piece started at.
  private let indent: Int
  /// The quote a value left open on the last line (`message: 'The node … quantity:`).
  private var quote: Character?

  /// A reader for the piece `line` starts, nil when it starts none.
  init?(_ line: KubectlLine, context: ParseContext) {
    guard Self.starts(line) else { return nil }
    reader = YAMLObjectParser(context: context)
    indent = line.indent
  }

  /// A YAML line only a Kubernetes object's YAML starts a piece with: a lower-case key of a pod's
  /// status, a container status or state, or an object's top (`state:`, `containerStatuses:`,
  /// `status:`, `apiVersion: v1`). kubectl's own text labels are capitalised.
  static func starts(_ line: KubectlLine) -> Bool {
    guard let key = YAMLFragment.key(line.body), !line.body.hasPrefix("- ") else { return false }
    return YAMLFragment.podStatusKeys.contains(key) || YAMLFragment.containerStatusKeys.contains(key)
      || YAMLFragment.stateKeys.contains(key) || YAMLFragment.objectKeys.contains(key)
  }

  /// Reads `line` when it goes on the piece — blank, deeper, a YAML key or list item, or inside a
  /// quoted value — and returns its verdict; nil when the piece is over (a capitalised `State:` at
  /// its own level is kubectl's again), and then `finish` is due.
  mutating func feed(_ line: KubectlLine, emit: (Record) -> Void) -> SourceAccount.Verdict? {
    guard
      line.isBlank || quote != nil || line.indent > indent || YAMLFragment.key(line.body) != nil
        || line.body.hasPrefix("- ")
    else { return nil }
    let verdict = reader.feed(line.line, emit: emit)
    quote = YAMLReindent.openQuote(after: Substring(line.line.text), open: quote)
    return verdict
  }

  mutating func finish(emit: (Record) -> Void) { reader.finish(emit: emit) }
}
