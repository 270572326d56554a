import Foundation
import PodmortemModel

/// The book's entries by identity. A dictionary of entries holds them inline in a table kept at
/// most three-quarters full and doubled as it grows, which doubles again while it is copied: for
/// 100,000 identities that was 190 MB at the moment of growth. Here the entries lie in chunks of
/// fixed size, filled in order and never moved, and the index is a table of 32-bit positions.
/// The identities lie in chunks of their own beside the entries' (same positions), so that the
/// merge takes them out a chunk at a time (`drain`).
struct EntryTable: Sendable {
  fileprivate struct Slot: Sendable {
    var hash: Int
    var entry: EventBook.Entry
  }

  fileprivate static let chunkShift = 12
  fileprivate static let chunkSize = 1 << chunkShift
  private var chunks: [[Slot]] = []
  /// The identity of the entry at each position of `chunks`.
  private var keys: [[EventIdentity]] = []
  private(set) var count = 0
  /// Open addressing, linear probing: the position of an entry plus one, or 0 for a free place.
  /// Its size is a power of two at least twice `count`.
  private var index: [UInt32] = []

  init() {}

  /// Applies `body` to the entry of `identity`, made empty first when there is none. A new
  /// entry is made empty in its place and changed there: built aside and then stored, it was
  /// copied into its slot (every string it holds retained, then released) once per new identity
  /// (issue 16, perf). The borrowed identity is copied into the table when it is new.
  mutating func modify(_ identity: EventIdentity, _ body: (inout EventBook.Entry) -> Void) {
    modify(taking: identity, hash: identity.hashValue, body)
  }

  /// `modify(_:_:)` with the identity taken, and moved into the table when it is new: the
  /// identity `EventBook.add` is handed was copied into the table, and the caller's then
  /// released (docs/architecture.md "Speed of the EventList path").
  mutating func modify(taking identity: consuming EventIdentity, _ body: (inout EventBook.Entry) -> Void) {
    // Its own body, not a call to `modify(taking:hash:_:)`: handed on, the identity was copied
    // (two strings retained and released an event on 1,000 describes, callgrind).
    let hash = identity.hashValue
    if let position = find(identity, hash: hash) {
      body(&chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)].entry)
      return
    }
    let position = append(identity, hash: hash, entry: EventBook.Entry())
    body(&chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)].entry)
  }

  /// `modify(taking:_:)` for an identity whose `hashValue` the caller already holds: the merge
  /// of the two halves' books (`EventBook.merge`) reads the hash the other table kept for it,
  /// where hashing the name, reason and message again cost about 1,000 instructions an entry
  /// (docs/architecture.md "Speed of the EventList path"). `Hasher`'s seed is the process's, the
  /// same for both halves' tables, so the kept hash is the one `hashValue` gives.
  mutating func modify(
    taking identity: consuming EventIdentity, hash: Int, _ body: (inout EventBook.Entry) -> Void
  ) {
    if let position = find(identity, hash: hash) {
      body(&chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)].entry)
      return
    }
    let position = append(identity, hash: hash, entry: EventBook.Entry())
    body(&chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)].entry)
  }

  /// Adds `entry` for `identity`, not held yet, at the next position, which it returns. The
  /// identity is taken and moved into its chunk (a caller that borrows it hands a copy).
  private mutating func append(_ identity: consuming EventIdentity, hash: Int, entry: consuming EventBook.Entry) -> Int
  {
    if (count + 1) * 2 > index.count { grow() }
    let position = count
    if position & (Self.chunkSize - 1) == 0 {
      var chunk: [Slot] = []
      chunk.reserveCapacity(Self.chunkSize)
      chunks.append(chunk)
      var chunkKeys: [EventIdentity] = []
      chunkKeys.reserveCapacity(Self.chunkSize)
      keys.append(chunkKeys)
    }
    chunks[position >> Self.chunkShift].append(Slot(hash: hash, entry: entry))
    keys[position >> Self.chunkShift].append(consume identity)
    count += 1
    place(position, hash: hash)
    return position
  }

  private func find(_ identity: EventIdentity, hash: Int) -> Int? {
    guard !index.isEmpty else { return nil }
    let mask = index.count - 1
    var i = hash & mask
    while index[i] != 0 {
      let position = Int(index[i]) - 1
      let (c, j) = (position >> Self.chunkShift, position & (Self.chunkSize - 1))
      // Fields read in place: a copy of the slot would retain every string it holds.
      if chunks[c][j].hash == hash && keys[c][j] == identity { return position }
      i = (i + 1) & mask
    }
    return nil
  }

  private mutating func place(_ position: Int, hash: Int) {
    let mask = index.count - 1
    var i = hash & mask
    while index[i] != 0 { i = (i + 1) & mask }
    index[i] = UInt32(truncatingIfNeeded: position + 1)
  }

  private mutating func grow() {
    index = Array(repeating: 0, count: max(64, index.count * 2))
    for position in 0..<count {
      place(position, hash: chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)].hash)
    }
  }

  /// Every identity, in insertion order, and the entries where they lie; the table is left
  /// empty. The identities are copied out (the merge sorts and compares them), each chunk of them
  /// freed once copied: held beside their copy, they were 9 MB of the peak on 10,000 describes,
  /// reached in the merge (docs/architecture.md "Memory of the EventList and describe paths").
  /// The entries stay in their chunks, read and written by position: a flat copy of them held
  /// the book twice at the merge's start, the run's peak on a large EventList.
  mutating func drain() -> (identities: [EventIdentity], entries: DrainedEntries) {
    index = []
    var identities: [EventIdentity] = []
    identities.reserveCapacity(count)
    for c in keys.indices {
      identities.append(contentsOf: keys[c])
      keys[c] = []
    }
    keys = []
    let entries = DrainedEntries(chunks: chunks, count: count)
    chunks = []
    count = 0
    return (identities, entries)
  }

  /// Hands every entry with its identity to `body`, in insertion order, and leaves the table
  /// empty. Each chunk of entries and of identities is freed as soon as its last entry is handed
  /// over: the merge of a second half's book (`EventBook.merge`) drained it first and held all its
  /// chunks, and a flat copy of its identities, until the last entry was absorbed, beside the
  /// first half's book growing by the same entries: the run's heap peak on a large EventList
  /// (docs/architecture.md "Memory of the EventList and describe paths").
  ///
  /// Each identity and entry is moved out of its place (an empty one left there), and handed
  /// with the hash the table kept for it: handing `identities[j]` and `slots[j].entry` copied
  /// both (every string retained, then released with the chunk).
  mutating func takeAll(_ body: (consuming EventIdentity, Int, EventBook.Entry) -> Void) {
    index = []
    count = 0
    var taken: [[Slot]] = []
    var takenKeys: [[EventIdentity]] = []
    swap(&taken, &chunks)
    swap(&takenKeys, &keys)
    for c in taken.indices {
      // Swapped out, not copied: the chunk is then held only here, and freed at the end of the turn.
      var slots: [Slot] = []
      var identities: [EventIdentity] = []
      swap(&slots, &taken[c])
      swap(&identities, &takenKeys[c])
      for j in slots.indices {
        var entry = EventBook.Entry()
        swap(&entry, &slots[j].entry)
        var identity = EventIdentity.taken
        swap(&identity, &identities[j])
        body(identity, slots[j].hash, entry)
      }
    }
  }
}

extension EventIdentity {
  /// What `EntryTable.takeAll` leaves in an identity's place once it is moved out: every string
  /// empty (no storage to allocate or release), read by nothing.
  static let taken = EventIdentity(name: "", type: "", reason: "", message: "")
}

/// The entries of a drained `EntryTable`, by insertion position, in the chunks they were filled in.
struct DrainedEntries {
  private var chunks: [[EntryTable.Slot]]
  private(set) var count: Int
  /// How many chunks, from the first, `free(below:)` has freed.
  private var freed = 0

  init() {
    chunks = []
    count = 0
  }

  fileprivate init(chunks: [[EntryTable.Slot]], count: Int) {
    self.chunks = chunks
    self.count = count
  }

  subscript(position: Int) -> EventBook.Entry {
    get { chunks[position >> EntryTable.chunkShift][position & (EntryTable.chunkSize - 1)].entry }
    _modify { yield &chunks[position >> EntryTable.chunkShift][position & (EntryTable.chunkSize - 1)].entry }
  }

  /// The hash `EntryTable` kept for the identity at `position` (its `hashValue`: of the name, the
  /// reason and the message), read where it lies.
  func hash(_ position: Int) -> Int {
    chunks[position >> EntryTable.chunkShift][position & (EntryTable.chunkSize - 1)].hash
  }

  /// The entry at `position`, moved out, an empty one left in its place: `self[position]`
  /// copied its slot whole (every string and lineage retained) and emptying it released them
  /// again (docs/architecture.md "Speed of the EventList path").
  mutating func take(_ position: Int) -> EventBook.Entry {
    var entry = EventBook.Entry()
    swap(&entry, &self[position])
    return entry
  }

  /// Frees every chunk that lies wholly below `position`: the entries there are read no more.
  /// A freed entry must not be read again (its chunk is empty).
  mutating func free(below position: Int) {
    let end = min(position >> EntryTable.chunkShift, chunks.count)
    while freed < end {
      chunks[freed] = []
      freed += 1
    }
  }
}

/// The clusters of a merge (`EventBook.drainMerged`) by the hash of the identity that began each:
/// for each hash, its clusters in the order they began, numbered from 0 in that order. Open
/// addressing over twice as many places as the entries, a power of two, made once: it never grows,
/// and at most half of it is used (a cluster is begun by an entry). It stands for a
/// `Dictionary<Int, (first: Int, last: Int)>` with a list of clusters beside it, which hashed each
/// key again and grew by doubling (`EventBookDrainTests` holds the merge to the one with it).
struct ClusterBuckets {
  /// The first cluster of a bucket plus one, or 0 for a free place.
  private var places: [Int]
  /// Each cluster's hash, the next cluster of its bucket (-1 at the end), and for the first
  /// cluster of a bucket, its last.
  private var hashes: [Int] = []
  private var nexts: [Int] = []
  private var lasts: [Int] = []

  /// Room for `capacity` clusters.
  init(capacity: Int) {
    var size = 16
    while size / 2 < capacity { size *= 2 }
    places = [Int](repeating: 0, count: size)
    hashes.reserveCapacity(capacity)
    nexts.reserveCapacity(capacity)
    lasts.reserveCapacity(capacity)
  }

  /// The first cluster begun with `hash`, or -1.
  func first(_ hash: Int) -> Int {
    let mask = places.count - 1
    var i = hash & mask
    while places[i] != 0 {
      let cluster = places[i] - 1
      if hashes[cluster] == hash { return cluster }
      i = (i + 1) & mask
    }
    return -1
  }

  /// The cluster begun with the same hash after `cluster`, or -1.
  func next(_ cluster: Int) -> Int { nexts[cluster] }

  /// Begins the next cluster with `hash`, at the end of its bucket, and returns its number.
  mutating func begin(_ hash: Int) -> Int {
    let cluster = hashes.count
    hashes.append(hash)
    nexts.append(-1)
    lasts.append(cluster)
    // More clusters than room was made for: the places are doubled and filled again.
    if (cluster + 1) * 2 > places.count { grow() }
    let mask = places.count - 1
    var i = hash & mask
    while places[i] != 0 {
      let head = places[i] - 1
      if hashes[head] == hash {
        nexts[lasts[head]] = cluster
        lasts[head] = cluster
        return cluster
      }
      i = (i + 1) & mask
    }
    places[i] = cluster + 1
    return cluster
  }

  /// Twice the places, each bucket's first cluster placed again (the clusters before the last).
  private mutating func grow() {
    places = [Int](repeating: 0, count: places.count * 2)
    let mask = places.count - 1
    var seen = Set<Int>()
    for cluster in 0..<(hashes.count - 1) where seen.insert(hashes[cluster]).inserted {
      var i = hashes[cluster] & mask
      while places[i] != 0 { i = (i + 1) & mask }
      places[i] = cluster + 1
    }
  }
}

/// Lineages by event object name. Nearly every identity is one event object: it is held inline,
/// and a dictionary (hundreds of bytes for one element) is built only when a second name comes.
struct LineageMap: Sendable {
  private var one: (name: String, lineage: Lineage)?
  /// Used once there are two names or more (`one` is then nil).
  private var many: [String: Lineage] = [:]

  init() {}

  var isEmpty: Bool { one == nil && many.isEmpty }

  /// The lineage when there is exactly one (`many` is used only from two names on).
  var single: Lineage? { one?.lineage }

  /// The lineages, in no particular order.
  var values: [Lineage] {
    if let one { return [one.lineage] }
    return Array(many.values)
  }

  /// Merges `lineage` into the one named `name`, or adds it.
  mutating func merge(_ lineage: Lineage, as name: String) {
    if many.isEmpty {
      // Only the name is read out: a copy of the held lineage would make the merge copy its storage.
      guard let heldName = one?.name else {
        one = (name, lineage)
        return
      }
      if heldName == name {
        one?.lineage.merge(lineage)
        return
      }
      if let held = one.take() { many = [held.name: held.lineage] }
    }
    many[name, default: lineage].merge(lineage)
  }
}
