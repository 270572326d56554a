import Foundation
import Testing

@testable import PodmortemIngest

/// Every parser in PodmortemIngest's sources is registered: a `LineParser` left out of
/// `Ingestor.standardParsers` would be code that never reads anything (docs/architecture.md
/// "Adding things").
@Test func everyLineParserIsRegistered() throws {
  let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/PodmortemIngest")
  let declaration = try Swift.Regex(#"struct ([A-Za-z]+): (?:[A-Za-z]+, )*LineParser\b"#)
  var declared: Set<String> = []
  for file in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
  where file.hasSuffix(".swift") {
    let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    for match in text.matches(of: declaration) { declared.insert(String(match.output[1].substring ?? "")) }
  }
  let registered = Set(Ingestor.standardParsers.map { String(describing: $0) })
  #expect(declared.count >= 9)
  #expect(declared == registered)
}
