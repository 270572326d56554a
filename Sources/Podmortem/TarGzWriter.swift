import Foundation

/// Writes a `.tar.gz` of a directory's regular files for `podmortem redact … OUT.tar.gz`.
///
/// The tar is POSIX ustar with a pax `path` record for names longer than 100 bytes (POSIX
/// pax(1), "ustar Interchange Format" and "pax Interchange Format"); the gzip member holds the
/// tar in stored (uncompressed) deflate blocks (RFC 1952 §2.3, RFC 1951 §3.2.4), so no compressor
/// is needed and any gunzip reads it. Files are written in path order, each streamed from disk.
struct TarGzWriter {
  private let out: FileHandle
  private var crc = CRC32()
  private var size: UInt32 = 0
  private var pending: [UInt8] = []

  /// Stored deflate blocks hold at most 65,535 bytes each.
  private static let blockBytes = 65_535

  init(writingTo path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    out = handle
    // ID1 ID2, CM = deflate, no flags, no mtime, XFL 0, OS unknown.
    try out.write(contentsOf: [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
  }

  /// Adds every regular file below `directory`, named by its path relative to it.
  mutating func addFiles(below directory: URL) throws {
    let fm = FileManager.default
    let paths = (fm.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []).sorted()
    for relative in paths {
      let url = directory.appendingPathComponent(relative)
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
      let attributes = try fm.attributesOfItem(atPath: url.path)
      let fileSize = (attributes[.size] as? NSNumber)?.int64Value ?? 0
      try addFile(named: relative, size: fileSize, from: url)
    }
  }

  private mutating func addFile(named name: String, size fileSize: Int64, from url: URL) throws {
    // The ustar size field holds 11 octal digits.
    guard fileSize < 0o77777777777 else { throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: name]) }
    let nameBytes = Array(name.utf8)
    if nameBytes.count > 100 {
      // "%d path=%s\n", the length counting itself.
      let body = " path=\(name)\n"
      var length = body.utf8.count + 1
      while String(length).utf8.count + body.utf8.count > length { length += 1 }
      let record = Array((String(length) + body).utf8)
      try emit(Self.header(name: "PaxHeader", size: Int64(record.count), type: UInt8(ascii: "x")))
      try emit(record)
      try emit([UInt8](repeating: 0, count: Self.padding(Int64(record.count))))
    }
    let shortName = nameBytes.count > 100 ? String(decoding: nameBytes.suffix(100), as: UTF8.self) : name
    try emit(Self.header(name: shortName, size: fileSize, type: UInt8(ascii: "0")))
    let input = try FileHandle(forReadingFrom: url)
    defer { try? input.close() }
    var written: Int64 = 0
    while written < fileSize, let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
      let take = min(Int64(chunk.count), fileSize - written)
      try emit(Array(chunk.prefix(Int(take))))
      written += take
    }
    // A file that shrank while being read is padded to the size its header announced.
    if written < fileSize { try emit([UInt8](repeating: 0, count: Int(fileSize - written))) }
    try emit([UInt8](repeating: 0, count: Self.padding(fileSize)))
  }

  /// Ends the tar (two zero blocks) and the gzip member (final block, CRC-32, size mod 2^32).
  mutating func finish() throws {
    try emit([UInt8](repeating: 0, count: 1024))
    try flush(final: true)
    var trailer: [UInt8] = []
    for value in [crc.value, size] {
      for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    try out.write(contentsOf: trailer)
    try out.close()
  }

  private mutating func emit(_ bytes: [UInt8]) throws {
    crc.update(bytes)
    size = size &+ UInt32(truncatingIfNeeded: bytes.count)  // ISIZE is the size modulo 2^32 (RFC 1952 §2.3.1).
    pending.append(contentsOf: bytes)
    if pending.count >= 16 * Self.blockBytes { try flush(final: false) }
  }

  private mutating func flush(final: Bool) throws {
    var out: [UInt8] = []
    var start = 0
    repeat {
      let count = min(Self.blockBytes, pending.count - start)
      let last = final && start + count == pending.count
      guard final || count == Self.blockBytes else { break }
      out.append(last ? 0x01 : 0x00)
      out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
      out += pending[start..<start + count]
      start += count
    } while start < pending.count || (final && out.isEmpty)
    pending.removeFirst(start)
    try self.out.write(contentsOf: out)
  }

  private static func padding(_ size: Int64) -> Int { Int((512 - size % 512) % 512) }

  private static func header(name: String, size: Int64, type: UInt8) -> [UInt8] {
    var h = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int, width: Int) {
      for (i, b) in text.utf8.prefix(width).enumerated() { h[offset + i] = b }
    }
    func octal(_ value: Int64, width: Int) -> String {
      let digits = String(value, radix: 8)
      return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
    }
    put(name, at: 0, width: 100)
    put(octal(0o644, width: 8), at: 100, width: 8)
    put(octal(0, width: 8), at: 108, width: 8)
    put(octal(0, width: 8), at: 116, width: 8)
    put(octal(size, width: 12), at: 124, width: 12)
    put(octal(0, width: 12), at: 136, width: 12)
    put("        ", at: 148, width: 8)
    h[156] = type
    put("ustar", at: 257, width: 6)
    put("00", at: 263, width: 2)
    let sum = h.reduce(0) { $0 + Int64($1) }
    put(octal(sum, width: 7), at: 148, width: 6)
    h[154] = 0
    return h
  }
}

/// CRC-32 as gzip uses it (RFC 1952 §8), table-driven.
struct CRC32 {
  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }
  private var state: UInt32 = 0xFFFF_FFFF

  var value: UInt32 { state ^ 0xFFFF_FFFF }

  mutating func update(_ bytes: [UInt8]) {
    var c = state
    for b in bytes { c = Self.table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    state = c
  }
}
