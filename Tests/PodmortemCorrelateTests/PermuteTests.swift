import Testing

@testable import PodmortemCorrelate

/// `EventBook.permute` (the merged history put in order in place) gives what taking the items in
/// that order into a new array gives.
struct PermuteTests {
  @Test func inPlaceIsTheOrderTaken() {
    var generator = SystemRandomNumberGenerator()
    for n in [0, 1, 2, 3, 10, 257] {
      for _ in 0..<20 {
        let items = (0..<n).map { "item-\($0)" }
        let order = Array(items.indices).shuffled(using: &generator)
        var permuted = items
        EventBook.permute(&permuted, into: order)
        #expect(permuted == order.map { items[$0] })
      }
    }
  }
}
