/// The reference `TextPieces` replaces, as it was: a finding's text gathered as its pieces in a
/// list and written once, into a string of exactly their length. `TextPieces` writes each piece
/// into room on the stack as it comes instead (docs/architecture.md "Diagnosis: read a pod
/// once"); `ProbeFindingTextTests.textPiecesAreTheConcatenation` holds the two to each other and
/// to `+`.
struct GatheredPieces {
  private var pieces: [String] = []
  private var count = 0

  init(capacity: Int) { pieces.reserveCapacity(capacity) }

  mutating func add(_ piece: String) {
    count += piece.utf8.count
    pieces.append(piece)
  }

  mutating func addTimes(_ n: Int) {
    switch n {
    case 1: add("once")
    case 2: add("twice")
    default:
      add(String(n))
      add(" times")
    }
  }

  func joined() -> String {
    String(unsafeUninitializedCapacity: count) { out in
      var at = 0
      for piece in pieces {
        let n = piece.utf8.count
        let lent: Void? = piece.utf8.withContiguousStorageIfAvailable { bytes in
          guard let from = bytes.baseAddress, let to = out.baseAddress else { return }
          (to + at).update(from: from, count: n)
        }
        if lent == nil {
          for (i, byte) in piece.utf8.enumerated() { out[at + i] = byte }
        }
        at += n
      }
      return at
    }
  }
}
