import Foundation
import Podmortem
import PodmortemCorrelate
import PodmortemModel
import Testing

@testable import PodmortemReport

/// The streamed JSON document against what `JSONEncoder` writes for the same `Document`, which it
/// replaced: byte for byte, on every shipped sample, bundle and paste at once, with a suppression
/// config, and for the events document; and written in pieces to a sink that can fail.
@Suite struct JSONRendererStreamTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The document as `JSONEncoder` writes it (the renderer's output before it streamed).
  static func encoded(_ document: Document) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, enc in
      var c = enc.singleValueContainer()
      try c.encode(ReportTime.iso(date))
    }
    return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
  }

  static func report(_ inputs: [String], config: String? = nil) throws -> ReportInput {
    var options = AnalysisOptions(
      inputs: inputs.map { repo.appendingPathComponent($0).path }, now: Date(timeIntervalSince1970: 1_795_740_000))
    options.revealSecrets = false
    var report = Analysis(options: options).run(diagnostics: { _ in }).report
    if let config {
      let parsed = try SuppressionConfig.parse(config, file: ".podmortem.yaml", known: .shipped())
      report = parsed.apply(to: report)
    }
    return report
  }

  @Test func writesWhatJSONEncoderWroteForEverySample() throws {
    let report = try Self.report(["samples"])
    #expect(report.state.events.count > 100)
    #expect(report.findings.count > 20)
    let streamed = JSONRenderer().render(report)
    let reference = try Self.encoded(Document(report))
    #expect(streamed == reference)
    if streamed != reference {
      // The first difference, to say where the writer drifts.
      let a = Array(streamed.utf8)
      let b = Array(reference.utf8)
      let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
      Issue.record(
        "first difference at byte \(at): \(String(decoding: a[max(0, at - 80)..<min(a.count, at + 80)], as: UTF8.self))"
      )
    }
  }

  @Test func writesWhatJSONEncoderWroteWithSuppressionsAndOverrides() throws {
    let config = """
      ignore:
        rules: [probe.readiness-failing]
        namespaces: [kube-system]
      overrides:
        - rule: "image.*"
          severity: info
        - rule: "probe.*"
          severity: critical
      """
    let report = try Self.report(["samples/_all"], config: config)
    #expect((report.suppressed?.count ?? 0) > 0)
    #expect(report.findings.contains { $0.severityOverriddenFrom != nil })
    #expect(JSONRenderer().render(report) == (try Self.encoded(Document(report))))
  }

  @Test func writesTheEventsDocumentAsJSONEncoderDid() throws {
    let report = try Self.report(["samples/_all", "samples/bundles"])
    let events = Array(report.state.events.prefix(50))
    var document = Document(report)
    document.findings = nil
    document.pods = nil
    document.suppressed = nil
    document.events = events.map(EventDTO.init)
    #expect(JSONRenderer().renderEvents(report, events: events) == (try Self.encoded(document)))
  }

  /// Strings with every byte JSON escapes, and the ones it does not (`/`, DEL, non-ASCII, U+2028).
  @Test func escapesStringsAsJSONEncoderDoes() throws {
    let nasty = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\"\\/\u{7F}é☕😀\u{2028}\u{202E}end"
    var report = try Self.report(["samples/crashloop-early/describe.txt"])
    report.state.caveats = [nasty, "", "plain"]
    report.diagnostics.append(Diagnostic(.warning, SourceRef(source: nasty, line: 3), nasty))
    #expect(JSONRenderer().render(report) == (try Self.encoded(Document(report))))
  }

  @Test func streamsInPiecesAndStopsWhenTheSinkFails() throws {
    let report = try Self.report(["samples"])
    let whole = JSONRenderer().render(report)
    var pieces: [Int] = []
    var bytes: [UInt8] = []
    JSONRenderer().render(report) { chunk in
      pieces.append(chunk.count)
      bytes.append(contentsOf: chunk)
      return true
    }
    #expect(String(decoding: bytes, as: UTF8.self) == whole)
    // Written as produced: several pieces, none much larger than the writer's buffer.
    #expect(pieces.count > 3)
    #expect(pieces.allSatisfy { $0 < 1 << 20 })

    var calls = 0
    JSONRenderer().render(report) { _ in
      calls += 1
      return false
    }
    #expect(calls == 1, "a sink that failed is not written to again")
  }
}

/// `OutputWriter.stream`: each piece is written as it comes, and the first failure ends the writing.
@Suite struct OutputStreamTests {
  @Test func writesEachPieceToTheDescriptor() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-stream-\(getpid()).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    let pieces = ["{\n", "  \"a\" : 1", "\n}\n"]
    let result = OutputWriter(descriptor: fd).stream { sink in
      for piece in pieces {
        let accepted = Array(piece.utf8).withUnsafeBytes { sink($0) }
        #expect(accepted)
      }
    }
    close(fd)
    #expect((try? result.get()) != nil)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == pieces.joined())
  }

  @Test func stopsAtTheFirstFailure() throws {
    // /dev/full refuses every write with ENOSPC, as a full disk does.
    let fd = open("/dev/full", O_WRONLY)
    try #require(fd >= 0, "no /dev/full on this machine")
    defer { close(fd) }
    var answers: [Bool] = []
    let result = OutputWriter(descriptor: fd).stream { sink in
      for _ in 0..<3 { answers.append(Array("x".utf8).withUnsafeBytes { sink($0) }) }
    }
    #expect(answers == [false, false, false])
    guard case .failure(.failed(let code)) = result else {
      Issue.record("expected a write failure, got \(result)")
      return
    }
    #expect(code == ENOSPC)
  }
}
