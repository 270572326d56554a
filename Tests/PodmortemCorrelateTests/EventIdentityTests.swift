import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct EventIdentityTests {
  static func event(
    kind: String? = nil, uid: String? = nil, fieldPath: String? = nil, component: String? = "kubelet",
    host: String? = nil, message: String = "Started container web"
  ) -> Event {
    Event(
      involved: ObjectRef(kind: kind, namespace: "prod", name: "web-0", uid: uid, fieldPath: fieldPath),
      type: .normal, reason: "Started", message: message, sourceComponent: component, sourceHost: host)
  }

  @Test func theFieldPathPrefixOfNewDescribeIsTheFieldPath() {
    let id = EventIdentity(Self.event(message: "spec.containers{web}: Started container web"))
    #expect(id.fieldPath == "spec.containers{web}")
    #expect(id.message == "Started container web")
    let init1 = EventIdentity(Self.event(message: "spec.initContainers{init-db}: Started container init-db"))
    #expect(init1.fieldPath == "spec.initContainers{init-db}")
  }

  @Test func aMessageThatOnlyLooksLikeAPrefixStays() {
    let id = EventIdentity(Self.event(message: "spec is invalid: {a}: b"))
    #expect(id.fieldPath == nil)
    #expect(id.message == "spec is invalid: {a}: b")
  }

  @Test func getEventsSourceSplitsIntoComponentAndHost() {
    let id = EventIdentity(Self.event(component: "kubelet, node-1"))
    #expect(id.component == "kubelet")
    #expect(id.host == "node-1")
  }

  /// The source is split where a `Character` search finds the comma, the bytes looked at first
  /// (`EventIdentity.init`). The reference is the `Character` search alone, as it was: a comma
  /// a combining mark follows is no comma to it, so such a source stays whole.
  @Test func theSourceSplitsWhereACharacterSearchFindsTheComma() {
    let sources = [
      "kubelet", "kubelet, node-1", "kubelet,node-1", ",", ", node-1", "kubelet,", "kubelet, ", "a,b,c",
      "kubelet,\u{301} node-1", "kubelet,\u{301}, node-1", "K\u{212A}, İ", "caf\u{E9}, n\u{303}", "\u{0}, \r",
      "kubelet\u{FF0C} node-1", "",
    ]
    func nonEmpty(_ s: String?) -> String? {
      let t = s?.trimmingCharacters(in: .whitespacesAndNewlines)
      return t?.isEmpty == false ? t : nil
    }
    for source in sources {
      let id = EventIdentity(Self.event(component: source))
      var component = nonEmpty(source)
      var host: String?
      if let c = component, let comma = c.firstIndex(of: ",") {
        host = nonEmpty(String(c[c.index(after: comma)...]))
        component = nonEmpty(String(c[..<comma]))
      }
      #expect(id.component == component, "\(source)")
      #expect(id.host == host, "\(source)")
    }
    #expect(EventIdentity(Self.event(component: "kubelet,\u{301} node-1")).host == nil)
    #expect(EventIdentity(Self.event(component: "kubelet, node-1")).host == "node-1")
  }

  @Test func missingFieldsAreWildcards() {
    let describe = EventIdentity(Self.event())
    let json = EventIdentity(Self.event(kind: "Pod", uid: "u1", fieldPath: "spec.containers{web}", host: "node-1"))
    let getEvents = EventIdentity(Self.event(kind: "pod", component: "kubelet, node-1"))
    #expect(describe.isCompatible(with: json))
    #expect(getEvents.isCompatible(with: json))
    #expect(json.kind == "pod")
    #expect(describe.knownFields < json.knownFields)
  }

  @Test func knownFieldsThatDifferAreNotCompatible() {
    let a = EventIdentity(Self.event(uid: "u1"))
    #expect(!a.isCompatible(with: EventIdentity(Self.event(uid: "u2"))))
    #expect(!a.isCompatible(with: EventIdentity(Self.event(uid: "u1", host: "node-1", message: "other"))))
    let onNode1 = EventIdentity(Self.event(component: "kubelet, node-1"))
    #expect(!onNode1.isCompatible(with: EventIdentity(Self.event(host: "node-2"))))
    #expect(onNode1.isCompatible(with: EventIdentity(Self.event(host: "node-1"))))
  }

  @Test func combinedEventsKeyOnThePrefix() {
    let a = EventIdentity(Self.event(message: "(combined from similar events): Started container a"))
    let b = EventIdentity(Self.event(message: "(combined from similar events): Started container b"))
    #expect(a == b)
    #expect(a.isCombined)
  }

  @Test func fillTakesWhatIsMissing() {
    var d = EventIdentity(Self.event())
    d.fill(from: EventIdentity(Self.event(kind: "Pod", uid: "u1", host: "node-1")))
    #expect(d.uid == "u1")
    #expect(d.kind == "pod")
    #expect(d.host == "node-1")
  }
}
