import PodmortemModel
import PodmortemText

/// The fixed-layout klog header `Lmmdd hh:mm:ss.uuuuuu threadid file:line] ` (docs/kubernetes.md §10.1).
///
/// It has no year and no zone: `KubeletLogParser` supplies both.
package struct KlogHeader: Hashable, Sendable {
  /// `I`, `W`, `E` or `F`.
  package var severity: String
  package var month: Int
  package var day: Int
  package var hour: Int
  package var minute: Int
  package var second: Int
  /// The fraction of the second (klog writes microseconds).
  package var fraction: Double
  package var threadID: Int
  /// `prober.go`.
  package var file: String
  package var line: Int
  /// The byte offset where the message starts.
  package var bodyStart: Int

  /// Reads a header at `start`; nil when the bytes there are not one.
  package static func parse(_ b: [UInt8], from start: Int = 0) -> KlogHeader? {
    b.withUnsafeBufferPointer { parse($0, from: start) }
  }

  /// `parse` on the line's bytes themselves: the digits read in place, without an array's bounds
  /// check on every byte or a call per field, and the file named from the kubelet's own files
  /// (`KlogTexts.file`) where it was decoded into a new string for every line
  /// (docs/architecture.md "Speed of the kubelet-log path"; `KlogHeaderBytesTests` holds it to the
  /// code before).
  static func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> KlogHeader? {
    let n = b.count
    var i = start
    guard i >= 0, i < n, let severity = severityLetter(b[i]) else { return nil }
    i += 1
    // `mmdd hh:mm:ss`: 13 bytes, each a digit or the separator at its place.
    guard n - i >= 13, let month = two(b, i), let day = two(b, i + 2), b[i + 4] == 0x20, let hour = two(b, i + 5),
      b[i + 7] == 0x3A, let minute = two(b, i + 8), b[i + 10] == 0x3A, let second = two(b, i + 11),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    i += 13
    // `TimeBytes.fraction`: at most nine digits count, the rest are read past.
    var fraction = 0.0
    if i < n, b[i] == 0x2E {
      i += 1
      var value = 0
      var scale = 1
      var count = 0
      while i < n, b[i] >= 0x30, b[i] <= 0x39 {
        if count < 9 {
          value = value * 10 + Int(b[i] - 0x30)
          scale *= 10
        }
        count += 1
        i += 1
      }
      fraction = Double(value) / Double(scale)
    }
    // The thread id is right-aligned in 7 columns, so any number of spaces may precede it (or a
    // tab, where a terminal copy turned the padding into one).
    guard i < n, b[i] == 0x20 || b[i] == 0x09 else { return nil }
    while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
    let idStart = i
    var threadID = 0
    // At most 18 digits: 19 nines overflow Int (a fuzzed header trapped here).
    while i < n, b[i] >= 0x30, b[i] <= 0x39, i - idStart < 18 {
      threadID = threadID * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > idStart, i < n, b[i] == 0x20 else { return nil }
    i += 1
    let fileStart = i
    // The first `:`, `]` or space, eight bytes a word (`ByteWords.fileStop`).
    i = ByteWords.fileStop(b, from: i)
    guard i > fileStart, i < n, b[i] == 0x3A else { return nil }
    let fileEnd = i
    i += 1
    let lineStart = i
    var line = 0
    while i < n, b[i] >= 0x30, b[i] <= 0x39, i - lineStart < 9 {
      line = line * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > lineStart, i < n, b[i] == 0x5D else { return nil }
    i += 1
    if i < n, b[i] == 0x20 { i += 1 }
    let file =
      KlogTexts.file(b, fileStart, fileEnd)
      ?? String(decoding: UnsafeBufferPointer(rebasing: b[fileStart..<fileEnd]), as: UTF8.self)
    return KlogHeader(
      severity: severity, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      threadID: threadID, file: file, line: line, bodyStart: i)
  }

  /// The two digits at `i` as a number (the caller has checked that both bytes are there).
  @inline(__always)
  private static func two(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
    let (x, y) = (b[i] &- 0x30, b[i + 1] &- 0x30)
    guard x < 10, y < 10 else { return nil }
    return Int(x) * 10 + Int(y)
  }

  /// Whether a header's `file` starts with `event.go` (`String.hasPrefix`), the event recorder's
  /// own line. Its bytes decide for the 8-byte name and for names that do not start with those
  /// bytes: `event.go` is ASCII without `K`, `;` or `` ` ``, the only ASCII a non-ASCII
  /// character is canonically equivalent to alone, so no other spelling has it as a prefix; a
  /// longer name that starts with its bytes (a combining mark may follow) asks `hasPrefix`.
  static func isEventFile(_ file: String) -> Bool {
    let utf8 = file.utf8
    guard utf8.count >= 8 else { return false }
    let word: UInt64?? = utf8.withContiguousStorageIfAvailable { f in
      f.baseAddress.map { UnsafeRawPointer($0).loadUnaligned(as: UInt64.self) }
    }
    let starts = word.flatMap { $0 }.map { $0 == 0x6f67_2e74_6e65_7665 } ?? utf8.starts(with: "event.go".utf8)
    guard starts else { return false }
    return utf8.count == 8 || file.hasPrefix("event.go")
  }

  private static func severityLetter(_ c: UInt8) -> String? {
    switch c {
    case 0x49: "I"
    case 0x57: "W"
    case 0x45: "E"
    case 0x46: "F"
    default: nil
    }
  }

}

/// What follows a klog header: a structured `"message" key="value" …` (InfoS/ErrorS) or free text
/// (Infof).
package struct KlogBody: Hashable, Sendable {
  package var message: String
  package var fields: [KeyValue]
  /// True for `InfoS`/`ErrorS` output (the message was quoted).
  package var structured: Bool
  /// Set when the text ends in `key=<`: the value follows on the next lines, each starting with a
  /// tab, up to a line starting ` >` (klog `writeStringValue`, §10.1).
  package var openKey: String?

  package init(message: String, fields: [KeyValue] = [], structured: Bool, openKey: String? = nil) {
    self.message = message
    self.fields = fields
    self.structured = structured
    self.openKey = openKey
  }

  /// Reads the body that starts at byte `start`.
  package static func parse(_ b: [UInt8], from start: Int) -> KlogBody {
    b.withUnsafeBufferPointer { parse($0, from: start) }
  }

  /// `parse` on the line's bytes themselves: the message, the keys and the values are read from
  /// one buffer, without an array's bounds check on every byte or a `withUnsafeBufferPointer` for
  /// every quoted value (docs/architecture.md "Speed of the kubelet-log path").
  static func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> KlogBody {
    var none: StringPool?
    return parse(b, from: start, pool: &none)
  }

  /// `parse`, the values that recur from line to line (a pod's name and UID, an event's object
  /// and message, a probe's output) shared through `pool` (`KlogPairs.parse`).
  static func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, pool: inout StringPool?) -> KlogBody {
    // A message the kubelet writes often, with no escape: the table's string (`KlogTexts`).
    if start >= 0, start < b.count, b[start] == 0x22 {
      let k = ByteWords.quoteStop(b, from: start + 1)
      if k < b.count, b[k] == 0x22, k + 1 == b.count || b[k + 1] == 0x20,
        let message = KlogTexts.message(b, start + 1, k)
      {
        var body = KlogBody(message: message, structured: true)
        body.openKey = KlogPairs.parse(b, from: k + 1, into: &body.fields, pool: &pool)
        return body
      }
    }
    if start < b.count, b[start] == 0x22, let (message, end) = GoString.unquote(b, from: start),
      end == b.count || b[end] == 0x20
    {
      var body = KlogBody(message: message, structured: true)
      body.openKey = KlogPairs.parse(b, from: end, into: &body.fields, pool: &pool)
      return body
    }
    return KlogBody(
      message: String(decoding: UnsafeBufferPointer(rebasing: b[min(max(start, 0), b.count)...]), as: UTF8.self),
      structured: false)
  }
}

/// The `key=value` pairs of a structured klog line (klog `internal/serialize` `KVListFormat`).
package enum KlogPairs {
  /// Appends the pairs found from `start` to the end of `b` to `fields` and returns the key of a
  /// multi-line value left open at the end (`key=<`). Text that is not a pair stops the reading;
  /// the record's raw text still holds it.
  package static func parse(_ b: [UInt8], from start: Int, into fields: inout [KeyValue]) -> String? {
    b.withUnsafeBufferPointer { parse($0, from: start, into: &fields) }
  }

  /// `parse` on the bytes themselves (see `KlogBody.parse`).
  static func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, into fields: inout [KeyValue]) -> String? {
    var none: StringPool?
    return parse(b, from: start, into: &fields, pool: &none)
  }

  /// `parse`, a value without an escape taken from `pool` when it holds one of the same bytes
  /// (`StringPool.string`, which is `String(decoding:as:)` of the bytes whether or not it holds
  /// them): on a kubelet log a pod's name and UID, an event's object, field path and message
  /// and a probe's output recur from line to line, and each was a new string, most of them over
  /// 15 bytes and so an allocation, made and later freed (docs/architecture.md "Speed of the
  /// kubelet-log path"). Without a pool every value is made from its bytes.
  static func parse(
    _ b: UnsafeBufferPointer<UInt8>, from start: Int, into fields: inout [KeyValue], pool: inout StringPool?
  ) -> String? {
    var i = max(start, 0)
    while true {
      while i < b.count, b[i] == 0x20 { i += 1 }
      guard i < b.count else { return nil }
      let keyStart = i
      while i < b.count, b[i] != 0x3D, b[i] != 0x20, b[i] != 0x22 { i += 1 }
      guard i > keyStart, i < b.count, b[i] == 0x3D else { return nil }
      // A klog line carries a handful of pairs (four on average on the bench log): room for eight
      // at the first, where the array grew to one, two, four and eight, an allocation and a copy
      // each (docs/architecture.md "Speed of the kubelet-log path").
      if fields.capacity == 0 { fields.reserveCapacity(8) }
      let key =
        KlogTexts.key(b, keyStart, i)
        ?? String(decoding: UnsafeBufferPointer(rebasing: b[keyStart..<i]), as: UTF8.self)
      i += 1
      if i == b.count - 1, b[i] == 0x3C { return key }
      if i < b.count, b[i] == 0x22 {
        // A value with no escape (most): `GoString.unquote`'s first step, with the kubelet's fixed
        // words (`KlogTexts.value`) taken from the table. One with an escape is unquoted whole.
        let k = ByteWords.quoteStop(b, from: i + 1)
        if k < b.count, b[k] == 0x22 {
          let value = KlogTexts.value(b, i + 1, k) ?? string(UnsafeBufferPointer(rebasing: b[(i + 1)..<k]), &pool)
          fields.append(KeyValue(key, value))
          i = k + 1
          continue
        }
        if let (value, end) = GoString.unquote(b, from: i) {
          fields.append(KeyValue(key, value))
          i = end
          continue
        }
        // An unterminated quote (a cut line): keep the rest as it is.
        fields.append(KeyValue(key, String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self)))
        return nil
      }
      let valueStart = i
      i = unquotedEnd(b, from: i)
      fields.append(KeyValue(key, string(UnsafeBufferPointer(rebasing: b[valueStart..<i]), &pool)))
    }
  }

  /// The string of `bytes`, from `pool` when there is one.
  @inline(__always)
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ pool: inout StringPool?) -> String {
    // Moved out and back, so the pool's table stays uniquely held and is written in place.
    guard var held = pool.take() else { return String(decoding: bytes, as: UTF8.self) }
    defer { pool = held }
    return held.string(bytes)
  }

  /// Where an unquoted value (`%+v` of a number, a struct, `["ns/a" "ns/b"]`, a JSON object) ends:
  /// at a space outside brackets and strings that is followed by the next `key=` or the end.
  private static func unquotedEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var i = start
    var depth = 0
    while i < b.count {
      switch b[i] {
      case 0x5B, 0x7B, 0x28: depth += 1
      case 0x5D, 0x7D, 0x29: depth = max(0, depth - 1)
      case 0x22:
        // A JSON string inside the value: skip to its closing quote, if it has one.
        var k = i + 1
        while k < b.count, b[k] != 0x22 { k += b[k] == 0x5C ? 2 : 1 }
        if k < b.count { i = k }
      case 0x20 where depth == 0:
        if startsPair(b, after: i) { return i }
      default: break
      }
      i += 1
    }
    return b.count
  }

  /// True when the text after the spaces at `i` is `key=` (or nothing).
  private static func startsPair(_ b: UnsafeBufferPointer<UInt8>, after i: Int) -> Bool {
    var k = i
    while k < b.count, b[k] == 0x20 { k += 1 }
    guard k < b.count else { return true }
    let keyStart = k
    while k < b.count, isKeyByte(b[k]) { k += 1 }
    return k > keyStart && k < b.count && b[k] == 0x3D
  }

  private static func isKeyByte(_ c: UInt8) -> Bool {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D, 0x2F: true
    default: false
    }
  }
}

/// The keys and messages the kubelet writes most, each made once: a key read from a line is
/// matched here by its bytes (at most 16, two little-endian words) and shares the literal
/// `String`, where every pair made its key with `String(decoding:as:)`, a UTF-8 validation and a
/// small string's construction, about 175 instructions (54,056 keys on the 4 MiB slice of the
/// bench log); a message likewise, and the longer ones (over 15 bytes, so not a small string)
/// share the literal's storage where each line allocated its own (docs/architecture.md "Speed of
/// the kubelet-log path"). The keys and messages are those of the kubelet's `InfoS`/`ErrorS` calls
/// on probes, pod workers, events, PLEG and the container runtime (docs/kubernetes.md §10.1).
/// Text not in the table is made from its bytes as before. Every entry is ASCII, so bytes equal
/// are strings equal, byte for byte (`KlogDirectTests` holds both to the code before).
enum KlogTexts {
  /// The table's keys, for the tests: `key` knows each of them and nothing else.
  static let keys = [
    "pod", "podUID", "containerName", "probeType", "probeResult", "output", "containerID", "gracePeriod", "type",
    "reason", "object", "message", "kind", "fieldPath", "apiVersion", "err", "container", "event", "source", "pods",
  ]

  /// The table's messages, for the tests: `message` knows each of them and nothing else.
  static let messages = [
    "Probe failed", "Event occurred", "SyncLoop UPDATE", "RemoveContainer", "Error syncing pod, skipping",
    "SyncLoop (PLEG): event for pod", "Killing container with a grace period",
  ]

  /// The table's values, for the tests: `value` knows each of them and nothing else. The words
  /// the kubelet itself writes as a value: a probe's type and result, an event's type, kind, API
  /// version and the probe's reason, a pod update's source.
  static let values = [
    "failure", "api", "Liveness", "v1", "Warning", "Unhealthy", "Pod", "Readiness", "Startup", "Normal", "warning",
    "file", "http",
  ]

  /// The table's file names, for the tests: `file` knows each of them and nothing else. The
  /// kubelet's source files that write the lines it logs most (docs/kubernetes.md §10.1); the
  /// longer ones (over 15 bytes) are not small strings, so a line named its file with an
  /// allocation of its own.
  static let files = [
    "prober.go", "kubelet.go", "event.go", "pod_workers.go", "kuberuntime_container.go", "reconciler_common.go",
    "scope.go", "manager.go", "kuberuntime_manager.go", "generic.go", "eviction_manager.go",
    "kubelet_node_status.go", "operation_generator.go", "kubelet_pods.go", "pod_container_deletor.go",
  ]

  /// The shared file name for the bytes `from..<to`, or nil when they are not one of `files`.
  static func file(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
    switch to - from {
    case 8: same(b, from, "event.go") ?? same(b, from, "scope.go")
    case 9: same(b, from, "prober.go")
    case 10: same(b, from, "kubelet.go") ?? same(b, from, "manager.go") ?? same(b, from, "generic.go")
    case 14: same(b, from, "pod_workers.go")
    case 15: same(b, from, "kubelet_pods.go")
    case 19: same(b, from, "eviction_manager.go")
    case 20: same(b, from, "reconciler_common.go")
    case 22:
      same(b, from, "kuberuntime_manager.go") ?? same(b, from, "kubelet_node_status.go")
        ?? same(b, from, "operation_generator.go")
    case 24: same(b, from, "kuberuntime_container.go") ?? same(b, from, "pod_container_deletor.go")
    default: nil
    }
  }

  /// The bytes `from..<to` (at most 16) as two little-endian words, zero past the end: two loads
  /// when 16 bytes are there (a key is followed by its `=` and value), else byte by byte.
  @inline(__always)
  static func words(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> (low: UInt64, high: UInt64) {
    if let base = b.baseAddress, b.count - from >= 16 {
      let raw = UnsafeRawPointer(base + from)
      var low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
      var high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      if count < 8 {
        low &= (1 << UInt64(count * 8)) &- 1
        high = 0
      } else if count == 8 {
        high = 0
      } else if count < 16 {
        high &= (1 << UInt64((count - 8) * 8)) &- 1
      }
      return (low, high)
    }
    var low: UInt64 = 0
    var high: UInt64 = 0
    for k in 0..<count {
      if k < 8 {
        low |= UInt64(b[from + k]) << UInt64(k * 8)
      } else {
        high |= UInt64(b[from + k]) << UInt64((k - 8) * 8)
      }
    }
    return (low, high)
  }

  /// The shared key for the bytes `from..<to`, or nil when they are not one of `keys`. The cases
  /// are each key's first eight bytes as a little-endian word; the rest and the count decide.
  static func key(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
    let count = to - from
    guard count > 0, count <= 16 else { return nil }
    let (low, high) = words(b, from, count)
    switch low {
    case 0x646f70: return high == 0x0 && count == 3 ? "pod" : nil
    case 0x444955646f70: return high == 0x0 && count == 6 ? "podUID" : nil
    case 0x656e6961746e6f63:  // "containe": container, containerID, containerName
      switch (high, count) {
      case (0x656d614e72, 13): return "containerName"
      case (0x444972, 11): return "containerID"
      case (0x72, 9): return "container"
      default: return nil
      }
    case 0x70795465626f7270: return high == 0x65 && count == 9 ? "probeType" : nil
    case 0x73655265626f7270: return high == 0x746c75 && count == 11 ? "probeResult" : nil
    case 0x74757074756f: return high == 0x0 && count == 6 ? "output" : nil
    case 0x7265506563617267: return high == 0x646f69 && count == 11 ? "gracePeriod" : nil
    case 0x65707974: return high == 0x0 && count == 4 ? "type" : nil
    case 0x6e6f73616572: return high == 0x0 && count == 6 ? "reason" : nil
    case 0x7463656a626f: return high == 0x0 && count == 6 ? "object" : nil
    case 0x6567617373656d: return high == 0x0 && count == 7 ? "message" : nil
    case 0x646e696b: return high == 0x0 && count == 4 ? "kind" : nil
    case 0x746150646c656966: return high == 0x68 && count == 9 ? "fieldPath" : nil
    case 0x6973726556697061: return high == 0x6e6f && count == 10 ? "apiVersion" : nil
    case 0x727265: return high == 0x0 && count == 3 ? "err" : nil
    case 0x746e657665: return high == 0x0 && count == 5 ? "event" : nil
    case 0x656372756f73: return high == 0x0 && count == 6 ? "source" : nil
    case 0x73646f70: return high == 0x0 && count == 4 ? "pods" : nil
    default: return nil
    }
  }

  /// The shared value for the bytes `from..<to`, or nil when they are not one of `values`; asked
  /// only of a value of at most 9 bytes (the longest of them), so a pod's name or UID costs one
  /// comparison.
  static func value(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
    let count = to - from
    guard count > 1, count <= 9 else { return nil }
    let (low, high) = words(b, from, count)
    switch low {
    case 0x6572756c696166: return high == 0x0 && count == 7 ? "failure" : nil
    case 0x697061: return high == 0x0 && count == 3 ? "api" : nil
    case 0x7373656e6576694c: return high == 0x0 && count == 8 ? "Liveness" : nil
    case 0x3176: return high == 0x0 && count == 2 ? "v1" : nil
    case 0x676e696e726157: return high == 0x0 && count == 7 ? "Warning" : nil
    case 0x68746c6165686e55: return high == 0x79 && count == 9 ? "Unhealthy" : nil
    case 0x646f50: return high == 0x0 && count == 3 ? "Pod" : nil
    case 0x73656e6964616552: return high == 0x73 && count == 9 ? "Readiness" : nil
    case 0x70757472617453: return high == 0x0 && count == 7 ? "Startup" : nil
    case 0x6c616d726f4e: return high == 0x0 && count == 6 ? "Normal" : nil
    case 0x676e696e726177: return high == 0x0 && count == 7 ? "warning" : nil
    case 0x656c6966: return high == 0x0 && count == 4 ? "file" : nil
    case 0x70747468: return high == 0x0 && count == 4 ? "http" : nil
    default: return nil
    }
  }

  /// The shared message for the bytes `from..<to`, or nil when they are not one of `messages`.
  static func message(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
    switch to - from {
    case 12: same(b, from, "Probe failed")
    case 14: same(b, from, "Event occurred")
    case 15: same(b, from, "SyncLoop UPDATE") ?? same(b, from, "RemoveContainer")
    case 27: same(b, from, "Error syncing pod, skipping")
    case 30: same(b, from, "SyncLoop (PLEG): event for pod")
    case 37: same(b, from, "Killing container with a grace period")
    default: nil
    }
  }

  /// `text` when the bytes from `from` on are its bytes (the caller has compared the count),
  /// compared eight bytes a word.
  @inline(__always)
  private static func same(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ text: String) -> String? {
    let equal = text.utf8.withContiguousStorageIfAvailable { t in
      guard from + t.count <= b.count, let p = b.baseAddress, let q = t.baseAddress else { return false }
      let x = UnsafeRawPointer(p + from)
      let y = UnsafeRawPointer(q)
      var k = 0
      while k + 8 <= t.count {
        if x.loadUnaligned(fromByteOffset: k, as: UInt64.self) != y.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
          return false
        }
        k += 8
      }
      while k < t.count {
        if x.load(fromByteOffset: k, as: UInt8.self) != y.load(fromByteOffset: k, as: UInt8.self) { return false }
        k += 1
      }
      return true
    }
    return equal == true ? text : nil
  }
}
