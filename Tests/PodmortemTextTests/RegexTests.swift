import Foundation
import Testing

@testable import PodmortemText

@Suite struct RegexTests {
  @Test func namedGroupsAreCapturedInGroupOrder() throws {
    let regex = try Regex(#"^(?<probe>Liveness|Readiness) probe failed: (?<output>.*)$"#)
    #expect(regex.groupNames == ["probe", "output"])
    #expect(regex.captureCount == 2)
    let found = try #require(try regex.firstMatch(in: "Liveness probe failed: HTTP probe failed with statuscode: 503"))
    #expect(found.captures.map(\.name) == ["probe", "output"])
    #expect(found.captures.map(\.value) == ["Liveness", "HTTP probe failed with statuscode: 503"])
    #expect(found["probe"] == "Liveness")
    #expect(found["missing"] == nil)
    #expect(found[group: 0] == found.text)
  }

  @Test func groupOrderFollowsGroupNumbersNotNames() throws {
    let regex = try Regex(#"(?<zeta>\d+)-(?<alpha>\d+)"#)
    #expect(regex.groupNames == ["zeta", "alpha"])
    let found = try #require(try regex.firstMatch(in: "x 12-34 y"))
    #expect(found.captures.map(\.name) == ["zeta", "alpha"])
    #expect(found.text == "12-34")
    #expect(found.utf8Range == 2..<7)
  }

  @Test func unsetGroupsAreLeftOutOfCaptures() throws {
    let regex = try Regex(#"^Back-off restarting failed container(?: (?<container>\S+))?$"#)
    let old = try #require(try regex.firstMatch(in: "Back-off restarting failed container"))
    #expect(old.captures.isEmpty)
    #expect(old["container"] == nil)
    let new = try #require(try regex.firstMatch(in: "Back-off restarting failed container web"))
    #expect(new["container"] == "web")
  }

  @Test func emptyGroupIsCapturedAsEmptyString() throws {
    let regex = try Regex(#"^unattached volumes=\[(?<unattached>[^\]]*)\]$"#)
    let found = try #require(try regex.firstMatch(in: "unattached volumes=[]"))
    #expect(found.captures.count == 1)
    #expect(found["unattached"] == "")
  }

  @Test func compileErrorCarriesPCRE2MessageAndOffset() {
    #expect {
      _ = try Regex("probe (?<output>.*")
    } throws: { error in
      guard case RegexError.compile(let message, let offset, let pattern) = error else { return false }
      return message.contains("missing closing parenthesis") && offset == 18 && pattern == "probe (?<output>.*"
    }
    #expect {
      _ = try Regex("a{2,1}")
    } throws: { error in
      guard case RegexError.compile(let message, let offset, _) = error else { return false }
      return message.contains("out of order") && offset > 0
    }
  }

  @Test func compileErrorDescribesItself() {
    let error = RegexError.compile(message: "missing closing parenthesis", offset: 4, pattern: "a(b(")
    #expect(error.description == "cannot compile regex 'a(b(': missing closing parenthesis at offset 4")
  }

  @Test(arguments: [true, false])
  func catastrophicBacktrackingReturnsAnError(jit: Bool) throws {
    let regex = try Regex("^(a+)+$", jit: jit)
    let subject = String(repeating: "a", count: 40) + "b"
    #expect(throws: RegexError.self) { try regex.firstMatch(in: subject) }
    #expect(throws: RegexError.self) { try regex.matches(subject) }
    // The same regex still works on benign input afterwards.
    #expect(try regex.matches("aaaa"))
  }

  @Test func interpreterReportsTheMatchLimit() throws {
    let regex = try Regex("^(a+)+$", jit: false)
    #expect(!regex.isJITCompiled)
    #expect(throws: RegexError.matchLimitExceeded) { try regex.matches(String(repeating: "a", count: 32) + "b") }
  }

  @Test(.enabled(if: Regex.isJITAvailable))
  func deepMatchGetsAJITStackUpToItsLimit() throws {
    // Each iteration of a repeated capturing group takes JIT stack: 10,000 of them need more
    // than the 32 KiB a match starts with.
    let subject = String(repeating: "ab", count: 5000)
    let regex = try Regex("^(?:(a)|(b))*$")
    #expect(try regex.matches(subject))
    #expect(try regex.matches(subject))
    let small = RegexLimits(matchLimit: 1_000_000, depthLimit: 100_000, heapLimitKiB: 20_000, jitStackBytes: 32 * 1024)
    let tight = try Regex("^(?:(a)|(b))*$", limits: small)
    #expect(throws: RegexError.jitStackLimitExceeded) { try tight.matches(subject) }
    #expect(try tight.matches("abab"))
  }

  @Test func jitIsUsedWhenAvailable() throws {
    let regex = try Regex(#"^\d+$"#)
    #expect(regex.isJITCompiled == Regex.isJITAvailable)
  }

  @Test func matchesUTF8Text() throws {
    let regex = try Regex(#"^(?<key>[^:]+): (?<value>\d+) (?<unit>\S+) — (?<first>.)"#)
    let subject = "Größe: 12 MiB — über 🚀"
    let found = try #require(try regex.firstMatch(in: subject))
    #expect(found["key"] == "Größe")
    #expect(found["unit"] == "MiB")
    // `.` is one code point in UTF mode, never a lone byte.
    #expect(found["first"] == "ü")
    #expect(String(subject[found.range]) == found.text)
    let emoji = try #require(try Regex("(?<rocket>🚀)$").firstMatch(in: subject))
    #expect(String(subject[emoji.range]) == "🚀")
  }

  @Test func caselessMatchingFoldsUnicode() throws {
    let regex = try Regex("^ärger (?<what>error)$", caseless: true)
    let found = try #require(try regex.firstMatch(in: "ÄRGER ERROR"))
    #expect(found["what"] == "ERROR")
    #expect(try !Regex("^ärger$").matches("ÄRGER"))
  }

  @Test func matchesReportsWithoutExtracting() throws {
    let regex = try Regex("Node is not ready")
    #expect(try regex.matches("Warning NodeNotReady Node is not ready"))
    #expect(try !regex.matches("Node worker-1 status is now: NodeReady"))
    #expect(try Regex("^$").matches(""))
    #expect(try Regex("^$").firstMatch(in: "")?.text == "")
  }

  @Test func concurrentUseFromManyTasks() async throws {
    let regex = try Regex(#"^(?<probe>\w+) probe failed: HTTP probe failed with statuscode: (?<code>\d+)$"#)
    let mismatches = await withTaskGroup(of: Int.self) { group in
      for task in 0..<8 {
        group.addTask {
          var bad = 0
          for index in 0..<500 {
            let code = 500 + (task * 500 + index) % 100
            let found = try? regex.firstMatch(in: "Liveness probe failed: HTTP probe failed with statuscode: \(code)")
            if found?["code"] != String(code) || found?["probe"] != "Liveness" { bad += 1 }
            if (try? regex.matches("Readiness probe errored: \(code)")) != false { bad += 1 }
          }
          return bad
        }
      }
      return await group.reduce(0, +)
    }
    #expect(mismatches == 0)
  }

  @Test func literalSearchFindsSubstrings() {
    let literal = Literal("aab")
    #expect(literal.occurs(in: "aaab"))
    #expect(literal.occurs(in: "aab"))
    #expect(literal.occurs(in: "xxaabyy"))
    #expect(!literal.occurs(in: "aa"))
    #expect(!literal.occurs(in: "abab"))
    #expect(!literal.occurs(in: ""))
    #expect(Literal("").occurs(in: "anything"))
    #expect(Literal("über").occurs(in: "Größe über alles"))
    #expect(!Literal("Probe").occurs(in: "probe failed"))
  }

  @Test func onlyRegexSwiftImportsCPCRE2() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
    let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    var importers: [String] = []
    for case let url as URL in enumerator where url.pathExtension == "swift" {
      let text = try String(contentsOf: url, encoding: .utf8)
      if text.contains("import CPCRE2") { importers.append(url.lastPathComponent) }
    }
    #expect(importers == ["Regex.swift"])
  }
}
