import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `MessageTemplate.SeenMessages` places messages by a mix of their bytes without a secret seed,
/// so the input can make every message mix alike: a look or a placing walks at most
/// `longestWalk` places, a message past it is not remembered, and one that was remembered is
/// found again unless a growth left an entry out, after which nothing is remembered
/// (docs/architecture.md "Speed of the EventList path"). `assign` counts on that: a plain group's
/// messages are distinct only while each remembered one is found again (`GroupMessagesTests`
/// holds `assign` to the sets).
@Suite struct SeenMessagesWalkTests {
  @Test func oneHashIsRememberedOnlyWithinTheWalk() {
    var seen = MessageTemplate.SeenMessages()
    let walk = MessageTemplate.SeenMessages.longestWalk
    var remembered: [Int] = []
    for event in 0..<300 where seen.add(hash: 42 << 7, event: event, group: event + 1) { remembered.append(event) }
    #expect(remembered == Array(0...walk))
    for event in remembered { #expect(seen.group(hash: 42 << 7, where: { $0 == event }) == event + 1) }
    #expect(seen.group(hash: 42 << 7, where: { $0 == walk + 1 }) == nil)
    #expect(seen.group(hash: 43 << 7, where: { _ in true }) == nil)
  }

  @Test func rememberedAreFoundAgainUnlessAGrowthLeftOneOut() {
    var rng = SplitMix64(seed: 1_618)
    var leftOutRounds = 0
    for _ in 0..<60 {
      var seen = MessageTemplate.SeenMessages()
      var remembered: [(hash: UInt64, event: Int)] = []
      // A third of the hashes from four neighbouring homes, the rest at random; grown many times.
      for event in 0..<(500 + rng.below(4_000)) {
        let hash = rng.below(3) == 0 ? UInt64(rng.below(4)) << 7 : rng.next()
        if seen.add(hash: hash, event: event, group: event) { remembered.append((hash, event)) }
      }
      let lost = remembered.filter { r in seen.group(hash: r.hash, where: { $0 == r.event }) != r.event }
      if !lost.isEmpty {
        leftOutRounds += 1
        let refused = !seen.add(hash: rng.next(), event: -1, group: -1)
        #expect(refused)
      }
      #expect(remembered.count > 400)
    }
    #expect(leftOutRounds < 60)
  }
}
