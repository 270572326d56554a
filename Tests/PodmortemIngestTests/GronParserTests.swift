import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// `gron` output read back into the objects it flattened (GronParser). The fixtures are the real
/// `gron` (Debian's package) run over the shipped samples' JSON; the slice is `gron | grep`.
struct GronParserTests {
  static let fixtures = Samples.repoRoot.appendingPathComponent("Tests/PodmortemIngestTests/Fixtures/gron")

  static func text(_ name: String) throws -> String {
    try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
  }

  /// A whole document's gron gives the facts its JSON gives, and cites only gron lines, as pasted.
  @Test(arguments: [
    ("oomkilled-pod.gron", "samples/oomkilled/pod.json"),
    ("liveness-http-timeout-pod.gron", "samples/liveness-http-timeout/pod.json"),
    ("evicted-events.gron", "samples/evicted/events.json"),
  ])
  func aGronOfASampleReadsAsItsJSON(_ gron: String, _ json: String) throws {
    let text = try Self.text(gron)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let fromGron = PasteFacts.read(text, name: gron)
    let original = try String(contentsOf: Samples.repoRoot.appendingPathComponent(json), encoding: .utf8)
    let fromJSON = PasteFacts.read(original, name: json)
    #expect(fromGron.account.formats == ["gron"])
    #expect(fromGron.account.firstUnrecognised.isEmpty)
    #expect(!fromGron.records.isEmpty)
    #expect(Set(PasteFacts.of(fromGron.records).map(\.text)) == Set(PasteFacts.of(fromJSON.records).map(\.text)))
    for fact in PasteFacts.of(fromGron.records) {
      for line in fact.lines { #expect(lines[line - 1].hasPrefix("json"), "\(fact.text) cites line \(line)") }
    }
  }

  @Test func aGreppedSliceStillMakesItsObject() throws {
    let read = PasteFacts.read(try Self.text("terminating-finalizer-grep.gron"), name: "slice.gron")
    guard case .pod(let pod)? = read.records.first else {
      Issue.record("no pod read from the slice")
      return
    }
    #expect(pod.name == "legacy-sync-5b7c9d6f8-t6r4n" && pod.namespace == "default" && pod.phase == "Succeeded")
    #expect(pod.finalizers == ["example.com/drain-protection"] && pod.deletionTimestamp != nil)
    #expect(pod.deletionEvidence.first?.text == #"json.metadata.deletionTimestamp = "2026-11-27T00:12:52Z";"#)
  }

  @Test func assignmentsAndWhatIsNotOne() {
    let a = Assignment(#"json.items[12]["odd key"].x_1 = "v; w";"#)
    #expect(a?.path == [.key(#""items""#), .index(12), .key(#""odd key""#), .key(#""x_1""#)])
    #expect(a?.value == #""v; w""#)
    #expect(Assignment("json = {};")?.path == [])
    for line in [
      "json.a = 1", "jsonx = 1;", "json.1a = 1;", "json.a=1;", "json[-1] = 1;", "json.a = x;", "JSON.a = 1;",
      "json[12345678901] = 1;",
    ] {
      #expect(Assignment(line) == nil, "\(line)")
    }
    let deep = "json" + String(repeating: ".a", count: Assignment.maxDepth + 1) + " = 1;"
    #expect(Assignment(deep) == nil)
  }

  @Test func whatCannotBeRebuiltIsSaid() {
    // A path through a value, and assignments out of gron's order (the document's line order
    // could not follow the source's): said, not guessed.
    let through = "json = {};\njson.kind = \"Pod\";\njson.kind.x = 1;\njson.metadata = {};\n"
    var reader = LineReader(string: through)
    let context = ParseContext(
      source: SourceInfo(name: "g"), captureTime: Samples.capture, diagnostics: { _ in })
    var records: [Record] = []
    let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
    #expect(account.firstUnrecognised == [3])
    let unordered = "json.metadata.name = \"b\";\njson.kind = \"Pod\";\njson.metadata = {};\n"
    reader = LineReader(string: unordered)
    let sink = LogDiagnosticCollector()
    let logged = ParseContext(source: SourceInfo(name: "g"), captureTime: Samples.capture, diagnostics: sink.add)
    records = []
    _ = Ingestor().ingest(&reader, context: logged) { records.append($0) }
    #expect(records.isEmpty)
    #expect(sink.diagnostics.contains { $0.message.contains("out of gron's own order") })
  }
}
