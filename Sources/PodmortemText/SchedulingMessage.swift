import PodmortemModel

/// A scheduler `FailedScheduling` message taken apart (docs/kubernetes.md §9.2): the one piece of
/// Kubernetes wording whose structure (a histogram of filter verdicts) a regex cannot return, so it
/// is recognised here, in the text module, beside the describe probe line, and rules read the result.
///
/// `FitError.Error()` writes `0/N nodes are available:`, then either a prefilter message or the
/// histogram of filter reasons (`"%d %s"` entries sorted as strings, joined by `, `, ending in `.`),
/// then optionally ` preemption: ` and the post-filter histogram. The event copy is truncated to
/// 1024 bytes with a ` ...` suffix; the PodScheduled condition keeps the whole text. A node can
/// fail several filters, so counts may add up to more than N.
package struct SchedulingMessage: Hashable, Sendable {
  /// One histogram entry: `2 Insufficient cpu`.
  package struct Entry: Hashable, Sendable {
    package var count: Int
    package var text: String
    package var reason: SchedulingReason
  }

  package var totalNodes: Int
  package var entries: [Entry]
  /// The prefilter message that replaces the histogram (`pod has unbound immediate PersistentVolumeClaims`).
  package var prefilter: String?
  /// The preemption histogram, if the message has a `preemption:` part.
  package var preemption: [Entry]?
  /// The message ended in ` ...`: entries after the cut are missing.
  package var truncated: Bool

  /// True when preemption was tried and no node can be freed (every entry is a "not helpful" or
  /// "no victims" verdict).
  package var preemptionCannotHelp: Bool {
    guard let preemption, !preemption.isEmpty else { return false }
    return preemption.allSatisfy { $0.reason == .preemptionNotHelpful || $0.reason == .noPreemptionVictims }
  }

  /// Parses `0/N nodes are available: …`; nil for any other text.
  ///
  /// Foundation's `trimmingCharacters`, `range(of:)` and `components(separatedBy:)` went through
  /// NSString: about 400,000 instructions for one 250-byte message, a tenth of diagnosing 1,000
  /// describes (callgrind; docs/architecture.md "Diagnosis: read a pod once"). Where the bytes
  /// give Foundation's answer they are asked instead: the ends trimmed only when they can be
  /// whitespace (`trimmed`), and on an ASCII text the searches and the split by bytes
  /// (`ASCIISearch`, whose reasoning the split shares). Any other text asks Foundation, as before;
  /// `SchedulingMessageFastPathTests` keeps the Foundation parse as the reference.
  package init?(_ message: String) {
    var text = Self.trimmed(message)
    truncated = text.hasSuffix(" ...")
    if truncated { text = text.dropLast(4) }
    var preemptionText: Substring?
    if let range = Self.range(of: " preemption: ", in: text) {
      preemptionText = text[range.upperBound...]
      text = text[..<range.lowerBound]
    }
    guard let (total, body) = Self.header(text) else { return nil }
    totalNodes = total
    let trimmedBody = body.drop { $0 == " " }
    if let first = trimmedBody.first, first.isNumber {
      entries = Self.histogram(trimmedBody, cutOff: truncated && preemptionText == nil)
      prefilter = nil
    } else {
      entries = []
      let stripped = trimmedBody.hasSuffix(".") ? trimmedBody.dropLast() : trimmedBody
      prefilter = stripped.isEmpty ? nil : String(stripped)
    }
    if let preemptionText, let (_, body) = Self.header(preemptionText) {
      preemption = Self.histogram(body.drop { $0 == " " }, cutOff: truncated)
    } else {
      preemption = nil
    }
  }

  /// `Substring(message.trimmingCharacters(in: .whitespaces))`. A message whose first and last
  /// bytes are printable ASCII other than a space has nothing to trim: each is a character of its
  /// own (no combining mark joins it from outside the text) and none is whitespace. Any other
  /// end asks Foundation.
  static func trimmed(_ message: String) -> Substring {
    let bytes = message.utf8
    if let first = bytes.first, let last = bytes.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
      return message[...]
    }
    return Substring(message.trimmingCharacters(in: .whitespaces))
  }

  /// `text.range(of: needle)`, from the bytes when they can say (`ASCIISearch.range`).
  static func range(of needle: String, in text: Substring) -> Range<String.Index>? {
    ASCIISearch.range(of: needle, in: text) ?? text.range(of: needle)
  }

  /// `text.components(separatedBy: ", ")`. On an ASCII text split where the separator's bytes
  /// occur, left to right: every ASCII character is one byte and one `Character`, and a CR LF
  /// pair cannot be cut by a separator that holds neither (`ASCIISearch`). Any other text asks
  /// Foundation.
  static func pieces(_ text: Substring) -> [String] {
    let split = text.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
      guard ASCIISearch.isASCII(bytes) else { return nil }
      var pieces: [String] = []
      var start = 0
      var at = 0
      while at + 1 < bytes.count {
        if bytes[at] == UInt8(ascii: ","), bytes[at + 1] == UInt8(ascii: " ") {
          pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
          at += 2
          start = at
        } else {
          at += 1
        }
      }
      pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
      return pieces
    }
    return (split ?? nil) ?? text.components(separatedBy: ", ")
  }

  /// `0/3 nodes are available:` → 3 and the rest.
  private static func header(_ text: Substring) -> (Int, Substring)? {
    guard text.hasPrefix("0/"), let marker = range(of: " nodes are available:", in: text) else { return nil }
    // Node counts are summed: past int32 the message is not one the scheduler wrote.
    guard let total = Plausible.int32(text[text.index(text.startIndex, offsetBy: 2)..<marker.lowerBound]) else {
      return nil
    }
    return (total, text[marker.upperBound...])
  }

  /// Splits `1 a, 2 b.` into entries. A piece that does not start with a count belongs to the
  /// previous entry (a taint value may hold `, `). With `cutOff` the last entry may be partial and is dropped.
  private static func histogram(_ body: Substring, cutOff: Bool) -> [Entry] {
    var pieces: [String] = []
    for piece in Self.pieces(body) {
      let count = piece.prefix { $0.isNumber }
      if !count.isEmpty, piece.dropFirst(count.count).hasPrefix(" ") || pieces.isEmpty {
        pieces.append(piece)
      } else if let last = pieces.popLast() {
        pieces.append(last + ", " + piece)
      }
    }
    if cutOff, !pieces.isEmpty { pieces.removeLast() }
    return pieces.compactMap { piece in
      let countText = piece.prefix { $0.isNumber }
      guard let count = Plausible.int32(countText), count >= 0 else { return nil }
      var reasonText = piece.dropFirst(countText.count).drop { $0 == " " }
      if reasonText.hasSuffix(".") { reasonText = reasonText.dropLast() }
      let text = String(reasonText)
      return Entry(count: count, text: text, reason: SchedulingReason(text))
    }
  }
}

/// A scheduler filter or post-filter reason (docs/kubernetes.md §9.2) and what to do about it.
package enum SchedulingReason: Hashable, Sendable {
  case insufficient(resource: String)
  case tooManyPods
  case untoleratedTaint(taint: String)
  case nodeAffinity
  case unschedulable
  case noFreePorts
  case podAffinity
  case podAntiAffinity
  case existingPodsAntiAffinity
  case topologySpread
  case volumeNodeAffinityConflict
  case noPersistentVolumes
  case notEnoughStorage
  case noVolumeZone
  case maxVolumeCount
  case unboundPVCs
  case preemptionNotHelpful
  case noPreemptionVictims
  case other(String)

  /// The reasons known by their text's start, in the order they are tried: built once, not for
  /// every entry of every message.
  private static let known: [(String, SchedulingReason)] = [
    ("Too many pods", .tooManyPods),
    ("node(s) didn't match Pod's node affinity/selector", .nodeAffinity),
    ("node(s) were unschedulable", .unschedulable),
    ("node(s) didn't have free ports for the requested pod ports", .noFreePorts),
    ("node(s) didn't match pod affinity rules", .podAffinity),
    ("node(s) didn't match pod anti-affinity rules", .podAntiAffinity),
    ("node(s) didn't satisfy existing pods anti-affinity rules", .existingPodsAntiAffinity),
    ("node(s) didn't match pod topology spread constraints", .topologySpread),
    ("node(s) had volume node affinity conflict", .volumeNodeAffinityConflict),
    ("node(s) didn't find available persistent volumes to bind", .noPersistentVolumes),
    ("node(s) did not have enough free storage", .notEnoughStorage),
    ("node(s) had no available volume zone", .noVolumeZone),
    ("node(s) exceed max volume count", .maxVolumeCount),
    ("pod has unbound immediate PersistentVolumeClaims", .unboundPVCs),
    ("Preemption is not helpful for scheduling", .preemptionNotHelpful),
    ("No preemption victims found for incoming pod", .noPreemptionVictims),
  ]

  package init(_ text: String) {
    if let match = Self.known.first(where: { text.hasPrefix($0.0) }) {
      self = match.1
    } else if text.hasPrefix("Insufficient ") {
      self = .insufficient(resource: String(text.dropFirst("Insufficient ".count)))
    } else if text.hasPrefix("node(s) had untolerated taint") {
      let taint = text.drop { $0 != "{" }
      self = .untoleratedTaint(taint: String(taint))
    } else {
      self = .other(text)
    }
  }

  /// A stable id for facts: `insufficient-cpu`, `untolerated-taint` …
  package var id: String {
    switch self {
    case .insufficient(let resource): "insufficient-\(resource)"
    case .tooManyPods: "too-many-pods"
    case .untoleratedTaint: "untolerated-taint"
    case .nodeAffinity: "node-affinity"
    case .unschedulable: "node-unschedulable"
    case .noFreePorts: "no-free-ports"
    case .podAffinity: "pod-affinity"
    case .podAntiAffinity: "pod-anti-affinity"
    case .existingPodsAntiAffinity: "existing-pods-anti-affinity"
    case .topologySpread: "topology-spread"
    case .volumeNodeAffinityConflict: "volume-node-affinity-conflict"
    case .noPersistentVolumes: "no-persistent-volumes"
    case .notEnoughStorage: "not-enough-storage"
    case .noVolumeZone: "no-volume-zone"
    case .maxVolumeCount: "max-volume-count"
    case .unboundPVCs: "unbound-pvcs"
    case .preemptionNotHelpful: "preemption-not-helpful"
    case .noPreemptionVictims: "no-preemption-victims"
    case .other: "other"
    }
  }

  /// What to do next about nodes rejected for this reason.
  package var nextStep: String {
    switch self {
    case .insufficient(let resource):
      "lower the pod's \(resource) requests, free \(resource) on the nodes, or add nodes "
        + "('kubectl describe nodes' shows Allocated resources)"
    case .tooManyPods: "the nodes are at their max-pods; add nodes or raise the kubelet's maxPods"
    case .untoleratedTaint(let taint):
      "add a toleration for \(taint.isEmpty ? "the taint" : "'\(taint)'") or schedule to untainted nodes"
    case .nodeAffinity:
      "no node has the labels the pod's nodeSelector/nodeAffinity asks for; fix the selector or label a node"
    case .unschedulable: "the nodes are cordoned; 'kubectl uncordon' them or add nodes"
    case .noFreePorts: "another pod holds the requested hostPort on those nodes; drop hostPort or spread the pods"
    case .podAffinity: "no node runs the pods this pod's podAffinity requires"
    case .podAntiAffinity: "the pod's podAntiAffinity excludes every candidate node; relax it or add nodes"
    case .existingPodsAntiAffinity: "pods already on those nodes repel this one with their anti-affinity"
    case .topologySpread:
      "placing the pod would exceed maxSkew; add nodes in the short zones or relax whenUnsatisfiable"
    case .volumeNodeAffinityConflict:
      "the pod's PersistentVolume is pinned to another zone or node; schedule there or recreate the volume"
    case .noPersistentVolumes:
      "no PersistentVolume matches the claim on those nodes; create one or fix the StorageClass"
    case .notEnoughStorage: "the nodes' local storage capacity is too small for the claim"
    case .noVolumeZone: "the volume's zone has no usable node"
    case .maxVolumeCount: "the nodes have reached their attachable-volume limit"
    case .unboundPVCs: "a PersistentVolumeClaim is not bound; 'kubectl describe pvc' shows why"
    case .preemptionNotHelpful: "evicting lower-priority pods would not make these nodes fit"
    case .noPreemptionVictims: "no lower-priority pods could be evicted on these nodes"
    case .other: "see the scheduler's message"
    }
  }
}
