import Foundation
import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `Ingestor.pick` asks the cheap sniffers first and each for the score it needs to win
/// (`LineParser.sniff(head:info:atLeast:)`), so a costly sniffer can skip what could not reach it.
/// These tests hold it to the pick it replaced and each sniffer to its contract.
@Suite struct SniffBarTests {
  /// The pick as it was, kept as the reference: every parser asked in full, in order, the first
  /// with the highest score above 0 winning.
  static func referencePick(_ parsers: [any LineParser.Type], head: [Line], info: SourceInfo) -> any LineParser.Type {
    var best: (any LineParser.Type)? = nil
    var bestScore = 0
    for parser in parsers {
      let score = parser.sniff(head: head, info: info)
      if score > bestScore {
        best = parser
        bestScore = score
      }
    }
    return best ?? PlainTextParser.self
  }

  /// The bars `pick` can ask with that sit on either side of a score some sniffer gives.
  static let bars = [1, 2, 20, 29, 30, 31, 40, 41, 45, 46, 50, 51, 59, 60, 61, 80, 81, 85, 86, 89, 90, 91, 95, 96, 100]

  /// Heads of a few kinds mixed line by line: whatever the lines, the answers must agree.
  static func seededHeads(count: Int) -> [[Line]] {
    let pieces = [
      "I1127 01:00:00.123456    1234 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"ns/web-0\"",
      "Nov 27 01:00:00 node-1 kubelet[1234]: E1127 01:00:00.000001    1234 kubelet.go:1] \"Error syncing pod\"",
      "Name:         web-0", "Namespace:    default", "Labels:       app=web",
      "  Type     Reason     Age   From     Message",
      "  Warning  Unhealthy  5s    kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500",
      "NAME    READY   STATUS             RESTARTS   AGE", "web-0   0/1     CrashLoopBackOff   5          3m",
      "5m   Warning   BackOff   pod/web-0   Back-off restarting failed container",
      "apiVersion: v1", "kind: Pod", "status:", "  containerStatuses:", "  - name: web", "    lastState:",
      "{", "  \"kind\": \"EventList\",", "  \"items\": [", "json.items[0].reason = \"BackOff\";",
      "2026-11-27T01:00:00.000000001Z stderr F panic: boom", "Ready            False", "", "   ", "\t",
      "K\u{212A}elvin İ combining e\u{301}", "\u{0}\r", "> Name: quoted", "# comment", "---",
    ]
    var rng = SplitMix64(seed: 16)
    return (0..<count).map { _ in
      let n = rng.below(40) + 1
      return (0..<n).map { i in Line(number: i + 1, text: pieces[rng.below(pieces.count)]) }
    }
  }

  static var heads: [(name: String, head: [Line])] {
    let files = KubectlBytesTests.sampleFiles + [("tricky", KubectlBytesTests.trickyLines)]
    let fromFiles = files.map { file in
      (file.name, file.lines.prefix(Ingestor.headLines).enumerated().map { Line(number: $0 + 1, text: $1) })
    }
    return fromFiles + seededHeads(count: 400).enumerated().map { ("seeded \($0)", $1) }
  }

  @Test func pickIsThePickItReplaced() {
    let parsers = Ingestor.standardParsers
    var checked = 0
    for (name, head) in Self.heads {
      for info in [SourceInfo(name: name), SourceInfo(name: "/var/log/pods/a_b_c/d/0.log")] {
        let picked = Ingestor().pick(head: head, info: info)
        let reference = Self.referencePick(parsers, head: head, info: info)
        #expect(
          ObjectIdentifier(picked) == ObjectIdentifier(reference), "\(name): \(picked.format) != \(reference.format)")
        checked += 1
      }
    }
    #expect(checked > 1_000)
  }

  /// Every parser's answer given a bar is its full score when that reaches the bar, and below the
  /// bar otherwise.
  @Test func everySnifferKeepsItsContract() {
    for (name, head) in Self.heads {
      let info = SourceInfo(name: name)
      for parser in Ingestor.standardParsers {
        let full = parser.sniff(head: head, info: info)
        for bar in Self.bars {
          let barred = parser.sniff(head: head, info: info, atLeast: bar)
          if full >= bar {
            #expect(barred == full, "\(parser.format) on \(name), bar \(bar)")
          } else {
            #expect(barred < bar, "\(parser.format) on \(name), bar \(bar)")
          }
        }
      }
    }
  }

  /// Any order of the same parsers picks as the reference does on that order: the bars depend on
  /// positions, not on the standard list's order.
  @Test func pickFollowsTheParsersOrder() {
    var rng = SplitMix64(seed: 61)
    for (name, head) in Self.heads.prefix(300) {
      let parsers = Ingestor.standardParsers.shuffled(using: &rng)
      let info = SourceInfo(name: name)
      let picked = Ingestor(parsers: parsers).pick(head: head, info: info)
      #expect(
        ObjectIdentifier(picked) == ObjectIdentifier(Self.referencePick(parsers, head: head, info: info)), "\(name)")
    }
  }

  /// A kubelet log's head: the kubectl sniffer, asked for 90, answers without the table layouts.
  @Test func aKubeletLogIsPickedAsOne() {
    let head = (1...400).map {
      Line(
        number: $0, text: "I1127 01:00:00.\(100_000 + $0)    1234 prober.go:107] \"Probe failed\" pod=\"ns/web-\($0)\"")
    }
    let info = SourceInfo(name: "kubelet.log")
    #expect(ObjectIdentifier(Ingestor().pick(head: head, info: info)) == ObjectIdentifier(KubeletLogParser.self))
    #expect(KubeletLogParser.sniff(head: head, info: info) == 90)
    #expect(KubectlTextParser.sniff(head: head, info: info, atLeast: 90) < 90)
    #expect(YAMLObjectParser.sniff(head: head, info: info, atLeast: 86) == 0)
  }
}
