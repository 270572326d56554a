import Foundation
import PodmortemModel

/// The lines of the fields podmortem turns into facts, found in the bytes of one JSON value
/// (`JSONScanner.Value`) or the lines of one YAML document, so a pod read from JSON cites its `"reason": "OOMKilled"` and
/// `"exitCode": 137` lines as a describe cites its `State:` block (docs/architecture.md
/// "Findings": the exit, OOM or signal lines come first).
///
/// A side table beside the decoder: one pass over the lines of a value that held a pod, tracking
/// keys and array indices, recording the line of the few keys that matter (container state and
/// lastState reason, exitCode, signal, message; deletionTimestamp, deletionGracePeriodSeconds,
/// finalizers; the pod's status reason and message; probes) and the `name` of each container.
/// It never decides what a value means; it only says where a field is. Framing was checked by
/// the scanner; a value it cannot follow (too deep, cut off, not pretty-printed) yields the fields
/// seen up to there.
package struct JSONFieldLines {
  /// Where one field's key is: its 1-based line and the text of that line.
  package struct Field {
    package var line: Int
    package var text: String
  }

  /// Field locations by dotted path (`status.containerStatuses.0.lastState.terminated.reason`;
  /// array elements are their index).
  package private(set) var fields: [String: Field] = [:]
  /// The string values of `name` keys by path (`spec.containers.1.name`, `metadata.name`); their
  /// lines are in `fields`.
  package private(set) var names: [String: String] = [:]

  /// The keys whose lines are recorded: the last component of a path.
  private static let recordedKeys: [[UInt8]] = [
    "reason", "exitCode", "signal", "message", "deletionTimestamp", "deletionGracePeriodSeconds", "finalizers",
    "livenessProbe", "readinessProbe", "startupProbe",
  ].map { Array($0.utf8) }
  private static let recordedLengths = Set(recordedKeys.map(\.count))
  private static let nameKey: [UInt8] = Array("name".utf8)
  /// Nesting beyond this is not followed (the scanner's own limit is 256).
  private static let maxDepth = 64
  /// A cited line keeps at most this much.
  private static let maxText = 2048

  /// An open object (with the key of the value open inside it) or array (with the index of the
  /// element open inside it; -1 before the first).
  private enum Frame {
    case object(key: String?)
    case array(index: Int)
  }

  /// The table as given: field lines and names a reader found itself (`GronParser`, whose lines
  /// each name their path).
  package init(fields: [String: Field], names: [String: String]) {
    self.fields = fields
    self.names = names
  }

  /// Reads `bytes`, whose first byte is on line `startLine`, a line at a time.
  ///
  /// Pretty-printed JSON (`kubectl get -o json`, `cluster-info dump`: Go's `MarshalIndent`) has one
  /// member per line, so the path of each member follows from the lines alone: a line ending in
  /// `{` or `[` opens, a line starting with `}` or `]` closes. Only the start and the end of each
  /// line are looked at, which keeps this pass cheap beside decoding. A value written on one line
  /// (NDJSON, a watch stream) has nothing finer than that line to cite, and yields nothing; a
  /// line this reading does not expect ends it with the fields seen so far.
  package init(_ bytes: [UInt8], startLine: Int) {
    (fields, names) = bytes.withUnsafeBufferPointer { Self.scan($0, startLine: startLine) }
  }

  /// Reads the lines of one YAML document (`kubectl get -o yaml`, must-gather): `lines` with the
  /// 1-based number of each. Block style as kubectl writes it: `key: value`, `key:` opening a
  /// nested block, `- ` items at or below their key's indentation; the path of each key follows
  /// from indentation alone. A scalar's continuation lines (deeper, after a `key: value`) are
  /// skipped; a document whose indentation a paste flattened yields no path that a pod's fields
  /// have, so nothing is cited from it.
  package init(yaml lines: [(number: Int, text: String)]) {
    /// An open block: a mapping under `key`, or the item `index` of a list, at `indent`.
    struct Entry {
      var indent: Int
      var key: String?
      var index: Int?
    }
    var fields: [String: Field] = [:]
    var names: [String: String] = [:]
    var stack: [Entry] = []
    var scalarIndent: Int?
    var blockField: String?
    func path(_ last: String) -> String {
      (stack.map { $0.key ?? String($0.index ?? 0) } + [last]).joined(separator: ".")
    }
    for (number, text) in lines {
      var body = text[...]
      var indent = 0
      while body.first == " " {
        body = body.dropFirst()
        indent += 1
      }
      guard let first = body.first, first != "#" else { continue }
      if let scalar = scalarIndent, indent > scalar {
        // A block scalar (`message: |`) is cited by its first line of text.
        if let path = blockField {
          fields[path] = Field(line: number, text: String(body.prefix(Self.maxText)))
          blockField = nil
        }
        continue
      }
      blockField = nil
      scalarIndent = nil
      if body.hasPrefix("- ") || body == "-" {
        while let top = stack.last, top.indent > indent { stack.removeLast() }
        if let top = stack.last, top.indent == indent, let index = top.index {
          stack[stack.count - 1].index = index + 1
        } else {
          stack.append(Entry(indent: indent, key: nil, index: 0))
        }
        guard stack.count <= Self.maxDepth else { break }
        body = body.dropFirst(2)
        indent += 2
        while body.first == " " {
          body = body.dropFirst()
          indent += 1
        }
        guard !body.isEmpty else { continue }
      } else {
        while let top = stack.last, top.indent >= indent { stack.removeLast() }
      }
      // `key: value` or `key:`; a key in quotes is read as written.
      guard let colon = body.firstIndex(of: ":") else { continue }
      let after = body[body.index(after: colon)...]
      guard after.isEmpty || after.first == " " else { continue }
      var key = body[..<colon]
      if key.count >= 2, key.first == "\"" || key.first == "'", key.last == key.first {
        key = key.dropFirst().dropLast()
      }
      let value = after.drop { $0 == " " }
      let name = String(key)
      if Self.recordedKeys.contains(where: { $0.elementsEqual(key.utf8) }) {
        let full = path(name)
        if value.first == "|" || value.first == ">" {
          blockField = fields[full] == nil ? full : nil
        } else if fields[full] == nil {
          let cited = Array(body.utf8.prefix(Self.maxText))
          fields[full] = Field(
            line: number, text: cited.withUnsafeBufferPointer { Self.citedText($0, 0, $0.count) })
        }
      }
      if value.isEmpty {
        guard stack.count < Self.maxDepth else { break }
        stack.append(Entry(indent: indent, key: name, index: nil))
      } else {
        if name == "name", value.count <= 255 {
          var v = value
          if v.count >= 2, v.first == "\"" || v.first == "'", v.last == v.first { v = v.dropFirst().dropLast() }
          names[path(name)] = String(v)
          fields[path(name)] = Field(line: number, text: String(body.prefix(Self.maxText)))
        }
        scalarIndent = indent
      }
    }
    self.fields = fields
    self.names = names
  }

  private static func scan(_ b: UnsafeBufferPointer<UInt8>, startLine: Int) -> ([String: Field], [String: String]) {
    var fields: [String: Field] = [:]
    var names: [String: String] = [:]
    var stack: [Frame] = []
    let n = b.count
    var start = 0
    var line = startLine

    func path(_ last: String) -> String {
      var parts: [String] = []
      parts.reserveCapacity(stack.count + 1)
      // Each frame holds the key (or index) of the value open inside it: the innermost frame's
      // is not part of the path of a member read in it.
      for frame in stack.dropLast() {
        switch frame {
        case .object(let key): if let key { parts.append(key) }
        case .array(let index): parts.append(String(index))
        }
      }
      parts.append(last)
      return parts.joined(separator: ".")
    }

    /// A new element of the innermost array, if it is one.
    func nextElement() {
      if case .array(let index)? = stack.last { stack[stack.count - 1] = .array(index: index + 1) }
    }

    /// The end of the string whose opening quote is at `from`, or nil.
    func stringEnd(_ from: Int, _ end: Int) -> Int? {
      var j = from + 1
      while j < end {
        if b[j] == 0x5C {
          j += 2
        } else if b[j] == 0x22 {
          return j
        } else {
          j += 1
        }
      }
      return nil
    }

    while start < n {
      guard let base = b.baseAddress else { break }
      // The next newline, found by the C library: most of a pretty-printed value is indentation.
      let end =
        memchr(base + start, 0x0A, n - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
      defer {
        start = end + 1
        line += 1
      }
      var first = start
      while first < end && (b[first] == 0x20 || b[first] == 0x09) { first += 1 }
      var last = end
      while last > first && (b[last - 1] == 0x20 || b[last - 1] == 0x09 || b[last - 1] == 0x0D) { last -= 1 }
      guard first < last else { continue }
      let opener = b[first]
      if stack.isEmpty {
        // The value's own first line: only a value opened on a line of its own is followed.
        guard opener == 0x7B, last - first == 1 else { break }
        stack.append(.object(key: nil))
        continue
      }
      if opener == 0x7D || opener == 0x5D {
        stack.removeLast()
        if stack.isEmpty { break }
        continue
      }
      if opener == 0x22, case .object? = stack.last {
        // `"key": value`.
        guard let close = stringEnd(first, last), close + 1 < last, b[close + 1] == 0x3A else { break }
        let keyBytes = UnsafeBufferPointer(rebasing: b[(first + 1)..<close])
        var value = close + 2
        while value < last && b[value] == 0x20 { value += 1 }
        guard value < last else { break }
        // Most keys are none of the few recorded: their length alone says so.
        if recordedLengths.contains(keyBytes.count), recordedKeys.contains(where: { $0.elementsEqual(keyBytes) }) {
          let full = path(String(decoding: keyBytes, as: UTF8.self))
          if fields[full] == nil {
            fields[full] = Field(line: line, text: citedText(b, first, Swift.min(last, first + maxText)))
          }
        }
        if (b[value] == 0x7B || b[value] == 0x5B) && value == last - 1 {
          guard stack.count < maxDepth else { break }
          stack[stack.count - 1] = .object(key: String(decoding: keyBytes, as: UTF8.self))
          stack.append(b[value] == 0x7B ? .object(key: nil) : .array(index: -1))
        } else if keyBytes.count == 4, nameKey.elementsEqual(keyBytes), b[value] == 0x22,
          let valueEnd = stringEnd(value, last),
          valueEnd - value <= 254
        {
          let full = path("name")
          names[full] = String(decoding: UnsafeBufferPointer(rebasing: b[(value + 1)..<valueEnd]), as: UTF8.self)
          fields[full] = Field(line: line, text: citedText(b, first, last))
        }
        continue
      }
      guard case .array? = stack.last else { break }
      // An element of an array: an object or array opened on its own line, or a value on one line.
      nextElement()
      if (opener == 0x7B || opener == 0x5B) && last - first == 1 {
        guard stack.count < maxDepth else { break }
        stack.append(opener == 0x7B ? .object(key: nil) : .array(index: -1))
      }
    }
    return (fields, names)
  }

  /// The text of a line to cite, up to its first escaped line break (`\n` inside a string): a
  /// termination message's first line is its headline (the explanation quotes the whole message,
  /// decoded), and the masking of secrets reads lines, not JSON escapes, so what follows a `\n`
  /// (`\nAKIA…`) is never shown unmasked (docs/architecture.md "Secrets").
  private static func citedText(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
    var j = from
    while j < to {
      if b[j] == 0x5C, j + 1 < to {
        if b[j + 1] == 0x6E || b[j + 1] == 0x72 || b[j + 1] == 0x74 {
          return String(decoding: UnsafeBufferPointer(rebasing: b[from..<j]), as: UTF8.self) + "…"
        }
        j += 2
      } else {
        j += 1
      }
    }
    return String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
  }

  /// The paths at which a pod object starts inside the value: "" for the value itself, `object.`
  /// for a watch event, `items.3.` for an item of a list the scanner did not split.
  private var roots: Set<String> {
    var roots: Set<String> = []
    for path in Array(fields.keys) + Array(names.keys) {
      for marker in ["metadata.", "status.", "spec."] {
        if path.hasPrefix(marker) {
          roots.insert("")
        } else if let range = path.range(of: "." + marker) {
          roots.insert(String(path[..<range.lowerBound]) + ".")
        }
      }
    }
    return roots
  }

  /// The root of the object named `name` (the only root, when there is one).
  private func root(of name: String) -> String? {
    let roots = roots
    if roots.count == 1 { return roots.first }
    return roots.first { names[$0 + "metadata.name"] == name }
  }

  /// The named elements of the list at `list` (`status.containerStatuses`): index and name. An
  /// element written on one line has no name here and is skipped.
  private func elements(_ list: String) -> [(Int, String)] {
    let prefix = list + "."
    return names.compactMap { path, name in
      guard path.hasPrefix(prefix), path.hasSuffix(".name") else { return nil }
      let middle = path.dropFirst(prefix.count).dropLast(5)
      guard let index = Int(middle) else { return nil }
      return (index, name)
    }.sorted { $0.0 < $1.0 }
  }

  /// The fields of a terminated or waiting state, in the order a finding cites them: the reason
  /// (`OOMKilled`), the exit code, the signal, the message.
  private static let stateFields = [
    "terminated.reason", "terminated.exitCode", "terminated.signal", "terminated.message", "waiting.reason",
    "waiting.message",
  ]

  /// Gives `pod` the lines of its fields: each container's state and lastState lines (the
  /// decisive lines findings put first; its context evidence, when it has none, is its name line), its
  /// probes' lines, the deletion lines, the status reason and message lines.
  /// `pasted` gives a line's text as pasted when the JSON was rebuilt from it (`ParseContext.lineText`).
  package func apply(
    to pod: inout PodSnapshot, source: String, pasted: (@Sendable (Int) -> String?)? = nil
  ) {
    guard let root = root(of: pod.name) else { return }
    func evidence(_ path: String) -> Evidence? {
      fields[root + path].map {
        Evidence(ref: SourceRef(source: source, line: $0.line), text: pasted?($0.line) ?? $0.text)
      }
    }
    let lists: [(String, String, ContainerSnapshot.Role)] = [
      ("status.initContainerStatuses", "spec.initContainers", .initContainer),
      ("status.containerStatuses", "spec.containers", .container),
      ("status.ephemeralContainerStatuses", "spec.ephemeralContainers", .ephemeral),
    ]
    for (statusList, specList, role) in lists {
      for (index, name) in elements(root + statusList) {
        guard let c = pod.containers.firstIndex(where: { $0.name == name && $0.role == role }) else { continue }
        let state = Self.stateFields.compactMap { evidence("\(statusList).\(index).state.\($0)") }
        let last = Self.stateFields.compactMap { evidence("\(statusList).\(index).lastState.\($0)") }
        if pod.containers[c].stateEvidence.isEmpty { pod.containers[c].stateEvidence = state }
        if pod.containers[c].lastStateEvidence.isEmpty { pod.containers[c].lastStateEvidence = last }
        // The container's own context line, as describe's `web:` line is: its status's name.
        if pod.containers[c].evidence.isEmpty, let line = evidence("\(statusList).\(index).name") {
          pod.containers[c].evidence = [line]
        }
      }
      for (index, name) in elements(root + specList) {
        guard let c = pod.containers.firstIndex(where: { $0.name == name && $0.role == role }) else { continue }
        for kind in ProbeSpec.Kind.allCases {
          guard pod.containers[c].probes[kind] != nil, pod.containers[c].probes[kind]?.evidence == nil else { continue }
          pod.containers[c].probes[kind]?.evidence = evidence("\(specList).\(index).\(kind.rawValue)Probe")
        }
      }
    }
    if pod.deletionEvidence.isEmpty {
      pod.deletionEvidence = [
        "metadata.deletionTimestamp", "metadata.deletionGracePeriodSeconds", "metadata.finalizers",
      ]
      .compactMap(evidence)
    }
    for e in ["status.reason", "status.message"].compactMap(evidence) where !pod.evidence.contains(e) {
      pod.evidence.append(e)
    }
  }
}
