import Foundation
import Testing

/// The manifest is the diagram (docs/architecture.md "The flow"): every target declares exactly the
/// modules its sources import, and the stages only depend downwards — Input → Ingest → Correlate →
/// Diagnose → Report, with Model and Text below them all. The graph is printed, so a failure shows it.
@Suite struct ModuleGraphTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Each module's layer: a module may depend only on modules of a lower layer.
  static let layers: [String: Int] = [
    "CPCRE2": 0, "CZlib": 0, "CMalloc": 0, "Yams": 0, "PodmortemTestSupport": 0, "ArgumentParser": 0,
    "PodmortemModel": 1, "PodmortemInput": 2, "PodmortemText": 2, "PodmortemIngest": 3, "PodmortemCorrelate": 4,
    "PodmortemDiagnose": 5, "PodmortemReport": 6, "Podmortem": 7, "podmortem": 8,
  ]

  /// The targets of Package.swift with their declared dependencies (targets and products by name).
  static func manifest() throws -> [(name: String, kind: String, dependencies: Set<String>)] {
    let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
    let target = try Regex(#"\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
    var result: [(String, String, Set<String>)] = []
    for match in text.matches(of: target) {
      let kind = String(match.output[1].substring ?? "")
      let name = String(match.output[2].substring ?? "")
      // The dependency list: from `dependencies: [` to its closing bracket, within this target.
      let rest = text[match.range.upperBound...]
      let end = rest.range(of: "\n    .")?.lowerBound ?? rest.endIndex
      var dependencies: Set<String> = []
      if let list = rest[..<end].range(of: "dependencies: [") {
        var depth = 1
        var index = list.upperBound
        while index < end, depth > 0 {
          if rest[index] == "[" { depth += 1 } else if rest[index] == "]" { depth -= 1 }
          index = rest.index(after: index)
        }
        var body = String(rest[list.upperBound..<index])
        // `.target(name: "CMalloc", condition: .when(…))`: a target some platforms only depend on.
        let conditional = try Regex(#"\.target\(name:\s*"([^"]+)",\s*condition:[^)]*\)\)"#)
        for target in body.matches(of: conditional) {
          dependencies.insert(String(target.output[1].substring ?? ""))
        }
        body = body.replacing(conditional, with: "")
        for name in body.matches(of: try Regex(#"(?:name:\s*)?"([^"]+)"(?!\s*\))"#)) {
          dependencies.insert(String(name.output[1].substring ?? ""))
        }
        // `.product(name: "Yams", package: "Yams")`: the product's name, not the package's.
        for product in body.matches(of: try Regex(#"package:\s*"([^"]+)""#)) {
          dependencies.remove(String(product.output[1].substring ?? ""))
        }
        for product in body.matches(of: try Regex(#"\.product\(name:\s*"([^"]+)""#)) {
          dependencies.insert(String(product.output[1].substring ?? ""))
        }
      }
      result.append((name, kind, dependencies))
    }
    return result
  }

  /// The package modules and products the sources of `folder` import.
  static func imports(in folder: URL) throws -> Set<String> {
    // Indented too: an import inside `#if canImport(…)`.
    let statement = try Regex(#"(?m)^[ ]*(?:@testable |package |public |internal )?import ([A-Za-z][A-Za-z0-9_]*)"#)
    var found: Set<String> = []
    for file in FileManager.default.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }) ?? []
    where file.hasSuffix(".swift") {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for match in text.matches(of: statement) {
        let module = String(match.output[1].substring ?? "")
        if layers[module] != nil { found.insert(module) }
      }
    }
    return found
  }

  @Test func declaredDependenciesAreTheImports() throws {
    let targets = try Self.manifest()
    #expect(targets.count >= 18)
    var graph = ""
    for t in targets where t.kind != "systemLibrary" {
      let folder = Self.root.appendingPathComponent(t.kind == "testTarget" ? "Tests" : "Sources")
        .appendingPathComponent(t.name)
      var imported = try Self.imports(in: folder)
      // The end-to-end tests run the built binary: they depend on it to build it, never import it.
      if t.name == "EndToEndTests" { imported.insert("podmortem") }
      graph += "\(t.name) → \(t.dependencies.sorted().joined(separator: ", "))\n"
      #expect(
        t.dependencies == imported,
        "\(t.name): declared \(t.dependencies.sorted()) but imports \(imported.sorted())")
    }
    print(graph)
  }

  @Test func stagesOnlyDependDownwards() throws {
    for t in try Self.manifest() where t.kind == "target" || t.kind == "executableTarget" {
      let layer = try #require(Self.layers[t.name], "\(t.name) has no layer in this test")
      for dependency in t.dependencies {
        let below = try #require(Self.layers[dependency], "\(dependency) has no layer in this test")
        #expect(below < layer, "back-edge: \(t.name) (layer \(layer)) depends on \(dependency) (layer \(below))")
      }
    }
  }
}
