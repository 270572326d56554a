import PodmortemText

/// Positions placed by a 64-bit mix of a key's bytes (`UTF8Bytes.mixed`), open-addressed with
/// linear probing: each slot holds the mix's top 32 bits and the position plus one (zero is an
/// empty slot), and is placed by those 32 bits alone, so the table grows without mixing a key
/// again. The caller keeps the keys and says which positions match: the slots only say where to
/// look, so a collision costs a comparison, never an answer.
///
/// The mix has no secret seed, so input can be made whose keys all mix alike (a pod name is
/// whatever the input says): linear probing would then walk every key held for every key asked,
/// quadratic in the keys, where `Set` and `Dictionary` hash with a seed chosen per process. So no
/// look walks more than `longestWalk` slots: past that it says `crowded`, and so does the table
/// once a key had to be placed that far from its home, and the caller answers from then on with
/// the `Set` or `Dictionary` it replaced. Keys mixed at random put a key that far with a
/// probability far below 2⁻⁴⁰ in a table at most half full, so real input keeps the slots
/// (docs/architecture.md "Speed of the EventList path").
struct MixedSlots {
  private var slots: [UInt64] = []
  /// The positions held.
  private(set) var count = 0
  /// Whether a key was placed more than `longestWalk` slots from its home.
  private(set) var crowded = false

  /// The most slots a look walks before it answers `crowded`.
  static let longestWalk = 64

  /// What a look found.
  enum Look: Equatable {
    /// The slot holding the first position `matches` accepted, in probe order.
    case held(slot: Int, position: Int)
    /// No position of this mix is accepted.
    case absent
    /// The walk reached `within` slots without an answer.
    case crowded
  }

  private static func tag(_ mix: UInt64) -> UInt64 { mix >> 32 }

  /// Room for `count` positions without growing.
  mutating func reserve(_ count: Int) {
    guard count > 0, count < Int(UInt32.max) / 2, slots.isEmpty else { return }
    var size = 16
    while size < count * 2 { size *= 2 }
    slots = [UInt64](repeating: 0, count: size)
  }

  /// The first position of `mix` that `matches` accepts, walking at most `within` slots (the
  /// tests walk without a limit, to hold the table to a scan).
  func look(_ mix: UInt64, within: Int = longestWalk, _ matches: (Int) -> Bool) -> Look {
    guard !slots.isEmpty else { return .absent }
    let tag = Self.tag(mix)
    let mask = slots.count - 1
    var at = Int(truncatingIfNeeded: tag) & mask
    var walked = 0
    while walked < within {
      let held = slots[at]
      if held == 0 { return .absent }
      if held >> 32 == tag {
        let position = Int(truncatingIfNeeded: held & 0xFFFF_FFFF) - 1
        if matches(position) { return .held(slot: at, position: position) }
      }
      at = (at + 1) & mask
      walked += 1
    }
    return .crowded
  }

  /// Whether one more position fits: positions are held in 32 bits.
  var hasRoom: Bool { count < Int(UInt32.max) - 1 }

  /// Holds `position` (below `UInt32.max - 1`, `hasRoom`) under `mix`; the table is kept at most
  /// half full, doubled when it would pass that.
  mutating func insert(_ mix: UInt64, position: Int) {
    precondition(position >= 0 && position < Int(UInt32.max) - 1, "a position held in 32 bits")
    if (count + 1) * 2 > slots.count { grow() }
    place(Self.tag(mix) << 32 | UInt64(position + 1))
    count += 1
  }

  /// Gives the slot `look` returned another position, under the same mix.
  mutating func replace(slot: Int, position: Int) {
    precondition(position >= 0 && position < Int(UInt32.max) - 1, "a position held in 32 bits")
    slots[slot] = slots[slot] & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
  }

  /// Places an entry in the first empty slot from its home. A table at most half full always has
  /// one; once the table is `crowded` its caller stops using it, so a walk is long at most once
  /// per entry of one growth.
  private mutating func place(_ entry: UInt64) {
    let mask = slots.count - 1
    var at = Int(truncatingIfNeeded: entry >> 32) & mask
    var walked = 0
    while slots[at] != 0 {
      at = (at + 1) & mask
      walked += 1
    }
    if walked >= Self.longestWalk { crowded = true }
    slots[at] = entry
  }

  private mutating func grow() {
    let old = slots
    slots = [UInt64](repeating: 0, count: Swift.max(16, old.count * 2))
    for entry in old where entry != 0 { place(entry) }
  }
}

extension Correlator {
  /// The finish's set of the pods known by name (`Set<PodName>`, whose `insert` and
  /// `contains(where:)` it answers), placed by the bytes of the name while every name met is
  /// ASCII, and matched by `==` (name and namespace, as the set matched them): an ASCII name is
  /// `==` to another ASCII name exactly when their bytes are equal, so equal names have one place,
  /// and a name is held exactly when the set would hold it. The set hashed each name with SipHash
  /// and rehashed every name it held at each doubling, 8.0M instructions for the 6,648 events of
  /// the 8 MiB EventList (callgrind, docs/architecture.md "Speed of the EventList path"). At the
  /// first name that is not ASCII (a Kelvin sign is `==` to `K`, so an ASCII name can equal one
  /// that is not), the names held become the set (no two of them equal, so it holds them all) and
  /// the set answers from then on. `KnownPodNamesTests` holds it to `Set<PodName>`.
  struct KnownPodNames {
    private var names: [PodName] = []
    private var slots = MixedSlots()
    private var set: Set<PodName>?

    init() {}

    init<S: Sequence>(_ names: S) where S.Element == PodName {
      let room = names.underestimatedCount
      self.names.reserveCapacity(room)
      slots.reserve(room)
      for name in names { insert(name) }
    }

    /// `Set.insert(_:).inserted`: false when a name equal to `name` is held.
    @discardableResult
    mutating func insert(_ name: PodName) -> Bool {
      if set == nil {
        if slots.hasRoom, ASCIISearch.isContiguousASCII(name.name) {
          // Placed by the name's bytes, matched by `==`: every name held is ASCII, and an ASCII
          // name is `==` to another ASCII name exactly when their bytes are equal, so equal names
          // have one mix; the namespace is not placed by, and is compared as the set compared it.
          let mix = UTF8Bytes.mixed(name.name)
          let look = names.withUnsafeBufferPointer { names in
            slots.look(mix) { at in names[at].name == name.name && names[at].namespace == name.namespace }
          }
          switch look {
          case .held: return false
          case .absent:
            slots.insert(mix, position: names.count)
            names.append(name)
            // Placed far from its home: the set answers from the next name on (`MixedSlots`).
            if slots.crowded { becomeSet() }
            return true
          case .crowded: break
          }
        }
        becomeSet()
      }
      return set?.insert(name).inserted ?? false
    }

    /// Whether the names are held in the set, not the slots (a name that is not ASCII was met, or
    /// the slots were `crowded`).
    var bySet: Bool { self.set != nil }

    /// The names held, moved into the set, which answers from then on: no two of them are equal,
    /// so the set holds them all.
    private mutating func becomeSet() {
      guard set == nil else { return }
      set = Set(names)
      names = []
      slots = MixedSlots()
    }

    /// `Set.contains(where:)`: whether any name held satisfies `test`.
    func contains(where test: (PodName) -> Bool) -> Bool {
      if let set { return set.contains(where: test) }
      return names.contains(where: test)
    }

    /// Frees what is held.
    mutating func removeAll() {
      names = []
      slots = MixedSlots()
      set = nil
    }
  }
}
