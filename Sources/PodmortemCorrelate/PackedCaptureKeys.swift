/// Capture names a reader asks of many packed records, looked up once (`PackedLog.firstCaptures`):
/// for each shipped name's place (`CaptureNameIndex.names`), which of the keys it is, so a walk
/// over a record's captures tells a shipped name (one byte, `PackedLog.Form.named`) by its place
/// and builds no string for it. `capture(_:)` asked once per key walks the pairs and compares
/// each name again for every key; `captures` builds every name and every value
/// (docs/architecture.md "Speed of the probe rules").
package struct CaptureKeys: Sendable {
  /// The keys, at most `most`: first those whose values a walk reads, then those it places.
  package let keys: [String]
  /// How many of `keys`, from the first, a walk reads the values of.
  package let reading: Int
  /// For each shipped name's place, the first of `keys` equal to the name (as `String`s are
  /// equal), -1 for none.
  let byName: [Int8]
  /// How many keys a walk tells apart (the bits of its mask).
  package static let most = 32

  /// The keys `reading` and `placing`: a walk finds each one's first capture, and reads the
  /// value of one of `reading`. A key equal to one before it (as `String`s are) is never found:
  /// the first is.
  package init(reading: [String], placing: [String] = []) {
    let keys = reading + placing
    precondition(keys.count <= Self.most, "at most \(Self.most) keys")
    self.keys = keys
    self.reading = reading.count
    byName = CaptureNameIndex.names.map { name in Int8(keys.firstIndex { $0 == name } ?? -1) }
  }

  /// The first of `keys` equal to `name`, nil for none: what `byName` holds for a shipped name.
  func index(of name: String) -> Int? { keys.firstIndex { $0 == name } }
}
