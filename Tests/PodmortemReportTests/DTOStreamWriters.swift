import Foundation
import PodmortemCorrelate
import PodmortemModel

@testable import PodmortemReport

// The writers the report's events, findings, pods, containers, states and evidence had before
// they were written straight from the model (`JSONModelWriter.swift`): the reference
// `JSONModelWriterTests` holds that writer to, byte for byte, on seeded random values. The DTOs
// themselves stay in Sources as the report's schema (`Encodable`).

extension EvidenceDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("line")
    w.int(evidence.ref.line)
    w.key("ref")
    w.ref(evidence.ref)
    w.key("source")
    w.string(evidence.ref.source)
    w.key("text")
    w.string(evidence.text)
    w.endObject()
  }
}

extension FindingDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("category")
    w.string(category)
    w.key("evidence")
    w.beginArray()
    for e in evidence {
      w.element()
      e.write(to: &w)
    }
    w.endArray()
    w.key("explanation")
    w.string(explanation)
    w.key("facts")
    w.stringMap(facts)
    w.key("remedy")
    w.string(remedy)
    w.key("rule")
    w.string(ruleID)
    w.key("severity")
    w.string(severity)
    if let severityOverriddenFrom {
      w.key("severityOverriddenFrom")
      w.string(severityOverriddenFrom)
    }
    w.key("subject")
    subject.write(to: &w)
    w.key("title")
    w.string(title)
    w.endObject()
  }
}

extension EventDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("caveats")
    w.strings(caveats)
    w.key("count")
    w.int(count)
    w.key("evidence")
    w.beginArray()
    for e in evidence {
      w.element()
      e.write(to: &w)
    }
    w.endArray()
    w.key("exemplars")
    w.strings(exemplars)
    if let fieldPath {
      w.key("fieldPath")
      w.string(fieldPath)
    }
    if let firstSeen {
      w.key("firstSeen")
      firstSeen.write(to: &w)
    }
    if let lastSeen {
      w.key("lastSeen")
      lastSeen.write(to: &w)
    }
    w.key("message")
    w.string(message)
    if let namespace {
      w.key("namespace")
      w.string(namespace)
    }
    w.key("object")
    w.string(object)
    w.key("objects")
    w.int(objects)
    w.key("reason")
    w.string(reason)
    if let source {
      w.key("source")
      w.string(source)
    }
    if let template {
      w.key("template")
      w.string(template)
    }
    w.key("type")
    w.string(type)
    w.endObject()
  }
}

extension PodDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("conditions")
    w.stringMap(conditions)
    w.key("containers")
    w.beginArray()
    for c in containers {
      w.element()
      c.write(to: &w)
    }
    w.endArray()
    if let controlledBy {
      w.key("controlledBy")
      w.string(controlledBy)
    }
    if let deletionGracePeriodSeconds {
      w.key("deletionGracePeriodSeconds")
      w.int(deletionGracePeriodSeconds)
    }
    if let deletionTimestamp {
      w.key("deletionTimestamp")
      deletionTimestamp.write(to: &w)
    }
    w.key("events")
    w.int(events)
    w.key("finalizers")
    w.strings(finalizers)
    w.key("logs")
    w.int(logs)
    if let message {
      w.key("message")
      w.string(message)
    }
    w.key("name")
    w.string(name)
    w.key("namespace")
    w.string(namespace)
    if let node {
      w.key("node")
      w.string(node)
    }
    if let pastedAt {
      w.key("pastedAt")
      w.string(pastedAt)
    }
    if let phase {
      w.key("phase")
      w.string(phase)
    }
    if let reason {
      w.key("reason")
      w.string(reason)
    }
    if let restarts {
      w.key("restarts")
      w.int(restarts)
    }
    w.key("snapshots")
    w.int(snapshots)
    if let status {
      w.key("status")
      w.string(status)
    }
    w.key("terminating")
    w.bool(terminating)
    if let uid {
      w.key("uid")
      w.string(uid)
    }
    w.endObject()
  }
}

extension ContainerDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("environment")
    w.strings(environment)
    if let image {
      w.key("image")
      w.string(image)
    }
    if let lastState {
      w.key("lastState")
      lastState.write(to: &w)
    }
    w.key("limits")
    w.stringMap(limits)
    w.key("name")
    w.string(name)
    w.key("probes")
    w.beginObject()
    for k in JSONStreamWriter.sortedKeys(probes) {
      w.key(text: k)
      probes[k]?.write(to: &w)
    }
    w.endObject()
    if let ready {
      w.key("ready")
      w.bool(ready)
    }
    w.key("requests")
    w.stringMap(requests)
    if let restartCount {
      w.key("restartCount")
      w.int(restartCount)
    }
    w.key("role")
    w.string(role)
    if let state {
      w.key("state")
      state.write(to: &w)
    }
    w.endObject()
  }
}

extension StateDTO {
  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    if let exitCode {
      w.key("exitCode")
      w.int(exitCode)
    }
    if let finishedAt {
      w.key("finishedAt")
      finishedAt.write(to: &w)
    }
    if let message {
      w.key("message")
      w.string(message)
    }
    if let reason {
      w.key("reason")
      w.string(reason)
    }
    if let signal {
      w.key("signal")
      w.int(signal)
    }
    if let startedAt {
      w.key("startedAt")
      startedAt.write(to: &w)
    }
    w.key("state")
    w.string(state)
    w.endObject()
  }
}
