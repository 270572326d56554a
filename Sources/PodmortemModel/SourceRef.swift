/// Where a line came from: the provenance path of its source and its 1-based line number.
///
/// Prints as `bundle.tar.gz!ns/prod/events.json:8812`. Comparable so every output can be sorted
/// deterministically: by source name, then by line.
package struct SourceRef: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// The provenance path: a file path, `<stdin>`, or `archive!entry` (nested archives chain `!`).
  package var source: String
  /// The 1-based line number inside `source`; 0 when the reference names the whole source.
  package var line: Int

  package init(source: String, line: Int) {
    self.source = source
    self.line = line
  }

  package var description: String { line > 0 ? "\(source):\(line)" : source }

  package static func < (lhs: SourceRef, rhs: SourceRef) -> Bool {
    (lhs.source, lhs.line) < (rhs.source, rhs.line)
  }
}

/// An input line that a conclusion relied on: where it is and what it said.
package struct Evidence: Hashable, Comparable, Sendable, Codable {
  package var ref: SourceRef
  package var text: String

  package init(ref: SourceRef, text: String) {
    self.ref = ref
    self.text = text
  }

  package static func < (lhs: Evidence, rhs: Evidence) -> Bool { lhs.ref < rhs.ref }
}
