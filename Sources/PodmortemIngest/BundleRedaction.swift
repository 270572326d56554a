import Foundation

/// Values a support-bundle tool replaced before shipping the bundle (docs/kubernetes.md §12).
///
/// troubleshoot.sh's redactors write `***HIDDEN***` in place of a secret, a token, an address or
/// a whole environment value. Such a value was present and non-empty in the cluster: parsers must
/// not read it as empty or missing, must not parse it as a number, time or image, and should keep
/// the field with `isRedacted` true where the model has room for it. For example, a JSON parser
/// reading `"value": "***HIDDEN***"` for an env var keeps the variable and marks its value redacted;
/// reading `"image": "***HIDDEN***"` it leaves the image unknown rather than naming a bogus image.
package enum Redaction {
  /// The text troubleshoot.sh writes for a redacted value.
  package static let troubleshootMask = "***HIDDEN***"

  /// True when `value` is a redaction mask rather than data: the whole value is the mask, give or
  /// take surrounding whitespace or quotes.
  package static func isRedacted(_ value: String) -> Bool {
    let trimmed = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    return trimmed == troubleshootMask
  }

  /// True when `value` contains a redaction mask anywhere (a redacted password inside a URL or a
  /// command line): the text around it is real, the masked part is not.
  package static func containsRedaction(_ value: String) -> Bool {
    value.contains(troubleshootMask)
  }
}
