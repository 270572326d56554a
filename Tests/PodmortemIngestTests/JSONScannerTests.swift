import Testing

@testable import PodmortemIngest

/// Feeds `text` to a scanner in chunks of `window` bytes and collects what it hands out.
private func scan(_ text: String, window: Int = .max) -> (values: [JSONScanner.Value], problems: [JSONScanner.Problem])
{
  var scanner = JSONScanner(maxDepth: 16)
  var values: [JSONScanner.Value] = []
  var problems: [JSONScanner.Problem] = []
  let handle: (JSONScanner.Output) -> Void = { output in
    switch output {
    case .value(let v): values.append(v)
    case .problem(let p): problems.append(p)
    }
  }
  let bytes = Array(text.utf8)
  var offset = 0
  while offset < bytes.count {
    let end = min(bytes.count, offset + window)
    bytes[offset..<end].withUnsafeBytes { scanner.feed($0, handle) }
    offset = end
  }
  scanner.finish(handle)
  return (values, problems)
}

private func texts(_ values: [JSONScanner.Value]) -> [String] {
  values.map { String(decoding: $0.bytes, as: UTF8.self) }
}

@Suite struct JSONScannerTests {
  @Test(arguments: [1, 2, 3, 7, 4096])
  func splitsConcatenatedAndNewlineDelimitedValues(window: Int) {
    let text = """
      {"a":"x}{\\"y","b":[1,{"c":"]"}]}
      {"kind":"Pod","n":1}

      {
          "kind": "Event",
          "message": "back-off 5m0s restarting failed container=web"
      }

      """
    let result = scan(text, window: window)
    #expect(result.problems.isEmpty)
    #expect(
      texts(result.values) == [
        #"{"a":"x}{\"y","b":[1,{"c":"]"}]}"#, #"{"kind":"Pod","n":1}"#,
        "{\n    \"kind\": \"Event\",\n    \"message\": \"back-off 5m0s restarting failed container=web\"\n}",
      ])
    #expect(result.values.map(\.kind) == [nil, "Pod", "Event"])
    #expect(result.values.map(\.startLine) == [1, 2, 4])
    #expect(result.values.map(\.endLine) == [1, 2, 7])
    #expect(!result.values.contains { $0.isListItem })
  }

  @Test(arguments: [1, 7, 4096])
  func yieldsTheItemsOfAListOneByOne(window: Int) {
    let text = """
      {
          "apiVersion": "v1",
          "items": [
              {
                  "kind": "Event",
                  "items": ["not", "a", "list"]
              },
              {
                  "kind": "Pod"
              }
          ],
          "kind": "List",
          "metadata": {
              "resourceVersion": ""
          }
      }
      [{"kind":"Node"},{"kind":"Job"}]
      """
    let result = scan(text, window: window)
    #expect(result.problems.isEmpty)
    #expect(result.values.map(\.kind) == ["Event", "Pod", "Node", "Job"])
    #expect(result.values.filter(\.isListItem).count == 4)
    #expect(texts(result.values)[1] == "{\n            \"kind\": \"Pod\"\n        }")
    #expect(result.values.map(\.startLine) == [4, 8, 17, 17])
  }

  @Test func reportsGarbageBetweenObjectsAndResynchronises() {
    let text = """
      {"kind":"Pod"}
      ==== START logs for container web of pod default/web-0 ====
      some { log } line
      {"kind":"Node"}
      """
    let result = scan(text)
    #expect(result.values.map(\.kind) == ["Pod", "Node"])
    #expect(result.problems.count == 1)
    #expect(result.problems.first?.line == 2)
    #expect(
      result.problems.first?.message == "unexpected text between objects: '==== START logs for container web of pod'")
  }

  @Test func reportsATruncatedLineAndReadsTheNextOne() {
    let text = """
      {"type":"ADDED","object":{"kind":"Event","message":"cut
      {"type":"ADDED","object":{"kind":"Event"},"x":{"y":
      {"type":"MODIFIED","object":{"kind":"Event"}}
      """
    let result = scan(text)
    #expect(result.values.count == 1)
    #expect(result.values.first?.startLine == 3)
    #expect(
      result.problems.map(\.message) == [
        "unterminated string in value starting at line 1",
        "truncated value starting at line 2: a new object in line 3",
      ])
  }

  @Test func readsAValueTruncatedAtTheEndUpToItsLastCompleteMember() {
    let result = scan(
      "{\"kind\":\"Pod\"}\n{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-0\"},\"spec\":{\"nodeName\":\"no")
    #expect(result.values.count == 2)
    #expect(
      String(decoding: result.values[1].bytes, as: UTF8.self)
        == #"{"kind":"Pod","metadata":{"name":"web-0"},"spec":{}}"#)
    #expect(
      result.problems == [
        JSONScanner.Problem(
          line: 2, message: "truncated value starting at line 2: end of input; read up to its last complete member")
      ])
    #expect(
      JSONScanner.closedAtLastMember(Array(#"{"a":[1,2"#.utf8)).map { String(decoding: $0, as: UTF8.self) }
        == #"{"a":[1]}"#)
    #expect(
      JSONScanner.closedAtLastMember(Array(#"{"a":"x,}"#.utf8)).map { String(decoding: $0, as: UTF8.self) } == "{}")
    #expect(JSONScanner.closedAtLastMember(Array("}".utf8)) == nil)
  }

  @Test func limitsNesting() {
    let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
    let result = scan("{\"a\":\(deep)}\n{\"kind\":\"Pod\"}\n")
    #expect(result.values.map(\.kind) == ["Pod"])
    #expect(result.problems.map(\.message) == ["nesting deeper than 16 levels in value starting at line 1"])
  }

  @Test(arguments: [1, 7, 4096])
  func resynchronisesInsideAPrettyListAtTheNextItem(window: Int) {
    let text = """
      {
          "items": [
              {
                  "kind": "Event",
                  "reason": "A"
              },
              {
                  "kind": "Event",
                  "reason": "B" ]
              },
              {
                  "kind": "Event",
                  "reason": "C"
              }
          ],
          "kind": "List"
      }
      {"kind":"Pod"}
      """
    let result = scan(text, window: window)
    #expect(result.values.map { String(decoding: $0.bytes, as: UTF8.self).contains("\"C\"") } == [false, true, false])
    #expect(result.values.map(\.kind) == ["Event", "Event", "Pod"])
    #expect(result.problems.map(\.line) == [9])
  }

  @Test func reportsAListThatEndsEarly() {
    let result = scan("{\"items\":[{\"kind\":\"Event\"},")
    #expect(result.values.count == 1)
    #expect(result.problems.map(\.message) == ["list starting at line 1 ends early after 1 items"])
  }

  @Test func capsTheSizeOfOneValue() {
    var scanner = JSONScanner(maxValueBytes: 64)
    var outputs: [JSONScanner.Output] = []
    let big = "{\"a\":\"\(String(repeating: "x", count: 100))\"}"
    scanner.feedLine(big[...]) { outputs.append($0) }
    scanner.feedLine("{\"kind\":\"Pod\"}") { outputs.append($0) }
    scanner.finish { outputs.append($0) }
    var kinds: [String?] = []
    var messages: [String] = []
    for output in outputs {
      switch output {
      case .value(let v): kinds.append(v.kind)
      case .problem(let p): messages.append(p.message)
      }
    }
    #expect(kinds == ["Pod"])
    #expect(messages == ["value starting at line 1 is larger than 64 bytes"])
  }
}
