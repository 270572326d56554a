import Foundation
import PodmortemModel

/// One 512-byte tar header block: ustar (with its name prefix), GNU and old v7 layouts.
struct TarHeader {
  var name: String
  var size: Int64
  var typeflag: UInt8
  var modificationDate: Date?

  static let blockSize = 512
  /// Longest GNU long name or pax header kept in memory; anything bigger is treated as corrupt.
  static let maxMetadataBytes: Int64 = 1 << 20
  /// The largest entry size accepted (1 PiB): far above any real file, far enough below
  /// `Int64.max` that padding and offsets cannot overflow. A bigger size is a corrupt header.
  static let maxEntryBytes: Int64 = 1 << 50

  /// `size` rounded up to whole blocks; nil when the size is out of range.
  static func padded(_ size: Int64) -> Int64? {
    guard (0...maxEntryBytes).contains(size) else { return nil }
    return (size + 511) / 512 * 512
  }

  /// True for a ustar or GNU header (magic at 257), or a v7 header whose checksum adds up.
  static func looksLikeTar(_ head: [UInt8]) -> Bool {
    guard head.count >= blockSize else { return false }
    let block = head[0..<blockSize]
    if block.allSatisfy({ $0 == 0 }) { return false }
    if head[257..<262].elementsEqual("ustar".utf8) { return true }
    return checksumMatches(block)
  }

  /// The header's recorded checksum equals the sum of its bytes with the checksum field as
  /// spaces; old tars summed signed bytes, so both sums are accepted.
  static func checksumMatches(_ block: ArraySlice<UInt8>) -> Bool {
    guard let recorded = octal(block, 148, 8) else { return false }
    var unsigned: Int64 = 0
    var signed: Int64 = 0
    for (index, byte) in block.enumerated() {
      let value = (148..<156).contains(index) ? 0x20 : byte
      unsigned += Int64(value)
      signed += Int64(Int8(bitPattern: value))
    }
    return recorded == unsigned || recorded == signed
  }

  /// Parses a header; nil when the checksum or the size field is bad.
  init?(_ block: ArraySlice<UInt8>) {
    guard Self.checksumMatches(block), let size = Self.number(block, 124, 12), size >= 0 else { return nil }
    self.size = size
    let start = block.startIndex
    typeflag = block[start + 156]
    var name = Self.string(block, 0, 100)
    // Only POSIX ustar ("ustar\0") has a name prefix; GNU ("ustar  ") keeps times in that area.
    if block[(start + 257)..<(start + 263)].elementsEqual("ustar\0".utf8) {
      let prefix = Self.string(block, 345, 155)
      if !prefix.isEmpty { name = prefix + "/" + name }
    }
    self.name = name
    // An mtime outside the years 1…9999 is dropped (docs/architecture.md "What must hold").
    modificationDate = Self.number(block, 136, 12).flatMap { Plausible.date(secondsSince1970: Double($0)) }
  }

  /// A NUL-terminated field, decoded leniently.
  static func string(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> String {
    let field = block.dropFirst(offset).prefix(length)
    return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// A numeric field: octal digits, or GNU base-256 when the top bit of the first byte is set.
  static func number(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int64? {
    let field = block.dropFirst(offset).prefix(length)
    guard let first = field.first else { return nil }
    guard first & 0x80 != 0 else { return octal(block, offset, length) }
    var value: Int64 = Int64(first & 0x7F)
    for byte in field.dropFirst() {
      guard value < (Int64.max >> 8) else { return nil }
      value = value << 8 | Int64(byte)
    }
    return value
  }

  /// An octal field padded with spaces or NULs; nil when it holds anything else.
  static func octal(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int64? {
    let field = block.dropFirst(offset).prefix(length)
    var value: Int64 = 0
    var digits = 0
    var ended = false
    for byte in field {
      switch byte {
      case 0x30...0x37 where !ended:
        guard value < (Int64.max >> 3) else { return nil }
        value = value << 3 | Int64(byte - 0x30)
        digits += 1
      case 0x20 where digits == 0:
        continue
      case 0x20, 0:
        ended = true
      default:
        return nil
      }
    }
    return digits > 0 ? value : (field.allSatisfy { $0 == 0 || $0 == 0x20 } ? 0 : nil)
  }

  /// The `key=value` records of a pax extended header (`"%d %s=%s\n"`, the length counting itself).
  static func paxRecords(_ data: [UInt8]) -> [String: String] {
    var records: [String: String] = [:]
    var index = 0
    while index < data.count {
      guard let space = data[index...].firstIndex(of: 0x20),
        let length = Int(String(decoding: data[index..<space], as: UTF8.self)), length > space - index,
        length <= data.count - index
      else { break }
      let record = data[(space + 1)..<(index + length)].dropLast { $0 == 0x0A }
      if let equals = record.firstIndex(of: 0x3D) {
        let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
        records[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
      }
      index += length
    }
    return records
  }

  /// An entry path as a provenance component: no leading `./` or `/`.
  static func normalise(_ path: String) -> String {
    var trimmed = Substring(path)
    while true {
      if trimmed.hasPrefix("./") {
        trimmed = trimmed.dropFirst(2)
      } else if trimmed.hasPrefix("/") {
        trimmed = trimmed.dropFirst()
      } else {
        break
      }
    }
    return String(trimmed)
  }
}

extension ArraySlice where Element == UInt8 {
  fileprivate func dropLast(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
    var slice = self
    while let last = slice.last, predicate(last) { slice = slice.dropLast() }
    return slice
  }
}

extension InputReader {
  /// Reads a tar stream entry by entry; only regular files become sources. A corrupt header
  /// stops the archive with a diagnostic; the entries before it have been read.
  func readTar(
    _ archive: any ByteSource, info: SourceInfo, depth: Int, visit: (SourceInfo, inout LineReader) -> Void
  ) -> any ByteSource {
    var stream = archive
    var offset: Int64 = 0
    var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
    var longName: String?
    var pax: [String: String] = [:]
    while true {
      let got = block.withUnsafeMutableBytes { readFully(&stream, into: $0) }
      if got == 0 && offset > 0 {
        return stream  // no end-of-archive blocks: tolerated, as GNU tar does
      }
      guard got == TarHeader.blockSize else {
        report(.warning, info.name, "truncated tar archive at byte \(offset)", byteOffset: offset)
        return stream
      }
      if block.allSatisfy({ $0 == 0 }) {
        // The end-of-archive marker; drain the padding so a gzip trailer around it is checked.
        _ = skip(&stream, .max)
        return stream
      }
      guard let header = TarHeader(block[...]) else {
        report(.warning, info.name, "corrupt tar header at byte \(offset); the rest is skipped", byteOffset: offset)
        return stream
      }
      offset += Int64(TarHeader.blockSize)
      guard let padded = TarHeader.padded(header.size) else {
        report(
          .warning, info.name,
          "corrupt tar header at byte \(offset - 512): entry size '\(header.size)' is out of range; the rest is skipped",
          byteOffset: offset - 512)
        return stream
      }
      switch header.typeflag {
      case UInt8(ascii: "L"), UInt8(ascii: "x"), UInt8(ascii: "g"):
        guard header.size <= TarHeader.maxMetadataBytes else {
          report(
            .warning, info.name, "corrupt tar header at byte \(offset - 512): oversized metadata", byteOffset: offset)
          return stream
        }
        var data = [UInt8](repeating: 0, count: Int(header.size))
        let read = data.withUnsafeMutableBytes { readFully(&stream, into: $0) }
        guard read == data.count, skip(&stream, padded - header.size) == padded - header.size else {
          report(.warning, info.name, "truncated tar archive at byte \(offset)", byteOffset: offset)
          return stream
        }
        offset += padded
        if header.typeflag == UInt8(ascii: "L") {
          longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        } else if header.typeflag == UInt8(ascii: "x") {
          pax.merge(TarHeader.paxRecords(data)) { $1 }
        }
      // A global pax header ('g') sets defaults podmortem has no use for; its data is skipped.
      case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
        let name = TarHeader.normalise(pax["path"] ?? longName ?? header.name)
        var size = header.size
        if let text = pax["size"] {
          // A pax size replaces the header's; one out of range leaves the archive's layout unknown.
          guard let value = Int64(text), TarHeader.padded(value) != nil else {
            report(
              .warning, info.name,
              "corrupt pax header before '\(name)' at byte \(offset - 512): size '\(text.prefix(40))' is out of range; "
                + "the rest is skipped", byteOffset: offset - 512)
            return stream
          }
          size = value
        }
        var date = header.modificationDate
        if let text = pax["mtime"] {
          if let seconds = Double(text), let valid = Plausible.date(secondsSince1970: seconds) {
            date = valid
          } else {
            report(
              .warning, info.name + "!" + name,
              "pax mtime '\(text.prefix(40))' is not a time between the years 1 and 9999; ignored",
              byteOffset: offset - 512)
          }
        }
        longName = nil
        pax = [:]
        let entryPadded = TarHeader.padded(size) ?? 0
        var rest = BoundedSource(base: stream, count: size)
        if !name.isEmpty {
          let entry = SourceInfo(
            name: info.name + "!" + name, relativePath: name, root: info.root, modificationDate: date)
          let back = readStream(rest, info: entry, depth: depth + 1, visit: visit)
          guard let bounded = unwrap(back, to: BoundedSource.self) else {
            report(.warning, info.name, "lost the tar stream after '\(name)'")
            return back
          }
          rest = bounded
        }
        stream = rest.base
        let left = rest.remaining + (entryPadded - size)
        guard !rest.truncated, skip(&stream, left) == left else {
          report(.warning, info.name, "truncated tar archive in '\(name)'", byteOffset: offset)
          return stream
        }
        offset += entryPadded
      default:
        // Directories, links, devices: nothing to read; their data (normally none) is skipped.
        longName = nil
        pax = [:]
        guard skip(&stream, padded) == padded else {
          report(.warning, info.name, "truncated tar archive at byte \(offset)", byteOffset: offset)
          return stream
        }
        offset += padded
      }
    }
  }
}
