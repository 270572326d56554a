import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// Two shortcuts of the event book's finishing (docs/architecture.md "Speed of the EventList
/// path"), each held to the code it replaced on seeded random input: a sample of one occurrence
/// gives that occurrence as its lines, and `MessageTemplate.assign` takes a group's exemplars as
/// the smallest messages without sorting them all.
@Suite("the finishing's shortcuts give what the code before them gave")
struct FinishShortcutTests {
  static let texts = ["a", "b", "\"message\": \"x\"", "e\u{301}", "\u{E9}", ""]

  static func occurrence(_ rng: inout SplitMix64) -> [Evidence] {
    let source = ["events.json", "b.json", "e\u{301}.json", "\u{E9}.json"][Int.random(in: 0..<4, using: &rng)]
    return (0..<Int.random(in: 0...5, using: &rng)).map { _ in
      Evidence(
        ref: SourceRef(source: source, line: Int.random(in: 1...6, using: &rng)),
        text: texts[Int.random(in: texts.indices, using: &rng)])
    }
  }

  @Test("a sample's lines are its merged lines, one occurrence or many")
  func sampleLines() {
    var rng = SplitMix64(seed: 16_021)
    var several = 0
    for _ in 0..<4_000 {
      var sample = EvidenceSample(Self.occurrence(&rng))
      // Mostly one occurrence, seen once or again; sometimes more, inserted or merged.
      switch Int.random(in: 0..<6, using: &rng) {
      case 0: sample.insert(Self.occurrence(&rng))
      case 1: sample.merge(EvidenceSample(Self.occurrence(&rng)))
      case 2:
        let copy = sample
        sample.merge(copy)
      default: break
      }
      let lines = sample.lines
      #expect(lines == sample.mergedLines)
      if lines.count > 1 { several += 1 }
    }
    // Samples of several lines, whose order and repeats the comparison tests.
    #expect(several > 1_000)
  }

  /// `MessageTemplate.assign` as it was before: every message templated.
  static func assignedBefore(_ events: [MergedEvent]) -> [MergedEvent] {
    struct Key: Hashable {
      var type: String
      var reason: String
      var template: String
    }
    var out = events
    var groupOf: [Int] = []
    var numbers: [Key: Int] = [:]
    var groups: [(template: String, messages: Set<String>)] = []
    for e in out {
      guard !e.message.hasPrefix(EventIdentity.combinedPrefix) else {
        groupOf.append(-1)
        continue
      }
      let t = MessageTemplate.template(e.message)
      let key = Key(type: e.type.description, reason: e.reason, template: t)
      let number: Int
      if let known = numbers[key] {
        number = known
      } else {
        number = groups.count
        numbers[key] = number
        groups.append((t, []))
      }
      groupOf.append(number)
      groups[number].messages.insert(e.message)
    }
    var exemplars: [(template: String, messages: [String])?] = Array(repeating: nil, count: groups.count)
    for (number, group) in groups.enumerated() where group.messages.count >= 2 {
      exemplars[number] = (group.template, Array(group.messages.sorted().prefix(MessageTemplate.exemplarLimit)))
    }
    for i in out.indices {
      guard groupOf[i] >= 0, let chosen = exemplars[groupOf[i]] else { continue }
      out[i].template = chosen.template
      out[i].exemplars = chosen.messages
    }
    return out
  }

  @Test("assign gives every event the template and exemplars it gave before")
  func assignSameAsBefore() {
    var rng = SplitMix64(seed: 16_022)
    let messages = [
      "Back-off restarting failed container app in pod app-000001_prod(6513270e-0000-4000-8000-0c5ca6a3a450)",
      "Back-off restarting failed container app in pod app-000002_prod(6513270e-0000-4000-8000-0c5ca6a3a451)",
      "Liveness probe failed: HTTP probe failed with statuscode: 503",
      "Liveness probe failed: HTTP probe failed with statuscode: 500",
      "Readiness probe failed: Get \"http://10.244.32.204:8080/ready\": context deadline exceeded",
      "Readiness probe failed: Get \"http://10.244.71.216:8080/ready\": context deadline exceeded",
      "Started container web", "e\u{301}", "\u{E9}", EventIdentity.combinedPrefix + "Started container web",
      // One string in two spellings whose templates differ (`<hex>\u{301}`, `<hex>\u{E9}`): a
      // message seen before is recognised by its bytes, so each spelling is templated as before.
      "id abcdef12e\u{301} gone", "id abcdef12\u{E9} gone", "id abcdef1234 gone",
    ]
    for round in 0..<500 {
      let events = (0..<Int.random(in: 0...40, using: &rng)).map { _ in
        MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "p\(Int.random(in: 0..<5, using: &rng))"),
          type: [.warning, .normal, .other("Odd")][Int.random(in: 0..<3, using: &rng)],
          reason: ["BackOff", "Unhealthy", "Started"][Int.random(in: 0..<3, using: &rng)],
          message: messages[Int.random(in: messages.indices, using: &rng)], count: 1)
      }
      let before = Self.assignedBefore(events)
      let now = MessageTemplate.assign(events)
      #expect(now.map(\.template) == before.map(\.template), "round \(round)")
      #expect(now.map(\.exemplars) == before.map(\.exemplars), "round \(round)")
      #expect(now == before, "round \(round)")
    }
  }
}

extension FinishShortcutTests {
  @Test("assign remembers thousands of distinct messages as it did a few")
  func assignManyMessages() {
    var rng = SplitMix64(seed: 16_024)
    for round in 0..<4 {
      // 1,000 to 4,000 distinct messages, each met about twice: the memo of messages met grows
      // past its first 1,024 places, and a message's number or spelling makes some templates
      // differ (`<n>` against a word) and others match.
      let distinct = 1_000 * (round + 1)
      let events = (0..<(2 * distinct)).map { _ in
        let n = Int.random(in: 0..<distinct, using: &rng)
        let message =
          n % 3 == 0
          ? "Readiness probe failed: Get \"http://10.244.\(n % 250).\(n / 250 % 250):8080/ready\": timeout"
          : n % 3 == 1 ? "pulled image app:\(n) in \(n)ms" : "id x\(n)e\u{301} and \(n)\u{E9}"
        return MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "p\(n % 7)"),
          type: n % 5 == 0 ? .normal : .warning, reason: ["BackOff", "Unhealthy", "Pulled"][n % 3],
          message: message, count: 1)
      }
      let before = Self.assignedBefore(events)
      let now = MessageTemplate.assign(events)
      #expect(now.map(\.template) == before.map(\.template), "round \(round)")
      #expect(now.map(\.exemplars) == before.map(\.exemplars), "round \(round)")
    }
  }

  @Test("the k smallest messages are the first k of them sorted")
  func smallestMessages() {
    var rng = SplitMix64(seed: 16_023)
    let words = ["a", "b", "ab", "B", "e\u{301}", "\u{E9}", "f", "", "zz", "a b"]
    for _ in 0..<2_000 {
      let messages = Set(
        (0..<Int.random(in: 0...12, using: &rng)).map { _ in
          (0..<Int.random(in: 1...3, using: &rng)).map { _ in words[Int.random(in: words.indices, using: &rng)] }
            .joined()
        })
      for k in 0...4 { #expect(MessageTemplate.smallest(k, of: messages) == Array(messages.sorted().prefix(k))) }
    }
  }
}
