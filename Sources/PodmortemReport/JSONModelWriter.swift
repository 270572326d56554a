import Foundation
import PodmortemCorrelate
import PodmortemModel

/// The JSON report's events, findings and pods written straight from the model, byte for byte
/// what the DTOs of `JSONReportDocument.swift` write (and `JSONEncoder` wrote for them), without
/// building a DTO first: a DTO copied every field of its event or pod (a retain and a release
/// each), mapped its evidence and containers into new arrays and its maps into dictionaries, and
/// joined an event's object name and source into new strings, only to be written once
/// (docs/architecture.md "JSON, fast and streamed"). The DTOs stay the schema and the reference
/// (`JSONModelWriterTests` compares both writers on seeded random events, findings and pods).
extension JSONStreamWriter {
  /// `EventDTO(e).write(to:)`.
  mutating func event(_ e: MergedEvent) {
    let involved = e.involved
    beginObject()
    key("caveats")
    strings(e.caveats)
    key("count")
    int(e.count)
    key("evidence")
    evidenceList(e.evidence)
    key("exemplars")
    strings(e.exemplars)
    if let fieldPath = involved.fieldPath {
      key("fieldPath")
      string(fieldPath)
    }
    if let firstSeen = e.firstSeen {
      key("firstSeen")
      range(firstSeen)
    }
    if let lastSeen = e.lastSeen {
      key("lastSeen")
      range(lastSeen)
    }
    key("message")
    string(e.message)
    if let namespace = involved.namespace {
      key("namespace")
      string(namespace)
    }
    key("object")
    objectName(involved)
    key("objects")
    int(e.objects)
    key("reason")
    string(e.reason)
    // `[component, host]` without the nils, joined by ", ", left out when that is empty.
    switch (e.sourceComponent, e.sourceHost) {
    case (nil, nil): break
    case (let component?, nil):
      if !component.isEmpty {
        key("source")
        string(component)
      }
    case (nil, let host?):
      if !host.isEmpty {
        key("source")
        string(host)
      }
    case (let component?, let host?):
      key("source")
      openString()
      stringPart(component)
      rawPart(", ")
      stringPart(host)
      closeString()
    }
    if let template = e.template {
      key("template")
      string(template)
    }
    key("type")
    switch e.type {
    case .normal: string("Normal")
    case .warning: string("Warning")
    case .other(let text): string(text)
    }
    endObject()
  }

  /// `ObjectRef.description` as a string, its parts escaped one after the other (escaping is
  /// byte by byte, so the parts' escapes joined are the joined text's escape; `/` needs none).
  private mutating func objectName(_ o: ObjectRef) {
    if o.isUnnamed {
      string(o.description)
      return
    }
    openString()
    if let namespace = o.namespace {
      stringPart(namespace)
      rawPart("/")
    }
    if let kind = o.kind {
      lowercasedPart(kind)
      rawPart("/")
    }
    stringPart(o.name)
    closeString()
  }

  /// `RangeDTO(r).write(to:)`.
  mutating func range(_ r: TimeRange) {
    beginObject()
    key("earliest")
    time(r.earliest)
    key("latest")
    time(r.latest)
    endObject()
  }

  /// `EvidenceDTO(e).write(to:)`; its `line`, `ref` and `source` through `lineRefAndSource`.
  mutating func evidence(_ e: Evidence) {
    beginObject()
    lineRefAndSource(e.ref)
    key("text")
    string(e.text)
    endObject()
  }

  /// The lines are read in place, through the array's buffer: `for e in list` copied each one
  /// out (a retain and a release of its text and source), and so did `list[i]`.
  mutating func evidenceList(_ list: [Evidence]) {
    if list.isEmpty {
      emptyArray()
      return
    }
    beginArray()
    list.withUnsafeBufferPointer { lines in
      for i in lines.indices {
        element()
        evidence(lines[i])
      }
    }
    endArray()
  }

  /// `FindingDTO(f).write(to:)`.
  mutating func finding(_ f: Finding) {
    beginObject()
    key("category")
    string(f.category.rawValue)
    key("evidence")
    evidenceList(f.evidence)
    key("explanation")
    string(f.explanation)
    key("facts")
    pairMap(f.facts, keepLast: false)
    key("remedy")
    string(f.remedy)
    key("rule")
    string(f.ruleID)
    key("severity")
    string(f.severity.rawValue)
    if let from = f.severityOverriddenFrom {
      key("severityOverriddenFrom")
      string(from.rawValue)
    }
    key("subject")
    subject(f.subject)
    key("title")
    string(f.title)
    endObject()
  }

  /// `SubjectDTO(s).write(to:)`.
  mutating func subject(_ s: Subject) {
    beginObject()
    if let container = s.container {
      key("container")
      string(container)
    }
    if let namespace = s.namespace {
      key("namespace")
      string(namespace)
    }
    if let object = s.object {
      key("object")
      string(object)
    }
    if let pod = s.pod {
      key("pod")
      string(pod)
    }
    endObject()
  }

  /// `PodDTO(p, reveal:).write(to:)`.
  mutating func pod(_ p: PodHistory) {
    withUnsafePointer(to: p) { pod(at: $0) }
  }

  /// `pod(_:)` of the pod at `p`, its fields read where they lie: a pod passed by value from the
  /// report's array was copied whole first (its key, snapshots, merged snapshot, events, logs
  /// and timeline retained, and released again after: about 1,500 instructions a pod, 9.4M on an
  /// 8 MiB EventList; docs/architecture.md "JSON, fast and streamed"). Its merged snapshot is
  /// still copied, by `latest`'s getter (the property has observers), and read from the copy.
  mutating func pod(at p: UnsafePointer<PodHistory>) {
    podBody(p, p.pointee.latest)
  }

  private mutating func podBody(_ p: UnsafePointer<PodHistory>, _ s: PodSnapshot) {
    beginObject()
    key("conditions")
    conditionMap(s.conditions)
    key("containers")
    if s.containers.isEmpty {
      emptyArray()
    } else {
      beginArray()
      s.containers.withUnsafeBufferPointer { containers in
        for i in containers.indices {
          element()
          container(containers[i])
        }
      }
      endArray()
    }
    if let controlledBy = s.controlledBy {
      key("controlledBy")
      string(controlledBy)
    }
    if let seconds = s.deletionGracePeriodSeconds {
      key("deletionGracePeriodSeconds")
      int(seconds)
    }
    if let deletion = s.deletionTimestamp {
      key("deletionTimestamp")
      range(deletion)
    }
    key("events")
    int(p.pointee.events.count)
    key("finalizers")
    strings(s.finalizers)
    key("logs")
    int(p.pointee.logs.count)
    if let message = s.message {
      key("message")
      string(message)
    }
    key("name")
    string(p.pointee.key.name)
    key("namespace")
    string(p.pointee.key.namespace)
    if let node = s.node {
      key("node")
      string(node)
    }
    // `key.isUnnamed` (an empty name and a pasted-at source), read in place: the getter was
    // handed a copy of the key.
    if p.pointee.key.name.isEmpty, let pastedAt = p.pointee.key.pastedAt {
      key("pastedAt")
      ref(pastedAt)
    }
    if let phase = s.phase {
      key("phase")
      string(phase)
    }
    if let reason = s.reason {
      key("reason")
      string(reason)
    }
    if let restarts = s.restarts {
      key("restarts")
      int(restarts)
    }
    key("snapshots")
    int(p.pointee.snapshots.count)
    if let status = s.kubectlStatus {
      key("status")
      string(status)
    }
    key("terminating")
    bool(s.terminating)
    if let uid = p.pointee.key.uid ?? s.uid {
      key("uid")
      string(uid)
    }
    endObject()
  }

  /// `ContainerDTO(c).write(to:)`: the probes' keys are the kinds' raw values, which
  /// `ProbeSpec.Kind.allCases` lists in their bytes' order.
  private mutating func container(_ c: ContainerSnapshot) {
    beginObject()
    key("environment")
    strings(c.environmentNames)
    if let image = c.image {
      key("image")
      string(image)
    }
    if let lastState = c.lastState {
      key("lastState")
      state(lastState)
    }
    key("limits")
    stringMap(c.limits)
    key("name")
    string(c.name)
    key("probes")
    if c.probes.isEmpty {
      emptyObject()
    } else {
      beginObject()
      for kind in ProbeSpec.Kind.allCases {
        guard let p = c.probes[kind] else { continue }
        key(text: kind.rawValue)
        probe(p)
      }
      endObject()
    }
    if let ready = c.ready {
      key("ready")
      bool(ready)
    }
    key("requests")
    stringMap(c.requests)
    if let restartCount = c.restartCount {
      key("restartCount")
      int(restartCount)
    }
    key("role")
    string(c.role.rawValue)
    if let state = c.state {
      key("state")
      self.state(state)
    }
    endObject()
  }

  /// `ProbeDTO(p).write(to:)`, the handler written from its parts (`probeHandler`).
  private mutating func probe(_ p: ProbeSpec) {
    beginObject()
    key("failureThreshold")
    int(p.failureThreshold)
    key("handler")
    probeHandler(p.handler)
    key("initialDelaySeconds")
    int(p.initialDelaySeconds)
    key("periodSeconds")
    int(p.periodSeconds)
    key("successThreshold")
    int(p.successThreshold)
    key("timeoutSeconds")
    int(p.timeoutSeconds)
    endObject()
  }

  /// `ProbeHandler.describeText` as a string, its parts escaped one after the other between one
  /// pair of quotes (escaping is byte by byte, so the parts' escapes joined are the joined text's
  /// escape; the literals need none), without building the text: the interpolation cost about
  /// 2,600 instructions a probe on 1,000 describes (docs/architecture.md "JSON, fast and
  /// streamed"). `InPlaceWriterTests` holds it to `string(describeText)`.
  mutating func probeHandler(_ h: ProbeHandler) {
    openString()
    switch h {
    case .httpGet(let scheme, let host, let port, let path):
      rawPart("http-get ")
      lowercasedPart(scheme)
      rawPart("://")
      stringPart(host)
      rawPart(":")
      stringPart(port)
      stringPart(path)
    case .tcpSocket(let host, let port):
      rawPart("tcp-socket ")
      stringPart(host)
      rawPart(":")
      stringPart(port)
    case .exec(let command):
      rawPart("exec [")
      for i in command.indices {
        if i > command.startIndex { rawPart(" ") }
        stringPart(command[i])
      }
      rawPart("]")
    case .grpc(let port, let service):
      rawPart("grpc <pod>:")
      stringPart(port)
      rawPart(" ")
      stringPart(service)
    case .unknown:
      rawPart("unknown")
    }
    closeString()
  }

  /// `StateDTO(s).write(to:)`.
  private mutating func state(_ s: ContainerState) {
    beginObject()
    switch s {
    case .waiting(let reason, let message):
      optionalString("message", message)
      optionalString("reason", reason)
      key("state")
      string("waiting")
    case .running(let started):
      if let started {
        key("startedAt")
        range(started)
      }
      key("state")
      string("running")
    case .terminated(let t):
      key("exitCode")
      int(t.exitCode)
      if let finishedAt = t.finishedAt {
        key("finishedAt")
        range(finishedAt)
      }
      optionalString("message", t.message)
      optionalString("reason", t.reason)
      if let signal = t.signal {
        key("signal")
        int(signal)
      }
      if let startedAt = t.startedAt {
        key("startedAt")
        range(startedAt)
      }
      key("state")
      string("terminated")
    }
    endObject()
  }

  private mutating func optionalString(_ name: StaticString, _ value: String?) {
    guard let value else { return }
    key(name)
    string(value)
  }

  /// `Dictionary(conditions.map { ($0.type, $0.status) }, uniquingKeysWith: last)` written as
  /// `stringMap` writes it.
  private mutating func conditionMap(_ conditions: [PodCondition]) {
    if conditions.isEmpty {
      emptyObject()
      return
    }
    pairMap(conditions.map { KeyValue($0.type, $0.status) }, keepLast: true)
  }

  /// `Dictionary(pairs, uniquingKeysWith:)` (the first or the last value of a key) written as
  /// `stringMap` writes it: keys in their bytes' order. With ASCII keys, equal strings are equal
  /// bytes, so the pairs are ordered by key bytes and then position, and each key's first or
  /// last pair written; a non-ASCII key (`==` is canonical equivalence there) goes through the
  /// dictionary.
  mutating func pairMap(_ pairs: [KeyValue], keepLast: Bool) {
    if pairs.count > 1, pairs.count <= Self.fewPairs, fewPairMap(pairs, keepLast: keepLast) { return }
    guard pairs.allSatisfy({ $0.key.utf8.allSatisfy { $0 < 0x80 } }) else {
      stringMap(
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, last in keepLast ? last : first }))
      return
    }
    if pairs.isEmpty {
      emptyObject()
      return
    }
    beginObject()
    if pairs.count == 1 {
      key(text: pairs[0].key)
      string(pairs[0].value)
    } else if !pairs.isEmpty {
      let order = pairs.indices.sorted { a, b in
        pairs[a].key == pairs[b].key ? a < b : pairs[a].key.utf8.lexicographicallyPrecedes(pairs[b].key.utf8)
      }
      var i = 0
      while i < order.count {
        var j = i + 1
        while j < order.count, pairs[order[j]].key == pairs[order[i]].key { j += 1 }
        let chosen = pairs[order[keepLast ? j - 1 : i]]
        key(text: chosen.key)
        string(chosen.value)
        i = j
      }
    }
    endObject()
  }

  /// Up to this many pairs `fewPairMap` orders on the stack.
  static let fewPairs = 64

  /// `pairMap` for a few pairs with ASCII keys, the order found by insertion on the stack; false,
  /// with nothing written, when a key is not ASCII (or not contiguous), for `pairMap` to write.
  /// A finding's facts and a pod's conditions are a few pairs each, and `pairMap` cost about
  /// 15,000 instructions a call on 1,000 describes (the ASCII test over `utf8`'s iterator, an
  /// array of indices sorted through a closure that compared keys by `==` and then by their
  /// `utf8` views, and `==` again to find equal keys). Here each key's first eight bytes are read
  /// once, as one number in the bytes' order (zero-padded), and keys are compared whole only when
  /// those are equal. The order is the same: by key bytes, equal keys by position (insertion moves
  /// a pair only past keys that are greater), and for ASCII keys `==` is byte equality
  /// (docs/architecture.md "JSON, fast and streamed").
  private mutating func fewPairMap(_ pairs: [KeyValue], keepLast: Bool) -> Bool {
    withUnsafeTemporaryAllocation(of: (head: UInt64, index: Int).self, capacity: pairs.count) { order in
      for i in pairs.indices {
        guard let head = Self.asciiHead(pairs[i].key) else { return false }
        var j = i
        while j > 0 {
          let before = order[j - 1]
          let less =
            head != before.head
            ? head < before.head
            : pairs[i].key != pairs[before.index].key
              && pairs[i].key.utf8.lexicographicallyPrecedes(pairs[before.index].key.utf8)
          guard less else { break }
          order[j] = before
          j -= 1
        }
        order[j] = (head, i)
      }
      beginObject()
      var i = 0
      while i < pairs.count {
        var j = i + 1
        while j < pairs.count, order[j].head == order[i].head, pairs[order[j].index].key == pairs[order[i].index].key {
          j += 1
        }
        let chosen = pairs[order[keepLast ? j - 1 : i].index]
        key(text: chosen.key)
        string(chosen.value)
        i = j
      }
      endObject()
      return true
    }
  }

  /// The first eight bytes of an ASCII `key` as one number, the first byte highest and missing
  /// bytes zero, so two keys whose numbers differ are ordered by them as by their bytes; nil for a
  /// key that is not ASCII or not contiguous.
  static func asciiHead(_ key: String) -> UInt64? {
    let head = key.utf8.withContiguousStorageIfAvailable { bytes -> UInt64? in
      var head: UInt64 = 0
      var all: UInt8 = 0
      for (i, byte) in bytes.enumerated() {
        all |= byte
        if i < 8 { head |= UInt64(byte) << (56 - 8 * i) }
      }
      return all < 0x80 ? head : nil
    }
    return head ?? nil
  }
}
