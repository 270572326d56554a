#!/usr/bin/env python3
"""The real-pastes corpus (samples/pastes/): validate its cases and score podmortem on them.

    python3 tools/pastes.py validate [--only GLOB]
    python3 tools/pastes.py score [-v] [--check] [--raise-floor] [--binary PATH] [--only GLOB]

The case format and what each figure means are in samples/pastes/README.md. `score --check` fails
(exit 1) when any figure falls below samples/pastes/floor.json or anything crashed; `--raise-floor`
rewrites the floor with every figure at least as high as before (a ratchet: it never lowers).
"""

from __future__ import annotations

import argparse
import fnmatch
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASTES = ROOT / "samples" / "pastes"
FLOOR = PASTES / "floor.json"
SCHEMA_DOC = ROOT / "docs" / "findings-schema.md"

FORMS = [
    "events-table",
    "describe",
    "describe-fragment",
    "get-events",
    "get-pods",
    "json-yaml",
    "logs",
    "node",
    "web-console",
]
# The spread the corpus keeps at least (issue "Real pastes"); healthy cases count apart from forms.
MINIMUMS = {
    "events-table": 40,
    "describe": 30,
    "get-events": 25,
    "get-pods": 15,
    "json-yaml": 20,
    "logs": 25,
    "node": 10,
    "web-console": 5,
    "healthy": 30,
}
PROBES = {"liveness", "readiness", "startup"}
DEFAULT_NOW = "2026-12-01T00:00:00Z"
TIMEOUT_SECONDS = 30
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def categories() -> set[str]:
    """Finding categories as docs/findings-schema.md lists them: the table rows `| rule | category |`."""
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    found = set(re.findall(r"^\| [^|]*\| `([a-z][a-z-]*)` \|", text, flags=re.M))
    if not found:
        raise SystemExit(f"pastes: no categories found in {SCHEMA_DOC}")
    return found


def thread_key(url: str) -> str:
    """The thread a source address names: no fragment, query, trailing slash, scheme or www."""
    url = url.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.I)
    # A pull request's files/commits tabs are the same thread.
    url = re.sub(r"^(github\.com/[^/]+/[^/]+/(?:issues|pull)/\d+)/.*$", r"\1", url, flags=re.I)
    return url.lower()


def source_url(text: str) -> str | None:
    first = text.splitlines()[0] if text else ""
    m = re.match(r"^Source:\s*<?(https?://\S+?)>?\s*$", first)
    return m.group(1) if m else None


# --- screening: what must not be in an input ------------------------------------------------------

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# Not after a `v` or `-`: `v3.5.5.15` is a version.
IPV4 = re.compile(r"(?<![\w.-])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
TOKENS = [
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"), "a JWT"),
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), "an AWS access key id"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"), "a GitHub token"),
    (re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
]
# Addresses in documentation (RFC 5737), private, shared, loopback, link-local and similar ranges
# identify nobody; anything else in a paste is a public address and is replaced.
# e-mail-shaped strings Kubernetes itself prints (image references with a digest, service
# accounts of public clouds' own controllers) are not a poster's address.
EMAIL_ALLOWED = re.compile(r"@sha256|\.gserviceaccount\.com$|@example\.(com|org|net)$", re.I)


def public_ipv4(text: str) -> list[str]:
    out = []
    for m in IPV4.finditer(text):
        try:
            ip = ipaddress.IPv4Address(m.group(1))
        except ValueError:
            continue  # 999.1.2.3 is a version or a counter, not an address
        if ip.is_global and not ip.is_multicast:
            out.append(str(ip))
    return out


def screen(text: str) -> list[str]:
    problems = []
    for ip in sorted(set(public_ipv4(text))):
        problems.append(f"public IP address {ip}: replace it (192.0.2.x, 198.51.100.x, 203.0.113.x)")
    for m in EMAIL.finditer(text):
        if not EMAIL_ALLOWED.search(m.group(0)):
            problems.append(f"e-mail address {m.group(0)}: replace it")
    for rx, what in TOKENS:
        if rx.search(text):
            problems.append(f"{what}: replace it")
    return problems


# --- cases ----------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: Path
    expected: dict
    url: str | None

    @property
    def healthy(self) -> bool:
        return bool(self.expected.get("healthy"))

    @property
    def form(self) -> str:
        return self.expected.get("form", "?")


def load_cases(only: str | None = None) -> tuple[list[Case], list[str]]:
    cases, problems = [], []
    if not PASTES.is_dir():
        return cases, [f"{PASTES}: no such folder"]
    for d in sorted(p for p in PASTES.iterdir() if p.is_dir()):
        if only and not fnmatch.fnmatch(d.name, only):
            continue
        exp: dict = {}
        url = None
        try:
            exp = json.loads((d / "expected.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(f"{d.name}: no expected.json")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            problems.append(f"{d.name}/expected.json: not valid JSON: {e}")
        try:
            url = source_url((d / "source.md").read_text(encoding="utf-8"))
            if url is None:
                problems.append(f"{d.name}/source.md: first line must be 'Source: <URL>'")
        except FileNotFoundError:
            problems.append(f"{d.name}: no source.md")
        cases.append(Case(d.name, d, exp if isinstance(exp, dict) else {}, url))
    return cases, problems


def validate_case(case: Case, known: set[str]) -> list[str]:
    p = []
    e = case.expected
    name = case.name
    inp = case.path / "input.txt"
    if not inp.is_file():
        p.append(f"{name}: no input.txt")
    else:
        raw = inp.read_bytes()
        if not raw.strip():
            p.append(f"{name}/input.txt: empty")
        text = raw.decode("utf-8", errors="replace")
        p += [f"{name}/input.txt: {x}" for x in screen(text)]
    allowed = {"form", "any", "probe", "subject", "facts", "now", "healthy"}
    for k in e:
        if k not in allowed:
            p.append(f"{name}/expected.json: unknown key {k!r}")
    if e.get("form") not in FORMS:
        p.append(f"{name}/expected.json: form {e.get('form')!r} is not one of {', '.join(FORMS)}")
    if not name.startswith(str(e.get("form")) + "-"):
        p.append(f"{name}: folder name must start with its form ({e.get('form')}-)")
    if "now" in e and not (isinstance(e["now"], str) and RFC3339.match(e["now"])):
        p.append(f"{name}/expected.json: now {e.get('now')!r} is not RFC 3339")
    if "subject" in e and not (isinstance(e["subject"], str) and e["subject"]):
        p.append(f"{name}/expected.json: subject must be a non-empty string")
    if e.get("healthy") is True:
        for k in ("any", "probe", "facts"):
            if k in e:
                p.append(f"{name}/expected.json: a healthy case has no {k!r}")
    elif "healthy" in e:
        p.append(f"{name}/expected.json: healthy is true or absent")
    else:
        anys = e.get("any")
        if not (isinstance(anys, list) and anys and all(isinstance(a, str) for a in anys)):
            p.append(f"{name}/expected.json: 'any' must list at least one category")
        else:
            for a in anys:
                if a not in known:
                    p.append(f"{name}/expected.json: {a!r} is not a category of docs/findings-schema.md")
        probes = e.get("probe", [])
        if not (isinstance(probes, list) and all(x in PROBES for x in probes)):
            p.append(f"{name}/expected.json: probe must list some of {sorted(PROBES)}")
        facts = e.get("facts", {})
        if not (isinstance(facts, dict) and all(isinstance(v, str) and v for v in facts.values())):
            p.append(f"{name}/expected.json: facts must map keys to non-empty strings")
    if "subject" in e and inp.is_file() and e["subject"] not in inp.read_text(encoding="utf-8", errors="replace"):
        p.append(f"{name}/expected.json: subject {e['subject']!r} does not occur in input.txt")
    return p


def validate(only: str | None) -> int:
    known = categories()
    cases, problems = load_cases(only)
    for c in cases:
        problems += validate_case(c, known)
    # Distinct sources across the WHOLE corpus, even when --only narrows what is checked otherwise.
    everyone, _ = load_cases(None)
    seen: dict[str, str] = {}
    for c in everyone:
        if not c.url:
            continue
        k = thread_key(c.url)
        if k in seen and (only is None or fnmatch.fnmatch(c.name, only)):
            problems.append(f"{c.name}: same source as {seen[k]} ({c.url})")
        seen.setdefault(k, c.name)
    counts = spread(cases)
    if only is None:
        short = [f"{k} {counts.get(k, 0)}/{n}" for k, n in MINIMUMS.items() if counts.get(k, 0) < n]
        if short:
            problems.append("below the corpus minimums: " + ", ".join(short))
    for line in problems:
        print(f"pastes: {line}")
    print("pastes: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in FORMS + ["healthy"]) + f"; {len(cases)} cases")
    print(f"pastes: {len(problems)} problem(s)")
    return 1 if problems else 0


def spread(cases: list[Case]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in cases:
        key = "healthy" if c.healthy else c.form
        counts[key] = counts.get(key, 0) + 1
    return counts


# --- scoring --------------------------------------------------------------------------------------


def fact_matches(key: str, expected: str, actual: str) -> bool:
    """Whether a finding's fact value carries the expected one (see samples/pastes/README.md)."""
    if key == "reasons":
        norm = lambda s: {x.strip() for x in s.split(";") if x.strip()}  # noqa: E731
        return norm(expected) <= norm(actual) and bool(norm(expected))
    if actual == expected:
        return True
    m = re.fullmatch(r"(-?\d+)\.\.(-?\d+)", actual)
    if m and re.fullmatch(r"-?\d+", expected):
        return int(m.group(1)) <= int(expected) <= int(m.group(2))
    return False


def subject_matches(expected: str, finding: dict) -> bool:
    s = finding.get("subject") or {}
    names = {s.get("pod"), s.get("container"), s.get("object")}
    obj = s.get("object") or ""
    if "/" in obj:
        names.add(obj.split("/", 1)[1])
    return expected in names


@dataclass
class Result:
    case: Case
    crashed: str | None = None  # why, when it crashed
    findings: list[dict] = field(default_factory=list)
    lines: int = 0
    unrecognised: int = 0

    @property
    def categories(self) -> list[str]:
        return sorted({f.get("category", "?") for f in self.findings})

    def detected(self) -> bool:
        want = set(self.case.expected.get("any", []))
        return any(f.get("category") in want for f in self.findings)

    def probes(self) -> tuple[int, int]:
        want = self.case.expected.get("probe", [])
        got = {(f.get("facts") or {}).get("probe") for f in self.findings}
        # One incident is one finding: a liveness or startup finding that absorbed the readiness
        # probe's failures says so in alsoExplains (docs/findings-schema.md), and names that probe.
        for f in self.findings:
            for rule in str((f.get("facts") or {}).get("alsoExplains", "")).split(","):
                if rule.startswith("probe.") and rule.endswith("-failing"):
                    got.add(rule[len("probe."):-len("-failing")])
        return sum(1 for p in want if p in got), len(want)

    def facts(self) -> tuple[int, int, list[str]]:
        """Matched, expected, and the expected facts that were missed."""
        want = dict(self.case.expected.get("facts", {}))
        missed = []
        hit = 0
        for k, v in want.items():
            if any(k in (f.get("facts") or {}) and fact_matches(k, v, str(f["facts"][k])) for f in self.findings):
                hit += 1
            else:
                missed.append(f"{k}={v}")
        total = len(want)
        subject = self.case.expected.get("subject")
        if subject and not self.case.healthy:
            total += 1
            if any(subject_matches(subject, f) for f in self.findings):
                hit += 1
            else:
                missed.append(f"subject={subject}")
        return hit, total, missed

    def clean(self) -> bool:
        return not any(f.get("severity") in ("warning", "critical") for f in self.findings)


def find_binary(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    candidates = [ROOT / ".build" / "debug" / "podmortem", ROOT / ".build" / "release" / "podmortem"]
    existing = [c for c in candidates if c.exists()]
    if not existing:
        raise SystemExit("pastes: no built podmortem (run `swift build` first or pass --binary)")
    return max(existing, key=lambda c: c.stat().st_mtime)  # the freshest build


def run_case(binary: Path, case: Case) -> Result:
    r = Result(case)
    now = case.expected.get("now", DEFAULT_NOW)
    cmd = [str(binary), "analyze", "--format", "json", "--now", now, str(case.path / "input.txt")]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        r.crashed = f"no answer within {TIMEOUT_SECONDS} s"
        return r
    if proc.returncode < 0:
        r.crashed = f"killed by {signal.Signals(-proc.returncode).name}"
        return r
    if proc.returncode not in (0, 1, 2):
        r.crashed = f"exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()[-300:]}"
        return r
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        r.crashed = f"exit {proc.returncode} with no JSON report ({e})"
        return r
    r.findings = doc.get("findings", [])
    for s in doc.get("sources", []):
        r.lines += int(s.get("lines", 0))
        r.unrecognised += int(s.get("unrecognised", 0))
    return r


@dataclass
class Figures:
    cases: int = 0
    failure: int = 0
    detected: int = 0
    probe_hit: int = 0
    probe_total: int = 0
    fact_hit: int = 0
    fact_total: int = 0
    healthy: int = 0
    clean: int = 0
    crashes: int = 0
    lines: int = 0
    unrecognised: int = 0

    def add(self, r: Result) -> None:
        self.cases += 1
        if r.crashed:
            self.crashes += 1
        self.lines += r.lines
        self.unrecognised += r.unrecognised
        if r.case.healthy:
            self.healthy += 1
            self.clean += 1 if (r.clean() and not r.crashed) else 0
            return
        self.failure += 1
        self.detected += 1 if r.detected() else 0
        ph, pt = r.probes()
        self.probe_hit += ph
        self.probe_total += pt
        fh, ft, _ = r.facts()
        self.fact_hit += fh
        self.fact_total += ft

    def floor(self) -> dict[str, int]:
        """The ratcheted figures: each only rises as the corpus and podmortem improve."""
        return {
            "cases": self.cases,
            "detected": self.detected,
            "probeKinds": self.probe_hit,
            "facts": self.fact_hit,
            "negativesClean": self.clean,
            "recognisedLines": self.lines - self.unrecognised,
        }

    def line(self) -> str:
        return (
            f"detected {self.detected}/{self.failure} failure cases, probe kinds {self.probe_hit}/{self.probe_total}, "
            f"facts {self.fact_hit}/{self.fact_total}, negatives clean {self.clean}/{self.healthy}, "
            f"crashes {self.crashes}, unrecognised lines {self.unrecognised}/{self.lines}"
        )


def form_key(c: Case) -> str:
    return "healthy" if c.healthy else c.form


def score(args: argparse.Namespace) -> int:
    cases, problems = load_cases(args.only)
    if problems:
        for p in problems:
            print(f"pastes: {p}")
        return 1
    if not cases:
        print("pastes: no cases")
        return 1
    binary = find_binary(args.binary)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda c: run_case(binary, c), cases))

    total = Figures()
    per: dict[str, Figures] = {}
    for r in results:
        total.add(r)
        per.setdefault(form_key(r.case), Figures()).add(r)

    if args.verbose:
        print(f"{'case':48} {'verdict':9} {'probe':6} {'facts':6} {'unrec':9} categories / missed")
        for r in results:
            c = r.case
            if r.crashed:
                verdict = "CRASH"
            elif c.healthy:
                verdict = "clean" if r.clean() else "FALSE+"
            else:
                verdict = "detected" if r.detected() else "MISSED"
            ph, pt = r.probes()
            fh, ft, missed = r.facts()
            probe = f"{ph}/{pt}" if pt else "-"
            facts = f"{fh}/{ft}" if ft else "-"
            detail = r.crashed or ",".join(r.categories) or "no findings"
            if missed:
                detail += "  missed: " + " ".join(missed)
            print(f"{c.name:48} {verdict:9} {probe:6} {facts:6} {f'{r.unrecognised}/{r.lines}':9} {detail}")
        print()

    print(f"{'form':18} {'cases':>5} {'detected':>9} {'probe':>7} {'facts':>7} {'clean':>7} {'crashes':>7} {'unrecognised':>13}")
    for key in FORMS + ["healthy"]:
        f = per.get(key)
        if not f:
            continue
        det = f"{f.detected}/{f.failure}" if f.failure else "-"
        probe = f"{f.probe_hit}/{f.probe_total}" if f.probe_total else "-"
        facts = f"{f.fact_hit}/{f.fact_total}" if f.fact_total else "-"
        clean = f"{f.clean}/{f.healthy}" if f.healthy else "-"
        print(
            f"{key:18} {f.cases:>5} {det:>9} {probe:>7} {facts:>7} {clean:>7} {f.crashes:>7} {f'{f.unrecognised}/{f.lines}':>13}"
        )
    print(f"pastes: {total.line()}")
    for r in results:
        if r.crashed:
            print(f"pastes: CRASH {r.case.name}: {r.crashed}")

    status = 0
    if total.crashes:
        status = 1
    current = {"total": total.floor(), "forms": {k: v.floor() for k, v in sorted(per.items())}}
    floor = json.loads(FLOOR.read_text(encoding="utf-8")) if FLOOR.exists() else {"total": {}, "forms": {}}
    if args.check and not args.only:
        below = below_floor(current, floor)
        for b in below:
            print(f"pastes: below the floor: {b}")
        if below:
            status = 1
        else:
            print("pastes: at or above samples/pastes/floor.json")
    if args.raise_floor:
        if args.only:
            print("pastes: --raise-floor needs the whole corpus (no --only)")
            return 1
        raised = raise_floor(current, floor)
        FLOOR.write_text(json.dumps(raised, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"pastes: wrote {FLOOR.relative_to(ROOT)}")
    return status


def below_floor(current: dict, floor: dict) -> list[str]:
    out = []
    for k, v in floor.get("total", {}).items():
        if current["total"].get(k, 0) < v:
            out.append(f"total {k} {current['total'].get(k, 0)} < {v}")
    for form, figs in floor.get("forms", {}).items():
        cur = current["forms"].get(form, {})
        for k, v in figs.items():
            if cur.get(k, 0) < v:
                out.append(f"{form} {k} {cur.get(k, 0)} < {v}")
    return out


def raise_floor(current: dict, floor: dict) -> dict:
    """Every figure the higher of the floor and today's; nothing is ever lowered or dropped."""
    out = {"total": dict(floor.get("total", {})), "forms": {k: dict(v) for k, v in floor.get("forms", {}).items()}}
    for k, v in current["total"].items():
        out["total"][k] = max(out["total"].get(k, 0), v)
    for form, figs in current["forms"].items():
        dst = out["forms"].setdefault(form, {})
        for k, v in figs.items():
            dst[k] = max(dst.get(k, 0), v)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every case's files and the corpus spread")
    v.add_argument("--only", help="only the cases whose folder name matches this glob")
    s = sub.add_parser("score", help="run podmortem on every case and print the figures")
    s.add_argument("-v", "--verbose", action="store_true", help="a line per case")
    s.add_argument("--check", action="store_true", help="fail when a figure is below floor.json or anything crashed")
    s.add_argument("--raise-floor", action="store_true", help="raise floor.json to today's figures (never lowers)")
    s.add_argument("--binary", help="the podmortem binary (default: the freshest of .build/{debug,release})")
    s.add_argument("--only", help="only the cases whose folder name matches this glob")
    args = ap.parse_args(argv)
    if args.command == "validate":
        return validate(args.only)
    return score(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
