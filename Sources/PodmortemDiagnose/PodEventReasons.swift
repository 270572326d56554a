import PodmortemCorrelate

/// Which of the reasons rules ask a pod's events for its events carry, read once per pod.
///
/// Most rules begin by asking the pod for its events of one reason (`PodHistory.events(_:)`,
/// `hasEvent(of:)`), and most pods have none of them: each question read every event's `reason`
/// (a getter of another module, through the event's storage object) and compared it (`same`), about
/// 250 instructions an event, some thirteen times a pod (docs/architecture.md "Diagnosis: read a
/// pod once"). This reads each event's reason once, into a bit for each reason it is; a rule asks
/// the bit, and asks the pod's events as before only when it is set. An answer with the bit clear
/// is the query's by construction: no event has the reason, so the filter keeps none.
/// `PodEventReasonsTests` holds every bit to `PodHistory.same` (and `==` for the reasons compared
/// exactly) on hostile reasons.
package struct PodEventReasons: Sendable {
  /// A reason rules ask for, by `PodHistory.same` unless `exact` (compared with `==`).
  package enum Reason: Int, CaseIterable, Sendable {
    case deadlineExceeded, failedScheduling, sandboxChanged, evicted, nodeNotReady, killing
    case failed, failedSync, errImageNeverPull, backOff
    case failedPostStartHook, failedPreStopHook
    /// Compared with `==` (`SandboxFailingRule`'s filter), not `same`.
    case failedCreatePodSandBoxExactly, networkNotReadyExactly
    /// Compared with `==` (`VolumeMountFailingRule`'s filter), not `same`.
    case failedMountExactly, failedAttachVolumeExactly

    /// The reason as rules spell it.
    package var text: String {
      switch self {
      case .deadlineExceeded: "DeadlineExceeded"
      case .failedScheduling: "FailedScheduling"
      case .sandboxChanged: "SandboxChanged"
      case .evicted: "Evicted"
      case .nodeNotReady: "NodeNotReady"
      case .killing: "Killing"
      case .failed: "Failed"
      case .failedSync: "FailedSync"
      case .errImageNeverPull: "ErrImageNeverPull"
      case .backOff: "BackOff"
      case .failedPostStartHook: "FailedPostStartHook"
      case .failedPreStopHook: "FailedPreStopHook"
      case .failedCreatePodSandBoxExactly: "FailedCreatePodSandBox"
      case .networkNotReadyExactly: "NetworkNotReady"
      case .failedMountExactly: "FailedMount"
      case .failedAttachVolumeExactly: "FailedAttachVolume"
      }
    }

    /// Whether the reason is compared with `==` rather than `PodHistory.same`.
    var exact: Bool {
      switch self {
      case .failedCreatePodSandBoxExactly, .networkNotReadyExactly, .failedMountExactly, .failedAttachVolumeExactly:
        true
      default: false
      }
    }

    var bit: UInt32 { 1 << UInt32(rawValue) }
  }

  /// The bits of the reasons some event of the pod has.
  private let bits: UInt32

  /// The reasons of `pod`'s events, each event's `reason` read once.
  package init(_ pod: borrowing PodHistory) {
    var bits: UInt32 = 0
    for i in pod.events.indices { bits |= Self.bits(of: pod.events[i].reason) }
    self.bits = bits
  }

  /// Every reason set: a rule given it asks the pod's events every time, as before the bits (the
  /// reference `PodEventReasonsTests` holds the rules to).
  static let every = PodEventReasons(bits: ~0)

  private init(bits: UInt32) { self.bits = bits }

  /// Whether an event of the pod has `reason`: when not, `pod.events(reason.text)` and
  /// `pod.events(reason.text, container:)` are empty for every container.
  package func has(_ reason: Reason) -> Bool { bits & reason.bit != 0 }

  /// Whether an event of the pod has one of `reasons` (`PodHistory.hasEvent(of:)`).
  package func hasAny(_ reasons: [Reason]) -> Bool {
    bits & Self.mask(reasons) != 0
  }

  /// `hasAny(reasons)` for `mask` = `mask(reasons)`, worked out once by the rule that asks
  /// (`ImagePullFailingRule`: the list, built and walked for every pod, was about 60 instructions
  /// a pod; docs/architecture.md "Speed of the other rules").
  package func hasAny(mask: UInt32) -> Bool { bits & mask != 0 }

  /// The bits of `reasons`.
  package static func mask(_ reasons: [Reason]) -> UInt32 {
    var mask: UInt32 = 0
    for r in reasons { mask |= r.bit }
    return mask
  }

  /// The reasons' UTF-8 bytes, by raw value.
  private static let spelled: [[UInt8]] = Reason.allCases.map { Array($0.text.utf8) }

  /// The bits of the reasons `recorded` is. An ASCII reason (every one the kubelet and the
  /// controllers write) is decided on its bytes: two ASCII strings are `==` exactly when their
  /// bytes are (no ASCII character decomposes or composes), so `same` is their bytes equal, or,
  /// when the first is a lower case letter, equal with that letter upper cased (the reasons are
  /// letters only, so the character counts `same` compares are then equal too). Any other text
  /// asks `same` and `==` as the queries do.
  static func bits(of recorded: String) -> UInt32 {
    if let decided = recorded.utf8.withContiguousStorageIfAvailable({ asciiBits($0) }), let decided {
      return decided
    }
    return bitsAsked(of: recorded)
  }

  /// `bits(of:)` by asking `same` (or `==`) of every reason: the reference, and the answer for a
  /// text that is not ASCII.
  static func bitsAsked(of recorded: String) -> UInt32 {
    var bits: UInt32 = 0
    for r in Reason.allCases {
      let matches = r.exact ? recorded == r.text : PodHistory.same(recorded, r.text)
      if matches { bits |= r.bit }
    }
    return bits
  }

  /// The bits of an ASCII `recorded`, or nil when a byte is not ASCII.
  private static func asciiBits(_ b: UnsafeBufferPointer<UInt8>) -> UInt32? {
    for byte in b where byte >= 0x80 { return nil }
    guard let first = b.first else { return 0 }
    let lower = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
    let upper = lower ? first - 0x20 : first
    var bits: UInt32 = 0
    for r in spelled.indices {
      let s = spelled[r]
      guard s.count == b.count else { continue }
      let exact = first == s[0]
      // The lower case first letter counts only for `same`.
      let folded = lower && upper == s[0] && !(Reason(rawValue: r)?.exact ?? true)
      guard exact || folded else { continue }
      var equal = true
      for k in 1..<s.count where s[k] != b[k] {
        equal = false
        break
      }
      if equal { bits |= 1 << UInt32(r) }
    }
    return bits
  }
}
