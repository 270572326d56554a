import Foundation
import Testing

/// Every citation in the code, tests and tools points at something in the repository
/// (docs/architecture.md "Tests and yardsticks"): a `docs/*.md` file that exists, a `§N.M` section
/// of docs/kubernetes.md that exists, a quoted section (`docs/architecture.md "Patterns"`) that is a
/// heading of that file; and nothing cites a document outside the repository.
@Suite struct DocLinkTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Source files that cite: Swift, Python and shell under Sources, Tests, tools, bench and Fuzz.
  static func citingFiles() -> [(path: String, text: String)] {
    var files: [(String, String)] = []
    for folder in ["Sources", "Tests", "tools", "bench", "Fuzz", "docs"] {
      let base = root.appendingPathComponent(folder)
      for file in FileManager.default.enumerator(atPath: base.path)?.compactMap({ $0 as? String }) ?? []
      where [".swift", ".py", ".sh", ".md"].contains(where: file.hasSuffix) && !file.contains(".build/")
        && !file.hasSuffix("ShippedPatterns.swift") && !file.hasSuffix("DocLinkTests.swift")
      {
        if let text = try? String(contentsOf: base.appendingPathComponent(file), encoding: .utf8) {
          files.append(("\(folder)/\(file)", text))
        }
      }
    }
    return files
  }

  static func headings(of document: String) throws -> [String] {
    let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
    return text.split(separator: "\n").filter { $0.hasPrefix("#") }.map {
      String($0.drop { $0 == "#" }.drop { $0 == " " })
    }
  }

  @Test func citedDocumentsAndSectionsExist() throws {
    let files = Self.citingFiles()
    #expect(files.count > 100)
    let kubernetes = try Self.headings(of: "docs/kubernetes.md")
    let sections = Set(
      kubernetes.compactMap { $0.split(separator: " ").first.map(String.init) }.map {
        $0.hasSuffix(".") ? String($0.dropLast()) : $0
      })
    let document = try Regex(#"docs/([a-z-]+\.md)(?: "([^"]+)")?"#)
    let section = try Regex(#"§(\d+(?:\.\d+)?)"#)
    var problems: [String] = []
    var cited = 0
    for (path, text) in files {
      for match in text.matches(of: document) {
        let name = String(match.output[1].substring ?? "")
        cited += 1
        guard FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("docs/\(name)").path) else {
          problems.append("\(path): docs/\(name) does not exist")
          continue
        }
        // A quoted section may wrap onto the next comment line: `"What\n/// must hold"`.
        if let quoted = match.output[2].substring.map({
          $0.split(whereSeparator: { $0 == "\n" || $0 == " " }).filter { $0 != "///" && $0 != "//" && $0 != "#" }
            .joined(separator: " ")
        }) {
          let titles = try Self.headings(of: "docs/\(name)")
          if !titles.contains(where: { $0.hasPrefix(quoted) || $0.contains(quoted) }) {
            problems.append("\(path): docs/\(name) has no section \"\(quoted)\"")
          }
        }
      }
      // `§N.M` alone cites docs/kubernetes.md, the only document numbered that way.
      for match in text.matches(of: section) where !path.hasPrefix("docs/kubernetes.md") {
        // Another specification's section, named just before it (`RFC 1952 §2.3`, `SARIF §3.35, §3.34.3`).
        let before = text[..<match.range.lowerBound].suffix(40)
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        if ["RFC ", "SARIF", "Unicode"].contains(where: line.contains) { continue }
        let number = String(match.output[1].substring ?? "")
        cited += 1
        if !sections.contains(number) { problems.append("\(path): §\(number) is no section of docs/kubernetes.md") }
      }
    }
    #expect(cited > 200)
    #expect(problems.isEmpty, "\(problems.count) broken citations:\n\(problems.prefix(40).joined(separator: "\n"))")
  }

  @Test func nothingCitesADocumentOutsideTheRepository() {
    // The workplace's own notes, which the repository must never cite: spelled in parts here so
    // this test is not itself a citation.
    let outside = ["reference", "design", "style"].map { $0.uppercased() + ".md" } + ["../" + "shared"]
    var problems: [String] = []
    for (path, text) in Self.citingFiles() {
      for name in outside where text.contains(name) { problems.append("\(path) cites \(name)") }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }
}

/// Every relative link of the README and of docs/ resolves to a file of the repository.
@Test func markdownLinksResolve() throws {
  let root = DocLinkTests.root
  var pages = ["README.md", "tools/README.md", "samples/pastes/README.md", "samples/bundles/README.md"]
  pages += (try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path))
    .filter { $0.hasSuffix(".md") }.map { "docs/\($0)" }
  let link = try Regex(#"\]\(([^)\s]+)\)"#)
  var checked = 0
  var broken: [String] = []
  for page in pages {
    let url = root.appendingPathComponent(page)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
    for match in text.matches(of: link) {
      let target = String(match.output[1].substring ?? "")
      if target.hasPrefix("http") || target.hasPrefix("#") || target.hasPrefix("mailto:") { continue }
      let path = String(target.split(separator: "#", maxSplits: 1).first ?? "")
      checked += 1
      let resolved = url.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
      if !FileManager.default.fileExists(atPath: resolved.path) { broken.append("\(page): \(target)") }
    }
  }
  #expect(checked >= 5)
  #expect(broken.isEmpty, "broken links:\n\(broken.joined(separator: "\n"))")
}
