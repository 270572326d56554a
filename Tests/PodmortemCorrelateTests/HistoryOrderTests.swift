import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `EventBook.drainMerged` sorts the merged events with their last-seen times read out first
/// (issue 16, perf): on seeded random books, with many events sharing a time so that the identity
/// decides, the history must be in `MergedEvent.historyOrder`, the comparator it stands for.
@Suite struct HistoryOrderTests {
  @Test func theHistoryIsInHistoryOrder() {
    var rng = SplitMix64(seed: 461)
    for round in 0..<60 {
      var book = EventBook()
      for i in 0..<Int(rng.next() % 200) {
        book.add(RandomEvent.event(&rng, names: 5, minutes: 4, line: i + 1, captures: false))
      }
      let history = book.merged(now: Fixture.at(600))
      let expected = history.withUnsafeBufferPointer { buffer -> [MergedEvent] in
        guard let base = buffer.baseAddress else { return [] }
        return buffer.indices.sorted { MergedEvent.historyOrder(base + $0, base + $1) }.map { buffer[$0] }
      }
      #expect(history == expected, "round \(round)")
    }
  }
}
