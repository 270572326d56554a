import Testing

@testable import PodmortemDiagnose

@Test(arguments: [
  ("5m0s", 300.0), ("40s", 40), ("1m20s", 80), ("2h0m0s", 7200), ("500ms", 0.5), ("1.5s", 1.5), ("0", 0),
])
func goDurations(text: String, seconds: Double) {
  #expect(GoDuration.seconds(text) == seconds)
}

@Test func notGoDurations() {
  #expect(GoDuration.seconds("") == nil)
  #expect(GoDuration.seconds("5x") == nil)
  #expect(GoDuration.seconds("abc") == nil)
}

@Test func secondsForPeople() {
  #expect(Seconds.format(45) == "45s")
  #expect(Seconds.format(300) == "5m")
  #expect(Seconds.format(330) == "5m30s")
  #expect(Seconds.format(3720) == "1h2m")
  #expect(Seconds.format(20...31) == "20s–31s")
  #expect(Seconds.format(10...10) == "10s")
  #expect(Seconds.fact(180...195) == "180..195")
  #expect(Seconds.fact(20...20) == "20")
}
