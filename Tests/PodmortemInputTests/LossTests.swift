import Foundation
import PodmortemInput
import PodmortemModel
import Testing

/// Intact input that used to be lost silently: byte-order marks, UTF-16/UTF-32 text, a stray
/// NUL byte, and zip archives a strict reader refuses. Every input is built here.
@Suite struct LossTests {
  static let lines = ["Name: web-0", "Namespace: default", "Message: 🚀 started ünïcode", "Status: Running"]
  static var body: String { text(lines) }

  @Test(arguments: [1, 3, 7, 4096])
  func aUTF8ByteOrderMarkIsDropped(window: Int) {
    let result = collect(bytes: [0xEF, 0xBB, 0xBF] + Array(Self.body.utf8), window: window, name: "bom.txt")
    #expect(result.texts("bom.txt") == Self.lines)
    #expect(result.diagnostics.isEmpty)
  }

  struct Encoded: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var testDescription: String { name }
  }

  static let encodings: [Encoded] = {
    let scalars = Array(body.unicodeScalars)
    let units16 = Array(body.utf16)
    func le16(_ u: UInt16) -> [UInt8] { [UInt8(u & 0xFF), UInt8(u >> 8)] }
    func be16(_ u: UInt16) -> [UInt8] { [UInt8(u >> 8), UInt8(u & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
    func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }
    return [
      Encoded(name: "UTF-16LE", bytes: [0xFF, 0xFE] + units16.flatMap(le16)),
      Encoded(name: "UTF-16BE", bytes: [0xFE, 0xFF] + units16.flatMap(be16)),
      Encoded(name: "UTF-32LE", bytes: [0xFF, 0xFE, 0, 0] + scalars.flatMap { le32($0.value) }),
      Encoded(name: "UTF-32BE", bytes: [0, 0, 0xFE, 0xFF] + scalars.flatMap { be32($0.value) }),
    ]
  }()

  @Test(arguments: encodings, [1, 3, 7, 4096])
  func wideTextIsDecodedWithANote(_ input: Encoded, window: Int) {
    let result = collect(bytes: input.bytes, window: window, name: "wide.txt")
    #expect(result.texts("wide.txt") == Self.lines)
    #expect(result.messages(.note) == ["decoded \(input.name) text to UTF-8"])
  }

  @Test func anUnpairedSurrogateBecomesAReplacementCharacter() {
    let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x62, 0x00, 0x0A, 0x00, 0x00, 0xD8]
    let result = collect(bytes: bytes, window: 1, name: "bad.txt")
    #expect(result.texts("bad.txt") == ["a\u{FFFD}b", "\u{FFFD}"])
  }

  @Test func aStrayNULIsReadAsASpaceWithANote() {
    var bytes = Array(Self.body.utf8)
    bytes[4] = 0
    let result = collect(bytes: bytes, window: 7, name: "nul.txt")
    #expect(result.texts("nul.txt")?.first == "Name  web-0")
    #expect(result.texts("nul.txt")?.count == Self.lines.count)
    #expect(result.messages(.note) == ["NUL bytes in text read as spaces (the first at byte 4)"])
  }

  @Test func binaryDataIsStillSkipped() {
    let bytes = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let result = collect(bytes: bytes, name: "blob.bin")
    #expect(result.sources.isEmpty)
    #expect(result.messages(.note).first?.hasPrefix("skipped binary data") == true)
  }

  // MARK: zip archives

  @Test func aZipWith65535EntriesIsRead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let entries = (0..<65_535).map { ZipBuilder.Entry(name: "e\($0).txt", data: Array("entry \($0)\n".utf8)) }
    let path = try dir.write("many.zip", ZipBuilder.build(entries))
    let result = collect([path])
    #expect(result.sources.count == 65_535)
    #expect(result.texts(path + "!e65534.txt") == ["entry 65534"])
    #expect(result.diagnostics.isEmpty)
  }

  @Test func aCommentHoldingTheEndSignatureIsNotMistakenForTheEndRecord() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let comment = Array("see PK".utf8) + [0x05, 0x06] + [UInt8](repeating: 0x41, count: 30)
    let path = try dir.write(
      "comment.zip", ZipBuilder.build([.init(name: "a.txt", data: Array("hello\n".utf8))], comment: comment))
    let result = collect([path])
    #expect(result.texts(path + "!a.txt") == ["hello"])
    #expect(result.diagnostics.isEmpty)
  }

  @Test func aDamagedFirstLocalHeaderIsReadThroughTheCentralDirectory() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var bytes = ZipBuilder.build([
      .init(name: "a.txt", data: Array("first\n".utf8)), .init(name: "b.txt", data: Array("second\n".utf8)),
    ])
    bytes[0] = 0x58
    bytes[1] = 0x58
    let path = try dir.write("damaged.zip", bytes)
    let result = collect([path])
    #expect(result.texts(path + "!a.txt") == ["first"])
    #expect(result.texts(path + "!b.txt") == ["second"])
    #expect(result.messages(.note) == ["damaged local header signature at byte 0; read through the central directory"])
  }

  @Test func entriesSharingDataAreRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    // Three directory entries, all pointing at the one local header and its data.
    let bytes = ZipBuilder.build([.init(name: "a.txt", data: Array("payload\n".utf8))], directoryCopies: 3)
    let path = try dir.write("overlap.zip", bytes)
    let result = collect([path])
    #expect(result.sources.count == 1)
    #expect(result.messages(.warning).count == 2)
    #expect(result.messages(.warning).allSatisfy { $0.contains("overlaps entry 'a.txt'") })
  }

  @Test func thousandsOfEntriesSharingDataGiveOneSummaryLine() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let bytes = ZipBuilder.build([.init(name: "a.txt", data: Array("payload\n".utf8))], directoryCopies: 1000)
    let path = try dir.write("bomb.zip", bytes)
    let result = collect([path])
    #expect(result.sources.count == 1)
    let warnings = result.messages(.warning)
    #expect(warnings.count == 11)
    #expect(warnings.last == "skipped '989' more zip entries whose data overlaps another entry's")
  }
}

/// Writes stored (uncompressed) zip archives byte by byte (APPNOTE.TXT 4.3).
enum ZipBuilder {
  struct Entry {
    var name: String
    var data: [UInt8]
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func le(_ value: UInt64, _ width: Int) -> [UInt8] {
    (0..<width).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) }
  }

  /// `directoryCopies` > 1 lists every entry that many times, all at the same data.
  static func build(_ entries: [Entry], comment: [UInt8] = [], directoryCopies: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    var count = 0
    for entry in entries {
      let name = Array(entry.name.utf8)
      let crc = UInt64(crc32(entry.data))
      let size = UInt64(entry.data.count)
      let offset = UInt64(out.count)
      out += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2) + le(crc, 4)
      out += le(size, 4) + le(size, 4) + le(UInt64(name.count), 2) + le(0, 2) + name + entry.data
      for _ in 0..<directoryCopies {
        central += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        central += le(crc, 4) + le(size, 4) + le(size, 4) + le(UInt64(name.count), 2) + le(0, 2) + le(0, 2)
        central += le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name
        count += 1
      }
    }
    let directoryOffset = UInt64(out.count)
    out += central
    out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(UInt64(count), 2) + le(UInt64(count), 2)
    out += le(UInt64(central.count), 4) + le(directoryOffset, 4) + le(UInt64(comment.count), 2) + comment
    return out
  }
}
