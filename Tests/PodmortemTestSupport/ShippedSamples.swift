import Foundation

/// The files under samples/ as bytes on disk: one walk for every test that holds a fast path to
/// its reference over every shipped sample and real paste ("Tests and yardsticks" in
/// docs/architecture.md). Archives and compressed files are given as their raw bytes, like any
/// other file; a test that wants only text says which files it takes.
public enum ShippedSamples {
  /// The repository root, three folders above this file.
  public static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// samples/.
  public static let folder = repoRoot.appendingPathComponent("samples")

  /// A file larger than this is left out, so one mistaken large file cannot slow every test that
  /// walks the samples. No shipped sample comes near it.
  public static let largest = 4 << 20

  /// Every regular file under samples/ that `include` takes (by default every one), sorted by
  /// path, with its bytes; unreadable, empty and over-large (`largest`) files are left out.
  public static func contents(where include: (URL) -> Bool = { _ in true }) -> [(url: URL, data: Data)] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    var files: [(url: URL, data: Data)] = []
    for case let url as URL in walker where include(url) {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
        let data = try? Data(contentsOf: url), !data.isEmpty, data.count <= largest
      else { continue }
      files.append((url, data))
    }
    return files.sorted { $0.url.path < $1.url.path }
  }

  /// Only files whose extension is one of `extensions`.
  public static func contents(withExtensions extensions: Set<String>) -> [(url: URL, data: Data)] {
    contents { extensions.contains($0.pathExtension) }
  }

  /// Every line (split at LF, a CR kept) of every file `contents(where:)` gives, decoded as UTF-8
  /// with repairs, in the files' order.
  public static func lines(where include: (URL) -> Bool = { _ in true }) -> [String] {
    contents(where: include).flatMap { file in
      String(decoding: file.data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init)
    }
  }
}
