/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a
/// small seedable generator, so every property test draws the same cases on every run and a
/// failing seed can be replayed. One copy for every test target.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<max(n, 1)`.
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

  /// `count` bytes drawn from printable ASCII, quotes and escapes, NUL, tab, CR, ESC, pieces of
  /// UTF-8 sequences (of `é` and the Kelvin sign) and 0xFF, so not always valid UTF-8.
  public mutating func hostileBytes(count: Int) -> [UInt8] {
    let alphabet: [UInt8] = Array("abz-09./:=\"\\ ".utf8) + [0, 9, 13, 0x1B, 0xC3, 0xA9, 0xE2, 0x84, 0xAA, 0xFF]
    return (0..<max(count, 0)).map { _ in alphabet[below(alphabet.count)] }
  }
}
