#!/usr/bin/env python3
"""Render samples/ with the real kubectl against the loopback fixture API server.

  tools/render-samples.py            re-render samples/ in place
  tools/render-samples.py --check    render into a temp dir and diff against samples/ (exit 1 when stale)

samples/snapshots/ is a time series: the same pod captured at several moments (fixture sets
fixtures/_snapshot-<label>/, each relative to its own capture moment) plus a kubelet-restart pair of events
(fixtures/_kubelet-restart/). Each of its files is normalised to its own capture time, recorded per file as
`captureTime` in samples/manifest.json.

How it stays deterministic (the rules below are all there is to it):
- every fixture time is "now-…"; the server resolves it against the whole second a request arrives in;
- each kubectl command starts 5 ms after a second boundary A; the run is accepted only if every request of the
  command was answered in second A and kubectl exited before A+0.9 s (otherwise it is retried), so the ages kubectl
  computes with time.Since() truncate to exactly the fixture ages;
- absolute timestamps in the output (RFC 3339, RFC 3339 micro, RFC 1123Z) are shifted by EPOCH − A, i.e. every
  sample reads as if captured at EPOCH.
kubectl runs with a private HOME (hence a cold discovery cache) and KUBECONFIG per command, and TZ=UTC.
The /version the server answers picks the client the gcloud kubectl dispatcher runs (1.27, 1.30, 1.32, 1.33);
the version that really ran is read back from the User-Agent of its requests and recorded in samples/manifest.json.
"""

import argparse
import datetime as dt
import difflib
import json
import math
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_DIR = os.path.join(ROOT, "tools", "fixture-apiserver")
FIXTURES = os.path.join(SERVER_DIR, "fixtures")
SAMPLES = os.path.join(ROOT, "samples")
EPOCH = dt.datetime(2026, 11, 27, 1, 0, 0, tzinfo=dt.timezone.utc)
DEFAULT_MINOR = "1.32"
DESCRIBE_MINORS = ["1.27", "1.30", "1.33"]
MAX_ATTEMPTS = 8
DEADLINE = 0.9  # a command must exit before A + DEADLINE seconds

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    server: {server}
  name: fixture
contexts:
- context:
    cluster: fixture
    namespace: {namespace}
    user: fixture
  name: fixture
current-context: fixture
users:
- name: fixture
  user: {{}}
"""


class Task:
    def __init__(self, case, out, args, minor=DEFAULT_MINOR, namespace="default", watch=False, fixture_set=None,
                 capture=None):
        self.case, self.out, self.args, self.minor, self.namespace, self.watch = case, out, args, minor, namespace, watch
        self.tag = re.sub(r"[^A-Za-z0-9]+", "-", "%s-%s" % (case, out)).strip("-")
        # The fixture set the server answers from (default: the case), and the moment the output is normalised to
        # (default: EPOCH); a time-series snapshot has both of its own.
        self.fixture_set = fixture_set or case
        self.capture = capture
        self.result = None


def case_tasks(case):
    with open(os.path.join(FIXTURES, case, "pod.json")) as f:
        pod = json.load(f)
    name, ns = pod["metadata"]["name"], pod["metadata"]["namespace"]
    t = [
        Task(case, "describe.txt", ["describe", "pod", name], namespace=ns),
        Task(case, "get-pods.txt", ["get", "pods"], namespace=ns),
        Task(case, "get-pods-wide.txt", ["get", "pods", "-o", "wide"], namespace=ns),
        Task(case, "get-events.txt", ["get", "events"], namespace=ns),
        Task(case, "get-events-wide.txt", ["get", "events", "-o", "wide"], namespace=ns),
        Task(case, "events.txt", ["events"], namespace=ns),
        Task(case, "pod.json", ["get", "pod", name, "-o", "json"], namespace=ns),
        Task(case, "pod.yaml", ["get", "pod", name, "-o", "yaml"], namespace=ns),
        Task(case, "events.json", ["get", "events", "--field-selector", "involvedObject.name=" + name, "-o", "json"],
             namespace=ns),
    ]
    for minor in DESCRIBE_MINORS:
        t.append(Task(case, "describe-%s.txt" % minor, ["describe", "pod", name], minor=minor, namespace=ns))
    return t


# samples/snapshots/: (label, seconds before EPOCH) as in make_fixtures.py SNAPSHOTS.
SNAPSHOTS = [("t-20m", 1200), ("t-10m", 600), ("t-0", 0)]


def load_pod(fixture_set):
    with open(os.path.join(FIXTURES, fixture_set, "pod.json")) as f:
        return json.load(f)


def snapshot_tasks():
    """The crashloop-max story captured three times, and the kubelet-restart pair (samples/snapshots/)."""
    case, t = "snapshots", []
    for label, before in SNAPSHOTS:
        s = "_snapshot-" + label
        pod = load_pod(s)
        name, ns = pod["metadata"]["name"], pod["metadata"]["namespace"]
        capture = EPOCH - dt.timedelta(seconds=before)
        t.append(Task(case, "describe-%s.txt" % label, ["describe", "pod", name], namespace=ns, fixture_set=s,
                      capture=capture))
        if before == 0:
            t.append(Task(case, "events-%s.json" % label, ["get", "events", "-o", "json"], namespace=ns,
                          fixture_set=s, capture=capture))
    s = "_kubelet-restart"
    pod = load_pod(s)
    name, ns = pod["metadata"]["name"], pod["metadata"]["namespace"]
    t.append(Task(case, "kubelet-restart-events.json",
                  ["get", "events", "--field-selector", "involvedObject.name=" + name, "-o", "json"], namespace=ns,
                  fixture_set=s, capture=EPOCH))
    t.append(Task(case, "kubelet-restart-describe.txt", ["describe", "pod", name], namespace=ns, fixture_set=s,
                  capture=EPOCH))
    return t


def all_tasks():
    a = "_all"
    return [
        Task(a, "get-events-watch.txt", ["get", "events", "--watch"], watch=True),
        Task(a, "get-events-watch-output-watch-events.txt", ["get", "events", "--watch", "--output-watch-events"],
             watch=True),
        Task(a, "events-watch.txt", ["events", "-w"], watch=True),
        Task(a, "get-pods-watch.txt", ["get", "pods", "--watch"], watch=True),
        Task(a, "get-pods-A.txt", ["get", "pods", "-A"]),
        Task(a, "get-pods-show-labels.txt", ["get", "pods", "--show-labels"]),
        Task(a, "get-events-A.txt", ["get", "events", "-A"]),
        Task(a, "events-A.txt", ["events", "-A"]),
        Task(a, "describe-pods-A.txt", ["describe", "pods", "-A"]),
        Task(a, "describe-pod-missing.txt", ["describe", "pod", "does-not-exist"]),
    ]


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RFC3339_RE = re.compile(r"\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z")
RFC1123Z_RE = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (%s) (\d{4}) (\d\d):(\d\d):(\d\d) \+0000"
                         % "|".join(MONTHS))


def normalise(text, anchor, epoch=EPOCH):
    """Shift every absolute timestamp by epoch − anchor (whole seconds, so fractions and widths are kept)."""
    shift = dt.timedelta(seconds=epoch.timestamp() - anchor)

    def r3339(m):
        t = dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S") + shift
        return t.strftime("%Y-%m-%dT%H:%M:%S") + (m.group(2) or "") + "Z"

    def r1123(m):
        t = dt.datetime(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1)), int(m.group(4)),
                        int(m.group(5)), int(m.group(6))) + shift
        return t.strftime("%a, %d ") + MONTHS[t.month - 1] + t.strftime(" %Y %H:%M:%S +0000")

    return RFC1123Z_RE.sub(r1123, RFC3339_RE.sub(r3339, text))


class Server:
    """The fixture server as a child process, stopped by PID; it also exits by itself after `lifetime` s."""

    def __init__(self, workdir, lifetime):
        port_file = os.path.join(workdir, "port")
        self.proc = subprocess.Popen([sys.executable, os.path.join(SERVER_DIR, "serve.py"), "--fixtures", FIXTURES,
                                      "--port", "0", "--port-file", port_file, "--lifetime", str(lifetime)],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "server.err"), "w"))
        deadline = time.time() + 15
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("fixture server did not start (see %s)" % os.path.join(workdir, "server.err"))
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())

    def log(self, tag):
        with urllib.request.urlopen("http://127.0.0.1:%d/_log?tag=%s" % (self.port, tag), timeout=10) as r:
            return json.load(r)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_task(task, server, workdir, kubectl, attempt):
    tag = "%s-a%d" % (task.tag, attempt)
    home = os.path.join(workdir, "home", tag)
    os.makedirs(home)
    kc = os.path.join(home, "kubeconfig")
    with open(kc, "w") as f:
        f.write(KUBECONFIG.format(server="http://127.0.0.1:%d/s/%s/%s/%s" % (server.port, task.fixture_set, task.minor, tag),
                                  namespace=task.namespace))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "KUBECONFIG": kc, "TZ": "UTC",
           "LANG": "C.UTF-8"}
    now = time.time()
    anchor = math.floor(now) + 1
    time.sleep(anchor + 0.005 - now)
    proc = subprocess.run([kubectl] + task.args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60, cwd=home)
    end = time.time()
    log = server.log(tag)
    anchors = {e["anchor"] for e in log}
    ok = anchors <= {anchor} and (task.watch or end - anchor < DEADLINE)
    versions = sorted({m.group(1) + "/" + m.group(2) for m in
                       (re.match(r"^(kubectl[^/]*)/(v[0-9.]+)", e["ua"]) for e in log) if m})
    return ok, {"anchor": anchor, "elapsed": round(end - anchor, 3), "code": proc.returncode,
                "stdout": proc.stdout.decode(), "stderr": proc.stderr.decode(), "clients": versions}


def render(out_dir, jobs):
    kubectl = shutil.which("kubectl")
    cases = sorted(d for d in os.listdir(FIXTURES) if not d.startswith("_")
                   and os.path.isdir(os.path.join(FIXTURES, d)))
    tasks = all_tasks() + [t for c in cases for t in case_tasks(c)] + snapshot_tasks()
    workdir = tempfile.mkdtemp(prefix="render-samples-")
    server = None
    stats = {"retries": 0}
    started = time.time()
    try:
        server = Server(workdir, lifetime=900)
        q = queue.Queue()
        for t in tasks:
            q.put(t)
        errors = []

        def worker():
            while True:
                try:
                    t = q.get_nowait()
                except queue.Empty:
                    return
                try:
                    for attempt in range(MAX_ATTEMPTS):
                        ok, res = run_task(t, server, workdir, kubectl, attempt)
                        if ok:
                            t.result = res
                            break
                        stats["retries"] += 1
                    else:
                        errors.append("%s/%s: no clean run in %d attempts (last %.3fs)" % (
                            t.case, t.out, MAX_ATTEMPTS, res["elapsed"]))
                except Exception as e:  # report, keep the other workers going
                    errors.append("%s/%s: %s" % (t.case, t.out, e))

        threads = [threading.Thread(target=worker) for _ in range(jobs)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise RuntimeError("\n".join(errors))
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    manifest = {"captureEpoch": EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "note": "Rendered by tools/render-samples.py with the real kubectl against tools/fixture-apiserver. "
                        "Ages are relative to captureEpoch: run podmortem with --now <captureEpoch>. "
                        "get tables come from the server-side 1.32 printer port; everything else is kubectl's.",
                "cases": {}}
    for t in tasks:
        d = os.path.join(out_dir, t.case)
        os.makedirs(d, exist_ok=True)
        res = t.result
        epoch = t.capture or EPOCH
        with open(os.path.join(d, t.out), "w") as f:
            f.write(normalise(res["stdout"], res["anchor"], epoch))
        files = [t.out]
        if res["stderr"]:
            err = t.out.rsplit(".", 1)[0] + ".stderr.txt"
            with open(os.path.join(d, err), "w") as f:
                f.write(normalise(res["stderr"], res["anchor"], epoch))
            files.append(err)
        entry = manifest["cases"].setdefault(t.case, {"files": {}})
        if t.capture is not None:
            pod = load_pod(t.fixture_set)
            entry["note"] = ("a time series: each file's ages are relative to its own captureTime; "
                             "run podmortem with that time per file (--now, or the file's modification time)")
        elif t.case != "_all":
            with open(os.path.join(FIXTURES, t.case, "pod.json")) as f:
                pod = json.load(f)
            entry["pod"] = pod["metadata"]["name"]
            entry["namespace"] = pod["metadata"]["namespace"]
            entry["fixture"] = "tools/fixture-apiserver/fixtures/" + t.case
        clients = [c for c in res["clients"]]
        entry["files"][t.out] = {"command": "kubectl " + " ".join(t.args), "namespace": t.namespace,
                                 "kubectl": clients[0].split("/", 1)[1] if len(clients) == 1 else clients,
                                 "binary": clients[0].split("/", 1)[0] if len(clients) == 1 else clients,
                                 "serverVersion": t.minor, "exitCode": res["code"],
                                 "stderr": files[1] if len(files) > 1 else None}
        if t.capture is not None:
            entry["files"][t.out].update({
                "captureTime": t.capture.strftime("%Y-%m-%dT%H:%M:%SZ"), "pod": pod["metadata"]["name"],
                "namespace": pod["metadata"]["namespace"], "fixture": "tools/fixture-apiserver/fixtures/" + t.fixture_set})
    for case in cases:
        shutil.copyfile(os.path.join(FIXTURES, case, "README.md"), os.path.join(out_dir, case, "README.md"))
    with open(os.path.join(out_dir, "snapshots", "README.md"), "w") as f:
        f.write("# Time series\n\n## describe-t-*.txt, events-t-0.json\n\n")
        with open(os.path.join(FIXTURES, "_snapshot-t-0", "README.md")) as r:
            f.write(r.read())
        f.write("\n## kubelet-restart-*\n\n")
        with open(os.path.join(FIXTURES, "_kubelet-restart", "README.md")) as r:
            f.write(r.read())
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    return time.time() - started, stats["retries"], len(tasks)


def rendered_here(rel):
    """True for the files this script renders. samples/ also holds the bundle samples
    (tools/make-bundle-samples.py), the golden reports (PODMORTEM_RECORD=1 swift test) and the
    real pastes (samples/pastes/, collected, never rendered) and samples/decisive.json (the line each
    failing sample's first finding must cite first, written by hand): those are not compared here,
    and a re-render keeps them."""
    parts = rel.split(os.sep)
    return parts[0] not in ("bundles", "pastes") and "golden" not in parts and rel != "decisive.json"


def tree(d):
    out = {}
    for base, _, files in os.walk(d):
        for name in files:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, d)
            if not rendered_here(rel):
                continue
            with open(p, encoding="utf-8", errors="replace") as f:
                out[rel] = f.read()
    return out


def carry_over(old, new):
    """Copies the files of `old` this script does not render into `new`."""
    if not os.path.isdir(old):
        return
    for base, _, files in os.walk(old):
        for name in files:
            src = os.path.join(base, name)
            rel = os.path.relpath(src, old)
            if rendered_here(rel):
                continue
            dst = os.path.join(new, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="render to a temp dir and diff against samples/")
    ap.add_argument("--out", default=SAMPLES, help="output directory (default: samples/)")
    ap.add_argument("--jobs", type=int, default=3, help="kubectl commands started per second boundary (default 3)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("kubectl") is None:
        print("skipped: kubectl not found")
        return 0
    if args.check:
        tmp = tempfile.mkdtemp(prefix="samples-check-")
        try:
            secs, retries, n = render(tmp, args.jobs)
            old, new = tree(SAMPLES), tree(tmp)
            diff = []
            for path in sorted(set(old) | set(new)):
                if old.get(path) != new.get(path):
                    diff += difflib.unified_diff(
                        (old.get(path) or "").splitlines(True), (new.get(path) or "").splitlines(True),
                        "a/samples/" + path if path in old else "/dev/null",
                        "b/samples/" + path if path in new else "/dev/null")
            if diff:
                sys.stdout.writelines(l if l.endswith("\n") else l + "\n" for l in diff)
                print("samples are stale: run tools/render-samples.py", file=sys.stderr)
                return 1
            print("samples up to date (%d commands, %.0fs, %d retries)" % (n, secs, retries))
            return 0
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    out = os.path.abspath(args.out)
    tmp = tempfile.mkdtemp(prefix="samples-new-", dir=os.path.dirname(out))
    try:
        secs, retries, n = render(tmp, args.jobs)
        carry_over(out, tmp)
        if os.path.exists(out):
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("rendered %d commands into %s in %.0fs (%d retries)" % (n, out, secs, retries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
