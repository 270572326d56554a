import Foundation

/// Which of a describe's key sets a field's key is in (`DescribeBlock.topKeys`, `containerKeys`,
/// `stateKeys`, `stateLabels`), read from its bytes (docs/architecture.md "Speed of the describe
/// path").
///
/// Nearly every line of a describe is a `Key:  value` field, and the block asks one or two of
/// those sets about its key. A `Set<Substring>` hashes the key with SipHash on every question; here
/// an ASCII key is looked up once, in a table of every key of the four sets addressed by its length
/// and three of its bytes, and compared with `memcmp`. On ASCII two strings are equal exactly when
/// their bytes are (no ASCII text has another canonically equivalent spelling), so the answer is
/// the sets' own; a key with a byte ≥ 0x80 asks the sets. `DescribeKeysTests` compares both on
/// every sample line and on seeded random keys.
struct DescribeKeyKind: OptionSet, Equatable {
  let rawValue: UInt8
  static let top = DescribeKeyKind(rawValue: 1)
  static let container = DescribeKeyKind(rawValue: 2)
  static let state = DescribeKeyKind(rawValue: 4)
  static let stateLabel = DescribeKeyKind(rawValue: 8)
}

/// The keys `DescribeBlock` switches on (`topField`, `containerFieldLine`, `stateField`), one case
/// each: the block switches on the case `DescribeKeys.key` finds for a line's key instead of on
/// `String(key)`, whose `switch` compared the key with each label in turn until one matched
/// (docs/architecture.md "Speed of the describe path").
enum DescribeKey: String, CaseIterable {
  case name = "Name"
  case namespace = "Namespace"
  case node = "Node"
  case host = "Host"
  case startTime = "Start Time"
  case labels = "Labels"
  case annotations = "Annotations"
  case status = "Status"
  case terminationGracePeriod = "Termination Grace Period"
  case reason = "Reason"
  case message = "Message"
  case ip = "IP"
  case ips = "IPs"
  case controlledBy = "Controlled By"
  case initContainers = "Init Containers"
  case containers = "Containers"
  case ephemeralContainers = "Ephemeral Containers"
  case conditions = "Conditions"
  case readinessGates = "Readiness Gates"
  case volumes = "Volumes"
  case qosClass = "QoS Class"
  case nodeSelectors = "Node-Selectors"
  case tolerations = "Tolerations"
  case events = "Events"
  case taints = "Taints"
  case holderIdentity = "HolderIdentity"
  case unschedulable = "Unschedulable"
  case roles = "Roles"
  case systemInfo = "System Info"
  case capacity = "Capacity"
  case allocatable = "Allocatable"
  case nonTerminatedPods = "Non-terminated Pods"
  case allocatedResources = "Allocated resources"
  case lease = "Lease"
  case addresses = "Addresses"
  case podCIDR = "PodCIDR"
  case podCIDRs = "PodCIDRs"
  case providerID = "ProviderID"
  case replicas = "Replicas"
  case podsStatus = "Pods Status"
  case podsStatuses = "Pods Statuses"
  case podTemplate = "Pod Template"
  case strategyType = "StrategyType"
  case newReplicaSet = "NewReplicaSet"
  case oldReplicaSets = "OldReplicaSets"
  case rollingUpdateStrategy = "RollingUpdateStrategy"
  case updateStrategy = "Update Strategy"
  case volumeClaims = "Volume Claims"
  case partition = "Partition"
  case desiredNumberOfNodesScheduled = "Desired Number of Nodes Scheduled"
  case parallelism = "Parallelism"
  case completions = "Completions"
  case completionMode = "Completion Mode"
  case backoffLimit = "Backoff Limit"
  case schedule = "Schedule"
  case concurrencyPolicy = "Concurrency Policy"
  case image = "Image"
  case state = "State"
  case lastState = "Last State"
  case lastTerminationState = "Last Termination State"
  case ready = "Ready"
  case restartCount = "Restart Count"
  case limits = "Limits"
  case requests = "Requests"
  case liveness = "Liveness"
  case readiness = "Readiness"
  case startup = "Startup"
  case environment = "Environment"
  case environmentVariables = "Environment Variables"
  case restartPolicy = "Restart Policy"
  case exitCode = "Exit Code"
  case signal = "Signal"
  case started = "Started"
  case finished = "Finished"
}

extension DescribeKey {
  /// True when a line whose field has this key (in ASCII, its bytes the label's) is no kubectl
  /// command: its first word (the label and its colon, or the label's first word) is one that
  /// `KubectlCommand.firstWordRejects` rejects, whatever follows. `KubectlTextParser.isBoundary`
  /// asks it of the lines it reads afresh (a pod's `Name:`, `IP:` and `Events:` lines) instead of
  /// reading their first word again.
  var opensNoCommand: Bool {
    switch self {
    default: return true
    }
  }
}

enum DescribeKeys {
  /// `DescribeKey(rawValue: String(key))`: the case whose label `key` is, as the `switch` on the
  /// string found it, looked up in the same table as `kind`. An ASCII key's bytes are compared; a
  /// key with a byte ≥ 0x80 (which may equal a label canonically) is compared as a `String`.
  static func key(_ key: Substring) -> DescribeKey? {
    let raw =
      key.utf8.withContiguousStorageIfAvailable { bytes -> UInt8 in
        guard KubectlBytes.isASCII(bytes) else { return notASCII }
        guard bytes.count > 0, bytes.count <= Table.maxLength else { return 0 }
        return table.key(bytes)
      } ?? notASCII
    if raw == notASCII { return DescribeKey(rawValue: String(key)) }
    return raw == 0 ? nil : DescribeKey.allCases[Int(raw) - 1]
  }

  /// `(kind(key), key(key))` from one search of the table: a line read afresh asked both, and
  /// each searched it (docs/architecture.md "Speed of the describe path"). `DescribeKeysTests`
  /// holds it to the two.
  static func lookUp(_ key: Substring) -> (kind: DescribeKeyKind, key: DescribeKey?) {
    let raw =
      key.utf8.withContiguousStorageIfAvailable { bytes -> (UInt8, UInt8) in
        guard KubectlBytes.isASCII(bytes) else { return (notASCII, 0) }
        guard bytes.count > 0, bytes.count <= Table.maxLength else { return (0, 0) }
        return table.entry(bytes)
      } ?? (notASCII, 0)
    if raw.0 == notASCII { return (setKind(key), DescribeKey(rawValue: String(key))) }
    return (DescribeKeyKind(rawValue: raw.0), raw.1 == 0 ? nil : DescribeKey.allCases[Int(raw.1) - 1])
  }

  /// The sets `key` is in.
  static func kind(_ key: Substring) -> DescribeKeyKind {
    let raw = key.utf8.withContiguousStorageIfAvailable { kind(bytes: $0) } ?? notASCII
    return raw == notASCII ? setKind(key) : DescribeKeyKind(rawValue: raw)
  }

  /// The sets `key` is in, asked of the sets themselves: the reference, and the answer for a key
  /// that is not ASCII or not contiguous.
  static func setKind(_ key: Substring) -> DescribeKeyKind {
    var kind: DescribeKeyKind = []
    if DescribeBlock.topKeys.contains(key) { kind.insert(.top) }
    if DescribeBlock.containerKeys.contains(key) { kind.insert(.container) }
    if DescribeBlock.stateKeys.contains(key) { kind.insert(.state) }
    if DescribeBlock.stateLabels.contains(key) { kind.insert(.stateLabel) }
    return kind
  }

  /// What `kind(bytes:)` answers for bytes that are not all ASCII: no kind has these bits.
  private static let notASCII: UInt8 = 0xFF

  /// The table's answer for ASCII bytes (the kinds' raw value); `notASCII` when a byte is not.
  private static func kind(bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
    guard KubectlBytes.isASCII(bytes) else { return notASCII }
    // No key of the sets is empty or longer than `maxLength`; such a key is in none.
    guard bytes.count > 0, bytes.count <= Table.maxLength else { return 0 }
    return table.find(bytes)
  }

  /// Every key of the four sets with the sets it is in, and every `DescribeKey` label with its
  /// case, open-addressed by `Table.slot`.
  private static let table = Table()

  struct Table {
    /// Longer than any key of the sets.
    static let maxLength = 63
    private static let size = 512
    /// All keys' bytes, one after another.
    private let bytes: [UInt8]
    /// Per slot: the key's offset in `bytes`, its length (0: empty slot), its kinds and its
    /// `DescribeKey` (1 + the case's index in `allCases`; 0: none).
    private let offsets: [UInt16]
    private let lengths: [UInt8]
    private let kinds: [UInt8]
    private let keys: [UInt8]

    init() {
      var all: [Substring: DescribeKeyKind] = [:]
      for key in DescribeBlock.topKeys { all[key, default: []].insert(.top) }
      for key in DescribeBlock.containerKeys { all[key, default: []].insert(.container) }
      for key in DescribeBlock.stateKeys { all[key, default: []].insert(.state) }
      for key in DescribeBlock.stateLabels { all[key, default: []].insert(.stateLabel) }
      var ids: [Substring: UInt8] = [:]
      for (i, key) in DescribeKey.allCases.enumerated() {
        ids[Substring(key.rawValue)] = UInt8(i + 1)
        if all[Substring(key.rawValue)] == nil { all[Substring(key.rawValue)] = [] }
      }
      var bytes: [UInt8] = []
      var offsets = [UInt16](repeating: 0, count: Self.size)
      var lengths = [UInt8](repeating: 0, count: Self.size)
      var kinds = [UInt8](repeating: 0, count: Self.size)
      var keys = [UInt8](repeating: 0, count: Self.size)
      // Sorted, so the table is the same on every run.
      for (key, kind) in all.sorted(by: { $0.key < $1.key }) {
        let utf8 = Array(key.utf8)
        precondition(!utf8.isEmpty && utf8.count <= Self.maxLength && utf8.allSatisfy { $0 < 0x80 })
        var slot = utf8.withUnsafeBufferPointer { Self.slot($0) }
        while lengths[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
        offsets[slot] = UInt16(bytes.count)
        lengths[slot] = UInt8(utf8.count)
        kinds[slot] = kind.rawValue
        keys[slot] = ids[key] ?? 0
        bytes += utf8
      }
      self.bytes = bytes
      self.offsets = offsets
      self.lengths = lengths
      self.kinds = kinds
      self.keys = keys
    }

    /// The slot a key of 1…`maxLength` bytes starts its search at: its length, first, middle and
    /// last bytes mixed.
    @inline(__always) private static func slot(_ p: UnsafeBufferPointer<UInt8>) -> Int {
      let n = p.count
      var h = UInt32(truncatingIfNeeded: n) &* 0x9E37_79B1
      h = (h ^ UInt32(p[0])) &* 0x0100_0193
      h = (h ^ UInt32(p[n >> 1])) &* 0x0100_0193
      h = (h ^ UInt32(p[n - 1])) &* 0x0100_0193
      return Int(truncatingIfNeeded: (h ^ (h >> 15))) & (size - 1)
    }

    /// The kinds (raw value) of the 1…`maxLength` ASCII bytes `p`: 0 when no key of the sets is
    /// those bytes.
    func find(_ p: UnsafeBufferPointer<UInt8>) -> UInt8 {
      let slot = self.slot(of: p)
      return slot < 0 ? 0 : kinds[slot]
    }

    /// The `DescribeKey` (1 + its index) of the 1…`maxLength` ASCII bytes `p`: 0 when no label is
    /// those bytes.
    func key(_ p: UnsafeBufferPointer<UInt8>) -> UInt8 {
      let slot = self.slot(of: p)
      return slot < 0 ? 0 : keys[slot]
    }

    /// `(find(p), key(p))` from one search.
    func entry(_ p: UnsafeBufferPointer<UInt8>) -> (UInt8, UInt8) {
      let slot = self.slot(of: p)
      return slot < 0 ? (0, 0) : (kinds[slot], keys[slot])
    }

    /// The slot holding the 1…`maxLength` bytes `p`; -1 when none does.
    private func slot(of p: UnsafeBufferPointer<UInt8>) -> Int {
      let n = p.count
      var slot = Self.slot(p)
      return lengths.withUnsafeBufferPointer { lengths in
        bytes.withUnsafeBufferPointer { bytes in
          guard let held = bytes.baseAddress, let asked = p.baseAddress else { return -1 }
          while true {
            let length = Int(lengths[slot])
            if length == 0 { return -1 }
            if length == n, memcmp(held + Int(offsets[slot]), asked, n) == 0 { return slot }
            slot = (slot + 1) & (Self.size - 1)
          }
        }
      }
    }
  }
}
