import PodmortemModel

/// The keys of one wire type, in the order the reader's `switch` numbers them.
struct KeyTable: Sendable {
  private let bytes: [UInt8]
  private let starts: [Int]
  private let lengths: [Int]
  /// The indexes of the keys of each length, in table order, one run per length:
  /// `byLength[runs[n]..<runs[n + 1]]` are those of length `n` (a key longer than any in the
  /// table has none). A key read is compared only with the keys of its length, not with every
  /// key's length first (issue 16, perf: the look-up was most of `nextKey`).
  private let byLength: [Int]
  private let runs: [Int]
  /// The first eight bytes of each key of `byLength` (fewer for a shorter key, zero past its
  /// end), little-endian: a key read is compared with each of its length as one word, and byte
  /// by byte only past its eighth byte and only where the words are equal (issue 16, callgrind:
  /// a bounds-checked byte loop per candidate was about 120 instructions a key of `nextKey`).
  private let words: [UInt64]
  /// Which table this is, for `MemberMemo`: a member remembered with a table's index answers only
  /// for the same table. Each table of `KubeJSONKeys` has its own (`KubeJSONKeysTests` holds them
  /// distinct); 0, a table made elsewhere, is never remembered.
  let id: Int

  init(_ keys: [String]) { self.init(id: 0, keys) }

  init(id: Int, _ keys: [String]) {
    precondition(keys.count <= 64, "a key table holds at most 64 keys (one bit each)")
    precondition(id >= 0 && id < 1 << 20, "a table's id is small and not negative")
    self.id = id
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var lengths: [Int] = []
    for key in keys {
      starts.append(bytes.count)
      lengths.append(key.utf8.count)
      bytes.append(contentsOf: key.utf8)
    }
    self.bytes = bytes
    self.starts = starts
    self.lengths = lengths
    let longest = lengths.max() ?? 0
    var byLength: [Int] = []
    var runs: [Int] = []
    for n in 0...longest {
      runs.append(byLength.count)
      byLength += lengths.indices.filter { lengths[$0] == n }
    }
    runs.append(byLength.count)
    self.byLength = byLength
    self.runs = runs
    self.words = byLength.map { k in
      Array(bytes[starts[k]..<starts[k] + lengths[k]]).withUnsafeBufferPointer { Self.word($0) }
    }
  }

  /// The first eight bytes of `key` (fewer when it is shorter, zero past its end), little-endian.
  @inline(__always)
  private static func word(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    guard let base = key.baseAddress else { return 0 }
    if key.count >= 8 { return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) }
    var word: UInt64 = 0
    for j in 0..<key.count { word |= UInt64(base[j]) << (8 * j) }
    return word
  }

  var count: Int { starts.count }

  /// The index of `key`, or -1.
  func index(of key: UnsafeBufferPointer<UInt8>) -> Int {
    let n = key.count
    guard n + 1 < runs.count else { return -1 }
    let word = Self.word(key)
    return bytes.withUnsafeBufferPointer { all in
      words.withUnsafeBufferPointer { words in
        for r in runs[n]..<runs[n + 1] where words[r] == word {
          let k = byLength[r]
          let s = starts[k]
          var equal = true
          // The first eight bytes are equal (the words are); a longer key compares the rest.
          var j = 8
          while j < n {
            if all[s + j] != key[j] {
              equal = false
              break
            }
            j += 1
          }
          if equal { return k }
        }
        return -1
      }
    }
  }

  /// `index(of:)` as it was before the keys were grouped by length: every key in table order,
  /// its length compared first. Kept as the reference the tests compare with.
  func indexByScan(of key: UnsafeBufferPointer<UInt8>) -> Int {
    let n = key.count
    return bytes.withUnsafeBufferPointer { all in
      for k in 0..<lengths.count where lengths[k] == n {
        let s = starts[k]
        var equal = true
        for j in 0..<n where all[s + j] != key[j] {
          equal = false
          break
        }
        if equal { return k }
      }
      return -1
    }
  }
}

/// What came between a value and the next member's value the last time the reader met that
/// place of a document: the separator's bytes (`,`, the line end and indentation, the quoted key,
/// `:`, white space), the table asked and whether the member was its object's first, and the key's
/// index in the table. A pretty-printed list repeats its items' members in the same order with the
/// same indentation, so the next member of an item is nearly always the one that followed the same
/// member in the item before: `KubeJSONReader.nextKey` compares the bytes before it with that
/// separator, a few words, and takes its index without stepping over the white space, reading the
/// key and looking it up in the table (about 290 instructions a key of an EventList, issue 16,
/// callgrind).
///
/// The answer is the one the reading gives: `nextKey` reads a separator as a function of its
/// bytes alone (white space, a comma unless first, a key without escapes, control or non-ASCII
/// bytes, `:`, white space up to a byte that is not), and the table's index is a function of the
/// key's bytes. So the same bytes, followed by a byte that is not white space, with the same table
/// and the same first-member flag, give the same position and index; which separators are
/// remembered, and where, only decides what is compared, never what is answered.
/// `MemberMemoTests` holds the reader with it to the reader without it (`isOn` false).
struct MemberMemo: Sendable {
  /// Places for separators, chosen by a hash of their bytes, the table and the flag; place 0 is a
  /// document's start. A place taken over by another separator costs a miss, not a wrong answer:
  /// every prediction compares the bytes.
  static let places = 1024
  /// The longest separator remembered, in bytes: eight words.
  static let longest = 64

  /// Off: every key is read and looked up as before (the tests' reference).
  var isOn = true
  /// The members given from the memo, for the tests.
  private(set) var hits = 0

  /// Sixteen words a place, in one array so that a prediction reads one buffer:
  /// `tag` (`KeyTable.id << 1`, plus 1 when the member was its object's first; 0 for an empty
  /// place), the separator's `count` of bytes, its key's `index` (as a bit pattern), the `next`
  /// place (the separator that followed this one the last time, 0 for none), the `tail` mask of
  /// the separator's last word (0 when its count is a multiple of eight), three words unused,
  /// then the separator's eight words, little-endian, zero past its end.
  private var slots: [UInt64] = []
  private static let tag = 0
  private static let count = 1
  private static let index = 2
  private static let next = 3
  private static let tail = 4
  private static let bytes = 8
  /// The place of the last member read in this document (0 at its start, -1 when it was not
  /// remembered: its separator was longer than `longest`, or its table has no id).
  private var current = -1

  init() {}

  /// At the start of a document.
  @inline(__always)
  mutating func begin() { current = 0 }

  /// After a member read without the memo.
  @inline(__always)
  mutating func forget() { current = -1 }

  /// The separator's length and its key's index when `p[i...]` begins with the separator that
  /// followed the last member read the last time, with `tag`, followed by a byte that is not
  /// JSON white space: that member is then the last read. Nil otherwise, nothing changed.
  @inline(__always)
  mutating func predict(_ p: UnsafeBufferPointer<UInt8>, at i: Int, tag: Int) -> (count: Int, index: Int)? {
    guard current >= 0, !slots.isEmpty, let base = p.baseAddress else { return nil }
    let found = slots.withUnsafeBufferPointer { s -> (Int, Int, Int)? in
      let e = Int(truncatingIfNeeded: s[current &<< 4 &+ Self.next])
      guard e > 0 else { return nil }
      let place = e &<< 4
      let n = Int(truncatingIfNeeded: s[place &+ Self.count])
      guard s[place &+ Self.tag] == UInt64(truncatingIfNeeded: tag), n < p.count &- i else { return nil }
      let raw = UnsafeRawPointer(base + i)
      var k = 0
      var w = place &+ Self.bytes
      while k &+ 8 <= n {
        guard UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) == s[w] else { return nil }
        k &+= 8
        w &+= 1
      }
      let mask = s[place &+ Self.tail]
      if mask != 0 {
        if i &+ k &+ 8 <= p.count {
          // The bytes past the separator are masked off.
          let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
          guard (word ^ s[w]) & mask == 0 else { return nil }
        } else {
          var rest = s[w]
          for j in k..<n {
            guard base[i &+ j] == UInt8(truncatingIfNeeded: rest) else { return nil }
            rest &>>= 8
          }
        }
      }
      let b = base[i &+ n]
      guard b != 0x20, b != 0x0A, b != 0x0D, b != 0x09 else { return nil }
      return (e, n, Int(truncatingIfNeeded: s[place &+ Self.index]))
    }
    guard let (e, count, index) = found else { return nil }
    current = e
    hits &+= 1
    return (count, index)
  }

  /// Remembers the separator `p[start..<end]` that `nextKey` read with `tag`, giving `index`, as
  /// the one that follows the last member read.
  mutating func note(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, tag: Int, index: Int) {
    let n = end - start
    guard n > 0, n <= Self.longest, start >= 0, end <= p.count, tag > 0, let base = p.baseAddress else {
      current = -1
      return
    }
    if slots.isEmpty { slots = Array(repeating: 0, count: 16 * Self.places) }
    // The separator's words, zero past its end, and a hash of them with the tag and the count
    // (a multiply a word, then SplitMix64's finaliser, https://prng.di.unimi.it/splitmix64.c).
    var h = UInt64(truncatingIfNeeded: tag) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    for k in stride(from: 0, to: n, by: 8) {
      h = (h ^ Self.word(base + start, k, n)) &* 0x0000_0100_0000_01B3
    }
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    let e = 1 + Int(truncatingIfNeeded: h % UInt64(Self.places - 1))
    let place = 16 * e
    var same = slots[place + Self.tag] == UInt64(tag) && slots[place + Self.count] == UInt64(n)
    if same {
      for k in stride(from: 0, to: n, by: 8) where slots[place + Self.bytes + k >> 3] != Self.word(base + start, k, n) {
        same = false
        break
      }
    }
    if !same {
      slots[place + Self.tag] = UInt64(tag)
      slots[place + Self.count] = UInt64(n)
      slots[place + Self.index] = UInt64(bitPattern: Int64(index))
      slots[place + Self.next] = 0
      slots[place + Self.tail] = n % 8 == 0 ? 0 : (1 << UInt64(8 * (n % 8))) - 1
      for k in 0..<8 { slots[place + Self.bytes + k] = 8 * k < n ? Self.word(base + start, 8 * k, n) : 0 }
    }
    if current >= 0 { slots[16 * current + Self.next] = UInt64(e) }
    current = e
  }

  /// The bytes `start[k..<min(k + 8, n)]` as a little-endian word, zero past `n`.
  private static func word(_ start: UnsafePointer<UInt8>, _ k: Int, _ n: Int) -> UInt64 {
    var w: UInt64 = 0
    for j in k..<min(k + 8, n) { w |= UInt64(start[j]) << UInt64(8 * (j - k)) }
    return w
  }
}

/// The key tables, one per wire type in `KubeObjects.swift` (same names, same order as the fields).
enum KubeJSONKeys {
  static let objectKeys = [
    "apiVersion", "kind", "metadata", "type", "reason", "message", "note", "count", "firstTimestamp",
    "lastTimestamp", "eventTime", "series", "source", "reportingComponent", "reportingController",
    "reportingInstance", "involvedObject", "regarding", "deprecatedSource", "deprecatedFirstTimestamp",
    "deprecatedLastTimestamp", "deprecatedCount", "spec", "status", "code", "lastTransitionTime",
    "lastHeartbeatTime", "lastProbeTime", "id", "namespace", "currentState",
  ]
  static let object = KeyTable(id: 1, objectKeys)
  /// A document's own keys follow the object's.
  static let document = KeyTable(id: 2, objectKeys + ["object", "verb", "event", "items"])
  static let documentObject = objectKeys.count
  static let documentVerb = objectKeys.count + 1
  static let documentEvent = objectKeys.count + 2
  static let documentItems = objectKeys.count + 3

  static let metadata = KeyTable(
    id: 3,
    [
      "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "finalizers",
      "labels", "ownerReferences",
    ])
  static let ownerReference = KeyTable(id: 4, ["kind", "name", "controller"])
  static let objectReference = KeyTable(id: 5, ["kind", "namespace", "name", "uid", "fieldPath"])
  static let series = KeyTable(id: 6, ["count", "lastObservedTime"])
  static let eventSource = KeyTable(id: 7, ["component", "host"])
  static let spec = KeyTable(
    id: 8,
    [
      "nodeName", "containers", "initContainers", "ephemeralContainers", "terminationGracePeriodSeconds",
      "tolerations", "taints", "unschedulable", "replicas", "completions", "parallelism",
    ])
  static let container = KeyTable(
    id: 9,
    [
      "name", "image", "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resources",
      "env",
    ])
  static let envVar = KeyTable(id: 10, ["name"])
  static let resources = KeyTable(id: 11, ["limits", "requests"])
  static let probe = KeyTable(
    id: 12,
    [
      "exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "timeoutSeconds", "periodSeconds",
      "successThreshold", "failureThreshold", "terminationGracePeriodSeconds",
    ])
  static let lifecycle = KeyTable(id: 13, ["preStop", "postStart"])
  static let lifecycleHandler = KeyTable(id: 14, ["exec", "httpGet", "tcpSocket", "sleep"])
  static let execAction = KeyTable(id: 15, ["command"])
  static let httpGetAction = KeyTable(id: 16, ["path", "port", "host", "scheme"])
  static let tcpSocketAction = KeyTable(id: 17, ["port", "host"])
  static let grpcAction = KeyTable(id: 18, ["port", "service"])
  static let sleepAction = KeyTable(id: 19, ["seconds"])
  static let toleration = KeyTable(id: 20, ["key", "operator", "value", "effect", "tolerationSeconds"])
  static let taint = KeyTable(id: 21, ["key", "value", "effect"])
  static let status = KeyTable(
    id: 22,
    [
      "phase", "reason", "message", "conditions", "podIP", "hostIP", "startTime", "qosClass", "containerStatuses",
      "initContainerStatuses", "ephemeralContainerStatuses", "replicas", "updatedReplicas", "readyReplicas",
      "availableReplicas", "unavailableReplicas", "currentReplicas", "desiredNumberScheduled", "currentNumberScheduled",
      "numberReady", "updatedNumberScheduled", "numberAvailable", "numberMisscheduled", "active", "ready", "succeeded",
      "failed",
    ])
  static let condition = KeyTable(id: 23, ["type", "status", "reason", "message"])
  static let containerStatus = KeyTable(
    id: 24,
    [
      "name", "image", "state", "lastState", "ready", "started", "restartCount",
    ])
  static let containerState = KeyTable(id: 25, ["waiting", "running", "terminated", "termination"])
  static let waiting = KeyTable(id: 26, ["reason", "message"])
  static let running = KeyTable(id: 27, ["startedAt"])
  static let terminated = KeyTable(id: 28, ["exitCode", "signal", "reason", "message", "startedAt", "finishedAt"])
  static let v1beta1State = KeyTable(id: 29, ["host", "hostIP", "podIP", "info"])

  /// Every table, for the tests (`MemberMemoTests` holds their ids distinct).
  static var all: [KeyTable] {
    [
      object, document, metadata, ownerReference, objectReference, series, eventSource, spec, container, envVar,
      resources, probe, lifecycle, lifecycleHandler, execAction, httpGetAction, tcpSocketAction, grpcAction,
      sleepAction, toleration, taint, status, condition, containerStatus, containerState, waiting, running,
      terminated, v1beta1State,
    ]
  }
}
