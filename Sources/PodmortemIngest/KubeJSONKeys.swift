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

  init(_ keys: [String]) {
    precondition(keys.count <= 64, "a key table holds at most 64 keys (one bit each)")
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

/// The key tables, one per wire type in `KubeObjects.swift` (same names, same order as the fields).
enum KubeJSONKeys {
  static let objectKeys = [
    "apiVersion", "kind", "metadata", "type", "reason", "message", "note", "count", "firstTimestamp",
    "lastTimestamp", "eventTime", "series", "source", "reportingComponent", "reportingController",
    "reportingInstance", "involvedObject", "regarding", "deprecatedSource", "deprecatedFirstTimestamp",
    "deprecatedLastTimestamp", "deprecatedCount", "spec", "status", "code", "lastTransitionTime",
    "lastHeartbeatTime", "lastProbeTime", "id", "namespace", "currentState",
  ]
  static let object = KeyTable(objectKeys)
  /// A document's own keys follow the object's.
  static let document = KeyTable(objectKeys + ["object", "verb", "event", "items"])
  static let documentObject = objectKeys.count
  static let documentVerb = objectKeys.count + 1
  static let documentEvent = objectKeys.count + 2
  static let documentItems = objectKeys.count + 3

  static let metadata = KeyTable([
    "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "finalizers",
    "labels", "ownerReferences",
  ])
  static let ownerReference = KeyTable(["kind", "name", "controller"])
  static let objectReference = KeyTable(["kind", "namespace", "name", "uid", "fieldPath"])
  static let series = KeyTable(["count", "lastObservedTime"])
  static let eventSource = KeyTable(["component", "host"])
  static let spec = KeyTable([
    "nodeName", "containers", "initContainers", "ephemeralContainers", "terminationGracePeriodSeconds",
    "tolerations", "taints", "unschedulable", "replicas", "completions", "parallelism",
  ])
  static let container = KeyTable([
    "name", "image", "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resources",
    "env",
  ])
  static let envVar = KeyTable(["name"])
  static let resources = KeyTable(["limits", "requests"])
  static let probe = KeyTable([
    "exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "timeoutSeconds", "periodSeconds",
    "successThreshold", "failureThreshold", "terminationGracePeriodSeconds",
  ])
  static let lifecycle = KeyTable(["preStop", "postStart"])
  static let lifecycleHandler = KeyTable(["exec", "httpGet", "tcpSocket", "sleep"])
  static let execAction = KeyTable(["command"])
  static let httpGetAction = KeyTable(["path", "port", "host", "scheme"])
  static let tcpSocketAction = KeyTable(["port", "host"])
  static let grpcAction = KeyTable(["port", "service"])
  static let sleepAction = KeyTable(["seconds"])
  static let toleration = KeyTable(["key", "operator", "value", "effect", "tolerationSeconds"])
  static let taint = KeyTable(["key", "value", "effect"])
  static let status = KeyTable([
    "phase", "reason", "message", "conditions", "podIP", "hostIP", "startTime", "qosClass", "containerStatuses",
    "initContainerStatuses", "ephemeralContainerStatuses", "replicas", "updatedReplicas", "readyReplicas",
    "availableReplicas", "unavailableReplicas", "currentReplicas", "desiredNumberScheduled", "currentNumberScheduled",
    "numberReady", "updatedNumberScheduled", "numberAvailable", "numberMisscheduled", "active", "ready", "succeeded",
    "failed",
  ])
  static let condition = KeyTable(["type", "status", "reason", "message"])
  static let containerStatus = KeyTable([
    "name", "image", "state", "lastState", "ready", "started", "restartCount",
  ])
  static let containerState = KeyTable(["waiting", "running", "terminated", "termination"])
  static let waiting = KeyTable(["reason", "message"])
  static let running = KeyTable(["startedAt"])
  static let terminated = KeyTable(["exitCode", "signal", "reason", "message", "startedAt", "finishedAt"])
  static let v1beta1State = KeyTable(["host", "hostIP", "podIP", "info"])
}
