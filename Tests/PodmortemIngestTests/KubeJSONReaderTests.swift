import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubeJSONReader` against Foundation's `JSONDecoder`, which it stands in for on the hot path:
/// whenever the reader answers, the decoder must give the same document and no problem; when it
/// does not (nil), `ObjectStreamParser` decodes as before, so results and diagnostics are unchanged.
private enum Differential {
  enum Verdict: Equatable {
    /// The reader answered, and the decoder agrees.
    case same
    /// The reader left the value to the decoder.
    case deferred
    /// The reader answered something the decoder would not have (the test fails).
    case differs(String)
  }

  static func compare(_ bytes: [UInt8]) -> Verdict {
    guard let fast = KubeJSONReader.document(bytes) else { return .deferred }
    let decoder = JSONDecoder()
    let problems = DecodeProblems()
    decoder.userInfo[DecodeProblems.key] = problems
    let slow: KubeDocument
    do {
      slow = try decoder.decode(KubeDocument.self, from: Data(bytes))
    } catch {
      return .differs("JSONDecoder fails (\(describe(error))) where the reader answered")
    }
    if !problems.messages.isEmpty { return .differs("JSONDecoder reports \(problems.messages)") }
    return fast == slow ? .same : .differs("documents differ:\n\(fast)\n\(slow)")
  }

  static func compare(_ text: String) -> Verdict { compare(Array(text.utf8)) }

  /// True for an object, list, watch event or routed event (not a report or a JSON log line).
  static func isKubernetes(_ d: KubeDocument) -> Bool {
    let o = d.object
    return o.kind != nil || o.metadata != nil || o.involvedObject != nil || o.regarding != nil || d.watchObject != nil
      || d.verb != nil || d.items != nil || o.spec != nil || o.status != nil || o.currentState != nil
  }

  /// The values `ObjectStreamParser` would frame from `text`: lines fed to a `JSONScanner`, the
  /// klog header of an eventrouter line dropped.
  static func values(of text: String) -> [JSONScanner.Value] {
    var scanner = JSONScanner()
    var values: [JSONScanner.Value] = []
    let handle: (JSONScanner.Output) -> Void = { if case .value(let v) = $0 { values.append(v) } }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let body = ObjectStreamParser.klogPayload(String(line)) ?? line
      scanner.feedLine(body, handle)
    }
    scanner.finish(handle)
    return values
  }

  /// Every text file under the repository's samples and fixtures that holds JSON.
  static let corpus: [URL] = {
    let root = Samples.repoRoot
    var files: [URL] = []
    for folder in ["samples", "tools/fixture-apiserver/fixtures"] {
      guard
        let walker = FileManager.default.enumerator(
          at: root.appendingPathComponent(folder), includingPropertiesForKeys: [.isRegularFileKey])
      else { continue }
      for case let url as URL in walker
      where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
        guard !["gz", "tgz", "zip"].contains(url.pathExtension),
          let data = try? Data(contentsOf: url), data.contains(0x7B), !data.contains(0)
        else { continue }
        files.append(url)
      }
    }
    return files.sorted { $0.path < $1.path }
  }()
}

@Suite struct KubeJSONReaderTests {
  @Test func agreesWithJSONDecoderOnEverySampleFixtureAndPaste() {
    #expect(Differential.corpus.count > 100, "the corpus was not found")
    var values = 0
    var objects = 0
    for url in Differential.corpus {
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
      for value in Differential.values(of: text) {
        values += 1
        let verdict = Differential.compare(value.bytes)
        if case .differs(let why) = verdict {
          Issue.record("\(url.path) line \(value.startLine): \(why)")
        }
        // The reader must carry every Kubernetes object, not leave them to the decoder; what it
        // leaves are other JSON documents (reports, JSON log lines).
        if let document = try? JSONDecoder().decode(KubeDocument.self, from: Data(value.bytes)),
          Differential.isKubernetes(document)
        {
          objects += 1
          #expect(verdict == .same, "\(url.path) line \(value.startLine) was left to the decoder")
        }
      }
    }
    #expect(values > 500)
    #expect(objects > 400)
  }

  @Test func readsEventsPodsNodesAndWorkloadsAsTheDecoderDoes() {
    let documents = [
      // core/v1 Event in a watch envelope, with a series.
      #"{"type":"MODIFIED","object":{"kind":"Event","metadata":{"name":"w.1","namespace":"p"},"involvedObject":{"kind":"Pod","name":"w","namespace":"p","fieldPath":"spec.containers{w}"},"reason":"BackOff","message":"Back-off restarting","count":3,"series":{"count":2,"lastObservedTime":"2026-11-27T00:00:01.000001Z"},"source":{"component":"kubelet","host":"n"},"eventTime":null}}"#,
      // events.k8s.io/v1
      #"{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e"},"regarding":{"kind":"Node","name":"n1"},"note":"NodeNotReady","deprecatedCount":4,"deprecatedSource":{"component":"node-controller"},"deprecatedFirstTimestamp":"2026-11-27T00:00:00Z","reportingController":"c","reportingInstance":"i"}"#,
      // eventrouter
      #"{"verb":"ADDED","event":{"metadata":{"name":"x"},"involvedObject":{"name":"w"},"reason":"Killing","message":"Stopping container w"}}"#,
      // A pod with everything the converter reads.
      #"""
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"prod","uid":"u","creationTimestamp":"2026-11-27T00:00:00Z","deletionTimestamp":"2026-11-27T00:10:00Z","deletionGracePeriodSeconds":30,"finalizers":["a/b"],"labels":{"app":"web","tier":"ü"},"ownerReferences":[{"kind":"StatefulSet","name":"web","controller":true,"apiVersion":"apps/v1"}],"annotations":{"x":"{\"nested\": [1, 2.5, -0, true, null]}"},"managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}]},
       "spec":{"nodeName":"n1","terminationGracePeriodSeconds":60,"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
        "initContainers":[{"name":"init","image":"busybox","restartPolicy":"Always"}],
        "containers":[{"name":"web","image":"nginx","env":[{"name":"PASSWORD","value":"hunter2"},{"name":"FROM","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],
          "resources":{"limits":{"memory":"128Mi","cpu":1},"requests":{"cpu":"500m"}},
          "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":5,"periodSeconds":10,"failureThreshold":3},
          "readinessProbe":{"tcpSocket":{"port":"http"},"timeoutSeconds":2},
          "startupProbe":{"exec":{"command":["sh","-c","test -f /tmp/ok"]},"terminationGracePeriodSeconds":9},
          "lifecycle":{"preStop":{"sleep":{"seconds":40}},"postStart":{"httpGet":{"path":"warm","port":9090,"host":"::1"}}}},
          {"name":"grpc","readinessProbe":{"grpc":{"port":50051,"service":"health"}}}]},
       "status":{"phase":"Running","podIP":"10.0.0.1","hostIP":"192.168.0.1","startTime":"2026-11-27T00:00:01Z","qosClass":"Burstable",
        "conditions":[{"type":"Ready","status":"False","reason":"ContainersNotReady","message":"containers with unready status: [web]","lastTransitionTime":null}],
        "containerStatuses":[{"name":"web","image":"nginx","ready":false,"started":true,"restartCount":7,
          "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=web pod=web-0_prod(u)"}},
          "lastState":{"terminated":{"exitCode":137,"signal":9,"reason":"OOMKilled","startedAt":"2026-11-27T00:01:00Z","finishedAt":"2026-11-27T00:02:00Z","containerID":"containerd://abc"}}}],
        "initContainerStatuses":[{"name":"init","state":{"running":{"startedAt":"2026-11-27T00:00:02Z"}}}]}}
      """#,
      // A node, workloads, a Status and a bare condition.
      #"{"kind":"Node","metadata":{"name":"n1","uid":"nu"},"spec":{"unschedulable":true,"taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]},"status":{"conditions":[{"type":"Ready","status":"Unknown","lastHeartbeatTime":"2026-11-27T00:00:00Z"}]}}"#,
      #"{"kind":"Deployment","metadata":{"name":"d","namespace":"p"},"spec":{"replicas":3},"status":{"replicas":3,"updatedReplicas":1,"readyReplicas":2,"availableReplicas":2,"unavailableReplicas":1,"conditions":[{"type":"Available","status":"True"}]}}"#,
      #"{"kind":"DaemonSet","metadata":{"name":"ds"},"status":{"desiredNumberScheduled":5,"currentNumberScheduled":5,"numberReady":4,"updatedNumberScheduled":5,"numberAvailable":4,"numberMisscheduled":0}}"#,
      #"{"kind":"Job","metadata":{"name":"j"},"spec":{"completions":4,"parallelism":2},"status":{"active":1,"ready":1,"succeeded":2,"failed":1}}"#,
      #"{"kind":"Status","status":"Failure","code":410,"reason":"Expired","message":"too old resource version"}"#,
      #"{"type":"ERROR","object":{"kind":"Status","status":"Failure","code":410}}"#,
      #"{"type":"Ready","status":"True","lastTransitionTime":"2026-11-27T00:00:00Z"}"#,
      // A v1beta1 pod (docs/kubernetes.md §4.5).
      #"{"kind":"Pod","id":"web","namespace":"default","currentState":{"host":"h","hostIP":"1.2.3.4","podIP":"10.1.1.1","info":{"web":{"restartCount":3,"state":{"termination":{"exitCode":137,"reason":"OOM Killed"}}}}}}"#,
      // A List decoded whole, escapes, strings in every plane.
      #"{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"a\u00e9\ud83d\ude00\n\t\"\\\/"}},{"kind":"Event","message":"caf\u00C9 ☕ 𝄞","involvedObject":{"name":"b"}}]}"#,
    ]
    for text in documents {
      #expect(Differential.compare(text) == .same, "\(text.prefix(80))")
    }
  }

  /// Hostile JSON: the reader either agrees with the decoder or leaves the value to it, so the
  /// same result or the same diagnostic comes out.
  @Test func leavesHostileJSONToTheDecoder() {
    let deep = String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 300)
    let deepKnown = #"{"kind":"Pod","metadata":"# + deep + "}"
    let hostile: [(String, [UInt8])] = [
      ("deep nesting", Array(deep.utf8)),
      ("deep nesting under a field", Array(deepKnown.utf8)),
      (
        "deep arrays",
        Array(
          (#"{"kind":"Pod","x":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}").utf8)
      ),
      ("count too large", Array(#"{"kind":"Event","count":9223372036854775808,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count out of int32", Array(#"{"kind":"Event","count":2147483648,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count huge exponent", Array(#"{"kind":"Event","count":1e400,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count fraction", Array(#"{"kind":"Event","count":1.5,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count whole fraction", Array(#"{"kind":"Event","count":2.0,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count exponent", Array(#"{"kind":"Event","count":1e2,"involvedObject":{"name":"w"}}"#.utf8)),
      ("count as string", Array(#"{"kind":"Event","count":"3","involvedObject":{"name":"w"}}"#.utf8)),
      ("count leading zero", Array(#"{"kind":"Event","count":03,"involvedObject":{"name":"w"}}"#.utf8)),
      (
        "huge skipped number", Array(#"{"kind":"Pod","metadata":{"name":"w"},"x":123456789012345678901234567890}"#.utf8)
      ),
      ("skipped exponent", Array(#"{"kind":"Pod","metadata":{"name":"w"},"x":-1.5e-300}"#.utf8)),
      (
        "port fraction",
        Array(#"{"kind":"Pod","spec":{"containers":[{"name":"w","livenessProbe":{"httpGet":{"port":80.5}}}]}}"#.utf8)
      ),
      (
        "limit null",
        Array(#"{"kind":"Pod","spec":{"containers":[{"name":"w","resources":{"limits":{"cpu":null}}}]}}"#.utf8)
      ),
      (
        "bad UTF-8 in a message",
        Array(#"{"kind":"Event","involvedObject":{"name":"w"},"message":"a"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
      ),
      (
        "bad UTF-8 skipped",
        Array(#"{"kind":"Pod","metadata":{"name":"w","annotations":{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}}}"#.utf8)
      ),
      ("overlong UTF-8", Array(#"{"kind":"Pod","metadata":{"name":""#.utf8) + [0xC0, 0xAF] + Array(#""}}"#.utf8)),
      (
        "UTF-8 surrogate",
        Array(#"{"kind":"Pod","metadata":{"name":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}}"#.utf8)
      ),
      ("lone surrogate escape", Array(#"{"kind":"Pod","metadata":{"name":"\ud800"}}"#.utf8)),
      ("bad escape", Array(#"{"kind":"Pod","metadata":{"name":"\x41"}}"#.utf8)),
      ("raw tab in a string", Array("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\tb\"}}".utf8)),
      (
        "duplicate kind",
        Array(#"{"kind":"Pod","kind":"Event","involvedObject":{"name":"w"},"metadata":{"name":"p"}}"#.utf8)
      ),
      ("duplicate name", Array(#"{"kind":"Pod","metadata":{"name":"a","name":"b"}}"#.utf8)),
      ("duplicate label", Array(#"{"kind":"Pod","metadata":{"name":"a","labels":{"x":"1","x":"2"}}}"#.utf8)),
      ("duplicate skipped key", Array(#"{"kind":"Pod","metadata":{"name":"a","annotations":{"x":"1","x":"2"}}}"#.utf8)),
      ("escaped key", Array(#"{"kin\u0064":"Pod","metadata":{"name":"a"}}"#.utf8)),
      ("wrong type: name a number", Array(#"{"kind":"Pod","metadata":{"name":5}}"#.utf8)),
      ("wrong type: metadata an array", Array(#"{"kind":"Pod","metadata":[]}"#.utf8)),
      (
        "wrong type: ready a string",
        Array(#"{"kind":"Pod","status":{"containerStatuses":[{"name":"w","ready":"true"}]}}"#.utf8)
      ),
      ("wrong type: status a number", Array(#"{"kind":"Pod","status":5}"#.utf8)),
      ("wrong type: items an object", Array(#"{"kind":"List","items":{}}"#.utf8)),
      ("null item", Array(#"{"kind":"List","items":[null]}"#.utf8)),
      ("null finalizer", Array(#"{"kind":"Pod","metadata":{"name":"a","finalizers":[null]}}"#.utf8)),
      ("a container-status map", Array(#"{"web":{"restartCount":1,"state":{"running":{}}}}"#.utf8)),
      ("an array", Array(#"[{"kind":"Pod"}]"#.utf8)),
      ("trailing comma", Array(#"{"kind":"Pod","metadata":{"name":"a"},}"#.utf8)),
      ("missing comma", Array(#"{"kind":"Pod" "metadata":{"name":"a"}}"#.utf8)),
      ("trailing garbage", Array(#"{"kind":"Pod","metadata":{"name":"a"}} x"#.utf8)),
      ("truncated", Array(#"{"kind":"Pod","metadata":{"name":"a""#.utf8)),
      ("bare word", Array(#"{"kind":"Pod","metadata":{"name":"a"},"x":nul}"#.utf8)),
      ("true glued", Array(#"{"kind":"Pod","metadata":{"name":"a"},"x":truex}"#.utf8)),
      ("NUL byte", Array(#"{"kind":"Pod","metadata":{"name":"a"#.utf8) + [0] + Array(#""}}"#.utf8)),
      ("vertical tab as space", Array("{\"kind\":\"Pod\",\u{0B}\"metadata\":{\"name\":\"a\"}}".utf8)),
    ]
    for (name, bytes) in hostile {
      let verdict = Differential.compare(bytes)
      if case .differs(let why) = verdict { Issue.record("\(name): \(why)") }
    }
    // What the reader must not answer, whatever the decoder does with it.
    for name in [
      "deep nesting under a field", "count too large", "count out of int32", "count fraction", "count whole fraction",
      "count as string", "bad UTF-8 in a message", "bad UTF-8 skipped", "lone surrogate escape", "duplicate kind",
      "duplicate name", "duplicate label", "escaped key", "a container-status map", "wrong type: name a number",
    ] {
      guard let bytes = hostile.first(where: { $0.0 == name })?.1 else {
        Issue.record("no case \(name)")
        continue
      }
      #expect(KubeJSONReader.document(bytes) == nil, "\(name)")
    }
  }

  /// Samples damaged byte by byte (deleted, duplicated, replaced with a JSON token or a stray
  /// byte): whatever the damage, the reader agrees with the decoder or leaves the value to it.
  @Test func agreesWithJSONDecoderOnDamagedSamples() {
    var random = SplitMix64(seed: 0x5EED_0016)
    let tokens: [[UInt8]] = [
      Array("\"".utf8), Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8), Array(",".utf8),
      Array(":".utf8), Array("null".utf8), Array("1e9".utf8), Array("-".utf8), Array("\\u00".utf8), [0xC3], [0xFF],
      Array("2147483648".utf8), Array("\"kind\":\"Pod\",".utf8), Array("true".utf8), Array(" ".utf8),
    ]
    var originals: [[UInt8]] = []
    for url in Differential.corpus where url.pathExtension == "json" {
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
      originals += Differential.values(of: text).map(\.bytes).filter { $0.count < 20_000 }
    }
    #expect(originals.count > 50)
    var answered = 0
    for round in 0..<3000 {
      var bytes = originals[random.below(originals.count)]
      for _ in 0...random.below(3) {
        guard !bytes.isEmpty else { break }
        let at = random.below(bytes.count)
        switch random.below(3) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: at)
        default: bytes.replaceSubrange(at...at, with: tokens[random.below(tokens.count)])
        }
      }
      let verdict = Differential.compare(bytes)
      if verdict == .same { answered += 1 }
      if case .differs(let why) = verdict {
        Issue.record("round \(round): \(why)\n\(String(decoding: bytes, as: UTF8.self))")
      }
    }
    // Some damage leaves valid JSON (a space, a member added): the reader still answers those.
    #expect(answered > 100)
  }

  @Test func validatesUTF8Strictly() {
    #expect(KubeJSONReader.isValidUTF8(Array("héllo ☕ 𝄞".utf8)))
    #expect(KubeJSONReader.isValidUTF8([0xF4, 0x8F, 0xBF, 0xBF]))
    for bad: [UInt8] in [
      [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0x80], [0xFF],
    ] {
      #expect(!KubeJSONReader.isValidUTF8(bad), "\(bad)")
      #expect(String(validating: bad, as: UTF8.self) == nil, "\(bad)")
    }
  }
}

/// `KubeJSONReader.escapedString(from:)` copies the plain runs between escapes whole
/// (docs/architecture.md "Speed of the EventList path"); the loop before it appended them byte by
/// byte. That loop is kept here as the reference, with the plain-string path of `stringValue`
/// in front of it, and the reader's string (read as an object's `kind`) is held to it.
@Suite struct EscapedStringRunTests {
  /// The reference: a string's content from just after its opening quote, read as
  /// `stringValue` read it, the escapes through the byte-by-byte loop; nil where it threw, else
  /// the string's bytes and the index after its closing quote.
  static func referenceString(_ p: [UInt8]) -> (bytes: [UInt8], end: Int)? {
    var i = 0
    while i < p.count, p[i] != 0x22, p[i] != 0x5C, p[i] >= 0x20 { i += 1 }
    guard i < p.count else { return nil }
    if p[i] == 0x22 {
      guard KubeJSONReader.isValidUTF8(p[..<i]) else { return nil }
      return (Array(p[..<i]), i + 1)
    }
    guard p[i] == 0x5C else { return nil }
    var out = Array(p[..<i])
    func hex4() -> UInt32? {
      guard i + 4 <= p.count else { return nil }
      var v: UInt32 = 0
      for k in 0..<4 {
        let c = p[i + k]
        let d: UInt32
        switch c {
        case 0x30...0x39: d = UInt32(c - 0x30)
        case 0x41...0x46: d = UInt32(c - 0x41 + 10)
        case 0x61...0x66: d = UInt32(c - 0x61 + 10)
        default: return nil
        }
        v = v << 4 | d
      }
      i += 4
      return v
    }
    while i < p.count {
      let b = p[i]
      if b == 0x22 {
        i += 1
        guard KubeJSONReader.isValidUTF8(out) else { return nil }
        return (Array(String(decoding: out, as: UTF8.self).utf8), i)
      }
      if b < 0x20 { return nil }
      guard b == 0x5C else {
        out.append(b)
        i += 1
        continue
      }
      guard i + 1 < p.count else { return nil }
      let e = p[i + 1]
      i += 2
      switch e {
      case 0x22, 0x5C, 0x2F: out.append(e)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        guard var scalar = hex4() else { return nil }
        if scalar >= 0xD800 && scalar <= 0xDBFF {
          guard i + 1 < p.count, p[i] == 0x5C, p[i + 1] == 0x75 else { return nil }
          i += 2
          guard let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return nil }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
          return nil
        }
        guard let s = Unicode.Scalar(scalar) else { return nil }
        out.append(contentsOf: UTF8.encode(s) ?? UTF8.EncodedScalar())
      default:
        return nil
      }
    }
    return nil
  }

  /// Seeded strings of escapes (quotes, backslashes, `\u0000`, surrogate pairs and lone
  /// surrogates, bad escapes), plain runs of every length around a word, and hostile text (a
  /// Kelvin sign, a dotted capital I, an accent composed and decomposed, CR, NUL, tabs, invalid
  /// UTF-8, a raw quote): the reader's `kind` is the reference's string, or the reader is not
  /// sure where the reference threw.
  @Test func escapedStringsAsTheByteLoop() {
    var rng = SplitMix64(seed: 1612)
    let pieces: [[UInt8]] =
      [
        #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u0000"#, #"\u00e9"#, #"\u212A"#,
        #"\ud83d\ude00"#, #"\ud83d"#, #"\ude00"#, #"\uZZZZ"#, #"\x"#, #"\"#, "abc", "Back-off restarting failed",
        "\u{212A}", "\u{130}", "e\u{301}", "\u{E9}", "\r", "\t", "\0", "\"", "日本", " ", "01234567", "x",
      ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x7F], [0x1F]]
    var answered = 0
    var escaped = 0
    for round in 0..<20_000 {
      var content: [UInt8] = []
      for _ in 0..<rng.below(round < 10_000 ? 8 : 30) {
        if rng.below(5) == 0 {
          content += (0..<rng.below(20)).map { _ in UInt8(0x61 + rng.below(26)) }
        } else {
          content += pieces[rng.below(pieces.count)]
        }
      }
      let document = Array(#"{"kind":""#.utf8) + content + Array(#""}"#.utf8)
      let fast = KubeJSONReader.document(document)
      guard let reference = Self.referenceString(content + Array(#""}"#.utf8)) else {
        #expect(fast == nil, "\(content)")
        continue
      }
      // A raw quote ends the string early: what follows is not the object's end.
      guard reference.end == content.count + 1 else { continue }
      #expect(fast.map { Array(($0.object.kind ?? "").utf8) } == reference.bytes, "\(content)")
      if fast != nil { answered += 1 }
      if content.contains(0x5C) { escaped += 1 }
    }
    #expect(answered > 5_000)
    #expect(escaped > 2_000)
  }

  /// A document whose object has a kind is no bare condition: `ObjectStreamParser.handle` asks
  /// `condition` only of objects without one, which is the getter's first test.
  @Test func aKindIsNoCondition() {
    var kinds = 0
    for url in Differential.corpus {
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
      for value in Differential.values(of: text) {
        guard let document = KubeJSONReader.document(value.bytes), document.object.kind != nil else { continue }
        kinds += 1
        #expect(document.condition == nil, "\(url.path) line \(value.startLine)")
      }
    }
    #expect(kinds > 300)
  }
}

/// The evidence trim of `ObjectStreamParser` against Foundation's, which it replaces on the hot path.
@Suite struct EvidenceTrimTests {
  @Test func trimsAsFoundationDoes() {
    let cases = [
      "", " ", "\t\t", "plain", "    \"message\": \"Back-off restarting\",", "x  ", "\t x \t", " \u{A0}x\u{A0} ",
      "\u{3000}全角\u{3000}", " \u{301}accent", "accent \u{301}", "é ", " é", "\u{2003}\t", "\u{A0}", "a\u{A0}b",
      "\r\n", " x\r", "\u{85}x", " \u{1680}", "x\u{202F}", "emoji 😀 ", " 😀", "\u{FEFF}bom ",
    ]
    for text in cases {
      #expect(
        EvidencePicker.trimmedBlanks(text) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))"
      )
      #expect(
        Array(EvidencePicker.trimmedBlanks(text).utf8) == Array(text.trimmingCharacters(in: .whitespaces).utf8),
        "\(Array(text.unicodeScalars))")
    }
  }
}

/// `StringPool`: the strings it gives are those of the bytes, whether it held them or not.
struct StringPoolTests {
  @Test func givesTheStringOfTheBytesHeldOrNot() {
    var pool = StringPool()
    let words = (0..<20_000).map { "spec.containers{c-\($0 % 700)}" } + ["short", String(repeating: "x", count: 300)]
    for word in words {
      let bytes = Array(word.utf8)
      let got = bytes.withUnsafeBufferPointer { pool.string($0) }
      #expect(got == word)
    }
  }

  @Test func citedLinesKeepTheirTextsAndRefs() {
    var pool = StringPool()
    for n in 0..<3000 {
      let message = Evidence(
        ref: SourceRef(source: "events.json", line: n * 30 + 12),
        text: "\"message\": \"Readiness probe failed: HTTP probe failed with statuscode: 50\(n % 4)\",")
      let name = Evidence(ref: SourceRef(source: "events.json", line: n * 30 + 3), text: "\"name\": \"web-\(n).17a\",")
      let evidence = ObjectEvidence(message: message, name: name, first: nil)
      let shared = pool.shared(evidence)
      #expect(shared.message == message)
      #expect(shared.name == name)
      #expect(shared.first == nil)
    }
  }

  @Test func documentsReadThroughOnePoolAreTheDocumentsReadAlone() {
    var pool = StringPool()
    for n in 0..<50 {
      let text = """
        {"kind":"Event","metadata":{"name":"web-\(n % 7).17a"},"involvedObject":{"kind":"Pod","name":"web-\(n % 7)",        "fieldPath":"spec.containers{web}"},"reason":"Unhealthy","message":"Readiness probe failed: HTTP probe failed with statuscode: 50\(n % 3)"}
        """
      let bytes = Array(text.utf8)
      let pooled = KubeJSONReader.document(bytes, pool: &pool)
      #expect(pooled != nil)
      #expect(pooled == KubeJSONReader.document(bytes))
    }
  }
}
