import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// A held line's field strings made once per text, and a byte found with `memchr`
/// (docs/architecture.md "Speed of the describe path"), held to the code they replaced, kept here
/// as the reference: `String(field.key)`, `String(field.value)` and `utf8.firstIndex(of:)`.
@Suite struct DescribeHeldStringsTests {
  /// Hostile pieces: a Kelvin sign, a dotted capital I, combining accents, NUL, CR, a tab, empty
  /// and huge values, numbers at `Int`'s bounds.
  static let hostile =
    DescribeSpeedTests.hostile + [
      "\(Int.min)", "\(Int.max)", "9223372036854775808", "=", ":", "/", " ", "a=b", "k:v", "x/y", "e\u{301}=\u{301}",
      ":\u{301}", "/\u{301}", "=\u{301}",
    ]

  static let keys = [
    "Name", "Namespace", "Status", "Image", "State", "Last State", "Reason", "Message", "Exit Code", "cpu", "memory",
    "web", "web-1", "app", "tier=web", "Controlled By", "QoS Class", "Labels", "Node", "Replicas", "Pods Status",
    "K\u{212A}", "İmage",
    "Nam\u{e9}", "Name\u{301}",
  ]

  /// Sample lines and seeded `Key:  value` lines whose values hold the hostile pieces, at several
  /// indentations.
  static let lines: [String] = {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeHeldStringsTests.lines"))
    var lines = KubectlBytesTests.lines
    let words =
      hostile + [
        "app=web", "pod-template-hash=7d9f", "<none>", "a=", "=b", "Running", "nginx:1.25", "ReplicaSet/web-7d9f",
        "100m", "128Mi", "Waiting", "Terminated",
      ]
    for _ in 0..<6_000 {
      let indent = String(repeating: " ", count: [0, 2, 4, 6, 8][rng.below(5)])
      let key = rng.below(8) == 0 ? words[rng.below(words.count)] : keys[rng.below(keys.count)]
      let count = rng.below(4)
      let value = (0..<count).map { _ in words[rng.below(words.count)] }.joined(
        separator: [" ", "  ", "\t"][rng.below(3)])
      lines.append(indent + key + ":" + [" ", "  ", "\t", ""][rng.below(4)] + value)
    }
    return lines
  }()

  static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  /// `DescribeBlock.addLabel`'s split as it was: at the first `=`, none for `<none>`; checked
  /// against the `Character` search.
  static func referenceLabel(_ text: Substring) -> (key: String, value: String)? {
    guard text != "<none>", let eq = DescribeBlock.firstEquals(text) else { return nil }
    let split = (String(text[..<eq]), String(text[DescribeBlock.afterEquals(text, eq)...]))
    if let c = text.firstIndex(of: "=") {
      #expect(
        bytes(String(text[..<c])) == bytes(split.0) && bytes(String(text[text.index(after: c)...])) == bytes(split.1))
    }
    return split
  }

  static func same(_ a: (key: String, value: String)?, _ b: (key: String, value: String)?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (a?, b?): bytes(a.key) == bytes(b.key) && bytes(a.value) == bytes(b.value)
    default: false
    }
  }

  /// Every line read fresh, held by number (`init(_:heldAs:)`, `held(as:)`), with its words read
  /// (`withTokensRead`) and through the line memo gives `String(key)` and `String(value)` of its
  /// field, `String(tokens[0])` and the label split of its body and value, byte for byte.
  @Test func heldFieldStringsAreTheFieldsStrings() {
    var memo = KubectlLineMemo(slots: 64)
    var held = 0
    for (n, text) in Self.lines.enumerated() {
      let line = Line(number: n + 1, text: text)
      let fresh = KubectlLine(line)
      let readings = [
        fresh, KubectlLine(line, heldAs: n + 1), fresh.held(as: n + 1), fresh.held(as: n + 1).withTokensRead(),
        fresh.withTokensRead(), memo.read(line).line, memo.read(line).line,
      ]
      if fresh.field == nil {
        #expect(fresh.keyString.isEmpty && fresh.valueString.isEmpty, "\(text)")
      }
      if fresh.tokens.isEmpty { #expect(fresh.firstWordString.isEmpty, "\(text)") }
      for l in readings {
        // The label's split as `addLabel` made it before, and as the `Character` search gives it.
        #expect(Self.same(l.label(ofBody: true), Self.referenceLabel(l.body)), "\(text)")
        #expect(Self.same(l.label(ofBody: false), l.field.flatMap { Self.referenceLabel($0.value) }), "\(text)")
        if let first = l.tokens.first {
          #expect(Self.bytes(l.firstWordString) == Self.bytes(String(first)), "\(text)")
        }
        guard let f = l.field else {
          #expect(fresh.field == nil, "\(text)")
          continue
        }
        #expect(Self.bytes(l.keyString) == Self.bytes(String(f.key)), "\(text)")
        #expect(Self.bytes(l.valueString) == Self.bytes(String(f.value)), "\(text)")
        if l.textID != 0 { held += 1 }
      }
    }
    #expect(held > 10_000)
  }

  /// A held line carries the strings the block can ask of it, and no others
  /// (`KubectlLine.HeldStrings.asked`): a probe line's value and label splits, an environment
  /// line's key and value and a mount's first word are not made.
  @Test func heldStringsAreMadeWhereTheBlockAsks() {
    func held(_ text: String) -> KubectlLine.HeldStrings? {
      KubectlLine(Line(number: 1, text: text), heldAs: 1).heldStrings
    }
    #expect(
      held("    Image:          registry.example.com/team/web:1.25.3")?.value == "registry.example.com/team/web:1.25.3")
    #expect(held("    State:          Waiting")?.value == "Waiting")
    #expect(held("  web:")?.key == "web")
    let limit = held("      cpu:     500m")
    #expect(limit?.key == "cpu" && limit?.value == "500m")
    #expect(held("  ContainersReady             True")?.firstWord == "ContainersReady")
    #expect(held("              pod-template-hash=7d9f8b6c5d")?.bodyLabel??.value == "7d9f8b6c5d")
    #expect(held("Labels:       app=web")?.valueLabel??.key == "app")
    #expect(held("Labels:       <none>")?.valueLabel.map { $0 == nil } == true)
    #expect(
      held("    Liveness:       http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3")
        == nil)
    #expect(held("      POD_NAME:   web-0 (v1:metadata.name)") == nil)
    #expect(held("      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)") == nil)
    #expect(held("    Container ID:   containerd://0123456789abcdef0123456789abcdef") == nil)
    #expect(held("    Restart Count:  3") == nil)
    #expect(KubectlLine(Line(number: 1, text: "    Image:  web:1")).heldStrings == nil)
  }

  /// `KubectlBytes.firstIndex` is the view's `firstIndex(of:)` for every byte the block searches, on
  /// every line's body and field value and on seeded slices of hostile bytes and texts, cut at
  /// byte offsets (so not on a `Character`'s start) and whole.
  @Test func firstIndexIsTheViewsFirstIndex() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeHeldStringsTests.firstIndex"))
    var texts: [Substring] = []
    for text in Self.lines {
      let l = KubectlLine(Line(number: 1, text: text))
      texts.append(l.body)
      if let f = l.field { texts += [f.key, f.value] }
    }
    for _ in 0..<20_000 {
      let s: String
      if rng.below(2) == 0 {
        s = String(decoding: rng.hostileBytes(count: rng.below(40)), as: UTF8.self)
      } else {
        s = (0..<rng.below(6)).map { _ in Self.hostile[rng.below(Self.hostile.count)] }.joined()
      }
      let u = s.utf8
      let a = rng.below(u.count + 1)
      let b = a + rng.below(u.count - a + 1)
      texts.append(Substring(s))
      texts.append(Substring(u[u.index(u.startIndex, offsetBy: a)..<u.index(u.startIndex, offsetBy: b)]))
    }
    var found = 0
    for text in texts {
      for byte: UInt8 in [0x3D, 0x3A, 0x2F, 0x20, 0x09, 0x00, 0x0D, 0xCC] {
        let fast = KubectlBytes.firstIndex(text.utf8, of: byte)
        #expect(fast == text.utf8.firstIndex(of: byte), "\(text.debugDescription) \(byte)")
        if let fast {
          found += 1
          #expect(Self.bytes(String(text[..<fast])) == Self.bytes(String(text[..<text.utf8.firstIndex(of: byte)!])))
        }
      }
    }
    #expect(found > 10_000)
  }

  /// The describe block's uses of them: `firstEquals`, `firstColon` and `nodeAndHost` give what
  /// the `Character` search and split give on ASCII text (`DescribeBlockBytesTests` holds them on
  /// the samples; here on the seeded values too).
  @Test func blockSearchesAreTheCharacterSearches() {
    for text in Self.lines {
      let l = KubectlLine(Line(number: 1, text: text))
      for value in [l.body] + (l.field.map { [$0.value] } ?? []) where l.isASCII {
        #expect(DescribeBlock.firstEquals(value) == value.firstIndex(of: "="), "\(text)")
        #expect(DescribeBlock.firstColon(value, isASCII: true) == value.firstIndex(of: ":"), "\(text)")
        let (node, host) = DescribeBlock.nodeAndHost(value, isASCII: true)
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        #expect(node == parts[0] && host == (parts.count > 1 ? parts[1] : nil), "\(text)")
      }
    }
  }
}
