import Foundation
import Testing

/// Kubernetes wording is recognised once, in `patterns/*.json` (and the few structured formats of
/// PodmortemText); rules ask for pattern ids and read captures (docs/architecture.md "Patterns").
/// This reads every source file of PodmortemDiagnose and fails on a text search over a message, an
/// output, an error, a detail or an evidence line's text: the sign of a rule recognising wording
/// itself. The pasted examples inside raw string literals are not code and are skipped.
@Suite struct NoWordingTests {
  /// `message.hasPrefix(`, `$0.text.contains(`, `output?.range(of:` …
  static func searches(_ line: String) -> Bool {
    line.contains(
      #/\b(message|Message|output|Output|error|detail|text)\b[\])?!]*\.(hasPrefix|hasSuffix|contains|range\(of|firstRange\(of|starts\(with|firstIndex\(of|split)\b/#
        .wordBoundaryKind(.simple)
    )
  }

  /// The one search allowed: the example harness comparing a finding's evidence with the text an
  /// example expects it to cite (`ExpectedFinding.evidenceText`), which is a test, not a rule.
  static let allowed: [(file: String, contains: String)] = [("Rule.swift", "for text in evidenceText where")]

  static var sourceFiles: [URL] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/PodmortemDiagnose")
    let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    return (walker?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }
      .sorted { $0.path < $1.path }
  }

  /// The code lines of a Swift file (raw multi-line string literals left out), with their numbers.
  static func codeLines(_ contents: String) -> [(Int, String)] {
    var inLiteral = false
    var lines: [(Int, String)] = []
    for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if inLiteral {
        if trimmed.hasPrefix("\"\"\"") { inLiteral = false }
        continue
      }
      if trimmed.hasSuffix("#\"\"\"") || trimmed.hasSuffix("(#\"\"\"") { inLiteral = true }
      if trimmed.hasPrefix("//") { continue }
      lines.append((index + 1, String(line)))
    }
    return lines
  }

  @Test func diagnoseReadsNoMessageWording() throws {
    let files = Self.sourceFiles
    #expect(files.count > 20, "PodmortemDiagnose sources not found")
    var found: [String] = []
    for file in files {
      let contents = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in Self.codeLines(contents) {
        guard Self.searches(line) else { continue }
        if Self.allowed.contains(where: { file.lastPathComponent == $0.file && line.contains($0.contains) }) {
          continue
        }
        found.append("\(file.lastPathComponent):\(number): \(line.trimmingCharacters(in: .whitespaces))")
      }
    }
    #expect(found.isEmpty, "wording recognised outside patterns/:\n\(found.joined(separator: "\n"))")
  }

  /// The check itself finds what it must.
  @Test func theSearchFindsWordingChecks() {
    for line in [
      #"let marked = pod.events.filter { $0.message.hasPrefix("Marking for deletion Pod") }"#,
      #"if output.contains("connection refused") { return (.refused, nil) }"#,
      #"evidence.filter { $0.text.contains("Terminating") }"#, #"ready.message?.hasPrefix("tainted ")"#,
    ] {
      #expect(Self.searches(line), "\(line)")
    }
    for line in [#"if reason.hasPrefix("OutOf") {"#, #"$0.patternID == "event.probe-killing""#] {
      #expect(!Self.searches(line), "\(line)")
    }
  }
}
