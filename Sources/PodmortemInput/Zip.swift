import Foundation
import PodmortemModel

/// One file listed in a zip archive's central directory.
struct ZipEntry {
  var name: String
  var method: UInt16
  var flags: UInt16
  var crc: UInt32
  var compressedSize: Int64
  var size: Int64
  var localHeaderOffset: Int64
  var modificationDate: Date?

  /// The central directory is metadata, not user text; past this size the archive is refused.
  static let maxDirectoryBytes: Int64 = 64 << 20

  /// For each entry whose data range overlaps an earlier entry's (a zip bomb's overlapping
  /// entries, https://www.bamsoftware.com/hacks/zipbomb/), the index of the entry it overlaps.
  /// Ranges are [local header, local header + 30 + compressed size); every value has been
  /// checked against the archive size, so the sums cannot overflow.
  static func sharingData(_ entries: [ZipEntry]) -> [Int: Int] {
    let order = entries.indices.filter { !entries[$0].name.hasSuffix("/") }
      .sorted { (entries[$0].localHeaderOffset, $0) < (entries[$1].localHeaderOffset, $1) }
    var shared: [Int: Int] = [:]
    var reach: (end: Int64, index: Int)?
    for index in order {
      let entry = entries[index]
      guard entry.localHeaderOffset >= 0, entry.compressedSize >= 0,
        entry.compressedSize <= Int64.max / 2, entry.localHeaderOffset <= Int64.max / 2
      else { continue }
      if let reach, entry.localHeaderOffset < reach.end {
        shared[index] = reach.index
        continue
      }
      reach = (entry.localHeaderOffset + 30 + entry.compressedSize, index)
    }
    return shared
  }
}

/// Little-endian reads from zip structures; nil past the end rather than a trap.
extension Array where Element == UInt8 {
  fileprivate func le(_ offset: Int, _ width: Int) -> UInt64? {
    guard offset >= 0, offset + width <= count else { return nil }
    var value: UInt64 = 0
    for index in (0..<width).reversed() { value = value << 8 | UInt64(self[offset + index]) }
    return value
  }
}

extension InputReader {
  /// Reads a zip file through its central directory (zip64 included). Stored and deflated entries
  /// are read; an entry with another method, encryption or a bad CRC is a diagnostic naming it,
  /// and the other entries are still read.
  func readZip(
    _ file: FileDescriptor, size: Int64, info: SourceInfo, depth: Int,
    visit: (SourceInfo, inout LineReader) -> Void
  ) {
    switch zipDirectory(file, size: size) {
    case .failure(let problem):
      report(.warning, info.name, "cannot read zip archive '\(info.name)': \(problem.message)")
    case .success(let entries):
      let shared = ZipEntry.sharingData(entries)
      var overlapping = 0
      defer {
        if overlapping > Self.namedOverlaps {
          report(
            .warning, info.name,
            "skipped '\(overlapping - Self.namedOverlaps)' more zip entries whose data overlaps another entry's")
        }
      }
      for (index, entry) in entries.enumerated() where !entry.name.hasSuffix("/") {
        let name = TarHeader.normalise(entry.name)
        let entryInfo = SourceInfo(
          name: info.name + "!" + name, relativePath: name, root: info.root,
          modificationDate: entry.modificationDate)
        if entry.flags & 1 != 0 {
          report(.warning, entryInfo.name, "skipped encrypted zip entry '\(name)'")
          continue
        }
        guard entry.method == 0 || entry.method == 8 else {
          report(
            .warning, entryInfo.name, "skipped zip entry '\(name)': unsupported compression method '\(entry.method)'")
          continue
        }
        // Offsets and sizes come from the archive: checked against the file before any arithmetic.
        guard entry.localHeaderOffset < size, entry.compressedSize <= size - entry.localHeaderOffset else {
          report(
            .warning, entryInfo.name,
            "skipped zip entry '\(name)': its data (byte \(entry.localHeaderOffset), "
              + "'\(entry.compressedSize)' bytes) lies outside the '\(size)'-byte archive")
          continue
        }
        if let first = shared[index] {
          overlapping += 1
          // The first few are named; a bomb of thousands of entries gets one summary line below.
          if overlapping <= Self.namedOverlaps {
            report(
              .warning, entryInfo.name,
              "skipped zip entry '\(name)': its data overlaps entry '\(TarHeader.normalise(entries[first].name))' "
                + "(entries sharing data are a zip bomb's trick)")
          }
          continue
        }
        var local = [UInt8](repeating: 0, count: 30)
        let got = local.withUnsafeMutableBytes { readAt(file, $0, entry.localHeaderOffset) }
        guard got == 30, let nameLength = local.le(26, 2), let extraLength = local.le(28, 2) else {
          report(
            .warning, entryInfo.name, "skipped zip entry '\(name)': bad local header at byte \(entry.localHeaderOffset)"
          )
          continue
        }
        if local.le(0, 4) != 0x0403_4B50 {
          // A damaged signature: the central directory is authoritative, so the entry is still
          // read when the local header names the same file (APPNOTE.TXT 4.3.7).
          var localName = [UInt8](repeating: 0, count: Int(nameLength))
          let nameRead = localName.withUnsafeMutableBytes { readAt(file, $0, entry.localHeaderOffset + 30) }
          guard nameRead == localName.count, String(decoding: localName, as: UTF8.self) == entry.name else {
            report(
              .warning, entryInfo.name,
              "skipped zip entry '\(name)': bad local header at byte \(entry.localHeaderOffset)")
            continue
          }
          report(
            .note, entryInfo.name,
            "damaged local header signature at byte \(entry.localHeaderOffset); read through the central directory")
        }
        let start = entry.localHeaderOffset + 30 + Int64(nameLength + extraLength)
        let source = ZipEntrySource(
          file: file, entry: entry, start: start, name: entryInfo.name, limit: options.maxBytesPerSource,
          budget: budget, diagnostics: diagnostics)
        _ = readStream(source, info: entryInfo, depth: depth + 1, visit: visit)
      }
    }
  }

  /// True when the file ends with a zip end-of-central-directory record (without a comment, or
  /// with one): for recognising a zip whose first local header is damaged.
  func hasZipEnd(_ file: FileDescriptor, size: Int64) -> Bool {
    let tailLength = Int(min(size, 22 + 65_535))
    guard tailLength >= 22 else { return false }
    var tail = [UInt8](repeating: 0, count: tailLength)
    guard tail.withUnsafeMutableBytes({ readAt(file, $0, size - Int64(tailLength)) }) == tailLength else {
      return false
    }
    return stride(from: tailLength - 22, through: 0, by: -1).contains {
      tail.le($0, 4) == 0x0605_4B50 && tail.le($0 + 20, 2).map { Int($0) } == tailLength - $0 - 22
    }
  }

  /// How many entries sharing data are named one by one before the rest are counted.
  static let namedOverlaps = 10

  /// Why a zip archive's directory could not be read.
  struct ZipProblem: Error {
    var message: String
  }

  /// The entries of the central directory, in archive order.
  private func zipDirectory(_ file: FileDescriptor, size: Int64) -> Result<[ZipEntry], ZipProblem> {
    // The end record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
    let tailLength = Int(min(size, 22 + 65_535))
    var tail = [UInt8](repeating: 0, count: tailLength)
    guard tail.withUnsafeMutableBytes({ readAt(file, $0, size - Int64(tailLength)) }) == tailLength else {
      return .failure(ZipProblem(message: "read failed"))
    }
    // The end record's signature may also occur inside its comment: the record to trust is the
    // one whose comment length reaches exactly to the end of the file, else the last one found.
    let candidates = stride(from: tailLength - 22, through: 0, by: -1).filter { tail.le($0, 4) == 0x0605_4B50 }
    guard
      let end = candidates.first(where: { tail.le($0 + 20, 2).map { Int($0) } == tailLength - $0 - 22 })
        ?? candidates.first,
      var count = tail.le(end + 10, 2), var directorySize = tail.le(end + 12, 4),
      var directoryOffset = tail.le(end + 16, 4)
    else { return .failure(ZipProblem(message: "no end of central directory record")) }
    // zip64: a locator just before the end record points at the zip64 end record. A saturated
    // field without a locator is a plain zip with exactly 65,535 entries (or a 4 GiB offset).
    let locatorOffset = size - Int64(tailLength - end) - 20
    var locator = [UInt8](repeating: 0, count: 20)
    let hasLocator =
      locatorOffset >= 0 && locator.withUnsafeMutableBytes({ readAt(file, $0, locatorOffset) }) == 20
      && locator.le(0, 4) == 0x0706_4B50
    if hasLocator && (count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF) {
      var record = [UInt8](repeating: 0, count: 56)
      guard let recordOffset = locator.le(8, 8), recordOffset < UInt64(size),
        record.withUnsafeMutableBytes({ readAt(file, $0, Int64(recordOffset)) }) == 56,
        record.le(0, 4) == 0x0606_4B50, let count64 = record.le(32, 8), let size64 = record.le(40, 8),
        let offset64 = record.le(48, 8)
      else { return .failure(ZipProblem(message: "bad zip64 end record")) }
      count = count64
      directorySize = size64
      directoryOffset = offset64
    }
    // Checked without adding, so offsets near 2^64 cannot overflow.
    guard directorySize <= UInt64(ZipEntry.maxDirectoryBytes), directoryOffset <= UInt64(size),
      directorySize <= UInt64(size) - directoryOffset
    else {
      return .failure(ZipProblem(message: "central directory out of bounds"))
    }
    var directory = [UInt8](repeating: 0, count: Int(directorySize))
    guard directory.withUnsafeMutableBytes({ readAt(file, $0, Int64(directoryOffset)) }) == directory.count else {
      return .failure(ZipProblem(message: "read failed"))
    }
    var entries: [ZipEntry] = []
    var at = 0
    for _ in 0..<count {
      guard directory.le(at, 4) == 0x0201_4B50, let flags = directory.le(at + 8, 2),
        let method = directory.le(at + 10, 2), let time = directory.le(at + 12, 2), let date = directory.le(at + 14, 2),
        let crc = directory.le(at + 16, 4), var compressed = directory.le(at + 20, 4),
        var size = directory.le(at + 24, 4), let nameLength = directory.le(at + 28, 2),
        let extraLength = directory.le(at + 30, 2), let commentLength = directory.le(at + 32, 2),
        var offset = directory.le(at + 42, 4), at + 46 + Int(nameLength + extraLength) <= directory.count
      else {
        return entries.isEmpty
          ? .failure(ZipProblem(message: "corrupt central directory")) : .success(entries)
      }
      let nameStart = at + 46
      let name = String(decoding: directory[nameStart..<(nameStart + Int(nameLength))], as: UTF8.self)
      var modified = DOSTime.date(date: UInt16(date), time: UInt16(time))
      var extra = nameStart + Int(nameLength)
      let extraEnd = extra + Int(extraLength)
      while extra + 4 <= extraEnd, let id = directory.le(extra, 2), let length = directory.le(extra + 2, 2) {
        let body = extra + 4
        if id == 0x0001 {
          // zip64 extra: the 64-bit values, in this order, only for fields saturated above.
          var field = body
          if size == 0xFFFF_FFFF, let value = directory.le(field, 8) {
            size = value
            field += 8
          }
          if compressed == 0xFFFF_FFFF, let value = directory.le(field, 8) {
            compressed = value
            field += 8
          }
          if offset == 0xFFFF_FFFF, let value = directory.le(field, 8) { offset = value }
        } else if id == 0x5455, length >= 5, let flags = directory.le(body, 1), flags & 1 != 0,
          let seconds = directory.le(body + 1, 4)
        {
          // Extended timestamp: a real UTC mtime, better than the local-time DOS fields.
          modified = Date(timeIntervalSince1970: TimeInterval(Int32(bitPattern: UInt32(seconds))))
        }
        extra = body + Int(length)
      }
      entries.append(
        ZipEntry(
          name: name, method: UInt16(method), flags: UInt16(flags), crc: UInt32(crc),
          compressedSize: Int64(clamping: compressed), size: Int64(clamping: size),
          localHeaderOffset: Int64(clamping: offset), modificationDate: modified))
      at = extraEnd + Int(commentLength)
    }
    return .success(entries)
  }

  /// Reads until `buffer` is full or the file ends, at `offset`.
  private func readAt(_ file: FileDescriptor, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) -> Int {
    var filled = 0
    while filled < buffer.count {
      guard
        case .success(let n) = file.readBytes(
          into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
          at: offset + Int64(filled)), n > 0
      else { break }
      filled += n
    }
    return filled
  }
}

/// The data of one zip entry, read with `pread` (so the archive needs no shared position),
/// inflated when deflated, its CRC-32 checked when the end is reached.
struct ZipEntrySource: ByteSource {
  private let file: FileDescriptor
  private let entry: ZipEntry
  private var position: Int64
  private var compressedLeft: Int64
  private let inflater: Inflater?
  private var input = [UInt8](repeating: 0, count: 64 * 1024)
  private var inputStart = 0
  private var inputEnd = 0
  private var produced: Int64 = 0
  private var crc: UInt32 = 0
  private var done = false
  private let limit: Int64
  private let budget: DecompressionBudget
  private var consumed: Int64 = 0
  private let name: String
  private let diagnostics: DiagnosticSink

  init(
    file: FileDescriptor, entry: ZipEntry, start: Int64, name: String, limit: Int64, budget: DecompressionBudget,
    diagnostics: @escaping DiagnosticSink
  ) {
    self.budget = budget
    self.file = file
    self.entry = entry
    self.position = start
    self.compressedLeft = entry.compressedSize
    self.inflater = entry.method == 8 ? Inflater(.raw) : nil
    self.name = name
    self.limit = limit
    self.diagnostics = diagnostics
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while !done {
      if inputStart == inputEnd && compressedLeft > 0 { refill() }
      if produced >= limit {
        report("stopped: more than '\(limit)' decompressed bytes (--max-bytes)")
        return 0
      }
      var room = Int(min(Int64(buffer.count), limit - produced))
      if inflater != nil {
        room = budget.reserve(room)
        guard room > 0 else {
          report("stopped: the run's '\(budget.limit)' decompressed bytes are spent (--max-total-bytes)")
          return 0
        }
      }
      let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<room])
      var count = 0
      if let inflater {
        let step = input.withUnsafeBytes { bytes in
          inflater.inflate(UnsafeRawBufferPointer(rebasing: bytes[inputStart..<inputEnd]), into: window)
        }
        budget.release(room - step.produced)
        inputStart += step.consumed
        consumed += Int64(step.consumed)
        count = step.produced
        if budget.expandsTooMuch(produced: produced + Int64(count), consumed: consumed) {
          report(
            "stopped: the entry expands more than \(budget.maxExpansionRatio):1 (a compression bomb? --max-total-bytes reads it anyway)"
          )
          return account(window, count)
        }
        if let failure = step.failure {
          report("corrupt deflate data in zip entry: \(failure)")
          return account(window, count)
        }
        if step.ended {
          done = true
          verify(adding: window, count)
          return count
        }
        if count == 0 && step.consumed == 0 && (inputStart < inputEnd || compressedLeft == 0) {
          report(
            inputStart < inputEnd
              ? "corrupt deflate data in zip entry: no progress" : "truncated deflate data in zip entry")
          return 0
        }
      } else {
        count = min(room, inputEnd - inputStart)
        input.withUnsafeBytes { bytes in
          window.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[inputStart..<(inputStart + count)]))
        }
        inputStart += count
        if count == 0 {
          done = true
          verify(adding: window, 0)
          return 0
        }
      }
      if count > 0 { return account(window, count) }
    }
    return 0
  }

  private mutating func account(_ window: UnsafeMutableRawBufferPointer, _ count: Int) -> Int {
    crc = Inflater.crc32(crc, UnsafeRawBufferPointer(rebasing: window[0..<count]))
    produced += Int64(count)
    return count
  }

  /// At the end of the entry: its length and CRC-32 must be what the directory says.
  private mutating func verify(adding window: UnsafeMutableRawBufferPointer, _ count: Int) {
    _ = account(window, count)
    if produced != entry.size {
      report("zip entry is '\(produced)' bytes, the directory says '\(entry.size)'")
    } else if crc != entry.crc {
      report("crc mismatch in zip entry (data may be corrupt)")
    }
  }

  private mutating func refill() {
    let want = Int(min(Int64(input.count), compressedLeft))
    let n = input.withUnsafeMutableBytes { buffer in
      file.readBytes(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: position)
    }
    inputStart = 0
    switch n {
    case .success(let count) where count > 0:
      inputEnd = count
      position += Int64(count)
      compressedLeft -= Int64(count)
    default:
      inputEnd = 0
      compressedLeft = 0
    }
  }

  private mutating func report(_ message: String) {
    done = true
    diagnostics(Diagnostic(.warning, SourceRef(source: name, line: 0), message))
  }
}

/// An MS-DOS date and time, as a zip entry's header stores its modification time.
package enum DOSTime {
  /// The instant of an MS-DOS date and time (local time of the zipping machine, taken here as
  /// UTC). A field out of its range (month 0 or 13–15, day 0, hour 24–31, minute 60–63, second
  /// 60–62) carries into the next larger one, as Foundation's lenient Gregorian calendar counts
  /// it; the days by H. Hinnant's `days_from_civil`
  /// (http://howardhinnant.github.io/date_algorithms.html), with no `Calendar` or `TimeZone`,
  /// whose "UTC" zone loaded ICU's zone data (docs/architecture.md, "The start-up floor").
  package static func date(date: UInt16, time: UInt16) -> Date {
    let monthFromJanuary = Int((date >> 5) & 0xF) - 1  // -1…14
    let year = 1980 + Int(date >> 9) + (monthFromJanuary < 0 ? -1 : monthFromJanuary / 12)
    let month = (monthFromJanuary + 12) % 12 + 1
    // days_from_civil for the first of the month; years 1979…2108 are positive, so one era.
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5
    let firstOfMonth = era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    let days = firstOfMonth + Int(date & 0x1F) - 1
    let seconds = days * 86_400 + Int(time >> 11) * 3_600 + Int((time >> 5) & 0x3F) * 60 + Int(time & 0x1F) * 2
    return Date(timeIntervalSince1970: Double(seconds))
  }
}
