import Foundation
import PodmortemIngest
import PodmortemModel
import Testing

/// YAML aliases are refused in input documents: a few hundred bytes of them can expand without
/// bound, and Kubernetes never writes them.
@Suite struct YAMLAliasTests {
  /// The alias-key bomb: nine levels of nine aliases, then one used as a mapping key (477 bytes).
  static let bomb: String = {
    var lines = [
      "apiVersion: v1", "kind: Pod", "metadata:", "  name: bomb", "  namespace: default", "spec:", "  x:",
      "    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]",
    ]
    var previous = "a"
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
      lines.append("    \(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ",") + "]")
      previous = name
    }
    lines += ["    ? *i", "    : boom"]
    return lines.joined(separator: "\n") + "\n"
  }()

  @Test func anAliasBombIsRefusedAtOnce() {
    let clock = ContinuousClock()
    var run: IngestRun?
    let elapsed = clock.measure { run = ingest(Self.bomb, name: "bomb.yaml") }
    #expect(elapsed < .seconds(1))
    #expect(run?.pods.isEmpty == true)
    #expect(
      run?.diagnostics.map(\.description) == [
        "bomb.yaml:9: warning: YAML document at line 1 not read: it uses the alias '*a', and aliases are refused "
          + "in input (they can expand without bound; kubectl never writes them)"
      ])
  }

  @Test func starsInQuotesBlockScalarsAndCommentsAreNotAliases() {
    let yaml = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-0
        namespace: default
        annotations:
          glob: "*.log"
          single: '*x'
          note: |
            - *not-an-alias
            key: *also-text
          # a comment with *star
      spec:
        containers:
        - name: web
          args: [sh, -c, "ls *"]
      """
    let run = ingest(yaml, name: "pod.yaml")
    #expect(run.pods.map(\.name) == ["web-0"])
    #expect(run.diagnostics.isEmpty)
  }
}
