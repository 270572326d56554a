import Testing

@testable import PodmortemIngest

@Suite struct BundleRedactionTests {
  @Test(arguments: ["***HIDDEN***", " ***HIDDEN*** ", "\"***HIDDEN***\""])
  func masksAreRedacted(_ value: String) {
    #expect(Redaction.isRedacted(value))
  }

  @Test(arguments: ["", "HIDDEN", "**HIDDEN**", "postgres://u:***HIDDEN***@db:5432", "null"])
  func otherValuesAreNot(_ value: String) {
    #expect(!Redaction.isRedacted(value))
  }

  @Test func aMaskInsideAValueIsFound() {
    #expect(Redaction.containsRedaction("postgres://u:***HIDDEN***@db:5432"))
    #expect(!Redaction.containsRedaction("postgres://u:secret@db:5432"))
  }
}
