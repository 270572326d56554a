#!/usr/bin/env python3
"""Writes a deterministic `kubectl get events -o json` EventList of at least --mb megabytes to
stdout: pretty-printed (4-space indent, sorted keys) as kubectl prints it, streamed item by item."""
import argparse
import json
import random
import sys

REASONS = [
    ("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503"),
    ("Warning", "Unhealthy", "Readiness probe failed: Get \"http://10.244.%d.%d:8080/ready\": context deadline exceeded"),
    ("Warning", "BackOff", "Back-off restarting failed container app in pod %s_%s(%s)"),
    ("Normal", "Pulled", "Container image \"registry.example.com/app:1.4.2\" already present on machine"),
    ("Normal", "Killing", "Container app failed liveness probe, will be restarted"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    target = args.mb * 1024 * 1024
    out = sys.stdout
    out.write('{\n    "apiVersion": "v1",\n    "items": [\n')
    written = 0
    i = 0
    while written < target:
        kind, reason, template = REASONS[rng.randrange(len(REASONS))]
        pod = "app-%06d" % rng.randrange(50_000)
        uid = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
        msg = template
        if "%d" in msg:
            msg = msg % (rng.randrange(256), rng.randrange(256))
        elif "%s" in msg:
            msg = msg % (pod, "prod", uid)
        minute = rng.randrange(60)
        event = {
            "apiVersion": "v1", "count": rng.randrange(1, 40), "eventTime": None,
            "firstTimestamp": "2026-11-27T00:%02d:03Z" % minute,
            "involvedObject": {"apiVersion": "v1", "fieldPath": "spec.containers{app}", "kind": "Pod",
                               "name": pod, "namespace": "prod", "resourceVersion": str(1000 + i), "uid": uid},
            "kind": "Event", "lastTimestamp": "2026-11-27T00:%02d:43Z" % minute, "message": msg,
            "metadata": {"creationTimestamp": "2026-11-27T00:%02d:03Z" % minute, "name": "%s.%016x" % (pod, rng.getrandbits(64)),
                         "namespace": "prod", "resourceVersion": str(5000 + i), "uid": uid},
            "reason": reason, "reportingComponent": "kubelet", "reportingInstance": "worker-%d" % (i % 7),
            "source": {"component": "kubelet", "host": "worker-%d" % (i % 7)}, "type": kind,
        }
        text = json.dumps(event, indent=4, sort_keys=True)
        text = "\n".join("        " + line for line in text.splitlines())
        chunk = ("" if i == 0 else ",\n") + text
        out.write(chunk)
        written += len(chunk)
        i += 1
    out.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')


if __name__ == "__main__":
    main()
