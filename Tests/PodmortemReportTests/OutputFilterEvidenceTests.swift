import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

extension OutputFilter {
  /// The reference, kept for `OutputFilterEvidenceTests`: `evidence(_:)` with a list as it was
  /// before the lines of a list without a PEM block were filtered by a loop of their own
  /// (`linesAlone`) and `-----BEGIN` was looked for with `memchr` (`holdsPEMBegin`). Here a list
  /// is tested with the literal's search and mapped through `mapped(_:_:)`, each line compared
  /// with its result by `Equatable`'s `==` (docs/architecture.md "Secrets").
  func referenceEvidence(_ list: [Evidence]) -> [Evidence] {
    guard let masker, list.count > 1, list.contains(where: { OutputFilterEvidenceTests.pem.occurs(in: $0.text) })
    else {
      var last: LastSource? = nil
      return Self.mapped(list) { e in Evidence(ref: ref(e.ref, after: &last), text: self(e.text)) }
    }
    if let ahead {
      ahead.metSecret = true
      return list
    }
    var pem = PEMLines()
    var previous: SourceRef?
    var hits: [String] = []
    var out = list
    for i in list.indices.sorted(by: { list[$0].ref < list[$1].ref }) {
      let e = list[i]
      if let p = previous, p.source != e.ref.source || p.line + 1 != e.ref.line { pem.reset() }
      previous = e.ref
      let text = VisibleText.escapingControls(pem.mask(e.text, with: masker, hits: &hits))
      out[i] = Evidence(ref: ref(e.ref), text: text)
    }
    return out
  }
}

/// `OutputFilter.evidence(_:)` with a list filters the lines of a list without a PEM block by a
/// loop of its own, a line unchanged when its filtered source and text have its bytes (or are
/// `==`, as before), and looks for `-----BEGIN` with `memchr` (docs/architecture.md "Secrets").
/// The reference is the code it replaced (`referenceEvidence`). Two filters, one each way, are
/// given the same lists in the same order: every list must come out the same, byte for byte,
/// the same lists must come back unchanged, the same tokens must be numbered, and a filter working
/// ahead must meet a secret on the same lists. The lists are every line of the samples and secret
/// shapes, and seeded random lists of PEM blocks (across lines, split, indented, at a line's end,
/// near misses), secrets, controls, CR, NUL, tabs, non-ASCII (a Kelvin sign, a dotted capital İ,
/// an accent composed and decomposed) and random bytes.
@Suite("a list's lines filtered by their own loop as mapping them gave")
struct OutputFilterEvidenceTests {
  static let pem = Literal("-----BEGIN")

  static let pieces = [
    "", "-", "--", "-----", "----BEGIN", "-----BEGIN", "------BEGIN", "-----BEGI", "-----begin", "BEGIN", "-----\n",
    "-----BEGIN RSA PRIVATE KEY-----", "  -----BEGIN EC PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun", "shortTAIL9==",
    "-----END RSA PRIVATE KEY-----", "Back-off restarting failed container", "app-6d8f7b5c9-zt8mx", "caf\u{E9}",
    "cafe\u{301}", "\u{212A}", "\u{130}", "\r", "\0", "\t", "\u{1B}[31m", "\u{202E}", "\u{85}", " ",
    "password=hunter2pw", "token=Zx9kP2mQ7rT4vW8y1aB3", "http://user:s3cretpass@host/x",
    "Authorization: Bearer BearerT0kenABCdef123", String(repeating: "w", count: 120),
  ]

  static func text(_ rng: inout SplitMix64) -> String {
    if rng.below(10) == 0 { return String(decoding: rng.hostileBytes(count: rng.below(140)), as: UTF8.self) }
    return (0..<rng.below(5)).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  @Test("`-----BEGIN` is found where the literal's search finds it")
  func pemBegin() {
    var rng = SplitMix64(seed: 1_616)
    var found = 0
    for _ in 0..<20_000 {
      let t = Self.text(&rng)
      #expect(OutputFilter.holdsPEMBegin(t) == Self.pem.occurs(in: t))
      if Self.pem.occurs(in: t) { found += 1 }
    }
    #expect(found > 1_000)
    for t in ["-----BEGIN", "x-----BEGIN", "------BEGIN", "-----BEGI", "----BEGIN", "-----BEGIN\u{0}", "é-----BEGIN"] {
      #expect(OutputFilter.holdsPEMBegin(t) == Self.pem.occurs(in: t))
    }
    for line in Self.sampleLines() { #expect(OutputFilter.holdsPEMBegin(line) == Self.pem.occurs(in: line)) }
  }

  /// The `memchr` loop `holdsPEMBegin` was before its Horspool search, kept whole as its
  /// reference: each `-` with room for the literal after it found with `memchr`, the ten bytes
  /// there compared as two words.
  static func holdsPEMBeginByMemchr(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { bytes in
      guard let base = bytes.baseAddress, bytes.count >= 10 else { return false }
      let raw = UnsafeRawPointer(base)
      let head = UInt64(littleEndian: 0x4745_422D_2D2D_2D2D)
      let tail = UInt16(littleEndian: 0x4E49)
      let lastStart = bytes.count - 10
      var from = 0
      while from <= lastStart {
        guard let hit = memchr(raw + from, 0x2D, lastStart - from + 1) else { return false }
        let at = raw.distance(to: UnsafeRawPointer(hit))
        if raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) == head,
          raw.loadUnaligned(fromByteOffset: at + 8, as: UInt16.self) == tail
        {
          return true
        }
        from = at + 1
      }
      return false
    }
  }

  /// The Horspool search (`holdsPEMBegin`, and its `memchr` loop past `pemStepped` bytes) against
  /// the `memchr` loop alone, as it was, and the
  /// literal's search, on seeded strings made of the literal's pieces (dashes in runs of every
  /// length, its letters alone and in near misses) at every offset, with hostile text between.
  @Test("`-----BEGIN` is found where the memchr loop found it")
  func pemBeginAsMemchr() {
    var rng = SplitMix64(seed: 1_617)
    let pieces = [
      "-", "--", "----", "-----", "------", "B", "E", "G", "I", "N", "BEGIN", "BEGI", "EGIN", "-----BEGIN",
      "----BEGIN", "-----BEGIn", "-----BEG", "IN", "x", "é", "\u{212A}", "\u{130}", "e\u{301}", "\0", "\r", "\t", "  ",
    ]
    var found = 0
    for _ in 0..<40_000 {
      // Either side of the length up to which the window searches (`pemStepped`).
      let lead = rng.below(4) == 0 ? OutputFilter.pemStepped - 40 + rng.below(80) : rng.below(12)
      var t = String(repeating: "a", count: lead)
      for _ in 0..<rng.below(12) { t += pieces[rng.below(pieces.count)] }
      let expected = Self.holdsPEMBeginByMemchr(t)
      #expect(OutputFilter.holdsPEMBegin(t) == expected, "\(t.debugDescription)")
      #expect(expected == Self.pem.occurs(in: t), "\(t.debugDescription)")
      if expected { found += 1 }
    }
    #expect(found > 1_000)
    let long = String(repeating: "-", count: 70_000) + "-----BEGIN"
    #expect(OutputFilter.holdsPEMBegin(long) && Self.holdsPEMBeginByMemchr(long))
    for line in Self.sampleLines() { #expect(OutputFilter.holdsPEMBegin(line) == Self.holdsPEMBeginByMemchr(line)) }
  }

  /// Every line of the text files of the samples, file by file in the order of their paths.
  static func sampleLines() -> [String] {
    ShippedSamples.lines { ["txt", "json", "yaml", "log"].contains($0.pathExtension) }
  }

  /// `lists` through a new filter and a reference one (`ahead` for filters working ahead), in
  /// order; every result, every unchanged list and the tokens compared.
  static func compare(_ lists: [[Evidence]], masker: Bool, ahead: Bool = false) {
    func filter() -> OutputFilter {
      ahead ? OutputFilter(ahead: masker ? SecretMasker() : nil) : OutputFilter(masker: masker ? SecretMasker() : nil)
    }
    let (new, old) = (filter(), filter())
    func bytes(_ l: [Evidence]) -> [[UInt8]] { l.flatMap { [Array($0.ref.source.utf8), Array($0.text.utf8)] } }
    var changed = 0
    for list in lists {
      let got = new.evidence(list)
      let reference = old.referenceEvidence(list)
      #expect(bytes(got) == bytes(reference))
      #expect(got.map(\.ref.line) == reference.map(\.ref.line))
      #expect(bytes(got) == bytes(list) || bytes(reference) != bytes(list))
      if bytes(reference) != bytes(list) { changed += 1 }
      #expect(new.ahead?.metSecret == old.ahead?.metSecret)
    }
    #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets)
    for probe in ["token=Zx9kP2mQ7rT4vW8y1aB0", "password=hunter20pw", "http://user:s3cretpass@host/x"] {
      #expect(new(probe) == old(probe))
    }
    // A filter working ahead masks nothing; the others change some lists.
    #expect(changed > 0 || ahead)
  }

  @Test("the samples' lines and the secret shapes, in lists of consecutive lines")
  func samples() {
    var rng = SplitMix64(seed: 16_016)
    let shapes = [
      "dial postgres://app:Pa55w0rdURL@db:5432/app", "GET https://10.244.3.120:8080/healthz?token=qT0kenValue9",
      "login password=hunter2pair", "passwd: Colon2Secret", "Authorization: Basic dXNlcjpiYXNpY3Bhc3M=",
      "jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.SIGsig123x",
      "AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "ghp_0123456789abcdefghijABCDEFGHIJ012345 glpat-xXq9R2mZ7vT4kP8wL3nB", "SESSION_KEY=Zx9kP2mQ7rT4vW8y1aB3",
      "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
      "shortTAIL9==", "-----END RSA PRIVATE KEY-----", "\u{1B}]52;c;Zm9v\u{07}",
    ]
    // The samples hold few secrets: a shape (a PEM block's lines in order) after every 40th line.
    var lines: [String] = []
    for (i, line) in Self.sampleLines().enumerated() {
      lines.append(line)
      if i % 40 == 39 { lines.append(shapes[(i / 40) % shapes.count]) }
    }
    #expect(lines.count > 10_000)
    var lists: [[Evidence]] = []
    var at = 0
    while at < lines.count {
      let n = min(1 + rng.below(12), lines.count - at)
      let source = rng.below(3) == 0 ? "describe-\(rng.below(3)).txt" : "pod.txt"
      lists.append((0..<n).map { Evidence(ref: SourceRef(source: source, line: at + $0 + 1), text: lines[at + $0]) })
      at += n
    }
    for masker in [true, false] { Self.compare(lists, masker: masker) }
    Self.compare(lists, masker: true, ahead: true)
    // Twice through one filter: the second time answered from the memos.
    Self.compare(lists + lists, masker: true)
  }

  @Test("seeded random lists: PEM blocks, near misses, secrets, controls and non-ASCII")
  func seeded() {
    var rng = SplitMix64(seed: 161_616)
    let sources = [
      "describe.txt", "caf\u{E9}.txt", "cafe\u{301}.txt", "", "\u{212A}", "x\r", "token=Zx9kP2mQ7rT4vW8y1aB3",
    ]
    var lists: [[Evidence]] = []
    for _ in 0..<4_000 {
      var source = sources[rng.below(sources.count)]
      var line = rng.below(5)
      lists.append(
        (0..<rng.below(9)).map { _ in
          // Mostly the next line of the same source (a block cited line by line), sometimes not.
          if rng.below(5) == 0 { source = sources[rng.below(sources.count)] }
          line += rng.below(6) == 0 ? 2 : 1
          return Evidence(ref: SourceRef(source: source, line: line), text: Self.text(&rng))
        })
    }
    for masker in [true, false] { Self.compare(lists, masker: masker) }
    Self.compare(lists, masker: true, ahead: true)
    Self.compare(lists + lists, masker: true)
  }
}

/// `OutputFilter.pod(_:unchanged:)` leaves a pod's namespace, name and uid as they are when they
/// have the bytes of the involved object of one of its events that `unchangedEvents` found
/// unchanged (`keyLooked`), where it filtered them every time (docs/architecture.md "Secrets").
/// The reference is the code before (`referencePod`): on seeded pods keyed by one of their
/// events' involved object (sometimes respelt, an accent composed or decomposed, or with a
/// secret, a control character or hostile text in it) both must give the same pod, byte for
/// byte, number the same tokens and, working ahead, meet a secret alike.
@Suite("a pod's key taken as it is when an unchanged event of it names it")
struct OutputFilterPodKeyTests {
  static func referencePod(_ filter: OutputFilter, _ p: inout PodHistory, unchanged: Set<ObjectIdentifier>) {
    p.key.namespace = filter(p.key.namespace)
    p.key.name = filter(p.key.name)
    p.key.uid = filter(p.key.uid)
    p.key.pastedAt = p.key.pastedAt.map(filter.ref)
    var latest = p.latest
    if filter.filterInPlace(&latest) { p.latest = latest }
    for i in p.events.indices where !unchanged.contains(p.events[i].storageIdentity) {
      let e = filter.event(p.events[i])
      if !e.sharesStorage(with: p.events[i]) { p.events[i] = e }
    }
    p.timeline = OutputFilter.mapped(p.timeline, filter.timelineEntry)
  }

  static func respelt(_ text: String, _ rng: inout SplitMix64) -> String {
    switch rng.below(6) {
    case 0: return text.replacingOccurrences(of: "\u{E9}", with: "e\u{301}")
    case 1: return text + "\u{212A}"
    case 2: return String(text.unicodeScalars.map(Character.init))  // equal bytes, other storage
    default: return text
    }
  }

  @Test("seeded pods keyed by their events' involved objects")
  func seeded() {
    var rng = SplitMix64(seed: 16_116)
    var looked = 0
    for round in 0..<600 {
      var events = (0..<1 + rng.below(4)).map { _ in
        OutputFilterEventOnceTests.event(&rng, dirty: rng.below(3) == 0)
      }
      if rng.below(3) == 0 { events.insert(OutputFilterEventOnceTests.event(&rng, dirty: false), at: 0) }
      let involved = events[rng.below(events.count)].involved
      var key = PodKey(
        namespace: involved.namespace ?? "ns", name: involved.name, uid: rng.below(4) == 0 ? nil : involved.uid)
      key.namespace = Self.respelt(key.namespace, &rng)
      key.name = Self.respelt(key.name, &rng)
      var snapshot = PodSnapshot(name: key.name, namespace: key.namespace)
      // The merged view names the pod as the key does (filtered then without a look, when the key
      // was looked at), or otherwise.
      if rng.below(3) != 0 { snapshot.uid = key.uid }
      if rng.below(5) == 0 { snapshot.name = Self.respelt(key.name + "\u{1B}", &rng) }
      let pod = PodHistory(key: key, snapshots: [snapshot], latest: snapshot, events: events)
      let masker = round % 5 != 0
      for ahead in [false, true] {
        func filter() -> OutputFilter {
          let m = masker ? SecretMasker() : nil
          return ahead ? OutputFilter(ahead: m) : OutputFilter(masker: m)
        }
        let (new, old) = (filter(), filter())
        let unchanged = new.unchangedEvents(events)
        #expect(unchanged == old.unchangedEvents(events))
        if OutputFilter.keyLooked(pod, unchanged: unchanged) { looked += 1 }
        var (a, b) = (pod, pod)
        new.pod(&a, unchanged: unchanged)
        Self.referencePod(old, &b, unchanged: unchanged)
        func bytes(_ k: PodKey) -> [[UInt8]] {
          [Array(k.namespace.utf8), Array(k.name.utf8), k.uid.map { Array($0.utf8) } ?? [0xFF]]
        }
        #expect(bytes(a.key) == bytes(b.key), "round \(round)")
        #expect(a == b, "round \(round)")
        #expect(new.ahead?.metSecret == old.ahead?.metSecret, "round \(round)")
        #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets, "round \(round)")
        let probe = "x password=hunter21pw token=Zx9kP2mQ7rT4vW8y1aB2 \(OutputFilterTests.dirty)"
        #expect(new(probe) == old(probe), "round \(round)")
      }
    }
    // Both ways were taken.
    #expect(looked > 100 && looked < 1_100)
  }
}
