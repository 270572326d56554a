import Foundation
import PodmortemModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file's identity on disk, so a directory or file reached twice through symlinks is read once.
private struct FileIdentity: Hashable {
  var device: UInt64
  var inode: UInt64

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}

/// One directory entry, ready to be sorted and read.
private struct DirectoryItem {
  var name: String
  var info: stat
  var isDirectory: Bool { (info.st_mode & S_IFMT) == S_IFDIR }
  /// Sorting by name with `/` after directories orders the walk byte-wise by full path.
  var sortKey: [UInt8] { Array(name.utf8) + (isDirectory ? [0x2F] : []) }
}

extension InputReader {
  /// Reads a directory tree in byte-wise path order. Symlinks are followed only when their target
  /// resolves inside the named folder (docs/architecture.md "What must hold"); each directory and file is
  /// read once however many links reach it, so link loops end. Only regular files are read.
  func readDirectory(_ root: String, visit: (SourceInfo, inout LineReader) -> Void) {
    guard let rootReal = realPath(root) else {
      report(.error, root, "cannot read '\(root)': \(FileError.current)")
      return
    }
    var rootInfo = stat()
    guard stat(root, &rootInfo) == 0 else {
      report(.error, root, "cannot read '\(root)': \(FileError.current)")
      return
    }
    var walk = Walk(root: root, rootReal: rootReal)
    walk.seenDirectories.insert(FileIdentity(rootInfo))
    walkDirectory(relative: "", walk: &walk, visit: visit)
  }

  /// The state of one directory walk.
  private struct Walk {
    var root: String
    var rootReal: String
    var seenDirectories: Set<FileIdentity> = []
    var seenFiles: Set<FileIdentity> = []

    /// The path of `relative` as the user would write it: `dump/ns/events.json`.
    func path(_ relative: String) -> String {
      guard !relative.isEmpty else { return root }
      return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    func isInside(_ real: String) -> Bool {
      real == rootReal || real.hasPrefix(rootReal == "/" ? "/" : rootReal + "/")
    }
  }

  private func walkDirectory(relative: String, walk: inout Walk, visit: (SourceInfo, inout LineReader) -> Void) {
    let directory = walk.path(relative)
    var items: [DirectoryItem] = []
    for name in listDirectory(directory) {
      let child = relative.isEmpty ? name : relative + "/" + name
      let path = walk.path(child)
      var info = stat()
      guard lstat(path, &info) == 0 else {
        report(.warning, path, "cannot read '\(path)': \(FileError.current)")
        continue
      }
      if (info.st_mode & S_IFMT) == S_IFLNK {
        guard let target = realPath(path), stat(path, &info) == 0 else {
          report(.warning, path, "skipped broken symlink '\(path)'")
          continue
        }
        guard walk.isInside(target) else {
          report(.warning, path, "refused symlink '\(path)': its target '\(target)' is outside '\(walk.root)'")
          continue
        }
      }
      items.append(DirectoryItem(name: name, info: info))
    }
    items.sort { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
    for item in items {
      let child = relative.isEmpty ? item.name : relative + "/" + item.name
      let path = walk.path(child)
      let identity = FileIdentity(item.info)
      switch item.info.st_mode & S_IFMT {
      case S_IFDIR:
        guard walk.seenDirectories.insert(identity).inserted else {
          report(.note, path, "skipped '\(path)': directory already read (a symlink loop or a second link)")
          continue
        }
        walkDirectory(relative: child, walk: &walk, visit: visit)
      case S_IFREG:
        guard walk.seenFiles.insert(identity).inserted else {
          report(.note, path, "skipped '\(path)': file already read through another link")
          continue
        }
        let info = SourceInfo(
          name: path, relativePath: child, root: walk.root, modificationDate: modificationDate(item.info))
        readFile(path, info: info, visit: visit)
      default:
        report(.note, path, "skipped '\(path)': not a regular file")
      }
    }
  }

  /// The names in a directory (no `.` or `..`), in no particular order.
  private func listDirectory(_ path: String) -> [String] {
    guard let handle = opendir(path) else {
      report(.warning, path, "cannot list '\(path)': \(FileError.current)")
      return []
    }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
        guard let base = raw.baseAddress else { return nil }
        return String(validatingCString: base.assumingMemoryBound(to: CChar.self))
      }
      guard let name else {
        report(.warning, path, "skipped a file in '\(path)' whose name is not valid UTF-8")
        continue
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The canonical absolute path with every symlink resolved, or nil (errno set).
  private func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
