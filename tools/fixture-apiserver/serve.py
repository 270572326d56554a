#!/usr/bin/env python3
"""Loopback fixture API server for rendering samples with the real kubectl.

Serves Pod and Event JSON from fixtures/<set>/{pod,events}.json whose times are
written relative to "now" ("now-3m12s", "now+10s", "now-12m3.043127s"). Every
request resolves them against an anchor: the whole second in which it arrived.
`kubectl get` receives server-side Tables built by printers.py (the 1.32
apiserver printers). Watches stream scripted events (fixtures/<set>/watch.json).

URL layout: /s/<set>/<minor>/<tag>/api/... selects the fixture set (a case name,
"_all" for every case together, or a set of its own whose name starts with "_",
such as a time-series snapshot), the minor version /version reports (which makes
the gcloud kubectl dispatcher pick that client) and a tag that groups the request log per command.
Plain /api/... means set "_all" and minor 1.32. GET /_log?tag=T returns the
request log of a tag as JSON.

Usage: serve.py --fixtures DIR [--port 0] [--port-file F] [--lifetime 600]
"""

import argparse
import copy
import datetime as dt
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import printers  # noqa: E402

UTC = dt.timezone.utc
VERSIONS = {
    "1.27": ("v1.27.16", "cbb86e0d7f4a049666fac0551e8b02ef3d6c3d9a", "2024-07-17T01:44:26Z", "go1.22.5"),
    "1.30": ("v1.30.2", "39683505b630ff2121012f3c5b16215a1449d5ed", "2024-06-11T20:21:00Z", "go1.22.4"),
    "1.32": ("v1.32.4", "59526cd4867447956156ae3a602fcbac10a2c335", "2025-04-22T16:03:41Z", "go1.23.6"),
    "1.33": ("v1.33.1", "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828", "2025-05-15T08:19:08Z", "go1.24.2"),
}
MICRO_KEYS = {"eventTime", "lastObservedTime"}
NOW_RE = re.compile(r"^now(?:([+-])((?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+(?:\.\d+)?s)?))?$")
UNIT_RE = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
TABLE_RV = "912345"


def parse_offset(text):
    """Seconds of a 'now±…' expression, or None when text is not one."""
    m = NOW_RE.match(text)
    if not m:
        return None
    if not m.group(1):
        return 0.0
    total = sum(float(n) * UNIT_SECONDS[u] for n, u in UNIT_RE.findall(m.group(2)))
    return total if m.group(1) == "+" else -total


def fmt_time(t, micro):
    if micro:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve(obj, anchor, key=None):
    """Replace every now-relative string with an absolute RFC 3339 time."""
    if isinstance(obj, dict):
        return {k: resolve(v, anchor, k) for k, v in obj.items()}
    if isinstance(obj, list):
        return [resolve(v, anchor, key) for v in obj]
    if isinstance(obj, str) and obj.startswith("now"):
        off = parse_offset(obj)
        if off is not None:
            t = dt.datetime.fromtimestamp(anchor, UTC) + dt.timedelta(seconds=off)
            return fmt_time(t, key in MICRO_KEYS)
    return obj


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def lookup(obj, dotted):
    cur = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    return str(cur)


def field_match(obj, selector):
    for term in filter(None, (selector or "").split(",")):
        if "!=" in term:
            k, v = term.split("!=", 1)
            if lookup(obj, k) == v:
                return False
        else:
            k, v = term.split("==", 1) if "==" in term else term.split("=", 1)
            if lookup(obj, k) != v:
                return False
    return True


def label_match(obj, selector):
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in filter(None, (selector or "").split(",")):
        term = term.strip()
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k) == v:
                return False
        elif "=" in term:
            k, v = term.split("==", 1) if "==" in term else term.split("=", 1)
            if labels.get(k) != v:
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


class FixtureStore:
    """All fixture sets, loaded once. Objects keep their now-relative times."""

    def __init__(self, root):
        self.sets = {}
        self.watch = {}
        all_pods, all_events, all_watch = [], [], []
        for name in sorted(os.listdir(root)):
            d = os.path.join(root, name)
            if not os.path.isdir(d) or name == "_all":
                continue
            pods = self._load(os.path.join(d, "pod.json"), [])
            pods = pods if isinstance(pods, list) else [pods]
            events = self._load(os.path.join(d, "events.json"), [])
            watch = self._load(os.path.join(d, "watch.json"), [])
            self.sets[name] = (pods, events)
            self.watch[name] = watch
            if name.startswith("_"):  # a set of its own (a time-series snapshot), not part of "_all"
                continue
            all_pods += pods
            all_events += events
            all_watch += watch
        self.sets["_all"] = (all_pods, all_events)
        self.watch["_all"] = self._load(os.path.join(root, "_all", "watch.json"), all_watch)

    @staticmethod
    def _load(path, default):
        if not os.path.exists(path):
            return default
        with open(path) as f:
            return json.load(f)

    def objects(self, set_name, resource):
        pods, events = self.sets.get(set_name, ([], []))
        items = pods if resource == "pods" else events
        return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))

    def find(self, set_name, ref):
        ns, name = ref.split("/", 1)
        pods, events = self.sets.get(set_name, ([], []))
        for o in pods + events:
            if o["metadata"].get("namespace") == ns and o["metadata"]["name"] == name:
                return o
        raise KeyError(ref)


class RequestLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}

    def add(self, tag, entry):
        with self.lock:
            self.entries.setdefault(tag, []).append(entry)

    def get(self, tag):
        with self.lock:
            return list(self.entries.get(tag, []))


API_RESOURCES = {
    "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1",
    "resources": [
        {"name": "events", "singularName": "event", "namespaced": True, "kind": "Event",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
         "shortNames": ["ev"], "storageVersionHash": "r2yiGXH7wu8="},
        {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace",
         "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["ns"],
         "storageVersionHash": "Q3oi5N2YM8M="},
        {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
         "shortNames": ["no"], "storageVersionHash": "XwShjMxG9Fs="},
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
         "shortNames": ["po"], "categories": ["all"], "storageVersionHash": "xPOwRZ+Yhw8="},
        {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
        {"name": "pods/status", "singularName": "", "namespaced": True, "kind": "Pod",
         "verbs": ["get", "patch", "update"]},
    ],
}


def make_handler(store, log):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; without TCP_NODELAY every response waits ~40 ms for a delayed ACK.
        disable_nagle_algorithm = True
        server_version = "fixture-apiserver"

        def log_message(self, fmt, *args):
            pass

        def send_json(self, code, body, content_type="application/json"):
            data = json.dumps(body, separators=(",", ":")).encode()
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache, private")
            self.end_headers()
            self.wfile.write(data)

        def status(self, code, reason, message, details=None):
            body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": message, "reason": reason, "code": code}
            if details:
                body["details"] = details
            self.send_json(code, body)

        def do_GET(self):
            arrival = time.time()
            anchor = int(arrival)
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            path = url.path
            if path == "/_log":
                return self.send_json(200, log.get(query.get("tag", "")))
            set_name, minor, tag = "_all", "1.32", ""
            m = re.match(r"^/s/([^/]+)/([^/]+)/([^/]+)(/.*)?$", path)
            if m:
                set_name, minor, tag, path = m.group(1), m.group(2), m.group(3), m.group(4) or "/"
            log.add(tag, {"t": arrival, "anchor": anchor, "path": path, "query": url.query,
                          "accept": self.headers.get("Accept", ""), "ua": self.headers.get("User-Agent", "")})
            try:
                self.route(set_name, minor, path.rstrip("/") or "/", query, anchor)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_POST(self):
            self.status(405, "MethodNotAllowed", "the fixture server is read-only")

        do_PUT = do_PATCH = do_DELETE = do_POST

        def route(self, set_name, minor, path, query, anchor):
            if path == "/version":
                git, commit, built, go = VERSIONS.get(minor, VERSIONS["1.32"])
                major_s, minor_s = git[1:].split(".")[:2]
                return self.send_json(200, {"major": major_s, "minor": minor_s, "gitVersion": git,
                                            "gitCommit": commit, "gitTreeState": "clean", "buildDate": built,
                                            "goVersion": go, "compiler": "gc", "platform": "linux/amd64"})
            if path == "/api":
                return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                    {"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.1.10:6443"}]})
            if path == "/apis":
                return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
            if path == "/api/v1":
                return self.send_json(200, API_RESOURCES)
            m = re.match(r"^/api/v1(?:/namespaces/([^/]+))?/(pods|events)(?:/([^/]+))?$", path)
            if not m:
                return self.status(404, "NotFound", "the server could not find the requested resource",
                                   {"causes": [{"reason": "UnexpectedServerResponse", "message": "404 page not found"}]})
            ns, resource, name = m.group(1), m.group(2), m.group(3)
            items = [o for o in store.objects(set_name, resource)
                     if ns is None or o["metadata"].get("namespace") == ns]
            wants_table = "as=Table" in self.headers.get("Accept", "")
            if name is not None:
                found = [o for o in items if o["metadata"]["name"] == name]
                if not found:
                    kind = "pods" if resource == "pods" else "events"
                    return self.status(404, "NotFound", '%s "%s" not found' % (kind, name),
                                       {"name": name, "kind": kind})
                obj = resolve(found[0], anchor)
                if wants_table:
                    return self.send_json(200, self.table(resource, [obj], anchor, query))
                return self.send_json(200, obj)
            items = [o for o in items if field_match(o, query.get("fieldSelector"))
                     and label_match(o, query.get("labelSelector"))]
            if query.get("watch") in ("true", "1"):
                return self.watch(set_name, resource, ns, items, query, anchor, wants_table)
            resolved = [resolve(o, anchor) for o in items]
            if wants_table:
                return self.send_json(200, self.table(resource, resolved, anchor, query))
            kind = "PodList" if resource == "pods" else "EventList"
            return self.send_json(200, {"kind": kind, "apiVersion": "v1", "metadata": {"resourceVersion": TABLE_RV},
                                        "items": resolved})

        def rows(self, resource, objs, anchor, query):
            now = dt.datetime.fromtimestamp(anchor, UTC)
            include = query.get("includeObject", "Metadata")
            rows = []
            for o in objs:
                if resource == "pods":
                    cells, conditions = printers.print_pod(o, now)
                else:
                    cells, conditions = printers.print_event(o, now), None
                row = {"cells": cells}
                if conditions:
                    row["conditions"] = conditions
                if include == "Object":
                    row["object"] = o
                elif include != "None":
                    row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                     "metadata": o["metadata"]}
                rows.append(row)
            return rows

        def table(self, resource, objs, anchor, query, columns=True):
            cols = printers.POD_COLUMNS if resource == "pods" else printers.EVENT_COLUMNS
            return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": TABLE_RV},
                    "columnDefinitions": cols if columns else None,
                    "rows": self.rows(resource, objs, anchor, query)}

        def watch(self, set_name, resource, ns, items, query, anchor, wants_table):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            first = [True]

            def send(kind, obj, at):
                if wants_table:
                    body = self.table(resource, [obj], at, query, columns=first[0])
                    first[0] = False
                else:
                    body = obj
                line = json.dumps({"type": kind, "object": body}, separators=(",", ":")).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()

            rv = query.get("resourceVersion")
            if not rv or rv == "0":
                for o in items:
                    send("ADDED", resolve(o, anchor), anchor)
            want_kind = "Pod" if resource == "pods" else "Event"
            for step in store.watch.get(set_name, []):
                at = anchor + int(step.get("after", 0))
                # The fixture keeps its times relative to the watch's anchor; the patch is relative to `at`.
                if "ref" in step:
                    obj = merge_patch(resolve(store.find(set_name, step["ref"]), anchor),
                                      resolve(step.get("merge", {}), at))
                else:
                    obj = resolve(step["object"], at)
                if obj.get("kind") != want_kind:
                    continue
                if ns is not None and obj["metadata"].get("namespace") != ns:
                    continue
                if not field_match(obj, query.get("fieldSelector")) or not label_match(obj, query.get("labelSelector")):
                    continue
                delay = at + 0.005 - time.time()
                if delay > 0:
                    time.sleep(delay)
                send(step.get("type", "MODIFIED"), obj, at)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=600, help="exit after this many seconds (default 600)")
    args = ap.parse_args()
    store = FixtureStore(args.fixtures)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(store, RequestLog()))
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print("listening on http://127.0.0.1:%d" % port, flush=True)
    # Bound the lifetime even if whoever started us dies without stopping us.
    killer = threading.Timer(args.lifetime, lambda: os._exit(0))
    killer.daemon = True
    killer.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
