import Foundation
import Testing

/// docs/architecture.md "What must hold": one Swift file imports each C module.
@Suite struct ConfinementTests {
  /// Every Swift file under Sources/, with its text.
  private func sourceFiles() throws -> [(path: String, text: String)] {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources").path
    let paths = try #require(FileManager.default.subpaths(atPath: sources)).filter { $0.hasSuffix(".swift") }
    return try paths.sorted().map { ($0, try String(contentsOfFile: sources + "/" + $0, encoding: .utf8)) }
  }

  private func importers(of module: String, in files: [(path: String, text: String)]) -> [String] {
    files.filter { file in
      file.text.split(separator: "\n").contains {
        $0.trimmingCharacters(in: .whitespaces).range(
          of:
            "^(@[A-Za-z_]+(\\(.*\\))? )*import( (struct|class|enum|func|var|let|protocol|typealias))? \(module)(\\.|$| )",
          options: .regularExpression) != nil
      }
    }.map(\.path)
  }

  @Test func onlyTheGzipReaderImportsZlib() throws {
    let files = try sourceFiles()
    #expect(files.count > 10)
    #expect(importers(of: "CZlib", in: files) == ["PodmortemInput/Gzip.swift"])
  }

  @Test func atMostTheRegexWrapperImportsPCRE2() throws {
    let importing = importers(of: "CPCRE2", in: try sourceFiles())
    #expect(importing.count <= 1)
    #expect(importing.allSatisfy { $0 == "PodmortemText/Regex.swift" })
  }
}
