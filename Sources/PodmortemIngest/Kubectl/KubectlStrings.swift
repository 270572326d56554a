import Foundation
import PodmortemModel
import PodmortemText

/// The strings of the records a kubectl text paste emits, shared where their bytes repeat
/// (docs/architecture.md "Speed of the describe path").
///
/// The records a describe yields keep their cited lines (every parsed field, every Events row) and
/// the values they read: 10,000 describes of a deployment's pods repeat most of them verbatim
/// (`    Ready:          False`, a probe line, `Started container worker`, an image). Each is
/// looked up once more as its record leaves the parser (`SharedBytes`: the latest string read per
/// hash of its bytes), so the records held until the report share one copy of each repeated text
/// instead of a copy per line. A string is shared only with one of the same bytes, so no value and
/// no byte of output changes.
struct KubectlStrings {
  private var pool = SharedBytes()

  init() {}

  /// The longest text looked up: a cited line, a message.
  static let longest = 512

  mutating func shared(_ text: String) -> String { pool.string(text, longest: Self.longest) }

  mutating func shared(_ text: String?) -> String? {
    guard let text else { return nil }
    return shared(text)
  }

  /// The copy of `text`'s bytes held when it is another string (nil otherwise), `text` not held
  /// in its place: the copy a line `KubectlLineMemo` holds is made of, so that the evidence citing
  /// it is the held string itself (`SharedBytes` answers that by its address).
  mutating func held(_ text: String) -> String? { pool.held(text, longest: Self.longest) }

  /// `text = shared(text)`, written only when another copy is held (`SharedBytes.replacement`):
  /// writing back the string itself cost a retain and a release per field.
  mutating func share(_ text: inout String) {
    if let held = pool.replacement(text, longest: Self.longest) { text = held }
  }

  /// `text = shared(text)`, written only when another copy is held.
  mutating func share(_ text: inout String?) {
    guard text != nil, let held = pool.replacement(text.unsafelyUnwrapped, longest: Self.longest) else { return }
    text = held
  }

  mutating func share(_ evidence: inout [Evidence]) {
    // Written only where another copy is held: most cited lines are already the one copy (the
    // line `KubectlLineMemo` held), and writing each back copied an array the block still shares.
    for i in evidence.indices {
      if let held = pool.replacement(evidence[i].text, longest: Self.longest) { evidence[i].text = held }
    }
  }

  mutating func share(_ evidence: inout Evidence?) {
    if let text = evidence?.text { evidence?.text = shared(text) }
  }

  /// `record` with its repeated strings shared.
  ///
  /// Taken, not borrowed: the readers hand each record over (their `emit` closures take it
  /// `consuming`), so its payload is moved out, changed in place and moved on. Borrowed, the
  /// payload was copied out (a retain per string and array), every array written to was copied
  /// again (shared with the borrowed record), and the borrowed record was released after.
  mutating func share(_ record: consuming Record) -> Record {
    switch consume record {
    case .pod(var pod):
      share(&pod)
      return .pod(pod)
    case .event(var event):
      share(&event.reason)
      share(&event.message)
      share(&event.evidence)
      return .event(event)
    case .node(var node):
      share(&node.evidence)
      share(&node.taintEvidence)
      share(&node.conditions)
      return .node(node)
    case .workload(var workload):
      share(&workload.evidence)
      share(&workload.conditions)
      return .workload(workload)
    case .log(let log):
      return .log(log)
    }
  }

  private mutating func share(_ pod: inout PodSnapshot) {
    share(&pod.evidence)
    share(&pod.deletionEvidence)
    share(&pod.controlledBy)
    share(&pod.conditions)
    for i in pod.tolerations.indices { share(&pod.tolerations[i]) }
    for i in pod.containers.indices { share(&pod.containers[i]) }
  }

  private mutating func share(_ container: inout ContainerSnapshot) {
    share(&container.evidence)
    share(&container.stateEvidence)
    share(&container.lastStateEvidence)
    share(&container.image)
    container.state = shared(container.state)
    container.lastState = shared(container.lastState)
    // Each probe's evidence changed where it is: writing back a probe copied out of the table
    // copied the table (the loop's own copy still held it) and looked its key up again.
    var i = container.probes.values.startIndex
    while i != container.probes.values.endIndex {
      share(&container.probes.values[i].evidence)
      container.probes.values.formIndex(after: &i)
    }
  }

  private mutating func share(_ conditions: inout [PodCondition]) {
    for i in conditions.indices {
      share(&conditions[i].type)
      share(&conditions[i].reason)
      share(&conditions[i].message)
    }
  }

  private mutating func shared(_ state: ContainerState?) -> ContainerState? {
    switch state {
    case .waiting(let reason, let message)?: return .waiting(reason: shared(reason), message: shared(message))
    case .terminated(var termination)?:
      termination.reason = shared(termination.reason)
      termination.message = shared(termination.message)
      return .terminated(termination)
    default: return state
    }
  }
}

/// Probe lines read once per distinct text (docs/architecture.md "Speed of the describe path"):
/// the pods of one workload print the same `Liveness:`/`Readiness:` values, and reading one is a
/// split into words and a number per attribute. `ProbeLine.parse` depends on the text alone, so
/// the spec read for an earlier equal value is the one it would read again. Only ASCII values are
/// kept, where `Substring` equality is byte equality; the latest spec per hash of a value's
/// bytes is held (`TextMemo`).
struct ProbeLineCache {
  private var specs = TextMemo<ProbeSpec?>()

  init() {}

  /// The most distinct values held.
  static let capacity = TextMemo<ProbeSpec?>.slots

  /// `ProbeLine.parse(value)`.
  mutating func parse(_ value: Substring, isASCII: Bool) -> ProbeSpec? {
    guard isASCII else { return ProbeLine.parse(value) }
    return specs.value(value) { ProbeLine.parse($0) }
  }
}

/// Ages read once per distinct cell text, for the Events tables of a run of describes: their
/// cells repeat (`35s`, `14s`, `5m`) from pod to pod, and `AgeStyle.parse` depends on the text
/// and the style alone. Only ASCII cells are kept (byte equality, as `ProbeLineCache`), at most
/// `capacity` per style (`TextMemo`); a memo made with `enabled: false` keeps nothing.
struct AgeMemo {
  private var human = TextMemo<Age?>()
  private var short = TextMemo<Age?>()
  private let enabled: Bool

  init(enabled: Bool = true) { self.enabled = enabled }

  /// The most distinct cells held per style.
  static let capacity = TextMemo<Age?>.slots

  /// `style.parse(text)`.
  mutating func parse(_ text: Substring, style: AgeStyle) -> Age? {
    guard enabled, KubectlBytes.isASCII(text.utf8) else { return style.parse(text) }
    switch style {
    case .human: return human.value(text) { style.parse($0) }
    case .short: return short.value(text) { style.parse($0) }
    }
  }
}

/// What a run of describes reads once (`ProbeLineCache`, `AgeMemo`), lent by `DescribeReader` to
/// the block being read and handed on to the next one.
struct DescribeMemo {
  var probes = ProbeLineCache()
  var ages = AgeMemo()
  var rows = EventRowMemo()
  var scratch = DescribeScratch()
  /// A pod's labels, and a container's limits and requests (one memo: both are set from a field's
  /// key and value), set once per run of held lines (`DescribeTableMemo`).
  var labels = DescribeTableMemo()
  var resources = DescribeTableMemo()

  init() {}
}

/// The arrays a describe block grows a line at a time (its evidence, its conditions and their
/// lines, a container's and a state's evidence), handed empty with their room from one block to
/// the next: grown afresh for every pod, each doubled its storage three to five times
/// (docs/architecture.md "Speed of the describe path"). What a record keeps is copied out at its
/// size (`settled`), so no record holds the scratch's room.
struct DescribeScratch {
  var evidence: [Evidence] = []
  var conditions: [PodCondition] = []
  var conditionLines: [Evidence] = []
  var container: [Evidence] = []
  var state: [Evidence] = []
  /// False: nothing is kept, every block grows its arrays afresh (the reference the tests compare
  /// with, `KubectlTextParser(context:memo:scratch:)`).
  let keeps: Bool

  init(keeps: Bool = true) { self.keeps = keeps }

  /// `array`'s elements in storage of their own, no larger than they need: what a record keeps.
  static func settled<T>(_ array: [T]) -> [T] { array.withUnsafeBufferPointer { Array($0) } }

  /// `scratch`, moved out (empty, with the room an earlier block left).
  static func take<T>(_ scratch: inout [T]) -> [T] {
    var taken: [T] = []
    swap(&taken, &scratch)
    return taken
  }

  /// `array` emptied, its room kept and handed back as `scratch` when the scratch `keeps`.
  static func recycle<T>(keeps: Bool, _ array: inout [T], into scratch: inout [T]) {
    guard keeps else {
      array = []
      return
    }
    array.removeAll(keepingCapacity: true)
    swap(&array, &scratch)
  }
}

/// Strings that repeat from one record to the next, held once: a direct-mapped table of the
/// latest string seen per hash of its bytes, as `StringPool` on the JSON path, but compared with
/// `memcmp` and hashed a word at a time (the describe path looks up every line a record cites).
/// Strings of up to 15 bytes are stored inside the `String` value and are returned as they are.
struct SharedBytes {
  static let slots = 4096
  static let shortest = 16
  /// Per slot, the string held (`text`) and the address and count of its bytes (`base` 0: not
  /// known); and, by the same index taken as a hash of an address (`addressIndex`), the slot + 1 a
  /// string of bytes there was held in last (`slotOfAddress`). A string whose bytes are the held
  /// string's own is answered from these without hashing or reading its bytes and without reaching
  /// the held string (docs/architecture.md "Speed of the describe path"). The held string is alive
  /// (the table holds it), so no other storage has its address: the same address and count are the
  /// held string itself. One array, not four: the parser moves the table out and back in for every
  /// line (`KubectlTextParser.feed`), a retain and a release per array.
  private var table: [Entry] = []

  private struct Entry {
    var text: String?
    var base: UInt = 0
    var count = 0
    var slotOfAddress: Int32 = 0
  }

  init() {}

  /// `text`, or the string of the same bytes the table holds (`text` takes the slot otherwise).
  mutating func string(_ text: String, longest: Int) -> String { replacement(text, longest: longest) ?? text }

  /// What `string` gives in place of `text` when that is another string: the held string of the
  /// same bytes. Nil when `string` gives `text` (too short or too long, the held string's own
  /// storage, or taking the slot), so that a caller writes nothing back.
  mutating func replacement(_ text: String, longest: Int) -> String? {
    look(text, longest: longest, holds: true)
  }

  /// The held string of `text`'s bytes when it is another string; nil otherwise (none held, `text`
  /// itself, or bytes that are not contiguous). Unlike `replacement`, `text` never takes a slot.
  mutating func held(_ text: String, longest: Int) -> String? {
    look(text, longest: longest, holds: false)
  }

  /// `replacement` (`holds`: `text` takes its slot when another text or none is held there) or
  /// `held`.
  private mutating func look(_ text: String, longest: Int, holds: Bool) -> String? {
    let count = text.utf8.count
    guard count >= Self.shortest, count <= longest else { return nil }
    if table.isEmpty {
      guard holds else { return nil }
      allocate()
    }
    // Both strings' bytes read where they are: `withUTF8` on a copy of each (a retain and a release
    // of `text` and of the held string per look-up) answered the same. A string whose bytes are not
    // contiguous (none on Linux) takes that way (`copiedReplacement`).
    let found = text.utf8.withContiguousStorageIfAvailable {
      bytes -> (slot: Int, held: Held, address: UInt)? in
      guard let base = bytes.baseAddress else { return nil }
      let address = UInt(bitPattern: base)
      // The held string itself, known by its address (`Entry.base`): what the look below answers
      // (`.identical`), as the slot of the same bytes is the one it was held in.
      let known = Int(table[Self.addressIndex(address)].slotOfAddress) &- 1
      if known >= 0, table[known].base == address, table[known].count == bytes.count {
        return (known, .identical, address)
      }
      let slot = Self.slot(UnsafeRawPointer(base), count: bytes.count)
      guard table[slot].text != nil else { return (slot, .none, address) }
      let held = table[slot].text?.utf8.withContiguousStorageIfAvailable { h -> Held in
        guard let other = h.baseAddress, h.count == bytes.count else { return .different }
        // The held string itself (a line `KubectlLineMemo` held, an Events row's message read once):
        // the same bytes without reading them.
        if other == base { return .identical }
        return memcmp(other, base, bytes.count) == 0 ? .same : .different
      }
      guard let held else { return nil }
      return (slot, held, address)
    }
    guard let (slot, held, address) = found ?? nil else {
      return holds ? copiedReplacement(text, longest: longest) : nil
    }
    switch held {
    case .identical:
      // Known by its address from now on (its place taken by another address's string before).
      let index = Self.addressIndex(address)
      if table[index].slotOfAddress != Int32(truncatingIfNeeded: slot &+ 1) || table[slot].base != address {
        table[slot].base = address
        table[slot].count = count
        table[index].slotOfAddress = Int32(truncatingIfNeeded: slot &+ 1)
      }
      return nil
    case .same: return table[slot].text
    case .none, .different:
      guard holds else { return nil }
      table[slot].text = text
      table[slot].base = address
      table[slot].count = count
      table[Self.addressIndex(address)].slotOfAddress = Int32(truncatingIfNeeded: slot &+ 1)
      return nil
    }
  }

  /// The tables, empty, made on the first string held.
  private mutating func allocate() {
    table = Array(repeating: Entry(), count: Self.slots)
  }

  /// A place in `table` (`slotOfAddress`) for a string's bytes at `address`: its bits above the
  /// allocator's 16-byte alignment, mixed (FxHash's constant), the top twelve.
  @inline(__always) private static func addressIndex(_ address: UInt) -> Int {
    Int(truncatingIfNeeded: ((UInt64(address) >> 4) &* 0x517c_c1b7_2722_0a95) >> 52) & (slots - 1)
  }

  /// What the held string of `text`'s slot is to it.
  private enum Held { case none, different, same, identical }

  /// `replacement` read through `withUTF8` on copies of both strings: the way for strings whose
  /// bytes are not contiguous, and the reference `KubectlStringsTests` compares it with.
  mutating func copiedReplacement(_ text: String, longest: Int) -> String? {
    let count = text.utf8.count
    guard count >= Self.shortest, count <= longest else { return nil }
    if table.isEmpty { allocate() }
    var text = text
    let (slot, held, identical) = text.withUTF8 { bytes -> (Int, String?, Bool) in
      guard let base = bytes.baseAddress else { return (0, nil, false) }
      let slot = Self.slot(UnsafeRawPointer(base), count: bytes.count)
      guard var held = table[slot].text else { return (slot, nil, false) }
      var identical = false
      let same = held.withUTF8 { h in
        guard let other = h.baseAddress, h.count == bytes.count else { return false }
        // The held string itself (a line `KubectlLineMemo` held, an Events row's message read
        // once): the same bytes without reading them.
        identical = other == base
        return identical || memcmp(other, base, bytes.count) == 0
      }
      return (slot, same ? held : nil, identical)
    }
    if identical { return nil }
    if let held { return held }
    table[slot].text = text
    // Its address not known here (`text` may be a copy made above): the look by address misses.
    table[slot].base = 0
    return nil
  }

  /// A slot for the `count` (at least 8) bytes at `raw` (`hash`).
  private static func slot(_ raw: UnsafeRawPointer, count: Int) -> Int {
    Int(truncatingIfNeeded: hash(raw, count: count) >> 52) & (slots - 1)
  }

  /// A hash of the `count` (at least 8) bytes at `raw`: 64-bit words folded by multiplication
  /// (FxHash's constant, from rustc), the last word overlapping the one before.
  static func hash(_ raw: UnsafeRawPointer, count: Int) -> UInt64 {
    var hash = UInt64(truncatingIfNeeded: count)
    var i = 0
    while i + 8 <= count {
      hash = mix(hash, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      i += 8
    }
    if i < count { hash = mix(hash, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) }
    return hash
  }

  @inline(__always) private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
    ((hash << 5) | (hash >> 59) ^ word) &* 0x517c_c1b7_2722_0a95
  }
}

/// Events rows read once per distinct text and table (docs/architecture.md "Speed of the describe
/// path"): the pods of a workload print the same rows (`Normal  Pulled  14s (x3 over 31s)  kubelet
/// Container image … already present on machine`). What `DescribeEventsTable.row` makes of a row
/// depends on the row's text, the table's era and column offsets and the capture time; the object
/// the events are about (the owner) and the line cited are the only parts of the event that come
/// from elsewhere. So a row is read once, for an owner with nothing set (`ObjectRef(name: "")`), and
/// kept under its text's number (`KubectlLine.textID`) with the table's state; a row of the same
/// text under the same state is that event given the table's owner (the field path the row named
/// kept) and its own line. A direct-mapped table of `slots` rows, the latest per slot.
struct EventRowMemo {
  /// What a row's reading depends on besides its text's number.
  struct Key: Equatable {
    var textID: Int
    var era: DescribeEventsTable.Era
    var fromColumn: Int?
    var messageColumn: Int?
    var capture: CaptureTime
  }

  static let slots = 1024
  /// Per slot, what the row held there was read under (nil: nothing held) and the row read for
  /// an owner with nothing set (nil: the text is not a row). Apart, so that a look-up compares the
  /// key in place: with both in one optional value, every row copied the held event out of the
  /// table (a retain per string) before its key was compared, and released it.
  private var keys: [Key?] = []
  private var events: [Event?] = []

  init() {}

  /// The row held under `key`: `.some(nil)` when the text was read and is not a row; nil when
  /// nothing is held.
  func event(_ key: Key) -> Event?? {
    guard let slot = slot(key) else { return nil }
    return .some(events[slot])
  }

  /// The slot that holds the row read under `key`; nil when nothing is held.
  func slot(_ key: Key) -> Int? {
    let slot = key.textID & (Self.slots - 1)
    guard !keys.isEmpty, keys[slot] == key else { return nil }
    return slot
  }

  /// The row held at `slot` (`slot(_:)`) as an Events table with `owner` reads it, cited by
  /// `evidence` (`own`); nil when the text is not a row. One copy of the held event: returned as
  /// `event(_:)` returns it and then bound, it was copied twice (callgrind).
  func row(at slot: Int, owner: ObjectRef, evidence: Evidence) -> Event? {
    guard var event = events[slot] else { return nil }
    Self.own(&event, owner: owner, evidence: evidence)
    return event
  }

  /// A row read for an owner with nothing set, given the table's `owner` and its own line:
  /// `makeEvent` and the older eras' field path, the row's own over the owner's.
  static func own(_ event: inout Event, owner: ObjectRef, evidence: Evidence) {
    let fieldPath = event.involved.fieldPath
    event.involved = owner
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.evidence = [evidence]
  }

  mutating func hold(_ event: Event?, _ key: Key) {
    if keys.isEmpty {
      keys = Array(repeating: nil, count: Self.slots)
      events = Array(repeating: nil, count: Self.slots)
    }
    let slot = key.textID & (Self.slots - 1)
    keys[slot] = key
    events[slot] = event
  }
}
