#!/usr/bin/env python3
"""Writes a deterministic kubelet-style klog log of at least --mb megabytes to stdout.

The mix imitates a busy node: probe failures (structured), "Event occurred" lines, PLEG and
SyncLoop chatter, back-off errors, and Infof free text. Same arguments, same bytes.
"""
import argparse
import random
import sys

TEMPLATES = [
    'I{md} {t}    {pid} prober.go:107] "Probe failed" probeType="Readiness" pod="{ns}/{pod}" podUID="{uid}" containerName="{c}" probeResult="failure" output="HTTP probe failed with statuscode: 503"',
    'I{md} {t}    {pid} prober.go:107] "Probe failed" probeType="Liveness" pod="{ns}/{pod}" podUID="{uid}" containerName="{c}" probeResult="failure" output="Get \\"http://10.244.{a}.{b}:8080/healthz\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"',
    'I{md} {t}    {pid} event.go:389] "Event occurred" object="{ns}/{pod}" fieldPath="spec.containers{{{c}}}" kind="Pod" apiVersion="v1" type="Warning" reason="Unhealthy" message="Readiness probe failed: HTTP probe failed with statuscode: 503"',
    'I{md} {t}    {pid} kubelet.go:2446] "SyncLoop (PLEG): event for pod" pod="{ns}/{pod}" event={{"ID":"{uid}","Type":"ContainerStarted","Data":"{cid}"}}',
    'I{md} {t}    {pid} kubelet.go:2408] "SyncLoop UPDATE" source="api" pods=["{ns}/{pod}"]',
    'E{md} {t}    {pid} pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{c}\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container={c} pod={pod}_{ns}({uid})\\"" pod="{ns}/{pod}" podUID="{uid}"',
    'I{md} {t}    {pid} kuberuntime_container.go:779] "Killing container with a grace period" pod="{ns}/{pod}" podUID="{uid}" containerName="{c}" containerID="containerd://{cid}" gracePeriod=30',
    'I{md} {t}    {pid} reconciler_common.go:258] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-{s}\\" (UniqueName: \\"kubernetes.io/projected/{uid}-kube-api-access-{s}\\") pod \\"{pod}\\" (UID: \\"{uid}\\") " pod="{ns}/{pod}"',
    'W{md} {t}    {pid} manager.go:1169] Failed to process watch event {{EventType:0 Name:/kubepods/burstable/pod{uid}/{cid} WatchSource:0}}: task {cid} not found: not found',
    'I{md} {t}    {pid} scope.go:117] "RemoveContainer" containerID="{cid}"',
]
NAMESPACES = ["default", "prod", "payments", "kube-system", "monitoring"]
CONTAINERS = ["web", "api", "worker", "sidecar", "proxy"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=512)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    target = args.mb * 1024 * 1024
    pods = []
    for i in range(400):
        h = "%08x" % rng.getrandbits(32)
        pods.append((rng.choice(NAMESPACES), "app-%s-%05d" % (h[:6], i), "%s-%04x-%04x-%04x-%012x" % (
            h, rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))))
    out = sys.stdout
    written = 0
    seconds = 0
    micro = 0
    buf = []
    while written < target:
        for _ in range(1000):
            micro += rng.randrange(1, 4000)
            if micro >= 1_000_000:
                seconds += micro // 1_000_000
                micro %= 1_000_000
            day = 27 if seconds < 86400 else 28
            s = seconds % 86400
            t = "%02d:%02d:%02d.%06d" % (s // 3600, s % 3600 // 60, s % 60, micro)
            ns, pod, uid = pods[rng.randrange(len(pods))]
            line = TEMPLATES[rng.randrange(len(TEMPLATES))].format(
                md="11%02d" % day, t=t, pid="4187", ns=ns, pod=pod, uid=uid,
                c=CONTAINERS[rng.randrange(len(CONTAINERS))], a=rng.randrange(256), b=rng.randrange(256),
                cid="%016x%016x" % (rng.getrandbits(64), rng.getrandbits(64)), s="%05x" % rng.getrandbits(20))
            buf.append(line)
            written += len(line) + 1
        out.write("\n".join(buf))
        out.write("\n")
        buf.clear()


if __name__ == "__main__":
    main()
