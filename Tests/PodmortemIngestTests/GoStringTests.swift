import PodmortemIngest
import Testing

@Suite struct GoStringTests {
  private func unquote(_ text: String) -> String? {
    GoString.unquote(Array(text.utf8), from: 0)?.value
  }

  @Test func readsEveryEscapeStrconvQuoteWrites() {
    #expect(unquote(#""a\"b\\c""#) == #"a"b\c"#)
    #expect(unquote(#""line1\nline2\ttab\r""#) == "line1\nline2\ttab\r")
    #expect(unquote(#""\a\b\f\v""#) == "\u{07}\u{08}\u{0C}\u{0B}")
    #expect(unquote(#""\x41\101\u00e9\U0001F600""#) == "AAé😀")
  }

  @Test func invalidUTF8SpelledWithXEscapesIsReplaced() {
    #expect(unquote(#""ok\xff""#) == "ok\u{FFFD}")
  }

  @Test func returnsTheIndexPastTheClosingQuote() {
    let bytes = Array(#""Probe failed" probeType="Liveness""#.utf8)
    let result = GoString.unquote(bytes, from: 0)
    #expect(result?.value == "Probe failed")
    #expect(result?.end == 14)
  }

  @Test func unterminatedOrUnquotedTextIsNil() {
    #expect(unquote(#""never closed"#) == nil)
    #expect(unquote("plain") == nil)
    #expect(unquote("") == nil)
    #expect(unquote(#""ends in a backslash\"#) == nil)
  }

  @Test func unknownEscapesAreKeptAsWritten() {
    #expect(unquote(#""a\qb\x4""#) == #"a\qb\x4"#)
  }

  @Test func quoteMatchesStrconvQuote() {
    #expect(GoString.quote("Probe failed") == #""Probe failed""#)
    #expect(GoString.quote("Get \"http://x\": refused\n") == #""Get \"http://x\": refused\n""#)
    #expect(GoString.quote("a\u{01}b\u{7F}é") == #""a\x01b\x7fé""#)
    for sample in ["", "tab\there", #"back\slash"#, "snow ☃ \u{1F600}", "\u{85}"] {
      #expect(unquote(GoString.quote(sample)) == sample)
    }
  }
}
