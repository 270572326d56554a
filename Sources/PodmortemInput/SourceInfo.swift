import Foundation

/// One text source found under what the user named: a file, stdin, a decompressed stream, an
/// archive entry. Everything downstream knows a line by `name` and its line number.
package struct SourceInfo: Hashable, Sendable {
  /// The provenance path: `dump/ns/events.json`, `<stdin>`, `bundle.tar.gz!ns/prod/events.json`.
  package var name: String
  /// The path below the root the user named (the directory, or the archive), with `/` separators;
  /// empty for a plain file or stdin. For an archive entry it is the path inside the innermost
  /// archive (`ns/prod/events.json` for `dump/bundle.tar.gz!ns/prod/events.json`). Bundle layouts
  /// are recognised from it.
  package var relativePath: String
  /// The root the user named (`bundle.tar.gz`, `dump/`, `<stdin>`).
  package var root: String
  /// The modification time of the file or archive entry, when there is one.
  package var modificationDate: Date?
  /// True for standard input.
  package var isStandardInput: Bool

  package init(
    name: String, relativePath: String = "", root: String? = nil, modificationDate: Date? = nil,
    isStandardInput: Bool = false
  ) {
    self.name = name
    self.relativePath = relativePath
    self.root = root ?? name
    self.modificationDate = modificationDate
    self.isStandardInput = isStandardInput
  }
}
