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

  /// The bars to try against a sniffer whose full score is `full`: that score and one more, and one
  /// past each score a sniffer's shortcut is about (50, 60, 85, 90, 95).
  static func bars(around full: Int) -> [Int] { Array(Set([1, full, full + 1, 51, 61, 86, 91, 96])).sorted() }

  /// Where a head may come from: a file named alone, a container log's path, and members of the
  /// bundle layouts whose paths some sniffers score by (cluster-info-dump, troubleshoot.sh).
  static func infos(_ name: String) -> [SourceInfo] {
    [
      SourceInfo(name: name),
      SourceInfo(name: "/var/log/pods/a_b_c/d/0.log"),
      SourceInfo(
        name: "dump.tar.gz!cluster-state/default/web-0/logs.txt", relativePath: "cluster-state/default/web-0/logs.txt",
        root: "dump.tar.gz"),
      SourceInfo(
        name: "b.tar.gz!supportbundle/cluster-resources/pods/logs/default/web-0/web.log",
        relativePath: "supportbundle/cluster-resources/pods/logs/default/web-0/web.log", root: "b.tar.gz"),
      SourceInfo(
        name: "b.tar.gz!supportbundle/cluster-resources/pods/default.json",
        relativePath: "supportbundle/cluster-resources/pods/default.json", root: "b.tar.gz"),
    ]
  }

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

  /// Every sample's head, asked as a file named alone and as a container log's path, and the seeded
  /// heads, asked from every place `infos` names.
  static let heads: [(name: String, head: [Line], infos: [SourceInfo])] = {
    let files = KubectlBytesTests.sampleFiles + [("tricky", KubectlBytesTests.trickyLines)]
    let fromFiles = files.map { file in
      let head = file.lines.prefix(Ingestor.headLines).enumerated().map { Line(number: $0 + 1, text: $1) }
      return (file.name, head, Array(infos(file.name).prefix(2)))
    }
    return fromFiles + seededHeads(count: 400).enumerated().map { ("seeded \($0)", $1, infos("seeded \($0)")) }
  }()

  @Test func pickIsThePickItReplaced() {
    let parsers = Ingestor.standardParsers
    var checked = 0
    for (name, head, infos) in Self.heads {
      for info in infos {
        let picked = Ingestor().pick(head: head, info: info)
        let reference = Self.referencePick(parsers, head: head, info: info)
        #expect(
          ObjectIdentifier(picked) == ObjectIdentifier(reference), "\(name): \(picked.format) != \(reference.format)")
        checked += 1
      }
    }
    #expect(checked > 2_000)
  }

  /// Every parser's answer given a bar is its full score when that reaches the bar, and below the
  /// bar otherwise.
  @Test func everySnifferKeepsItsContract() {
    for (name, head, infos) in Self.heads {
      for info in infos {
        for parser in Ingestor.standardParsers {
          Self.checkContract(parser, head: head, info: info, name: name)
        }
      }
    }
  }

  static func checkContract(_ parser: any LineParser.Type, head: [Line], info: SourceInfo, name: String) {
    let full = parser.sniff(head: head, info: info)
    for bar in Self.bars(around: full) {
      let barred = parser.sniff(head: head, info: info, atLeast: bar)
      if full >= bar {
        #expect(barred == full, "\(parser.format) on \(name) (\(info.relativePath)), bar \(bar)")
      } else {
        #expect(barred < bar, "\(parser.format) on \(name) (\(info.relativePath)), bar \(bar)")
      }
    }
  }

  /// Any order of the same parsers picks as the reference does on that order: the bars depend on
  /// positions, not on the standard list's order.
  @Test func pickFollowsTheParsersOrder() {
    var rng = SplitMix64(seed: 61)
    for (name, head, infos) in Self.heads.prefix(300) + Self.heads.suffix(100) {
      let parsers = Ingestor.standardParsers.shuffled(using: &rng)
      let info = infos[rng.below(infos.count)]
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
