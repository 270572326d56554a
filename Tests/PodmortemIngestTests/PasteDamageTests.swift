import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

// Issue 11 ("Read every shape of paste"), its property test: the texts the real kubectl printed in
// samples/ are damaged the ways pastes damage them — the first line cut mid-word, indentation
// flattened or stripped, CRLF line ends, lines wrapped at a terminal's width, a markdown fence, a
// `> ` quote or a shell prompt around them, tabs for padding — and the facts read from the damaged
// text must be the facts read from the clean one, except those resting on a line the damage
// touched. The variations are seeded by the file's name, so every run damages alike.

/// One way a paste is damaged.
enum Damage: String, CaseIterable, Sendable, CustomTestStringConvertible {
  /// The first line loses its first k characters (k seeded, 1 to 4): cut mid-word, as a copy that
  /// started a little late cuts it (`ame:  web-0`).
  case cutFirstLine
  /// Every indentation becomes one space.
  case flattenIndent
  /// Every indentation is removed.
  case stripIndent
  /// `\r\n` line ends.
  case crlf
  /// Lines longer than 80 characters continue on the next line, cut at the 80th.
  case wrap80
  /// A markdown fence with a language tag around the text.
  case fence
  /// Every line behind `> `, as a markdown or e-mail quote.
  case quote
  /// The command that printed it, behind a shell prompt, above the text.
  case prompt
  /// Runs of two or more spaces inside a line become one tab (a terminal copy that kept tabs).
  case tabs

  var testDescription: String { rawValue }

  static let width = 80

  /// `text` with every run of spaces and tabs made one space.
  static func spacing(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  /// The damaged text and the numbers of the clean text's lines it touched (their facts may be lost).
  func apply(to text: String, command: String, seed: UInt64) -> (text: String, touched: Set<Int>) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var rng = SplitMix64(seed: seed)
    var touched: Set<Int> = []
    switch self {
    case .cutFirstLine:
      guard let first = lines.first, !first.isEmpty else { break }
      let k = min(first.count - 1, Int.random(in: 1...4, using: &rng))
      lines[0] = String(first.dropFirst(max(0, k)))
      touched = [1]
    case .flattenIndent:
      lines = lines.map { line in
        let body = line.drop { $0 == " " }
        return body.count < line.count ? " " + body : line
      }
    case .stripIndent:
      lines = lines.map { String($0.drop { $0 == " " }) }
    case .crlf:
      lines = lines.map { $0 + "\r" }
    case .wrap80:
      var out: [String] = []
      for (i, line) in lines.enumerated() {
        guard line.count > Self.width else {
          out.append(line)
          continue
        }
        touched.insert(i + 1)
        var rest = Substring(line)
        while rest.count > Self.width {
          out.append(String(rest.prefix(Self.width)))
          rest = rest.dropFirst(Self.width)
        }
        out.append(String(rest))
      }
      lines = out
    case .fence:
      let tags = ["", "console", "shell", "text", "bash", "yaml"]
      lines = ["```" + tags[Int.random(in: 0..<tags.count, using: &rng)]] + lines + ["```"]
    case .quote:
      lines = lines.map { $0.isEmpty ? ">" : "> " + $0 }
    case .prompt:
      let prompts = ["$ ", "# ", "[root@master ~]# ", "user@host:~$ "]
      lines = [prompts[Int.random(in: 0..<prompts.count, using: &rng)] + command] + lines
    case .tabs:
      lines = lines.map { line in
        // Indentation, behind a quote mark too (`>     Last State:`), is not padding.
        let indent = line.prefix { $0 == " " || $0 == ">" }
        var out = String(indent)
        var spaces = 0
        for c in line.dropFirst(indent.count) {
          if c == " " {
            spaces += 1
            continue
          }
          out += spaces >= 2 ? "\t" : String(repeating: " ", count: spaces)
          spaces = 0
          out.append(c)
        }
        return out
      }
    }
    return (lines.joined(separator: "\n") + "\n", touched)
  }
}

extension SplitMix64 {
  /// FNV-1a of a name: a seed that does not change between runs (Swift's `hashValue` does).
  static func seed(_ name: String) -> UInt64 {
    name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }
}

/// A fact read from a text, with the lines of the record it came from.
struct PasteFact: Hashable {
  var text: String
  var lines: Set<Int>
}

enum PasteFacts {
  /// Every fact of the records: pods by their order (a cut `Name:` line must not take the rest of
  /// the pod with it), containers by name, events and nodes by what they say.
  static func of(_ records: [Record]) -> [PasteFact] {
    var facts: [PasteFact] = []
    var podIndex = 0
    for record in records {
      switch record {
      case .pod(let p):
        let lines = Set(p.evidence.map(\.ref.line))
        let key = "pod#\(podIndex)"
        podIndex += 1
        func add(_ name: String, _ value: String?) {
          guard let value else { return }
          facts.append(PasteFact(text: "\(key).\(name)=\(value)", lines: lines))
        }
        add("name", p.name.isEmpty ? nil : p.name)
        add("namespace", p.namespace)
        add("phase", p.phase)
        add("status", p.displayStatus)
        add("reason", p.reason)
        add("node", p.node)
        add("restarts", p.restarts.map(String.init))
        add("ready", p.ready.map { "\($0.ready)/\($0.total)" })
        add("terminating", p.terminating ? "true" : nil)
        add("controlledBy", p.controlledBy)
        for c in p.conditions { add("condition.\(c.type)", c.status) }
        for c in p.containers {
          // A container's facts rest on its lines and on the pod's (a `get pods` row is both).
          let lines = lines.union(c.evidence.map(\.ref.line))
          let ckey = "\(key).\(c.role).\(c.name)"
          func cadd(_ name: String, _ value: String?) {
            guard let value else { return }
            facts.append(PasteFact(text: "\(ckey).\(name)=\(value)", lines: lines))
          }
          cadd("image", c.image)
          cadd("state", c.state.map(describe))
          cadd("lastState", c.lastState.map(describe))
          cadd("ready", c.ready.map { $0 ? "true" : "false" })
          cadd("restartCount", c.restartCount.map(String.init))
          for (kind, probe) in c.probes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            // A probe rests on its own line, which the container's evidence does not list.
            let value =
              "\(probe.handler.describeText) t=\(probe.timeoutSeconds) p=\(probe.periodSeconds) f=\(probe.failureThreshold)"
            facts.append(
              PasteFact(
                text: "\(ckey).probe.\(kind.rawValue)=\(value)",
                lines: lines.union(probe.evidence.map { [$0.ref.line] } ?? [])))
          }
          for (k, v) in c.limits.sorted(by: { $0.key < $1.key }) { cadd("limit.\(k)", v) }
        }
      case .event(let e):
        let object = [e.involved.kind ?? "", e.involved.name, e.involved.fieldPath ?? ""].joined(separator: "/")
        facts.append(
          PasteFact(
            text: "event \(e.type) \(e.reason) x\(e.count.map(String.init) ?? "?") \(object): \(e.message)",
            lines: Set(e.evidence.map(\.ref.line))))
      case .node(let n):
        let lines = Set(n.evidence.map(\.ref.line))
        facts.append(PasteFact(text: "node \(n.name)", lines: lines))
        for c in n.conditions {
          facts.append(PasteFact(text: "node \(n.name) \(c.type)=\(c.status)", lines: lines))
        }
      default:
        break
      }
    }
    return facts
  }

  /// Each sample's facts as the clean text gives them, read once for every damage.
  static let clean: [String: Set<PasteFact>] = Dictionary(
    uniqueKeysWithValues: Samples.files.compactMap { sample in
      guard let text = try? String(contentsOf: sample.url, encoding: .utf8) else { return nil }
      return (sample.testDescription, Set(of(read(text, name: sample.testDescription).records)))
    })

  static func describe(_ state: ContainerState) -> String {
    switch state {
    case .waiting(let reason, _): "Waiting \(reason ?? "")"
    case .running: "Running"
    case .terminated(let t): "Terminated \(t.reason ?? "") \(t.exitCode)"
    }
  }

  static func read(_ text: String, name: String) -> (records: [Record], account: SourceAccount) {
    var reader = LineReader(string: text)
    let context = ParseContext(source: SourceInfo(name: name), captureTime: Samples.capture, diagnostics: { _ in })
    var records: [Record] = []
    let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
    return (records, account)
  }

  /// The clean text's facts the damaged text lost, other than those resting on touched lines.
  static func lost(_ sample: SampleFile, _ damage: Damage) throws -> [String] {
    let text = try String(contentsOf: sample.url, encoding: .utf8)
    let clean = try #require(Self.clean[sample.testDescription])
    let (damaged, touched) = damage.apply(
      to: text, command: sample.command, seed: SampleSeed.of(sample.testDescription + damage.rawValue))
    let read = Set(of(read(damaged, name: sample.testDescription).records).map(\.text))
    return clean.filter { !read.contains($0.text) && $0.lines.isDisjoint(with: touched) }.map(\.text).sorted()
  }
}

enum SampleSeed {
  static func of(_ name: String) -> UInt64 { SplitMix64.seed(name) }
}

@Suite struct PasteDamageTests {
  /// The damages each kind of sample survives whole today; what the others lose is listed in
  /// `knownLosses` so a regression — or a fix — shows.
  @Test(arguments: Damage.allCases)
  func damagedSamplesKeepTheirFacts(_ damage: Damage) throws {
    var losses: [String: [String]] = [:]
    for sample in Samples.files {
      let lost = try PasteFacts.lost(sample, damage)
      if !lost.isEmpty { losses[sample.testDescription] = lost }
    }
    for (name, lost) in losses.sorted(by: { $0.key < $1.key }) {
      Issue.record("\(damage) \(name): lost \(lost.count): \(lost.prefix(4))")
    }
    #expect(Samples.files.count == 190)
  }

  /// The real pastes (samples/pastes/*/input.txt), damaged once more.
  static let pastes: [URL] = {
    let folder = Samples.folder.appendingPathComponent("pastes")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { folder.appendingPathComponent($0).appendingPathComponent("input.txt") }.filter {
      FileManager.default.fileExists(atPath: $0.path)
    }
  }()

  /// How many real pastes lose facts to each damage: none. Every damage issue 11 names — a cut
  /// first line, indentation flattened or stripped, CRLF, wrapping at 80 columns, a fence — and the
  /// `> ` quote, the prompt line above and tabs for padding cost no paste a fact (they stood at 12,
  /// 9, 11, 0, 4, 0, 22, 10 and 9 before the JSON and YAML readers learnt to repair what a copy
  /// does to them: stripped JSON nesting, wrapped strings and lines, flattened YAML read by its
  /// keys, cut fences, tags and keys, a whole paste quoted; and before `#<TAB>` comments and a
  /// console's two-word reasons were read). A tab put into a message's own run of spaces leaves the
  /// message the same up to spacing, which is how the tabs damage compares them. The table stays
  /// so that a regression names its damage.
  static let pasteCeilings: [Damage: Int] = [
    .cutFirstLine: 0, .flattenIndent: 0, .stripIndent: 0, .crlf: 0, .wrap80: 0, .fence: 0, .quote: 0,
    .prompt: 0, .tabs: 0,
  ]

  @Test(arguments: Damage.allCases)
  func damagedPastesKeepTheirFacts(_ damage: Damage) throws {
    var losses: [String: [String]] = [:]
    for url in Self.pastes {
      let name = url.deletingLastPathComponent().lastPathComponent
      let text = try String(contentsOf: url, encoding: .utf8)
      let clean = Set(PasteFacts.of(PasteFacts.read(text, name: name).records))
      let (damaged, touched) = damage.apply(
        to: text, command: "kubectl get all", seed: SampleSeed.of(name + damage.rawValue))
      // Tabs replace a message's own runs of spaces too: the message is the same up to them.
      let tabs = damage == .tabs
      var read: Set<String> = []
      for fact in PasteFacts.of(PasteFacts.read(damaged, name: name).records) {
        read.insert(tabs ? Damage.spacing(fact.text) : fact.text)
      }
      var lost: [String] = []
      for fact in clean where fact.lines.isDisjoint(with: touched) {
        if !read.contains(tabs ? Damage.spacing(fact.text) : fact.text) { lost.append(fact.text) }
      }
      lost.sort()
      if !lost.isEmpty { losses[name] = lost }
    }
    #expect(
      losses.count <= Self.pasteCeilings[damage] ?? 0,
      "\(damage): \(losses.sorted { $0.key < $1.key }.map { "\($0.key) lost \($0.value.prefix(2))" })")
    #expect(Self.pastes.count > 250)
  }

  @Test func damagesAreDeterministicAndTouchWhatTheySay() {
    let text = "Name:         web-0\nNamespace:    default\n" + String(repeating: "x", count: 170) + "\n"
    let a = Damage.cutFirstLine.apply(to: text, command: "kubectl describe pod web-0", seed: 7)
    let b = Damage.cutFirstLine.apply(to: text, command: "kubectl describe pod web-0", seed: 7)
    #expect(a.text == b.text && a.touched == [1])
    let rest = "web-0\nNamespace:    default\n" + String(repeating: "x", count: 170) + "\n"
    #expect(a.text.hasSuffix(rest) && (text.count - 4..<text.count).contains(a.text.count))
    let wrapped = Damage.wrap80.apply(to: text, command: "", seed: 1)
    #expect(wrapped.touched == [3])
    #expect(wrapped.text.split(separator: "\n").map(\.count) == [19, 21, 80, 80, 10])
    #expect(Damage.tabs.apply(to: "  Type    Reason  Age\n", command: "", seed: 1).text == "  Type\tReason\tAge\n")
    #expect(Damage.flattenIndent.apply(to: "    State:  Waiting\n", command: "", seed: 1).text == " State:  Waiting\n")
  }
}
