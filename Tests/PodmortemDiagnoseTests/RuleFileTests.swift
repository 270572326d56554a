import Foundation
import Testing

@testable import PodmortemDiagnose

/// The folder of PodmortemDiagnose's sources.
private let diagnoseFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Sources/PodmortemDiagnose")

/// The example summaries in a rule file's doc comment (docs/architecture.md "Adding a rule"):
/// `/// - fires: NAME` or `/// - near miss: NAME`, a long name continued on `///   ` lines.
func exampleSummaries(_ source: String) -> [(fires: Bool, name: String)] {
  var summaries: [(fires: Bool, name: String)] = []
  for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.hasPrefix("/// - fires: ") {
      summaries.append((true, String(line.dropFirst("/// - fires: ".count))))
    } else if line.hasPrefix("/// - near miss: ") {
      summaries.append((false, String(line.dropFirst("/// - near miss: ".count))))
    } else if line.hasPrefix("///   "), let last = summaries.popLast() {
      summaries.append((last.fires, last.name + " " + line.dropFirst("///   ".count)))
    } else if !line.hasPrefix("///") {
      if !summaries.isEmpty { break }
    }
  }
  return summaries
}

/// Each rule file lists its examples, one line each, in order, saying which fire and which are
/// near misses, so a reader sees what the rule covers without the pasted text.
@Test func eachRuleFileSummarisesExactlyItsExamples() throws {
  for rule in exampleRules {
    let type = String(describing: type(of: rule))
    let source = try String(contentsOf: diagnoseFolder.appendingPathComponent("Rules/\(type).swift"), encoding: .utf8)
    let listed = exampleSummaries(source)
    let actual = rule.examples.map { (fires: $0.triggers(rule), name: $0.name) }
    #expect(listed.map(\.name) == actual.map(\.name), "Rules/\(type).swift: the summaries do not list its examples")
    #expect(listed.map(\.fires) == actual.map(\.fires), "Rules/\(type).swift: 'fires' and 'near miss' are wrong")
  }
}

/// A rule file holds logic; its pasted examples live in `Examples/<Rule>Examples.swift`.
@Test func ruleFilesHoldNoExamplesAndEachRuleHasAnExamplesFile() throws {
  for rule in RuleCatalog.all {
    let type = String(describing: type(of: rule))
    let source = try String(contentsOf: diagnoseFolder.appendingPathComponent("Rules/\(type).swift"), encoding: .utf8)
    #expect(!source.contains("RuleExample("), "Rules/\(type).swift holds examples")
    #expect(!source.contains("\"\"\""), "Rules/\(type).swift holds pasted text")
    let examples = diagnoseFolder.appendingPathComponent("Examples/\(type)Examples.swift")
    #expect(FileManager.default.fileExists(atPath: examples.path), "no Examples/\(type)Examples.swift")
  }
}

@Test func summariesAreReadFromTheDocComment() {
  let source = """
    /// A rule.
    ///
    /// Examples:
    /// - fires: a describe
    /// - near miss: a long name
    ///   continued
    package struct R {
      /// - fires: not a summary
    }
    """
  let summaries = exampleSummaries(source)
  #expect(summaries.map(\.name) == ["a describe", "a long name continued"])
  #expect(summaries.map(\.fires) == [true, false])
}
