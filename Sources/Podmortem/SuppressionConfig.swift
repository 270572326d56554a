import Foundation
import PodmortemDiagnose
import PodmortemModel
import PodmortemReport
import PodmortemText
import Yams

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `.podmortem.yaml`: findings to leave out of the report and severities to override, as
/// Popeye's spinach file does for its linters (README "Suppressing findings",
/// docs/architecture.md "Suppression"). It is read here, in the facade, and applied to the
/// report after diagnosis and selection: rules never see it.
///
/// ```yaml
/// ignore:
///   rules: [probe.readiness-failing, "image.*"]
///   patterns: [my.payment-timeout]
///   namespaces: [kube-system]
///   pods: ["monitoring/*", "*/debug-shell"]
/// overrides:
///   - rule: container.exit-code
///     severity: info
///     namespaces: ["staging-*"]
/// ```
///
/// Every entry is checked when the file is read: unknown keys, unknown rule and pattern ids (with
/// the nearest one suggested), globs that cannot match and bad severities are errors naming the
/// file and line, and the run stops as a usage error.
package struct SuppressionConfig: Sendable, Equatable {
  /// The name the file goes by in the report and in messages (`.podmortem.yaml`, or the `--config` path).
  package var file: String
  /// `ignore.rules`: rule ids or globs (`probe.*`).
  package var rules: [Glob] = []
  /// `ignore.patterns`: ids (or globs) of patterns that raise findings of their own.
  package var patterns: [Glob] = []
  /// `ignore.namespaces`: namespace globs.
  package var namespaces: [Glob] = []
  /// `ignore.pods`: `namespace/name` globs.
  package var pods: [PodGlob] = []
  /// `overrides`, in file order: the first that applies to a finding decides its severity.
  package var overrides: [Override] = []

  /// The name `podmortem` looks for in the working directory.
  package static let defaultName = ".podmortem.yaml"
  /// A config file is a few lines; anything larger is refused unread.
  static let maximumBytes = 1 << 20
  /// Errors reported before giving up on a file.
  static let maximumErrors = 50

  package init(file: String) {
    self.file = file
  }

  /// A shell glob (`*`, `?`, `[…]`, as fnmatch(3) reads it) and the line it was written on.
  package struct Glob: Sendable, Equatable {
    package var text: String
    package var line: Int

    package init(_ text: String, line: Int) {
      self.text = text
      self.line = line
    }

    package func matches(_ candidate: String) -> Bool {
      candidate == text || (SuppressionConfig.isGlob(text) && fnmatch(text, candidate, 0) == 0)
    }
  }

  /// `namespace/name`, each part a glob (`kube-system/*`, `*/debug-shell`).
  package struct PodGlob: Sendable, Equatable {
    package var namespace: Glob
    package var name: Glob

    package var text: String { "\(namespace.text)/\(name.text)" }

    /// A subject whose namespace the input does not show matches a namespace glob that matches
    /// the empty string (`*/web-0`).
    package func matches(_ subject: Subject) -> Bool {
      guard let pod = subject.pod else { return false }
      return namespace.matches(subject.namespace ?? "") && name.matches(pod)
    }
  }

  /// One `overrides` entry: findings of `rule` (in scope) get `severity`.
  package struct Override: Sendable, Equatable {
    package var rule: Glob
    package var severity: Severity
    /// Empty together with `pods`: every finding of the rule. Otherwise a finding in any of the
    /// namespaces or pods listed.
    package var namespaces: [Glob] = []
    package var pods: [PodGlob] = []

    package func applies(to f: PodmortemModel.Finding) -> Bool {
      guard rule.matches(f.ruleID) else { return false }
      if namespaces.isEmpty && pods.isEmpty { return true }
      if let ns = f.subject.namespace, namespaces.contains(where: { $0.matches(ns) }) { return true }
      return pods.contains { $0.matches(f.subject) }
    }
  }

  // MARK: - Applying

  /// Why `f` is suppressed (`rule probe.*`, `pod kube-system/*`), or nil when it is kept.
  package func suppression(of f: PodmortemModel.Finding) -> String? {
    if f.category == .pattern {
      if let g = patterns.first(where: { $0.matches(f.ruleID) }) { return "pattern \(g.text)" }
    } else if let g = rules.first(where: { $0.matches(f.ruleID) }) {
      return "rule \(g.text)"
    }
    if let ns = f.subject.namespace, let g = namespaces.first(where: { $0.matches(ns) }) {
      return "namespace \(g.text)"
    }
    if let g = pods.first(where: { $0.matches(f.subject) }) { return "pod \(g.text)" }
    return nil
  }

  /// The report without the suppressed findings, severities overridden and re-sorted; the
  /// suppressed findings are kept in `suppressed` so every format counts them.
  package func apply(to input: ReportInput) -> ReportInput {
    var out = input
    var kept: [PodmortemModel.Finding] = []
    var suppressed = Suppressed(file: file)
    for f in input.findings {
      if let reason = suppression(of: f) {
        suppressed.entries.append(Suppressed.Entry(finding: f, reason: reason))
        continue
      }
      var f = f
      if let o = overrides.first(where: { $0.applies(to: f) }), o.severity != f.severity {
        f.severityOverriddenFrom = f.severity
        f.severity = o.severity
        suppressed.overridden += 1
      }
      kept.append(f)
    }
    out.findings = Diagnoser.sorted(kept)
    out.suppressed = suppressed
    return out
  }

  // MARK: - Loading

  /// The ids entries are checked against: the rule catalog's, and the patterns' (shipped and
  /// `--patterns` directories), which are loaded only when an entry needs them.
  package struct KnownIDs: Sendable {
    package var rules: [String]
    private let loadPatterns: @Sendable () -> [String]

    package init(rules: [String], patterns: [String]) {
      self.rules = rules
      loadPatterns = { patterns }
    }

    package init(rules: [String], loadPatterns: @escaping @Sendable () -> [String]) {
      self.rules = rules
      self.loadPatterns = loadPatterns
    }

    /// The pattern ids (compiling the catalog, when it has not been).
    package func patterns() -> [String] { loadPatterns() }

    /// The shipped rules and patterns, plus the patterns in `patternDirectories`.
    package static func shipped(patternDirectories: [String] = []) -> KnownIDs {
      let rules = RuleCatalog.all.map(\.description.id)
      return KnownIDs(rules: Array(Set(rules)).sorted()) {
        var catalog = PatternCatalog.shipped(diagnostics: { _ in })
        for dir in patternDirectories {
          // Problems in these files are reported by the analysis that loads them again.
          catalog = catalog.merging(PatternCatalog.load(directory: URL(fileURLWithPath: dir), diagnostics: { _ in }))
        }
        return catalog.patterns.map(\.id).sorted()
      }
    }
  }

  /// The config for a run: `--config PATH`, else `.podmortem.yaml` in `directory` when there is
  /// one; nil for `--config none`, `--no-config`, or no file.
  package static func load(
    explicit path: String?, disabled: Bool, directory: String = FileManager.default.currentDirectoryPath,
    known: @autoclosure () -> KnownIDs
  ) throws(ConfigErrors) -> SuppressionConfig? {
    if disabled || path == "none" { return nil }
    let shown: String
    let url: URL
    if let path {
      shown = path
      url = URL(fileURLWithPath: path)
    } else {
      let candidate = URL(fileURLWithPath: directory).appendingPathComponent(defaultName)
      guard FileManager.default.fileExists(atPath: candidate.path) else { return nil }
      shown = defaultName
      url = candidate
    }
    let text = try read(url, shown: shown)
    return try parse(text, file: shown, known: known())
  }

  private static func read(_ url: URL, shown: String) throws(ConfigErrors) -> String {
    func fail(_ message: String) -> ConfigErrors { ConfigErrors([ConfigError(file: shown, line: 0, message)]) }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw fail("no such file")
    }
    guard !isDirectory.boolValue else { throw fail("is a directory, not a config file") }
    guard let handle = try? FileHandle(forReadingFrom: url) else { throw fail("cannot be read") }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
    guard data.count <= maximumBytes else { throw fail("is larger than 1 MiB; a config file is a few lines") }
    guard let text = String(data: data, encoding: .utf8) else { throw fail("is not UTF-8 text") }
    return text
  }

  // MARK: - Parsing

  /// Parses and checks a config file; every problem found is thrown at once, each naming its line.
  package static func parse(_ text: String, file: String, known: KnownIDs) throws(ConfigErrors) -> SuppressionConfig {
    var parser = ConfigParser(file: file, known: known)
    let config = parser.parse(text)
    guard parser.errors.isEmpty else { throw ConfigErrors(Array(parser.errors.prefix(maximumErrors))) }
    return config
  }

  package static func isGlob(_ text: String) -> Bool { text.contains { "*?[".contains($0) } }

  /// Why `text` is no usable glob, or nil: an empty pattern, a `[` never closed, a trailing `\`.
  package static func globProblem(_ text: String) -> String? {
    if text.isEmpty { return "an empty name" }
    var chars = text.makeIterator()
    while let c = chars.next() {
      if c == "\\" {
        if chars.next() == nil { return "'\(text)' ends in '\\'" }
      } else if c == "[" {
        // fnmatch(3): a bracket expression needs at least one character before its ']'.
        var closed = false
        var length = 0
        while let d = chars.next() {
          if d == "]" && length > 0 {
            closed = true
            break
          }
          length += 1
        }
        if !closed { return "'\(text)' has a '[' that is never closed" }
      }
    }
    return nil
  }
}

/// A problem in a config file, at a line (0 when it is about the whole file).
package struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  package var file: String
  package var line: Int
  package var message: String

  package init(file: String, line: Int, _ message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `.podmortem.yaml:4: error: unknown rule 'probe.livenes-failing'. Did you mean …?`
  package var description: String {
    line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)"
  }
}

/// Every problem found in a config file.
package struct ConfigErrors: Error, Equatable, Sendable, CustomStringConvertible {
  package var errors: [ConfigError]

  package init(_ errors: [ConfigError]) {
    self.errors = errors
  }

  package var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Walks the YAML node tree of a config file, collecting errors instead of stopping at the first.
private struct ConfigParser {
  let file: String
  let known: SuppressionConfig.KnownIDs
  var errors: [ConfigError] = []
  /// The pattern ids, loaded at the first entry that needs them.
  private var patternIDs: [String]?

  mutating func patterns() -> [String] {
    if let patternIDs { return patternIDs }
    let ids = known.patterns()
    patternIDs = ids
    return ids
  }

  static let topKeys = ["ignore", "overrides"]
  static let ignoreKeys = ["rules", "patterns", "namespaces", "pods"]
  static let overrideKeys = ["rule", "severity", "namespaces", "pods"]

  init(file: String, known: SuppressionConfig.KnownIDs) {
    self.file = file
    self.known = known
  }

  mutating func error(_ line: Int, _ message: String) {
    errors.append(ConfigError(file: file, line: line, message))
  }

  mutating func parse(_ text: String) -> SuppressionConfig {
    var config = SuppressionConfig(file: file)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      let (line, message) = Self.describe(error)
      self.error(line, message)
      return config
    }
    guard let root else { return config }  // an empty file, or only comments
    guard case .mapping(let top) = root else {
      error(Self.line(root), "expected a mapping with the keys \(Self.list(Self.topKeys))")
      return config
    }
    for (keyNode, value) in top {
      guard let key = key(keyNode, among: Self.topKeys, in: "the file") else { continue }
      switch key {
      case "ignore": parseIgnore(value, into: &config)
      default: config.overrides = parseOverrides(value)
      }
    }
    return config
  }

  mutating func parseIgnore(_ node: Node, into config: inout SuppressionConfig) {
    if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return }
    guard case .mapping(let mapping) = node else {
      error(Self.line(node), "'ignore' must be a mapping with the keys \(Self.list(Self.ignoreKeys))")
      return
    }
    for (keyNode, value) in mapping {
      guard let key = key(keyNode, among: Self.ignoreKeys, in: "'ignore'") else { continue }
      let entries = strings(value, key: key)
      switch key {
      case "rules":
        config.rules += entries.compactMap { ruleGlob($0.text, line: $0.line, ids: known.rules, noun: "rule") }
      case "patterns":
        if !entries.isEmpty {
          let ids = patterns()
          config.patterns += entries.compactMap { ruleGlob($0.text, line: $0.line, ids: ids, noun: "pattern") }
        }
      case "namespaces": config.namespaces += entries.compactMap { namespaceGlob($0.text, line: $0.line) }
      default: config.pods += entries.compactMap { podGlob($0.text, line: $0.line) }
      }
    }
  }

  mutating func parseOverrides(_ node: Node) -> [SuppressionConfig.Override] {
    if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
    guard case .sequence(let items) = node else {
      error(Self.line(node), "'overrides' must be a list of entries with 'rule' and 'severity'")
      return []
    }
    var out: [SuppressionConfig.Override] = []
    for item in items {
      guard case .mapping(let mapping) = item else {
        error(Self.line(item), "an override must be a mapping with the keys \(Self.list(Self.overrideKeys))")
        continue
      }
      var rule: SuppressionConfig.Glob?
      var severity: Severity?
      var namespaces: [SuppressionConfig.Glob] = []
      var pods: [SuppressionConfig.PodGlob] = []
      var sawRule = false
      var sawSeverity = false
      for (keyNode, value) in mapping {
        guard let key = key(keyNode, among: Self.overrideKeys, in: "an override") else { continue }
        switch key {
        case "rule":
          sawRule = true
          if let s = scalar(value, key: key) {
            // A rule id, or else a pattern's (findings raised by patterns have their pattern's id).
            let glob = SuppressionConfig.Glob(s, line: Self.line(value))
            let isRule = SuppressionConfig.globProblem(s) == nil && known.rules.contains(where: glob.matches)
            rule = ruleGlob(
              s, line: Self.line(value), ids: isRule ? known.rules : known.rules + patterns(), noun: "rule")
          }
        case "severity":
          sawSeverity = true
          if let s = scalar(value, key: key) {
            if let parsed = Severity(rawValue: s.lowercased()) {
              severity = parsed
            } else {
              error(Self.line(value), "bad severity '\(s)': use info, warning or critical")
            }
          }
        case "namespaces":
          namespaces = strings(value, key: key).compactMap { namespaceGlob($0.text, line: $0.line) }
        default:
          pods = strings(value, key: key).compactMap { podGlob($0.text, line: $0.line) }
        }
      }
      if !sawRule { error(Self.line(item), "an override needs 'rule'") }
      if !sawSeverity { error(Self.line(item), "an override needs 'severity'") }
      if let rule, let severity {
        out.append(SuppressionConfig.Override(rule: rule, severity: severity, namespaces: namespaces, pods: pods))
      }
    }
    return out
  }

  // MARK: Values

  /// A mapping key, checked against the keys allowed here (the nearest suggested).
  mutating func key(_ node: Node, among keys: [String], in place: String) -> String? {
    guard case .scalar(let s) = node else {
      error(Self.line(node), "a key of \(place) must be a plain word")
      return nil
    }
    guard keys.contains(s.string) else {
      var message = "unknown key '\(s.string)' in \(place)"
      if let near = Suggestion.nearest(to: s.string, among: keys) {
        message += ". Did you mean '\(near)'?"
      } else {
        message += " (known: \(Self.list(keys)))"
      }
      error(Self.line(node), message)
      return nil
    }
    return s.string
  }

  mutating func scalar(_ node: Node, key: String) -> String? {
    guard case .scalar(let s) = node else {
      error(Self.line(node), "'\(key)' must be a single value")
      return nil
    }
    return s.string
  }

  /// A list of strings; a single string is a list of one.
  mutating func strings(_ node: Node, key: String) -> [(text: String, line: Int)] {
    switch node {
    case .scalar(let s):
      if s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
      return [(s.string, Self.line(node))]
    case .sequence(let items):
      var out: [(String, Int)] = []
      for item in items {
        if case .scalar(let s) = item {
          out.append((s.string, Self.line(item)))
        } else {
          error(Self.line(item), "each entry of '\(key)' must be a string")
        }
      }
      return out
    default:
      error(Self.line(node), "'\(key)' must be a list of strings")
      return []
    }
  }

  /// A rule or pattern id, or a glob of them that matches at least one.
  mutating func ruleGlob(_ text: String, line: Int, ids: [String], noun: String) -> SuppressionConfig.Glob? {
    if let problem = SuppressionConfig.globProblem(text) {
      error(line, "bad \(noun) glob: \(problem)")
      return nil
    }
    let glob = SuppressionConfig.Glob(text, line: line)
    if SuppressionConfig.isGlob(text) {
      guard ids.contains(where: glob.matches) else {
        error(line, "\(noun) glob '\(text)' matches no \(noun)")
        return nil
      }
    } else if !ids.contains(text) {
      var message = "unknown \(noun) '\(text)'"
      if let near = Suggestion.nearest(to: text, among: ids) { message += ". Did you mean '\(near)'?" }
      error(line, message)
      return nil
    }
    return glob
  }

  /// Namespace and pod names are lower-case DNS names (RFC 1123): letters, digits, '-' and '.'
  /// (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/); globs add `*?[]!^\`.
  static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-.*?[]!^\\")

  mutating func nameGlob(_ text: String, line: Int, noun: String) -> SuppressionConfig.Glob? {
    if let problem = SuppressionConfig.globProblem(text) {
      error(line, "bad \(noun) glob: \(problem)")
      return nil
    }
    if let bad = text.first(where: { !Self.nameCharacters.contains($0) }) {
      error(
        line,
        "bad \(noun) glob '\(text)': '\(bad)' never occurs in a \(noun) name (lower-case letters, digits, '-' and '.')")
      return nil
    }
    return SuppressionConfig.Glob(text, line: line)
  }

  mutating func namespaceGlob(_ text: String, line: Int) -> SuppressionConfig.Glob? {
    nameGlob(text, line: line, noun: "namespace")
  }

  mutating func podGlob(_ text: String, line: Int) -> SuppressionConfig.PodGlob? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      error(line, "pod '\(text)' must be namespace/name (*/\(parts.last ?? "") for any namespace)")
      return nil
    }
    guard let ns = nameGlob(String(parts[0]), line: line, noun: "namespace"),
      let name = nameGlob(String(parts[1]), line: line, noun: "pod")
    else { return nil }
    return SuppressionConfig.PodGlob(namespace: ns, name: name)
  }

  // MARK: Helpers

  static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

  static func list(_ keys: [String]) -> String { keys.map { "'\($0)'" }.joined(separator: ", ") }

  /// The line and message of a YAML syntax error.
  static func describe(_ error: Error) -> (Int, String) {
    guard let yaml = error as? YamlError else { return (0, "not YAML: \(error)") }
    switch yaml {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let where_ = context.map { "\($0.text) at line \($0.mark.line): " } ?? ""
      return (mark.line, "not YAML: \(where_)\(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return (context.mark.line, "repeated key \(list(duplicates))")
    default:
      return (0, "not YAML: \(yaml)")
    }
  }
}
