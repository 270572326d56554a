import PodmortemIngest
import Testing

@Suite struct LogJSONTests {
  private func parse(_ text: String) -> [LogJSON.Member]? { LogJSON.parseObject(Array(text.utf8)) }

  @Test func keepsMembersInWrittenOrderWithRawValues() throws {
    let members = try #require(
      parse(
        #"{"ts":1732669323456.789,"msg":"Probe failed","v":1,"pod":{"name":"web-0","namespace":"default"},"ok":true,"n":null,"list":[1,"a",{}]}"#
      ))
    #expect(members.map(\.key) == ["ts", "msg", "v", "pod", "ok", "n", "list"])
    #expect(members.first?.value.number == 1_732_669_323_456.789)
    #expect(members[1].value == .string("Probe failed"))
    #expect(members[3].value.text == #"{"name":"web-0","namespace":"default"}"#)
    #expect(members[3].value.members?.map(\.key) == ["name", "namespace"])
    #expect(members[4].value == .bool(true))
    #expect(members[5].value == .null)
    #expect(members[6].value.text == #"[1,"a",{}]"#)
  }

  @Test func decodesEscapesAndSurrogatePairs() {
    let members = parse(#"{"log":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x"}"#)
    #expect(members?.first?.value.string == "a\"b\\c/d\n\té😀\u{FFFD}x")
  }

  @Test(arguments: [
    "", "[]", "{", #"{"a":1} trailing"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":"unterminated}"#,
    #"{"a":1,}"#, "{\"a\":\"\\q\"}", "not json",
  ])
  func rejectsWhatIsNotOneObject(text: String) {
    #expect(parse(text) == nil)
  }

  @Test func deepNestingIsRejectedNotOverflowed() {
    let deep = #"{"a":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
    #expect(parse(deep) == nil)
    let fine = #"{"a":"# + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
    #expect(parse(fine)?.count == 1)
  }
}
