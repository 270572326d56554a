import PodmortemTestSupport
import Testing

@testable import PodmortemModel

/// `ObjectRef.containerName` reads an ASCII field path from its bytes (issue 16, perf): on seeded
/// random paths it must give what the `Character` search gives (`containerName(characters:)`, the
/// reading it replaced), ASCII or not.
@Suite struct ContainerNameTests {

  /// Pieces of paths: braces, ASCII words, CR and LF, and non-ASCII text (a combining accent
  /// after a brace makes one `Character` that is not a brace).
  private static let pieces = [
    "{", "}", "spec.containers", "spec.initContainers", "web", "a", ".", "-", " ", "\r", "\n", "\r\n", "é",
    "\u{301}", "{\u{301}", "}\u{301}", "日本", "\u{7F}", "\t", "",
  ]

  @Test func bytesAndCharactersFindTheSameContainer() {
    var rng = SplitMix64(seed: 16)
    var asked = 0
    for _ in 0..<20_000 {
      let length = Int(rng.next() % 9)
      var path = ""
      for _ in 0..<length { path += Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
      let ref = ObjectRef(name: "web-0", fieldPath: path)
      #expect(ref.containerName == ObjectRef.containerName(characters: path), "\(path.debugDescription)")
      if ref.containerName != nil { asked += 1 }
    }
    // The seed reaches paths that name a container (408 of them), not only ones that do not.
    #expect(asked > 300)
  }

  @Test func fieldPathsKubernetesWrites() {
    #expect(ObjectRef(name: "p", fieldPath: "spec.containers{web}").containerName == "web")
    #expect(ObjectRef(name: "p", fieldPath: "spec.initContainers{init-db}").containerName == "init-db")
    #expect(ObjectRef(name: "p", fieldPath: "spec.containers{}").containerName == "")
    #expect(ObjectRef(name: "p", fieldPath: "spec.containers").containerName == nil)
    #expect(ObjectRef(name: "p", fieldPath: "}{").containerName == nil)
    #expect(ObjectRef(name: "p").containerName == nil)
    // A brace with a combining mark is not a brace to `Character` search, nor here.
    #expect(ObjectRef(name: "p", fieldPath: "spec.containers{\u{301}web}").containerName == nil)
  }
}
