import Foundation
import PodmortemInput
import PodmortemModel
import Synchronization

/// Collects diagnostics from the reader's sink (which may be called from any thread).
final class DiagnosticLog: Sendable {
  private let items = Mutex<[Diagnostic]>([])

  var sink: DiagnosticSink { { diagnostic in self.items.withLock { $0.append(diagnostic) } } }
  var all: [Diagnostic] { items.withLock { $0 } }

  func with(_ level: Diagnostic.Level) -> [Diagnostic] { all.filter { $0.level == level } }
}

/// What one read produced: every visited source with its lines, and the diagnostics.
struct Collected {
  var sources: [(info: SourceInfo, lines: [Line])] = []
  var diagnostics: [Diagnostic] = []

  var names: [String] { sources.map(\.info.name) }
  func texts(_ name: String) -> [String]? { sources.first { $0.info.name == name }?.lines.map(\.text) }
  func messages(_ level: Diagnostic.Level) -> [String] {
    diagnostics.filter { $0.level == level }.map(\.message)
  }
}

/// Hands out at most `window` bytes per read, so boundary bugs in the layers above cannot hide.
struct WindowedSource<Base: ByteSource>: ByteSource {
  var base: Base
  let window: Int

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(window, buffer.count)]))
  }
}

/// Reads paths to the end, keeping every line.
func collect(_ inputs: [String], options: InputOptions = .init()) -> Collected {
  let log = DiagnosticLog()
  var collected = Collected()
  InputReader(options: options, diagnostics: log.sink).read(inputs) { info, reader in
    var lines: [Line] = []
    while let line = reader.next() { lines.append(line) }
    collected.sources.append((info, lines))
  }
  collected.diagnostics = log.all
  return collected
}

/// Reads bytes in memory through `window`-byte reads, as the source `name`.
func collect(bytes: [UInt8], window: Int = .max, name: String = "mem", options: InputOptions = .init()) -> Collected {
  let log = DiagnosticLog()
  var collected = Collected()
  let source = WindowedSource(base: MemoryByteSource(bytes), window: window)
  InputReader(options: options, diagnostics: log.sink).read(source, as: SourceInfo(name: name)) { info, reader in
    var lines: [Line] = []
    while let line = reader.next() { lines.append(line) }
    collected.sources.append((info, lines))
  }
  collected.diagnostics = log.all
  return collected
}

/// A temporary directory, removed by `remove()`.
struct TemporaryDirectory {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/podmortem-input-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `relative` (creating folders) and returns the full path.
  @discardableResult
  func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
    return full
  }

  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }

  func bytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)))
  }

  /// Runs a tool in this directory; throws when it fails.
  @discardableResult
  func run(_ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: path)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ToolFailure(arguments: arguments) }
    return Array(data)
  }
}

/// A test tool exited with an error.
struct ToolFailure: Error {
  var arguments: [String]
}

/// True when `tool` is on the PATH.
func hasTool(_ tool: String) -> Bool {
  (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
    FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
  }
}

/// Numbered text lines: `line 1 of x`, …
func numberedLines(_ count: Int, _ tag: String = "x") -> [String] {
  (1...count).map { "line \($0) of \(tag) " + String(repeating: "k", count: $0 % 50) }
}

func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }
