import Testing

@testable import PodmortemDiagnose

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
