"""Tests of the real-pastes scorer (tools/pastes.py): matching, screening, the floor's ratchet."""

import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pastes  # noqa: E402


def case(expected: dict, name: str = "events-table-x-z01") -> pastes.Case:
    return pastes.Case(name, Path("/nonexistent"), expected, "https://github.com/o/r/issues/1")


def finding(category: str, severity: str = "critical", facts=None, subject=None) -> dict:
    return {"category": category, "severity": severity, "facts": facts or {}, "subject": subject or {}}


class FactMatching(unittest.TestCase):
    def test_exact_and_range(self):
        self.assertTrue(pastes.fact_matches("restarts", "5", "5"))
        self.assertFalse(pastes.fact_matches("restarts", "5", "6"))
        self.assertTrue(pastes.fact_matches("detectSeconds", "30", "29..31"))
        self.assertFalse(pastes.fact_matches("detectSeconds", "32", "29..31"))
        self.assertFalse(pastes.fact_matches("mode", "timeout", "0..1"))

    def test_scheduling_reasons_are_a_set(self):
        want = "2 Insufficient cpu; 1 node(s) had taint {a: b}, that the pod didn't tolerate"
        got = "1 node(s) had taint {a: b}, that the pod didn't tolerate; 2 Insufficient cpu"
        self.assertTrue(pastes.fact_matches("reasons", want, got))
        self.assertFalse(pastes.fact_matches("reasons", want, "2 Insufficient cpu"))
        self.assertFalse(pastes.fact_matches("reasons", "", "2 Insufficient cpu"))


class Scoring(unittest.TestCase):
    def test_detected_probe_and_facts(self):
        c = case({"form": "events-table", "any": ["probe-failure", "crashloop-backoff"], "probe": ["liveness", "readiness"],
                  "subject": "web-0", "facts": {"mode": "http-status", "statusCode": "503"}})
        r = pastes.Result(c, findings=[
            finding("probe-failure", facts={"probe": "liveness", "mode": "http-status", "statusCode": "500"},
                    subject={"pod": "web-0", "container": "web"}),
        ])
        self.assertTrue(r.detected())
        self.assertEqual(r.probes(), (1, 2))
        hit, total, missed = r.facts()
        self.assertEqual((hit, total), (2, 3))  # mode and subject; the status code differs
        self.assertEqual(missed, ["statusCode=503"])

    def test_a_probe_absorbed_into_another_probe_finding_counts(self):
        c = case({"form": "events-table", "any": ["probe-failure"], "probe": ["liveness", "readiness"]})
        r = pastes.Result(c, findings=[
            finding("probe-failure", facts={"probe": "liveness", "alsoExplains": "crashloop.backoff,probe.readiness-failing"}),
        ])
        self.assertEqual(r.probes(), (2, 2))
        r = pastes.Result(c, findings=[finding("probe-failure", facts={"probe": "liveness", "alsoExplains": "crashloop.backoff"})])
        self.assertEqual(r.probes(), (1, 2))

    def test_a_finding_of_another_category_is_not_a_detection(self):
        c = case({"form": "get-pods", "any": ["oom-killed"]})
        r = pastes.Result(c, findings=[finding("container-exit")])
        self.assertFalse(r.detected())

    def test_node_subject_matches_object_name(self):
        f = finding("node-not-ready", subject={"object": "node/worker-2"})
        self.assertTrue(pastes.subject_matches("worker-2", f))
        self.assertFalse(pastes.subject_matches("worker-3", f))

    def test_healthy_is_clean_with_info_findings_only(self):
        c = case({"form": "describe", "healthy": True}, "describe-healthy-z02")
        self.assertTrue(pastes.Result(c, findings=[finding("pattern", severity="info")]).clean())
        self.assertFalse(pastes.Result(c, findings=[finding("probe-failure", severity="warning")]).clean())

    def test_figures_add_up(self):
        f = pastes.Figures()
        f.add(pastes.Result(case({"form": "logs", "any": ["sandbox"]}), findings=[finding("sandbox")], lines=10, unrecognised=3))
        f.add(pastes.Result(case({"form": "logs", "healthy": True}), crashed="exit 134", lines=4))
        self.assertEqual((f.cases, f.failure, f.detected, f.healthy, f.clean, f.crashes), (2, 1, 1, 1, 0, 1))
        self.assertEqual(f.floor()["recognisedLines"], 11)
        self.assertIn("crashes 1, unrecognised lines 3/14", f.line())


class Floor(unittest.TestCase):
    def test_ratchet_never_lowers(self):
        floor = {"total": {"detected": 9, "facts": 3}, "forms": {"logs": {"detected": 2}, "node": {"cases": 4}}}
        current = {"total": {"detected": 7, "facts": 5}, "forms": {"logs": {"detected": 3}}}
        raised = pastes.raise_floor(current, floor)
        self.assertEqual(raised["total"], {"detected": 9, "facts": 5})
        self.assertEqual(raised["forms"], {"logs": {"detected": 3}, "node": {"cases": 4}})

    def test_below_floor_names_each_figure(self):
        floor = {"total": {"detected": 9}, "forms": {"node": {"cases": 4}}}
        current = {"total": {"detected": 8}, "forms": {}}
        self.assertEqual(pastes.below_floor(current, floor), ["total detected 8 < 9", "node cases 0 < 4"])


class Sources(unittest.TestCase):
    def test_thread_key_ignores_comment_anchor_and_tabs(self):
        a = pastes.thread_key("https://github.com/kubernetes/kubernetes/issues/93994#issuecomment-1")
        b = pastes.thread_key("http://www.github.com/Kubernetes/kubernetes/issues/93994/")
        self.assertEqual(a, b)
        c = pastes.thread_key("https://github.com/o/r/pull/5/files")
        self.assertEqual(c, pastes.thread_key("https://github.com/o/r/pull/5"))

    def test_source_line(self):
        self.assertEqual(pastes.source_url("Source: https://x.org/a\nEra: 1.2\n"), "https://x.org/a")
        self.assertEqual(pastes.source_url("Source: <https://x.org/a>\n"), "https://x.org/a")
        self.assertIsNone(pastes.source_url("From https://x.org/a\n"))


class Screening(unittest.TestCase):
    def test_public_addresses_flagged_private_and_versions_not(self):
        text = "IP: 10.1.2.3\nnode 192.168.0.4 203.0.113.9\nimage ose:v3.5.5.15\nhost 8.8.4.4\n"
        self.assertEqual(pastes.public_ipv4(text), ["8.8.4.4"])

    def test_emails_and_tokens(self):
        problems = pastes.screen("by alice@corp.io\nimage@sha256:abc\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijklmn\n")
        self.assertEqual(len(problems), 2)
        self.assertIn("alice@corp.io", problems[0])
        self.assertIn("JWT", problems[1])


class Validation(unittest.TestCase):
    def test_a_case_with_every_problem(self):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "logs-bad-z09"
            p.mkdir()
            (p / "input.txt").write_text("kubelet: hello from 8.8.8.8\n")
            exp = {"form": "node", "any": ["nope"], "probe": ["sideways"], "facts": {"restarts": 3}, "subject": "web-9"}
            (p / "expected.json").write_text(json.dumps(exp))
            c = pastes.Case(p.name, p, exp, None)
            problems = pastes.validate_case(c, pastes.categories())
            text = "\n".join(problems)
            for needle in ("public IP address 8.8.8.8", "must start with its form", "'nope' is not a category",
                           "probe must list", "facts must map", "subject 'web-9' does not occur"):
                self.assertIn(needle, text)

    def test_categories_come_from_the_schema_document(self):
        cats = pastes.categories()
        self.assertIn("probe-failure", cats)
        self.assertIn("stuck-terminating", cats)
        self.assertNotIn("probe.liveness-failing", cats)


if __name__ == "__main__":
    unittest.main()
