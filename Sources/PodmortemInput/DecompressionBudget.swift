import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The decompressed bytes one run may produce across all its gzip streams and zip entries, so
/// a bomb spread over many entries (or many files) stops as surely as one big stream
/// (docs/architecture.md "What must hold"). Shared by every stream of a run; thread-safe.
package final class DecompressionBudget: @unchecked Sendable {
  /// The default cap: 100 × the compressed input, at most 4 GiB (README "Usage").
  package static let defaultRatio: Int64 = 100
  package static let defaultCeiling: Int64 = 4 << 30

  // Guarded by `lock`.
  private let lock = NSLock()
  private var limitValue: Int64
  private var usedValue: Int64 = 0

  /// A stream that has produced `expansionCheckAfter` bytes may not expand more than
  /// `maxExpansionRatio` : 1. Logs compress 5–20 : 1, so real input rarely reaches 100 : 1; a
  /// bomb of repeated log lines (10 GiB in 68 MB, 150 : 1) does, and stops after 64 MiB instead
  /// of inflating the whole budget. One deflate layer cannot pass about 1032 : 1.
  package let maxExpansionRatio: Int64
  package let expansionCheckAfter: Int64

  package init(limit: Int64 = defaultCeiling, maxExpansionRatio: Int64 = 100, expansionCheckAfter: Int64 = 64 << 20) {
    limitValue = max(1, limit)
    self.maxExpansionRatio = max(1, maxExpansionRatio)
    self.expansionCheckAfter = max(0, expansionCheckAfter)
  }

  /// True when a stream that made `produced` bytes from `consumed` compressed ones breaks the ratio.
  func expandsTooMuch(produced: Int64, consumed: Int64) -> Bool {
    produced > expansionCheckAfter && produced / max(1, consumed) > maxExpansionRatio
  }

  package var limit: Int64 { lock.withLock { limitValue } }
  package var used: Int64 { lock.withLock { usedValue } }

  func setLimit(_ limit: Int64) { lock.withLock { limitValue = max(1, limit) } }

  /// Reserves up to `wanted` bytes; returns how many were granted (0 once the budget is spent).
  func reserve(_ wanted: Int) -> Int {
    lock.withLock {
      let granted = Int(min(Int64(max(0, wanted)), max(0, limitValue - usedValue)))
      usedValue += Int64(granted)
      return granted
    }
  }

  /// Gives back the part of a reservation that was not used.
  func release(_ unused: Int) {
    lock.withLock { usedValue -= Int64(max(0, unused)) }
  }

  /// The default limit for these inputs: `defaultRatio` × their total size on disk, at most
  /// `defaultCeiling`; standard input (size unknown) gets the ceiling.
  package static func defaultLimit(for inputs: [String]) -> Int64 {
    var total: Int64 = 0
    for input in inputs {
      if input == "-" { return defaultCeiling }
      total = total.addingReportingOverflow(diskSize(input)).partialValue
      if total >= defaultCeiling / defaultRatio { return defaultCeiling }
    }
    return max(1, min(defaultCeiling, total * defaultRatio))
  }

  /// Bytes of a file, or of the regular files under a directory (symlinks inside it not followed).
  /// A path named on the command line is followed when it is a symlink, as reading it follows it
  /// (`/var/log/containers/*.log` are symlinks): measured with `lstat` it was 0 bytes, so a
  /// symlinked `.gz` got a budget of 1 byte and stopped at once.
  private static func diskSize(_ path: String) -> Int64 {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    if (info.st_mode & S_IFMT) == S_IFREG { return Int64(info.st_size) }
    guard (info.st_mode & S_IFMT) == S_IFDIR,
      let walker = FileManager.default.enumerator(
        at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
    else { return 0 }
    var total: Int64 = 0
    for case let url as URL in walker {
      guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
        values.isRegularFile == true, let size = values.fileSize
      else { continue }
      total += Int64(size)
      if total >= defaultCeiling / defaultRatio { break }
    }
    return total
  }
}
