/// `once`, `twice`, `3 times`: how often, in a finding's words.
package func times(_ count: Int) -> String {
  switch count {
  case 1: "once"
  case 2: "twice"
  default: "\(count) times"
  }
}

/// `1 restart`, `3 restarts`: a count and its noun, singular or plural.
package func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  count == 1 ? "1 \(noun)" : "\(count) \(plural ?? noun + "s")"
}

/// `text`'s bytes in a string of their own length. A finding's text written into a string reserved
/// for its longest case keeps that capacity for the life of the report: on the 128 MB EventList
/// the probe explanations' spare capacity raised the peak RSS from 200 to 216 MB (time pairs).
/// The same bytes, so the same text.
package func compacted(_ text: String) -> String {
  var text = text
  return text.withUTF8 { bytes in
    String(unsafeUninitializedCapacity: bytes.count) { out in
      UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(bytes))
      return bytes.count
    }
  }
}
