/// A problem with the input, emitted — never thrown across the pipeline — so the run goes on.
///
/// Messages start lower-case, have no trailing period and quote values in single quotes
/// (docs/architecture.md): `truncated gzip stream at byte 81234`.
package struct Diagnostic: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  package enum Level: String, Hashable, Comparable, Sendable, Codable {
    /// Worth knowing, nothing lost (a binary file skipped, a year inferred).
    case note
    /// Part of a source was lost or could not be understood.
    case warning
    /// A whole source could not be read.
    case error

    private var rank: Int {
      switch self {
      case .note: 0
      case .warning: 1
      case .error: 2
      }
    }

    package static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
  }

  package var level: Level
  /// The source (and line, when known) the problem is about.
  package var ref: SourceRef
  /// A byte offset inside the source, for stream-level problems (gzip, tar).
  package var byteOffset: Int64?
  package var message: String

  package init(_ level: Level, _ ref: SourceRef, _ message: String, byteOffset: Int64? = nil) {
    self.level = level
    self.ref = ref
    self.message = message
    self.byteOffset = byteOffset
  }

  package var description: String { "\(ref): \(level.rawValue): \(message)" }

  package static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    (lhs.ref, lhs.byteOffset ?? 0, lhs.message) < (rhs.ref, rhs.byteOffset ?? 0, rhs.message)
  }
}

/// Where diagnostics go. The library never prints; the CLI decides what a diagnostic looks like.
package typealias DiagnosticSink = @Sendable (Diagnostic) -> Void
