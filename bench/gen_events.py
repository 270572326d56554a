#!/usr/bin/env python3
"""Writes a `kubectl get events -w -o json`-style NDJSON watch stream (default 1,000,000 lines) of MODIFIED
updates to --identities events (default 1,000: 100 pods × 10 kubelet events each), round robin, each update
raising the event's count by one and its lastTimestamp by 10 s. Deterministic: the same arguments give the
same bytes. podmortem must keep one entry per identity, so its memory follows --identities, not --events."""
import argparse
import datetime as dt
import json
import sys

START = dt.datetime(2026, 11, 26, 20, 0, 0, tzinfo=dt.timezone.utc)
REASONS = [
    ("Warning", "BackOff", "Back-off restarting failed container app in pod {pod}_bench(uid-{pod})"),
    ("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"),
    ("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503"),
    ("Normal", "Pulled", "Container image \"registry.example.com/bench/app:1.0.0\" already present on machine"),
    ("Normal", "Created", "Created container: app"),
    ("Normal", "Started", "Started container app"),
    ("Normal", "Killing", "Container app failed liveness probe, will be restarted"),
    ("Warning", "FailedMount", "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found"),
    ("Warning", "Failed", "Error: ImagePullBackOff"),
    ("Normal", "BackOff", "Back-off pulling image \"registry.example.com/bench/app:1.0.1\""),
]


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000, help="watch lines to write")
    ap.add_argument("--identities", type=int, default=1_000, help="distinct events they update")
    args = ap.parse_args()
    out = sys.stdout
    templates = []
    for i in range(args.identities):
        pod = "app-%05d" % (i // len(REASONS))
        type_, reason, message = REASONS[i % len(REASONS)]
        first = START + dt.timedelta(seconds=i)
        templates.append((first, {
            "kind": "Event", "apiVersion": "v1",
            "metadata": {"name": "%s.%016x" % (pod, 0x18a0000000000000 + i), "namespace": "bench",
                         "uid": "00000000-0000-4000-8000-%012d" % i, "resourceVersion": "0"},
            "involvedObject": {"kind": "Pod", "namespace": "bench", "name": pod, "uid": "uid-" + pod,
                               "apiVersion": "v1", "fieldPath": "spec.containers{app}"},
            "reason": reason, "message": message.format(pod=pod),
            "source": {"component": "kubelet", "host": "node-%d" % (i % 7)},
            "firstTimestamp": stamp(first), "lastTimestamp": None, "count": 0, "type": type_,
            "eventTime": None, "reportingComponent": "kubelet", "reportingInstance": "node-%d" % (i % 7)}))
    write = out.write
    for n in range(args.events):
        first, obj = templates[n % args.identities]
        k = n // args.identities
        obj["count"] = k + 1
        obj["lastTimestamp"] = stamp(first + dt.timedelta(seconds=10 * k))
        obj["metadata"]["resourceVersion"] = str(1_000_000 + n)
        write(json.dumps({"type": "MODIFIED", "object": obj}, separators=(",", ":")))
        write("\n")


if __name__ == "__main__":
    main()
