import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// `JSONStreamWriter.key(_:)` and `writeIndent` store the separator, the indentation, the key and
/// `" : ` through one pointer when they fit in the buffer with room to spare, where each piece
/// was put with its own capacity check and the indentation with `initialize(repeating:count:)`
/// (docs/architecture.md "JSON, fast and streamed"). The reference below is the writer's member
/// start, containers and string values as they were, kept for this test, writing into an array
/// with the same buffer size and the same points of handing bytes to the sink. Both must hand the
/// sink the same pieces (every byte, and where each piece ends) for seeded random documents:
/// nesting past the stored indentation (past 128 levels), strings longer than the buffer, empty
/// containers, non-ASCII text (a Kelvin sign, a dotted capital İ, a combining accent), and keys
/// from the code and from the input.
@Suite("the writer's member start writes what its pieces wrote")
struct MemberStartTests {
  /// The writer as it was, for the operations the documents below use (kept as the reference).
  struct Reference {
    static let flushSize = 1 << 16
    static let capacity = flushSize + 4096
    var buffer: [UInt8] = []
    var chunks: [[UInt8]] = []
    var indent = 0
    var firstInContainer = false
    var outer: [Bool] = []

    mutating func flush() {
      guard !buffer.isEmpty else { return }
      chunks.append(buffer)
      buffer = []
    }

    mutating func put(_ byte: UInt8) {
      if buffer.count == Self.capacity { flush() }
      buffer.append(byte)
    }

    mutating func put(_ bytes: [UInt8]) {
      let n = bytes.count
      guard n > 0 else { return }
      if n > Self.capacity - buffer.count {
        flush()
        if n > Self.capacity {
          chunks.append(bytes)
          return
        }
      }
      buffer += bytes
    }

    mutating func flushIfFull() {
      if buffer.count >= Self.flushSize { flush() }
    }

    mutating func writeIndent() {
      var left = indent * 2
      while left > 0 {
        let n = min(left, 4096)
        if n > Self.capacity - buffer.count { flush() }
        buffer += [UInt8](repeating: 0x20, count: n)
        left -= n
      }
    }

    mutating func separate() {
      if firstInContainer {
        firstInContainer = false
      } else {
        put(0x2C)
        put(0x0A)
      }
      writeIndent()
    }

    mutating func key(_ key: String) {
      separate()
      put(0x22)
      put(Array(key.utf8))
      put(Array("\" : ".utf8))
    }

    /// A string that needs no escape: its bytes between quotes.
    mutating func string(_ text: String) {
      put(0x22)
      put(Array(text.utf8))
      put(0x22)
      flushIfFull()
    }

    mutating func open(_ bracket: UInt8) {
      put(bracket)
      put(0x0A)
      indent += 1
      outer.append(firstInContainer)
      firstInContainer = true
    }

    mutating func close(_ bracket: UInt8) {
      firstInContainer = outer.removeLast()
      put(0x0A)
      indent -= 1
      writeIndent()
      put(bracket)
    }

    mutating func element() {
      separate()
      flushIfFull()
    }
  }

  /// One step of a document, written by both writers.
  enum Step {
    case key(Int)
    case textKey(String)
    case element
    case string(String)
    case int(Int)
    case beginObject, endObject, beginArray, endArray
  }

  /// The keys the code spells, one of them longer than the stored indentation.
  static let keys: [StaticString] = [
    "a", "caveats", "count", "evidence", "lastSeen", "namespace", "objects", "restartCount",
    """
    aVeryLongKeyThatIsLongerThanTheStoredIndentationOfTwoHundredAndFiftySixBytes\
    SoThatTheWriterTakesThePiecewisePathEvenWhenTheBufferHasRoomForItAndTheIndentation\
    IsShallowWhichTheReferenceWritesPieceByPieceAsItAlwaysDidBeforeTheMemberStartWas\
    StoredWholeXYZ0123456789
    """,
  ]

  static let texts = [
    "", "x", "Back-off restarting failed container", "\u{212A}elvin", "\u{130}stanbul", "cafe\u{301}", "☃",
    String(repeating: "0123456789abcdef", count: 300), String(repeating: "long value ", count: 7_000),
  ]

  /// A seeded random document: objects and arrays nested up to `maxDepth`, each member a key
  /// and a value, each element a value; it first climbs to `minDepth`.
  static func document(seed: UInt64, minDepth: Int, maxDepth: Int) -> [Step] {
    var rng = SplitMix64(seed: seed)
    var steps: [Step] = [.beginObject]
    var stack: [Bool] = [true]  // true: an object
    var climbed = false
    while !stack.isEmpty {
      let depth = stack.count
      if depth >= minDepth { climbed = true }
      let stop = climbed && (rng.below(6) == 0 || steps.count > 4_000)
      if stop {
        steps.append(stack.removeLast() ? .endObject : .endArray)
        continue
      }
      if stack[stack.count - 1] {
        steps.append(rng.below(8) == 0 ? .textKey(texts[rng.below(7)]) : .key(rng.below(keys.count)))
      } else {
        steps.append(.element)
      }
      let deeper = depth < maxDepth && rng.below(depth < 40 ? 3 : 12) != 0
      switch climbed ? rng.below(deeper ? 5 : 3) : 3 + rng.below(2) {
      case 0: steps.append(.string(texts[rng.below(texts.count)]))
      case 1: steps.append(.int(Int(truncatingIfNeeded: rng.next()) >> rng.below(64)))
      case 2: steps.append(.string(texts[rng.below(4)]))
      case 3:
        steps.append(.beginObject)
        stack.append(true)
      default:
        steps.append(.beginArray)
        stack.append(false)
      }
    }
    return steps
  }

  static func written(_ steps: [Step]) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    for step in steps {
      switch step {
      case .key(let i): w.key(keys[i])
      case .textKey(let text): w.key(text: text)
      case .element: w.element()
      case .string(let text): w.string(text)
      case .int(let v): w.int(v)
      case .beginObject: w.beginObject()
      case .endObject: w.endObject()
      case .beginArray: w.beginArray()
      case .endArray: w.endArray()
      }
    }
    w.endDocument()
    return chunks
  }

  static func reference(_ steps: [Step]) -> [[UInt8]] {
    var r = Reference()
    for step in steps {
      switch step {
      case .key(let i): r.key(keys[i].description)
      case .textKey(let text):
        r.separate()
        r.string(text)
        r.put(Array(" : ".utf8))
      case .element: r.element()
      case .string(let text): r.string(text)
      case .int(let v): r.put(Array(String(v).utf8))
      case .beginObject: r.open(0x7B)
      case .endObject: r.close(0x7D)
      case .beginArray: r.open(0x5B)
      case .endArray: r.close(0x5D)
      }
    }
    r.put(0x0A)
    r.flush()
    return r.chunks
  }

  @Test("seeded random documents, shallow and nested past the stored indentation")
  func randomDocuments() {
    var bytes = 0
    var deepest = 0
    for seed in UInt64(0)..<300 {
      let deep = seed % 3 == 0
      let steps = Self.document(seed: 0x4B_E500 + seed, minDepth: deep ? 140 : 0, maxDepth: deep ? 200 : 12)
      let chunks = Self.written(steps)
      let reference = Self.reference(steps)
      #expect(chunks == reference, "seed \(seed)")
      bytes += chunks.reduce(0) { $0 + $1.count }
      var depth = 0
      for step in steps {
        switch step {
        case .beginObject, .beginArray:
          depth += 1
          deepest = max(deepest, depth)
        case .endObject, .endArray: depth -= 1
        default: break
        }
      }
    }
    // The documents crossed the buffer many times and nested past 128 levels (256 spaces).
    #expect(bytes > 20 * Reference.capacity)
    #expect(deepest > 130)
  }
}
