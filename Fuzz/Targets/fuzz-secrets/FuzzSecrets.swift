// libFuzzer entry point: the secret masker on one text, whole and line by line with the PEM
// block state `podmortem redact` uses (docs/architecture.md "Secrets", "Fuzzing").

import FuzzSupport
import PodmortemText

/// One input; libFuzzer calls it once per generated input.
func fuzzSecrets(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let masker = SecretMasker()
  var hits: [String] = []
  let masked = masker.mask(text, hits: &hits)
  // Masking the masked text again runs the rules over texts full of tokens.
  var again: [String] = []
  _ = masker.mask(masked, hits: &again)
  var pem = PEMLines()
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    _ = pem.mask(String(line), with: masker, hits: &hits)
  }
  return 0
}

@main
enum FuzzSecrets {
  static func main() { runFuzzer(fuzzSecrets) }
}
