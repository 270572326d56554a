import Foundation
import PodmortemModel

/// Reads one `patterns/*.json` file and checks every pattern in it (docs/architecture.md "Patterns").
///
/// A pattern that fails a check becomes a diagnostic naming the file and the pattern id and is
/// skipped; the other patterns of the file still load. A file that is not a pattern document at
/// all is one error diagnostic.
enum PatternFile {
  /// The patterns of already decoded sources (the shipped ones, `ShippedPatterns.swift`), checked
  /// as `parse` checks them; diagnostics name the file but no line.
  static func patterns(name: String, sources: [Source], checked: Bool, diagnostics: DiagnosticSink) -> [Pattern] {
    var patterns: [Pattern] = []
    for source in sources {
      switch validate(source, file: name, checked: checked) {
      case .rejected(let problem):
        diagnostics(
          Diagnostic(.warning, SourceRef(source: name, line: 0), "pattern '\(source.id)' skipped: \(problem)"))
      case .valid(let pattern):
        patterns.append(pattern)
      }
    }
    return patterns
  }

  /// Parses and validates `contents`; `name` is how diagnostics refer to the file. `checked: false`
  /// is for the shipped files, which `ShippedPatternTests` loads checked: their regexes compile on
  /// first use and their examples are not run again on every start (docs/patterns.md "Matching").
  static func parse(name: String, contents: String, checked: Bool = true, diagnostics: DiagnosticSink) -> [Pattern] {
    let document: Document
    do {
      document = try JSONDecoder().decode(Document.self, from: Data(contents.utf8))
    } catch let error as DecodingError {
      diagnostics(Diagnostic(.error, SourceRef(source: name, line: 0), "not a pattern file: \(describe(error))"))
      return []
    } catch {
      diagnostics(Diagnostic(.error, SourceRef(source: name, line: 0), "not a pattern file: \(error)"))
      return []
    }
    for key in document.unknownKeys {
      diagnostics(Diagnostic(.warning, SourceRef(source: name, line: 0), "unknown key '\(key)' ignored"))
    }
    var patterns: [Pattern] = []
    for (index, entry) in document.patterns.enumerated() {
      let label = entry.id.map { "pattern '\($0)'" } ?? "pattern #\(index + 1)"
      // Where the pattern's id is written, looked up only when a diagnostic needs it: every run
      // loads the shipped catalog, and scanning the file per pattern showed in start-up time.
      var ref: SourceRef { SourceRef(source: name, line: entry.id.map { line(of: $0, in: contents) } ?? 0) }
      switch entry.body {
      case .rejected(let problem):
        diagnostics(Diagnostic(.warning, ref, "\(label) skipped: \(problem)"))
      case .valid(let source):
        for key in source.unknownKeys {
          diagnostics(Diagnostic(.warning, ref, "\(label): unknown key '\(key)' ignored"))
        }
        switch validate(source, file: name, checked: checked) {
        case .rejected(let problem):
          diagnostics(Diagnostic(.warning, ref, "\(label) skipped: \(problem)"))
        case .valid(let pattern):
          if checked && !pattern.regex.isJITCompiled && Regex.isJITAvailable {
            diagnostics(Diagnostic(.note, ref, "\(label): regex cannot be jit-compiled, using the interpreter"))
          }
          patterns.append(pattern)
        }
      }
    }
    return patterns
  }

  /// Checks one decoded pattern against every rule of the format; `checked: false` skips the
  /// checks that compile the regex or run the examples.
  static func validate(_ source: Source, file: String, checked: Bool = true) -> Checked<Pattern> {
    guard !source.id.isEmpty, source.id.unicodeScalars.allSatisfy(isIDCharacter) else {
      return .rejected("id '\(source.id)' must be lower-case letters, digits, '.' and '-'")
    }
    guard !source.kinds.isEmpty else { return .rejected("'kinds' is empty") }
    var kinds: [PatternKind] = []
    for kind in source.kinds {
      guard let known = PatternKind(rawValue: kind) else {
        let valid = PatternKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return .rejected("unknown kind '\(kind)' (expected one of \(valid))")
      }
      kinds.append(known)
    }
    if source.literals.contains("") { return .rejected("a literal is empty") }
    var severity: Severity?
    if let name = source.severity {
      guard let known = Severity(rawValue: name) else {
        return .rejected("unknown severity '\(name)' (expected 'info', 'warning' or 'critical')")
      }
      guard source.title?.isEmpty == false, source.explanation?.isEmpty == false else {
        return .rejected("severity '\(name)' needs a 'title' and an 'explanation'")
      }
      severity = known
    }
    var event: EventReason?
    if let text = source.event {
      guard kinds == [.event] else { return .rejected("'event' is for patterns of kind 'event' only") }
      guard let reason = EventReason(text) else {
        return .rejected("'event' is '\(text)', expected a type and a reason ('Warning Unhealthy')")
      }
      event = reason
    }
    guard source.about == nil || source.about == "pod" || source.about == "node" else {
      return .rejected("'about' is '\(source.about ?? "")', expected 'pod' or 'node'")
    }
    let regex: Regex
    do {
      regex = checked ? try Regex(source.regex) : Regex(deferred: source.regex)
    } catch {
      if case .compile(let message, let offset, _) = error {
        return .rejected("regex does not compile: \(message) at offset \(offset)")
      }
      return .rejected("regex does not compile: \(error)")
    }
    guard !source.examples.isEmpty else { return .rejected("no examples") }
    guard (kinds == [.detail]) == (source.detail != nil) else {
      return .rejected(
        kinds.contains(.detail)
          ? "a pattern of kind 'detail' is of that kind alone and names its 'detail' domain"
          : "'detail' is for patterns of kind 'detail' only")
    }
    guard source.sets.isEmpty || source.detail != nil else { return .rejected("'sets' is for 'detail' patterns only") }
    if let detail = source.detail, detail.isEmpty || !detail.unicodeScalars.allSatisfy(isIDCharacter) {
      return .rejected("detail domain '\(detail)' must be lower-case letters, digits, '.' and '-'")
    }
    for (capture, domain) in source.classify.sorted(by: { $0.key < $1.key }) {
      guard !checked || regex.groupNames.contains(capture) else {
        return .rejected("'classify' names capture '\(capture)' but the regex has no group '\(capture)'")
      }
      guard !domain.isEmpty, domain != source.detail else {
        return .rejected("'classify' of '\(capture)' needs a domain other than the pattern's own")
      }
    }
    for key in source.sets.keys.sorted() where checked && regex.groupNames.contains(key) {
      return .rejected("'sets' key '\(key)' is also a group of the regex")
    }
    let pattern = Pattern(
      id: source.id, kinds: kinds, literals: source.literals, regex: regex, severity: severity,
      title: source.title, explanation: source.explanation,
      examples: source.examples.map { PatternExample(text: $0.text, captures: $0.captures) },
      counterexamples: source.counterexamples, file: file, event: event, isAboutNode: source.about == "node",
      detail: source.detail, sets: source.sets.sorted { $0.key < $1.key }.map { KeyValue($0.key, $0.value) },
      classify: source.classify.sorted { $0.key < $1.key }.map { Classification(capture: $0.key, domain: $0.value) })
    guard checked else { return .valid(pattern) }
    for (index, example) in pattern.examples.enumerated() {
      if let problem = check(example, number: index + 1, of: pattern) { return .rejected(problem) }
    }
    for (index, text) in pattern.counterexamples.enumerated() {
      do {
        if try pattern.match(text) != nil {
          return .rejected("counterexample \(index + 1) matches: '\(text)'")
        }
      } catch {
        return .rejected("counterexample \(index + 1): \(error)")
      }
    }
    return .valid(pattern)
  }

  /// Why `example` fails, or nil when it matches and every capture it lists has exactly the listed
  /// value (a listed capture that did not take part fails too). Groups an example does not list are
  /// not checked, so an example can pin the fields that matter without repeating every UID.
  static func check(_ example: PatternExample, number: Int, of pattern: Pattern) -> String? {
    let expected = example.captures ?? [:]
    for name in expected.keys.sorted()
    where !pattern.regex.groupNames.contains(name) && !pattern.sets.contains(where: { $0.key == name }) {
      return "example \(number) expects capture '\(name)' but the regex has no group '\(name)'"
    }
    if let missing = pattern.literals.first(where: { !$0.occurs(in: example.text) }) {
      return "example \(number) does not contain literal '\(missing.text)'"
    }
    let hit: PatternHit?
    do {
      hit = try pattern.match(example.text)
    } catch {
      return "example \(number): \(error)"
    }
    guard let hit else { return "example \(number) does not match: '\(example.text)'" }
    guard example.captures != nil else { return nil }
    var actual: [String: String] = [:]
    for capture in hit.captures { actual[capture.key] = capture.value }
    for name in expected.keys.sorted() where expected[name] != actual[name] {
      let want = expected[name].map { "'\($0)'" } ?? "nothing"
      let got = actual[name].map { "'\($0)'" } ?? "nothing"
      return "example \(number) captures \(got) for '\(name)', expected \(want)"
    }
    return nil
  }

  private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
  }

  /// The 1-based line where `"id"` first appears in the file, or 0.
  private static func line(of id: String, in contents: String) -> Int {
    guard let found = contents.range(of: "\"\(id)\"") else { return 0 }
    return contents[..<found.lowerBound].utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
      return parts.isEmpty ? "the top level" : "'\(parts.joined().drop { $0 == "." })'"
    }
    switch error {
    case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
    case .valueNotFound(let type, let context): return "missing \(type) at \(path(context))"
    case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
    case .dataCorrupted(let context):
      let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
      return "invalid JSON at \(path(context))\(underlying)"
    @unknown default: return "\(error)"
    }
  }
}

extension PatternFile {
  /// A value that passed its checks, or the reason it did not (a diagnostic message).
  enum Checked<Value> {
    case valid(Value)
    case rejected(String)
  }

  /// Any JSON object key, so unknown keys can be reported instead of silently ignored.
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// `{ "patterns": [ … ] }`.
  struct Document: Decodable {
    var patterns: [Entry]
    var unknownKeys: [String]

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      patterns = try container.decode([Entry].self, forKey: Key("patterns"))
      unknownKeys = container.allKeys.map(\.stringValue).filter { $0 != "patterns" }.sorted()
    }
  }

  /// One element of `patterns`: decoded on its own, so a malformed pattern does not sink its file.
  struct Entry: Decodable {
    var id: String?
    var body: Checked<Source>

    init(from decoder: any Decoder) {
      id = try? decoder.container(keyedBy: Key.self).decode(String.self, forKey: Key("id"))
      do {
        body = .valid(try Source(from: decoder))
      } catch let error as DecodingError {
        body = .rejected(PatternFile.describe(error))
      } catch {
        body = .rejected("\(error)")
      }
    }
  }

  /// A pattern as written in the file, before any check.
  struct Source: Decodable {
    var id: String
    var kinds: [String]
    var literals: [String]
    var regex: String
    var severity: String?
    var title: String?
    var explanation: String?
    var event: String?
    var about: String?
    var detail: String?
    var sets: [String: String]
    var classify: [String: String]
    var examples: [ExampleSource]
    var counterexamples: [String]
    var unknownKeys: [String]

    /// A pattern as the generator decoded it (ShippedPatterns.swift): no unknown keys.
    init(
      id: String, kinds: [String], literals: [String], regex: String, severity: String? = nil, title: String? = nil,
      explanation: String? = nil, event: String? = nil, about: String? = nil, detail: String? = nil,
      sets: [String: String] = [:], classify: [String: String] = [:], examples: [ExampleSource] = [],
      counterexamples: [String] = []
    ) {
      self.id = id
      self.kinds = kinds
      self.literals = literals
      self.regex = regex
      self.severity = severity
      self.title = title
      self.explanation = explanation
      self.event = event
      self.about = about
      self.detail = detail
      self.sets = sets
      self.classify = classify
      self.examples = examples
      self.counterexamples = counterexamples
      self.unknownKeys = []
    }

    private static let known: Set = [
      "id", "kinds", "literals", "regex", "severity", "title", "explanation", "event", "about", "examples",
      "counterexamples", "detail", "sets", "classify",
    ]

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      id = try container.decode(String.self, forKey: Key("id"))
      kinds = try container.decode([String].self, forKey: Key("kinds"))
      literals = try container.decodeIfPresent([String].self, forKey: Key("literals")) ?? []
      regex = try container.decode(String.self, forKey: Key("regex"))
      severity = try container.decodeIfPresent(String.self, forKey: Key("severity"))
      title = try container.decodeIfPresent(String.self, forKey: Key("title"))
      explanation = try container.decodeIfPresent(String.self, forKey: Key("explanation"))
      event = try container.decodeIfPresent(String.self, forKey: Key("event"))
      about = try container.decodeIfPresent(String.self, forKey: Key("about"))
      detail = try container.decodeIfPresent(String.self, forKey: Key("detail"))
      sets = try container.decodeIfPresent([String: String].self, forKey: Key("sets")) ?? [:]
      classify = try container.decodeIfPresent([String: String].self, forKey: Key("classify")) ?? [:]
      examples = try container.decodeIfPresent([ExampleSource].self, forKey: Key("examples")) ?? []
      counterexamples = try container.decodeIfPresent([String].self, forKey: Key("counterexamples")) ?? []
      unknownKeys = container.allKeys.map(\.stringValue).filter { !Self.known.contains($0) }.sorted()
    }
  }

  /// `{ "text": …, "captures": { name: value } }`.
  struct ExampleSource: Decodable {
    var text: String
    var captures: [String: String]?
  }
}
