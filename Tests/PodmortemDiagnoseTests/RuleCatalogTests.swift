import Foundation
import PodmortemText
import Testing

@testable import PodmortemDiagnose

@Test func everyRuleFileIsInTheCatalog() throws {
  let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/PodmortemDiagnose/Rules")
  let files = try FileManager.default.contentsOfDirectory(atPath: rulesFolder.path)
    .filter { $0.hasSuffix(".swift") }.map { String($0.dropLast(".swift".count)) }
  let catalogued = Set(RuleCatalog.all.map { String(describing: type(of: $0)) })
  #expect(!files.isEmpty)
  for file in files { #expect(catalogued.contains(file), "'\(file)' is missing from RuleCatalog.all") }
  #expect(catalogued.count == RuleCatalog.all.count, "a rule is listed twice")
}

@Test func ruleIDsAreUniqueAndWellFormed() {
  let ids = RuleCatalog.all.map(\.description.id)
  #expect(Set(ids).count == ids.count)
  for id in ids {
    #expect(id.split(separator: ".").count == 2, "'\(id)' is not 'area.what-it-finds'")
    #expect(id == id.lowercased())
  }
}

@Test func absorptionNamesKnownRulesAndHasNoCycle() {
  let table = Dictionary(uniqueKeysWithValues: RuleCatalog.all.map { ($0.description.id, $0.description.absorbs) })
  for (id, absorbed) in table {
    for other in absorbed { #expect(table[other] != nil, "'\(id)' absorbs unknown rule '\(other)'") }
  }
  func reaches(_ from: String, _ target: String, _ seen: Set<String>) -> Bool {
    for next in table[from] ?? [] where !seen.contains(next) {
      if next == target || reaches(next, target, seen.union([next])) { return true }
    }
    return false
  }
  for id in table.keys { #expect(!reaches(id, id, []), "'\(id)' absorbs itself through a cycle") }
}

/// docs/findings-schema.md is the JSON contract scripts rely on: it must list every rule with its
/// category, and every rule it absorbs.
@Test func theSchemaDocumentListsEveryRule() throws {
  let doc = try String(
    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/findings-schema.md"), encoding: .utf8)
  for rule in RuleCatalog.all {
    let d = rule.description
    #expect(doc.contains("| `\(d.id)` | `\(d.category.rawValue)` |"), "docs/findings-schema.md lacks '\(d.id)'")
    for absorbed in d.absorbs {
      let row = doc.split(separator: "\n").first {
        $0.hasPrefix("|") && $0.contains("`\(d.id)`") && $0.contains("`\(absorbed)`")
      }
      #expect(row != nil, "docs/findings-schema.md: '\(d.id)' absorbs '\(absorbed)' but no precedence row says so")
    }
  }
}

/// Rules ask for recognised wording by pattern id (docs/architecture.md "Patterns"): every id a
/// rule names must be a shipped pattern, so a renamed or deleted pattern cannot silently turn a
/// rule off.
@Test func everyPatternIDARuleNamesIsShipped() throws {
  let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/PodmortemDiagnose")
  let shipped = Set(PatternCatalog.shipped(diagnostics: { _ in }).patterns.map(\.id))
  let ruleIDs = Set(RuleCatalog.all.map(\.description.id))
  let literal = try Swift.Regex(#""((?:event|kubelet|node|reference)\.[a-z0-9-]+)""#)
  var named = 0
  let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
  for file in files where file.hasSuffix(".swift") {
    let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    for match in text.matches(of: literal) {
      let id = String(match.output[1].substring ?? "")
      guard !ruleIDs.contains(id) else { continue }
      named += 1
      #expect(shipped.contains(id), "\(file) names pattern '\(id)', which no patterns/*.json file ships")
    }
  }
  #expect(named > 20)
}

/// Every shipped event pattern is there for a reason: a rule (or the correlator) names it, it
/// raises a finding of its own, or a rule asks for the reason its message is sent with (the
/// pattern then gives that rule its captures). The few recognised only for the timeline and the
/// subject are listed, each with why.
@Test func everyShippedEventPatternIsUsed() throws {
  let context: [String: String] = [
    "event.probe-warning": "a probe that succeeded with a warning: timeline only",
    "event.container-created": "names the container of an event without a field path",
    "event.scheduled": "names the pod and node of an event pasted without its object",
    "event.exceeded-grace-period": "timeline: the kill the grace-period rules read from the container's exit",
    "event.system-oom": "a node event: the OOM rule reads OOMKilled from the container",
  ]
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  var source = ""
  for module in ["PodmortemCorrelate", "PodmortemDiagnose", "PodmortemIngest"] {
    let folder = root.appendingPathComponent("Sources/\(module)")
    for file in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
    where file.hasSuffix(".swift") && !file.hasPrefix("Examples/") {
      source += try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
  }
  let asked = try Swift.Regex(#"(?:events\(|reason == |reasons: Set<String> = \[)"([A-Z][A-Za-z]+)""#)
  let reasons = Set(source.matches(of: asked).compactMap { $0.output[1].substring.map(String.init) })
  let patterns = PatternCatalog.shipped(diagnostics: { _ in }).patterns.filter { $0.kinds == [.event] }
  #expect(patterns.count > 30)
  for pattern in patterns where pattern.severity == nil && !source.contains("\"\(pattern.id)\"") {
    if context[pattern.id] != nil { continue }
    let reason = try #require(pattern.event?.reason, "\(pattern.id) is used by nothing and names no event reason")
    #expect(reasons.contains(reason), "\(pattern.id): no rule names it or asks for reason '\(reason)'")
  }
  for id in context.keys { #expect(patterns.contains { $0.id == id }, "\(id) is listed but not shipped") }
}
