import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemReport
import PodmortemText

/// What `podmortem redact` did to one text source.
package struct RedactedFile: Sendable {
  /// The source as podmortem names it (`bundle.tar.gz!ns/prod/events.json`).
  package var source: String
  /// Where the copy was written, relative to the output.
  package var output: String
  package var lines: Int
  /// How many secrets each rule masked (`jwt`, `secret-assignment` …; `private-key` also counts
  /// the lines of a PEM block).
  package var masked: [String: Int]

  package var total: Int { masked.values.reduce(0, +) }
}

/// The outcome of `podmortem redact`.
package struct RedactionResult: Sendable {
  package var input: String
  package var output: String
  package var files: [RedactedFile]
  /// Distinct secrets masked (each has its own `‹redacted:N›`).
  package var distinctSecrets: Int

  /// The report for a person: one line per file that had secrets, then the totals.
  package var summary: String {
    var out = ""
    for f in files where f.total > 0 {
      let rules = f.masked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      out += "  \(VisibleText.escapingControls(f.output)): \(f.total) masked (\(rules))\n"
    }
    let withSecrets = files.filter { $0.total > 0 }.count
    let total = files.reduce(0) { $0 + $1.total }
    out +=
      "podmortem redact: \(total) secret\(total == 1 ? "" : "s") (\(distinctSecrets) distinct) masked in "
      + "\(withSecrets) of \(files.count) file\(files.count == 1 ? "" : "s"); copy written to "
      + "\(VisibleText.escapingControls(output))\n"
    return out
  }
}

/// Why `podmortem redact` refused to run.
package enum RedactionError: Error, Sendable, CustomStringConvertible {
  case outputExists(String)
  case outputInsideInput(String, String)
  case cannotWrite(String, String)
  case nothingRead(String)

  package var description: String {
    switch self {
    case .outputExists(let path): "'\(path)' exists; name a new path (redact never overwrites)"
    case .outputInsideInput(let output, let input): "'\(output)' is inside the input '\(input)'"
    case .cannotWrite(let path, let why): "cannot write '\(path)': \(why)"
    case .nothingRead(let input): "nothing could be read from '\(input)'"
    }
  }
}

/// `podmortem redact IN OUT`: a copy of a text file, a directory or an archive (tar, tar.gz, zip,
/// gzip) with every secret masked as reports mask them (docs/architecture.md "Secrets"), so it can
/// be attached to a public issue. Every text source keeps its path and its line numbers: each line
/// is masked on its own, and the lines inside a private-key PEM block are replaced whole. A plain
/// or gzipped text file becomes a text file; a directory or an archive becomes a directory with
/// the same layout (an archive inside the input becomes a folder named like it; a decompressed
/// `.gz` drops that suffix). Binary files are left out (the diagnostics say which). An output
/// named `*.tar.gz` or `*.tgz` is that folder packed as a tar.gz (`TarGzWriter`).
package struct Redactor: Sendable {
  package var maxBytesPerSource: Int64?

  package init(maxBytesPerSource: Int64? = nil) {
    self.maxBytesPerSource = maxBytesPerSource
  }

  package func run(
    input: String, output: String, diagnostics: @escaping DiagnosticSink
  ) throws(RedactionError) -> RedactionResult {
    let fm = FileManager.default
    if fm.fileExists(atPath: output) { throw .outputExists(output) }
    let inputURL = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
    let outputURL = URL(fileURLWithPath: output).standardizedFileURL
    let outputParent = outputURL.deletingLastPathComponent().resolvingSymlinksInPath()
    let outputResolved = outputParent.appendingPathComponent(outputURL.lastPathComponent)
    if outputResolved.path == inputURL.path || outputResolved.path.hasPrefix(inputURL.path + "/") {
      throw .outputInsideInput(output, input)
    }
    var isDirectory: ObjCBool = false
    let inputIsDirectory = fm.fileExists(atPath: input, isDirectory: &isDirectory) && isDirectory.boolValue
    // A `.tar.gz` output is first written as a folder beside it, then packed and removed.
    let archive = output.hasSuffix(".tar.gz") || output.hasSuffix(".tgz")
    let staging = outputParent.appendingPathComponent(".podmortem-redact-\(UUID().uuidString)")
    let root = archive ? staging : outputURL
    defer { if archive { try? fm.removeItem(at: staging) } }

    var options = InputOptions()
    if let maxBytesPerSource { options.maxBytesPerSource = maxBytesPerSource }
    let masker = SecretMasker()
    // Diagnostics name files whose names come from the input: masked and made visible too.
    let filter = OutputFilter(masker: masker)
    let reader = InputReader(options: options, diagnostics: { diagnostics(filter.diagnostic($0)) })
    var files: [RedactedFile] = []
    var used: Set<String> = []
    var failure: RedactionError?
    reader.read([input]) { info, lines in
      guard failure == nil else { return }
      let singleFile = !inputIsDirectory && (info.name == input || info.isStandardInput) && !archive
      var relative = singleFile ? "" : Self.outputPath(for: info)
      if !singleFile {
        var candidate = relative
        var n = 2
        while used.contains(candidate) {
          candidate = relative + "~\(n)"
          n += 1
        }
        relative = candidate
        used.insert(relative)
      }
      let target = relative.isEmpty ? root : root.appendingPathComponent(relative)
      do {
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard fm.createFile(atPath: target.path, contents: nil), let handle = FileHandle(forWritingAtPath: target.path)
        else {
          failure = .cannotWrite(target.path, "cannot create the file")
          return
        }
        defer { try? handle.close() }
        var file = RedactedFile(
          source: info.name, output: relative.isEmpty ? outputURL.lastPathComponent : relative, lines: 0, masked: [:])
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var pem = PEMLines()
        while let line = lines.next() {
          var hits: [String] = []
          let masked = pem.mask(line.text, with: masker, hits: &hits)
          for h in hits { file.masked[h, default: 0] += 1 }
          buffer.append(contentsOf: masked.utf8)
          buffer.append(0x0A)
          file.lines += 1
          if buffer.count >= 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
          }
        }
        try handle.write(contentsOf: buffer)
        files.append(file)
      } catch {
        failure = .cannotWrite(target.path, "\(error)")
      }
    }
    if let failure { throw failure }
    if files.isEmpty { throw .nothingRead(input) }
    if archive {
      do {
        var writer = try TarGzWriter(writingTo: outputURL.path)
        try writer.addFiles(below: staging)
        try writer.finish()
      } catch {
        try? fm.removeItem(at: outputURL)
        throw .cannotWrite(output, "\(error)")
      }
    }
    return RedactionResult(input: input, output: output, files: files, distinctSecrets: masker.distinctSecrets)
  }

  /// The source's path below the output: its provenance after the input's own name, each archive
  /// level (`!`) a folder, a decompressed `.gz` without that suffix, and no component that could
  /// leave the output (`..`, empty, `.`), whatever an archive's member names say.
  static func outputPath(for info: SourceInfo) -> String {
    var tail = Substring(info.name)
    if tail.hasPrefix(info.root) { tail = tail.dropFirst(info.root.count) }
    var components = tail.split(whereSeparator: { $0 == "/" || $0 == "!" }).map(String.init)
    components.removeAll { $0 == "." || $0.isEmpty }
    components = components.map { $0 == ".." ? "_.." : $0 }
    if components.isEmpty { components = [URL(fileURLWithPath: info.root).lastPathComponent] }
    if var last = components.last, last.hasSuffix(".gz"), last.count > 3 {
      last.removeLast(3)
      components[components.count - 1] = last
    }
    return components.joined(separator: "/")
  }
}
