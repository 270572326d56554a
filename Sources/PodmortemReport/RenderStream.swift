/// Where the text and Markdown reports go as they are produced, section by section: the pieces
/// gather in a small buffer handed to `sink` whenever it fills (as `JSONStreamWriter` does for the
/// JSON report), so a report of tens of thousands of timelines is never held whole in memory.
package struct RenderStream {
  private let sink: JSONStreamWriter.Sink
  private var buffer: [UInt8] = []
  /// True once the sink refused bytes: nothing more is handed to it.
  package private(set) var failed = false

  private static let flushSize = 1 << 16

  package init(sink: @escaping JSONStreamWriter.Sink) {
    self.sink = sink
    buffer.reserveCapacity(Self.flushSize + 4096)
  }

  /// Appends `text`, handing the buffer on when it is full.
  package mutating func write(_ text: String) {
    guard !failed else { return }
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.flushSize { flush() }
  }

  /// Hands what is buffered to the sink (at the end of the document).
  package mutating func flush() {
    guard !failed, !buffer.isEmpty else {
      buffer.removeAll(keepingCapacity: true)
      return
    }
    failed = !buffer.withUnsafeBytes { sink($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// A document written by `render` as one string, for callers that want it whole.
  package static func collect(_ render: (inout RenderStream) -> Void) -> String {
    final class Bytes {
      var data: [UInt8] = []
    }
    let bytes = Bytes()
    var stream = RenderStream { chunk in
      bytes.data.append(contentsOf: chunk)
      return true
    }
    render(&stream)
    stream.flush()
    return String(decoding: bytes.data, as: UTF8.self)
  }
}
