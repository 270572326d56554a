import Foundation
import PodmortemCorrelate
import PodmortemModel

/// JUnit XML for CI test reports (README "In CI"): one `testcase` per pod (and per other subject
/// with findings, a node say), a `failure` per finding at or above the `--fail-on` level, and the
/// findings below it as the test case's `system-out`. The shape follows the de facto JUnit XML
/// format read by GitHub, GitLab and Jenkins (https://github.com/testmoapp/junitxml);
/// Tests/Schemas/junit.xsd is the schema tests validate against.
package struct JUnitRenderer: Sendable {
  package var failOn: Severity

  package init(failOn: Severity = .warning) {
    self.failOn = failOn
  }

  /// One test case: a pod or another subject, with what was found about it.
  private struct Case {
    var classname: String
    var name: String
    var findings: [Finding] = []
  }

  package func render(_ input: ReportInput) -> String {
    var cases: [String: Case] = [:]
    var order: [String] = []
    func add(_ id: String, _ make: @autoclosure () -> Case) {
      if cases[id] == nil {
        cases[id] = make()
        order.append(id)
      }
    }
    for pod in input.state.pods {
      if pod.key.isUnnamed {
        add(pod.key.description, Case(classname: "pod", name: pod.key.description))
      } else {
        add(
          Self.podID(pod.key.namespace, pod.key.name),
          Case(classname: Self.classname(pod.key.namespace), name: pod.key.name))
      }
    }
    for f in input.findings {
      let id: String
      if let pod = f.subject.pod {
        id = Self.podID(f.subject.namespace ?? "", pod)
        add(id, Case(classname: Self.classname(f.subject.namespace ?? ""), name: pod))
      } else {
        id = f.subject.object ?? f.subject.description
        add(id, Case(classname: f.subject.namespace.map(Self.classname) ?? "cluster", name: id))
      }
      cases[id]?.findings.append(f)
    }
    let all = order.compactMap { cases[$0] }
    // `failures` counts failing test cases (pods), as JUnit readers do; each case lists one
    // `failure` element per finding.
    let failures = all.count { $0.findings.contains { $0.severity >= failOn } }

    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let counts = "tests=\"\(all.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
    out += "<testsuites name=\"podmortem\" \(counts) time=\"0\">\n"
    var suite = "  <testsuite name=\"podmortem\" \(counts) time=\"0\""
    if let now = input.state.now { suite += " timestamp=\"\(ReportTime.iso(now.date))\"" }
    out += suite + ">\n"
    out += "    <properties>\n"
    out += "      <property name=\"podmortem.version\" value=\"\(Self.escape(input.toolVersion))\"/>\n"
    out += "      <property name=\"podmortem.fail-on\" value=\"\(failOn.rawValue)\"/>\n"
    if let suppressed = input.suppressed {
      out += "      <property name=\"podmortem.config\" value=\"\(Self.escape(suppressed.file))\"/>\n"
      out += "      <property name=\"podmortem.suppressed\" value=\"\(suppressed.count)\"/>\n"
    }
    for a in input.accounts {
      out += "      <property name=\"podmortem.source\" value=\"\(Self.escape(a.source))\"/>\n"
    }
    out += "    </properties>\n"
    for c in all {
      let head = "    <testcase classname=\"\(Self.escape(c.classname))\" name=\"\(Self.escape(c.name))\" time=\"0\""
      let failing = c.findings.filter { $0.severity >= failOn }
      let below = c.findings.filter { $0.severity < failOn }
      if failing.isEmpty && below.isEmpty {
        out += head + "/>\n"
        continue
      }
      out += head + ">\n"
      for f in failing {
        let message = "\(f.severity.rawValue.uppercased()) \(f.ruleID): \(f.title)"
        out += "      <failure message=\"\(Self.escape(message))\" type=\"\(Self.escape(f.ruleID))\">"
        out += Self.escape(Self.body(f)) + "</failure>\n"
      }
      if !below.isEmpty {
        let text = below.map { "\($0.severity.rawValue.uppercased()) \($0.ruleID): \($0.title)\n" + Self.body($0) }
        out += "      <system-out>" + Self.escape(text.joined(separator: "\n\n")) + "</system-out>\n"
      }
      out += "    </testcase>\n"
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  private static func podID(_ namespace: String, _ name: String) -> String { "pod \(namespace)/\(name)" }

  private static func classname(_ namespace: String) -> String {
    namespace.isEmpty ? "pod" : "pod.\(namespace)"
  }

  /// The finding as the text report words it: explanation, next step, evidence with its source lines.
  static func body(_ f: Finding) -> String {
    var out = f.subject.description + "\n" + f.explanation
    if !f.remedy.isEmpty { out += "\nNext: " + f.remedy }
    if !f.evidence.isEmpty {
      out += "\nEvidence:"
      for e in f.evidence { out += "\n  \(e.ref)  \(e.text)" }
    }
    return out
  }

  /// XML 1.0 character data and attribute values: markup escaped; characters XML cannot carry
  /// at all (C0 controls but tab, newline, carriage return; U+FFFE, U+FFFF), which hostile input
  /// may contain, become U+FFFD (https://www.w3.org/TR/xml/#charsets).
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "&#13;"
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
