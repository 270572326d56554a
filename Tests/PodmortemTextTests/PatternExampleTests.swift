import Foundation
import PodmortemModel
import Testing

@testable import PodmortemText

/// One example or counterexample of one pattern in one `patterns/*.json` file, read straight from
/// the JSON (not through the loader), so a broken pattern still shows up as failing cases.
struct PatternExampleCase: Sendable, CustomTestStringConvertible {
  var file: String
  /// The 1-based line of the example text in the file, so a failure points at it.
  var line: Int
  var id: String
  var regex: String
  var literals: [String]
  /// A detail pattern's constant facts, part of every match.
  var sets: [String: String] = [:]
  var text: String
  /// nil for a counterexample; for an example, the expected captures (nil entries: not checked).
  var expectation: Expectation
  /// Set when the file or the pattern could not be read at all.
  var problem: String?

  enum Expectation: Sendable {
    case matches(captures: [String: String]?)
    case doesNotMatch
  }

  var testDescription: String {
    switch expectation {
    case .matches: "\(file):\(line) \(id) example"
    case .doesNotMatch: "\(file):\(line) \(id) counterexample"
    }
  }

  /// Every case of every pattern file in the repository's `patterns/` folder.
  static let all: [PatternExampleCase] = {
    let directory = repositoryRoot.appendingPathComponent("patterns")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().flatMap { name in
      cases(file: name, contents: (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
    }
  }()

  static func cases(file: String, contents: String?) -> [PatternExampleCase] {
    func broken(_ problem: String) -> [PatternExampleCase] {
      [
        PatternExampleCase(
          file: file, line: 0, id: "?", regex: "", literals: [], text: "", expectation: .doesNotMatch,
          problem: problem)
      ]
    }
    guard let contents, let data = contents.data(using: .utf8),
      let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let patterns = document["patterns"] as? [[String: Any]]
    else { return broken("'\(file)' is not a pattern file") }
    var result: [PatternExampleCase] = []
    for pattern in patterns {
      let id = pattern["id"] as? String ?? "?"
      guard let regex = pattern["regex"] as? String else { return result + broken("'\(id)' has no regex") }
      let literals = pattern["literals"] as? [String] ?? []
      let base = PatternExampleCase(
        file: file, line: 0, id: id, regex: regex, literals: literals,
        sets: pattern["sets"] as? [String: String] ?? [:],
        text: "", expectation: .doesNotMatch)
      for example in pattern["examples"] as? [[String: Any]] ?? [] {
        var item = base
        item.text = example["text"] as? String ?? ""
        item.expectation = .matches(captures: example["captures"] as? [String: String])
        item.line = line(of: item.text, in: contents)
        result.append(item)
      }
      for text in pattern["counterexamples"] as? [String] ?? [] {
        var item = base
        item.text = text
        item.line = line(of: text, in: contents)
        result.append(item)
      }
    }
    return result
  }

  /// The line of the JSON string `text` in `contents` (0 when not found verbatim).
  private static func line(of text: String, in contents: String) -> Int {
    guard let encoded = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]),
      let array = String(data: encoded, encoding: .utf8), array.count > 2,
      let found = contents.range(of: String(array.dropFirst().dropLast()))
    else { return 0 }
    return contents[..<found.lowerBound].utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
  }
}

@Suite struct PatternExampleTests {
  @Test func everyPatternFileHasCases() {
    #expect(PatternExampleCase.all.contains { $0.file == "event-messages.json" })
  }

  /// Runs every example and counterexample of every pattern in every `patterns/*.json` file.
  @Test(arguments: PatternExampleCase.all)
  func example(_ item: PatternExampleCase) throws {
    let place = "\(item.file):\(item.line) '\(item.id)'"
    if let problem = item.problem {
      Issue.record("\(place): \(problem)")
      return
    }
    let regex = try Regex(item.regex)
    let pattern = Pattern(
      id: item.id, kinds: [], literals: item.literals, regex: regex, file: item.file,
      sets: item.sets.sorted { $0.key < $1.key }.map { KeyValue($0.key, $0.value) })
    let hit = try pattern.match(item.text)
    switch item.expectation {
    case .doesNotMatch:
      #expect(hit == nil, "\(place): counterexample matches: \(item.text)")
    case .matches(let captures):
      let found = try #require(hit, "\(place): example does not match: \(item.text)")
      if let captures {
        var actual: [String: String] = [:]
        for capture in found.captures { actual[capture.key] = capture.value }
        // Every capture the example lists must have exactly that value; unlisted groups are free.
        let listed = actual.filter { captures[$0.key] != nil }
        #expect(listed == captures, "\(place): wrong captures for: \(item.text)")
      }
    }
  }
}
