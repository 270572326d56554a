/// Whether a line holds only white space, as `text.allSatisfy(\.isWhitespace)` says.
///
/// That walk breaks the text into `Character`s and asks each for its Unicode properties, about 400
/// instructions for the first alone; the sniffers and the container-log parser ask it of every
/// line of a bundle's logs (docs/architecture.md, "Sniffing a head of long lines"). A
/// `Character`'s `isWhitespace` is its first scalar's White_Space property, and a first byte below
/// 0x80 is the whole first scalar: when that byte is ASCII and not white space (tab, LF, VT, FF,
/// CR or space), the first `Character` is not white space and the answer is no. Any other text is
/// walked as before (`BlankTextTests` holds this to the walk, kept there as the reference).
enum BlankText {
  static func isBlank(_ text: String) -> Bool {
    if let first = text.utf8.first, first < 0x80, first != 0x20, first < 0x09 || first > 0x0D { return false }
    return text.allSatisfy(\.isWhitespace)
  }
}
