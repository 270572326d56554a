/// What became of every line of one source (docs/architecture.md: every input line is accounted for).
package struct SourceAccount: Hashable, Sendable, Codable {
  /// How many unrecognised line numbers are kept as examples.
  package static let keptUnrecognised = 10

  package var source: String
  /// The format the sniffer picked (`kubectl-describe`, `plain-text` …); formats when it changed.
  package var formats: [String]
  package var bytes: Int64
  package var lines: Int
  /// Lines that became (part of) a record.
  package var parsed: Int
  /// Lines the parser understood and deliberately skipped (headers, separators, blank lines).
  package var ignored: Int
  /// Lines no parser understood.
  package var unrecognised: Int
  /// The first few unrecognised line numbers.
  package var firstUnrecognised: [Int]
  /// The file's place in a support bundle (`must-gather pod-list`, `unknown`); nil outside one.
  package var layout: String?
  /// The capture time ages in this source were anchored to, if it had any ages.
  package var captureTime: CaptureTime?

  package init(source: String) {
    self.source = source
    self.formats = []
    self.bytes = 0
    self.lines = 0
    self.parsed = 0
    self.ignored = 0
    self.unrecognised = 0
    self.firstUnrecognised = []
  }

  /// What a parser said about one line.
  package enum Verdict: Sendable {
    case parsed, ignored, unrecognised
  }

  package mutating func count(_ verdict: Verdict, line: Int) {
    lines += 1
    switch verdict {
    case .parsed: parsed += 1
    case .ignored: ignored += 1
    case .unrecognised:
      unrecognised += 1
      if firstUnrecognised.count < Self.keptUnrecognised { firstUnrecognised.append(line) }
    }
  }
}
