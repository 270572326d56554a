#!/usr/bin/env python3
"""Generate fixtures/<case>/{pod.json,events.json,README.md} (times relative to now).

Besides the cases, two time-series sets that are not part of `_all`: `_snapshot-t-20m`, `_snapshot-t-10m` and
`_snapshot-t-0` (the crashloop-max story as a cluster showed it 20 and 10 minutes before the epoch and at the
epoch: each set's "now" is its own capture moment) and `_kubelet-restart` (two Event objects of one identity).

The fixtures are committed; this script documents how they were built and can
rebuild them. Every time is written as "now-…" so the fixture server can anchor
it to the moment of each request. Event names and uids are derived from the
capture epoch (2026-11-27T01:00:00Z) so that they look like the real thing
(`<pod>.<%x of the creation UnixNano>`).
"""

import datetime as dt
import contextlib
import hashlib
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = dt.datetime(2026, 11, 27, 1, 0, 0, tzinfo=dt.timezone.utc)
NODES = {"worker-1": "10.0.1.11", "worker-2": "10.0.1.12", "worker-3": "10.0.1.13"}
NODE_UIDS = {n: str(uuid.uuid5(uuid.NAMESPACE_URL, "podmortem/node/" + n)) for n in NODES}
DEFAULT_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]


def h(*parts, n=64):
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:n]


def uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "podmortem/" + "/".join(parts)))


# Seconds before EPOCH of the capture being built: case functions give times as seconds before the epoch, and
# `ago` writes them relative to the capture (see `captured_at`). 0 for every ordinary case.
_capture = [0]


@contextlib.contextmanager
def captured_at(seconds_before_epoch):
    """Build fixtures as a cluster showed them `seconds_before_epoch` before EPOCH (names and uids unchanged)."""
    _capture[0] = seconds_before_epoch
    try:
        yield
    finally:
        _capture[0] = 0


def ago(seconds):
    """'now-…' for a number of seconds in the past (fractions kept as micro seconds)."""
    if _capture[0]:
        seconds = seconds - _capture[0]
        assert seconds >= 0, "a time after the capture moment"
    if seconds == 0:
        return "now"
    whole = int(seconds)
    frac = round(seconds - whole, 6)
    d, rest = divmod(whole, 86400)
    hh, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    out = ""
    for v, u in ((d, "d"), (hh, "h"), (m, "m")):
        if v:
            out += "%d%s" % (v, u)
    if frac:
        out += ("%d.%06d" % (s, round(frac * 1e6))).rstrip("0") + "s"
    elif s or not out:
        out += "%ds" % s
    return "now-" + out


def later(seconds):
    return "now+%ds" % seconds


def rv(*parts):
    return str(int(h(*parts, n=8), 16) % 900000 + 100000)


class Case:
    def __init__(self, name, pod_name, ns="default", node="worker-1", story=""):
        self.name = name
        self.pod_name = pod_name
        self.ns = ns
        self.node = node
        self.uid = uid(ns, pod_name)
        self.events = []
        self.story = story
        self.pod_rv = rv(name, "pod")
        self.ip = None

    # --- events -------------------------------------------------------------------------------------------
    def _meta(self, obj_name, first, key):
        nanos = int((EPOCH.timestamp() - first) * 1e9) // 1000 * 1000 + int(h(key, n=6), 16) % 1000
        return {"creationTimestamp": ago(first), "name": "%s.%x" % (obj_name, nanos), "namespace": self.ns,
                "resourceVersion": rv(key), "uid": uid("event", key)}

    def kev(self, reason, message, first, last=None, count=1, type_="Normal", field=None, component="kubelet",
            host=None, involved=None, ns=None):
        """A core/v1 event written by the legacy recorder (kubelet, controllers)."""
        last = first if last is None else last
        host = self.node if host is None else host
        key = "%s/%s/%s/%s/%s" % (self.name, reason, message, first, field)
        inv = involved or {"apiVersion": "v1", "kind": "Pod", "name": self.pod_name, "namespace": self.ns,
                           "resourceVersion": self.pod_rv, "uid": self.uid}
        if field:
            inv = dict(inv, fieldPath=field)
        meta = self._meta(inv["name"], first, key)
        if ns is not None:
            meta["namespace"] = ns
        source = {"component": component}
        if host:
            source["host"] = host
        self.events.append({
            "apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": ago(first),
            "involvedObject": inv, "kind": "Event", "lastTimestamp": ago(last), "message": message,
            "metadata": meta, "reason": reason, "reportingComponent": component, "reportingInstance": host or "",
            "source": source, "type": type_})

    def sev(self, reason, message, at, type_="Normal", action="Binding", series=None):
        """An events.k8s.io event from the scheduler: eventTime only, no count/first/last/source."""
        key = "%s/%s/%s" % (self.name, reason, at)
        ev = {
            "action": action, "apiVersion": "v1", "eventTime": ago(at), "firstTimestamp": None,
            "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": self.pod_name, "namespace": self.ns,
                               "resourceVersion": rv(self.name, "pod-early"), "uid": self.uid},
            "kind": "Event", "lastTimestamp": None, "message": message, "metadata": self._meta(self.pod_name, at, key),
            "reason": reason, "reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-cp-1",
            "source": {}, "type": type_}
        if series:
            ev["series"] = {"count": series[0], "lastObservedTime": ago(series[1])}
        self.events.append(ev)

    def scheduled(self, at):
        self.sev("Scheduled", "Successfully assigned %s/%s to %s" % (self.ns, self.pod_name, self.node), at)

    def started_sequence(self, c, image, pull_first, pull_secs, size, runs, field=None, pulled_again=True):
        """Pulling/Pulled for the first run, then Created/Started for every run start (seconds ago)."""
        field = field or "spec.containers{%s}" % c
        if pull_secs is None:
            self.kev("Pulled", 'Container image "%s" already present on machine' % image, runs[0], runs[-1],
                     len(runs), field=field)
        else:
            self.kev("Pulling", 'Pulling image "%s"' % image, pull_first, field=field)
            self.kev("Pulled", 'Successfully pulled image "%s" in %s (%s including waiting). Image size: %d bytes.'
                     % (image, pull_secs, pull_secs, size), runs[0], field=field)
            if pulled_again and len(runs) > 1:
                self.kev("Pulled", 'Container image "%s" already present on machine' % image, runs[1], runs[-1],
                         len(runs) - 1, field=field)
        self.kev("Created", "Created container: %s" % c, runs[0], runs[-1], len(runs), field=field)
        self.kev("Started", "Started container %s" % c, runs[0], runs[-1], len(runs), field=field)

    def backoff(self, c, first, last, count, field=None):
        self.kev("BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)" % (
            c, self.pod_name, self.ns, self.uid), first, last, count, "Warning",
            field or "spec.containers{%s}" % c)

    def waiting_backoff(self, c, delay):
        return {"waiting": {"message": "back-off %s restarting failed container=%s pod=%s_%s(%s)" % (
            delay, c, self.pod_name, self.ns, self.uid), "reason": "CrashLoopBackOff"}}

    # --- pod ----------------------------------------------------------------------------------------------
    def pod(self, *, created, owner, labels, containers, statuses, phase="Running", conditions=None,
            init_containers=None, init_statuses=None, qos="Burstable", scheduled=True, started_at=None,
            grace=30, meta_extra=None, spec_extra=None, status_extra=None, volumes=None, restart_policy="Always",
            ip_octet=None):
        sa_vol = "kube-api-access-" + h(self.name, "sa", n=5)
        meta = {"creationTimestamp": ago(created), "labels": labels, "name": self.pod_name,
                "namespace": self.ns, "resourceVersion": self.pod_rv, "uid": self.uid}
        kind, oname = owner
        if kind == "ReplicaSet":
            meta["generateName"] = oname + "-"
            meta["labels"] = dict(labels, **{"pod-template-hash": oname.rsplit("-", 1)[1]})
            api = "apps/v1"
        elif kind == "StatefulSet":
            meta["generateName"] = oname + "-"
            meta["labels"] = dict(labels, **{"apps.kubernetes.io/pod-index": self.pod_name.rsplit("-", 1)[1],
                                             "controller-revision-hash": oname + "-" + h(self.name, "crh", n=10),
                                             "statefulset.kubernetes.io/pod-name": self.pod_name})
            api = "apps/v1"
        else:
            meta["generateName"] = oname + "-"
            api = "batch/v1"
        meta["ownerReferences"] = [{"apiVersion": api, "blockOwnerDeletion": True, "controller": True, "kind": kind,
                                    "name": oname, "uid": uid(self.ns, kind, oname)}]
        meta.update(meta_extra or {})
        mount = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": sa_vol, "readOnly": True}
        for c in (init_containers or []) + containers:
            c.setdefault("imagePullPolicy", "IfNotPresent")
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            c.setdefault("resources", {})
            c["volumeMounts"] = c.get("volumeMounts", []) + [mount]
        spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
                "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": restart_policy,
                "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": "default",
                "serviceAccountName": "default", "terminationGracePeriodSeconds": grace,
                "tolerations": DEFAULT_TOLERATIONS,
                "volumes": (volumes or []) + [{"name": sa_vol, "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                                "path": "namespace"}]}}]}}]}
        if init_containers:
            spec["initContainers"] = init_containers
        if scheduled:
            spec["nodeName"] = self.node
        spec.update(spec_extra or {})
        status = {"phase": phase, "qosClass": qos}
        if conditions is not None:
            status["conditions"] = [
                dict({"lastProbeTime": None, "lastTransitionTime": ago(t), "status": s, "type": ty},
                     **({"reason": r} if r else {}), **({"message": m} if m else {}))
                for ty, s, t, r, m in conditions]
        if scheduled:
            octet = ip_octet or (int(h(self.name, "ip", n=4), 16) % 200 + 10)
            self.ip = "10.244.%s.%d" % (self.node.split("-")[1], octet)
            status.update({"hostIP": NODES[self.node], "hostIPs": [{"ip": NODES[self.node]}],
                           "podIP": self.ip, "podIPs": [{"ip": self.ip}],
                           "startTime": ago(started_at if started_at is not None else created - 1)})
        if statuses is not None:
            status["containerStatuses"] = statuses
        if init_statuses is not None:
            status["initContainerStatuses"] = init_statuses
        status.update(status_extra or {})
        self.pod_obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}
        return self.pod_obj

    def cstatus(self, name, image, state, *, ready=False, restarts=0, last=None, started=None, run=0):
        first = image.split("/")[0]
        if "/" not in image:
            full = "docker.io/library/" + image
        elif "." not in first and ":" not in first:
            full = "docker.io/" + image
        else:
            full = image
        cs = {"image": full, "imageID": full.split(":")[0] + "@sha256:" + h(image),
              "lastState": last or {}, "name": name, "ready": ready, "restartCount": restarts,
              "started": started if started is not None else ("running" in state), "state": state}
        if "waiting" not in state or restarts or last:
            cs["containerID"] = "containerd://" + h(self.name, name, run)
        return dict(sorted(cs.items()))

    def write(self, directory=None):
        """Write fixtures/<directory, default the case name>/."""
        spec, status = self.pod_obj["spec"], self.pod_obj["status"]
        specs = {c["name"]: c for c in spec.get("containers", []) + spec.get("initContainers", [])}
        for cs in status.get("containerStatuses", []) + status.get("initContainerStatuses", []):
            mounts = [dict(m, **({"recursiveReadOnly": "Disabled"} if m.get("readOnly") else {}))
                      for m in specs[cs["name"]].get("volumeMounts", [])]
            cs["volumeMounts"] = mounts
        d = os.path.join(HERE, "fixtures", directory or self.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "pod.json"), "w") as f:
            json.dump(self.pod_obj, f, indent=2, sort_keys=False)
            f.write("\n")
        with open(os.path.join(d, "events.json"), "w") as f:
            json.dump(self.events, f, indent=2)
            f.write("\n")
        with open(os.path.join(d, "README.md"), "w") as f:
            f.write(self.story.strip() + "\n")


def running(t):
    return {"running": {"startedAt": ago(t)}}


def terminated(code, reason, start, end, cid=None, message=None):
    t = {"exitCode": code, "finishedAt": ago(end), "reason": reason, "startedAt": ago(start)}
    if cid:
        t["containerID"] = cid
    if message:
        t["message"] = message
    return {"terminated": t}


def conds_ready(created, ready_at, ready=True, not_ready_at=None, cname=None, init_at=None):
    """The five 1.32 pod conditions for a scheduled pod."""
    if ready:
        r = ("True", ready_at, None, None)
    else:
        r = ("False", not_ready_at, "ContainersNotReady", "containers with unready status: [%s]" % cname)
    return [("PodReadyToStartContainers", "True", created - 2, None, None),
            ("Initialized", "True", init_at if init_at is not None else created - 1, None, None),
            ("Ready",) + r, ("ContainersReady",) + r,
            ("PodScheduled", "True", created, None, None)]


def http_probe(path, port, **kw):
    p = {"failureThreshold": 3, "httpGet": {"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": 10,
         "successThreshold": 1, "timeoutSeconds": 1}
    p.update(kw)
    return p


def tcp_probe(port, **kw):
    p = {"failureThreshold": 3, "periodSeconds": 10, "successThreshold": 1, "tcpSocket": {"port": port},
         "timeoutSeconds": 1}
    p.update(kw)
    return p


def exec_probe(cmd, **kw):
    p = {"exec": {"command": cmd}, "failureThreshold": 3, "periodSeconds": 10, "successThreshold": 1,
         "timeoutSeconds": 1}
    p.update(kw)
    return p


def grpc_probe(port, service=None, **kw):
    g = {"port": port, "service": service or ""}
    p = {"failureThreshold": 3, "grpc": g, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1}
    p.update(kw)
    return p


def res(cpu_req, mem_req, cpu_lim=None, mem_lim=None):
    r = {"requests": {"cpu": cpu_req, "memory": mem_req}}
    lim = {}
    if cpu_lim:
        lim["cpu"] = cpu_lim
    if mem_lim:
        lim["memory"] = mem_lim
    if lim:
        r["limits"] = lim
    return r


def port(p, name="http"):
    return [{"containerPort": p, "name": name, "protocol": "TCP"}]


# ---------------------------------------------------------------------------------------------------------------
# Cases. Times are seconds before the capture ("now"). Back-off delays follow docs/kubernetes.md §7.1: restart k waits
# 0, 10, 20, 40, 80, 160, 300 … seconds after the previous exit; restartCount N waiting ⇒ "back-off <seq[N]>".


def liveness_http_timeout():
    c = Case("liveness-http-timeout", "checkout-6b8f9c7d54-qv7xk", node="worker-2", story="""
checkout's /healthz hangs under load (its DB pool is exhausted), so the 1 s liveness probe times out three times in a
row and the kubelet kills and restarts the container (4 restarts in 41 minutes, exit 137 because the hung process
ignores SIGTERM). Readiness fails the same way. podmortem should conclude: liveness probe timeouts (HTTP GET
context deadline exceeded, timeoutSeconds=1) restart the container; it is running and ready again right now.
""")
    img = "registry.example.com/shop/checkout:2.14.1"
    runs = [2451, 1939, 1418, 905, 95]
    p = c.pod(created=2460, owner=("ReplicaSet", "checkout-6b8f9c7d54"), labels={"app": "checkout"}, containers=[{
        "name": "checkout", "image": img, "ports": port(8080),
        "env": [{"name": "DB_POOL_SIZE", "value": "10"}],
        "livenessProbe": http_probe("/healthz", 8080, initialDelaySeconds=10),
        "readinessProbe": http_probe("/ready", 8080, periodSeconds=5),
        "resources": res("250m", "256Mi", "1", "512Mi")}], statuses=None,
        conditions=conds_ready(2460, 85), ip_octet=17)
    p["status"]["containerStatuses"] = [c.cstatus(
        "checkout", img, running(95), ready=True, restarts=4, run=4,
        last=terminated(137, "Error", 905, 140, "containerd://" + h(c.name, "checkout", 3)))]
    c.scheduled(2460.041275)
    c.started_sequence("checkout", img, 2459, "6.512s", 48213571, runs)
    f = "spec.containers{checkout}"
    url = "http://%s:8080" % c.ip
    c.kev("Unhealthy", 'Readiness probe failed: Get "%s/ready": context deadline exceeded (Client.Timeout exceeded '
          "while awaiting headers)" % url, 1996, 176, 20, "Warning", f)
    c.kev("Unhealthy", 'Liveness probe failed: Get "%s/healthz": context deadline exceeded (Client.Timeout exceeded '
          "while awaiting headers)" % url, 1990, 170, 12, "Warning", f)
    c.kev("Killing", "Container checkout failed liveness probe, will be restarted", 1970, 170, 4, field=f)
    c.backoff("checkout", 1429, 110, 6)
    return c


def readiness_503():
    c = Case("readiness-503", "orders-api-5f7c9d8b6-m4n2p", node="worker-1", story="""
orders-api is up but its /readyz returns 503 (its downstream dependency is unavailable), so it has been out of the
Service endpoints for about an hour. There are no restarts: readiness failures never kill a container. The older
events (Scheduled, Pulled, …) have expired (1 h TTL); only the aggregated Unhealthy event survives.
podmortem should conclude: not ready because the readiness probe gets HTTP 503; no crash, no restart.
""")
    img = "registry.example.com/shop/orders-api:1.8.0"
    c.pod(created=8040, owner=("ReplicaSet", "orders-api-5f7c9d8b6"), labels={"app": "orders-api", "tier": "backend"},
          containers=[{"name": "orders-api", "image": img, "ports": port(8080),
                       "livenessProbe": http_probe("/livez", 8080, initialDelaySeconds=15),
                       "readinessProbe": http_probe("/readyz", 8080),
                       "resources": res("100m", "128Mi", mem_lim="256Mi")}],
          statuses=[], conditions=conds_ready(8040, None, ready=False, not_ready_at=3512, cname="orders-api"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus("orders-api", img, running(8031), ready=False)]
    c.kev("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 3530, 12, 71, "Warning",
          "spec.containers{orders-api}")
    return c


def startup_probe_slow_starter():
    c = Case("startup-probe-slow-starter", "legacy-erp-0", node="worker-3", story="""
legacy-erp is a JVM application that needs about three minutes to start, but its startup probe allows only
failureThreshold 12 × periodSeconds 10 = 120 s. Each attempt is killed before the port opens (exit 143 after
SIGTERM), so it restarts forever (3 restarts so far, currently in its 4th attempt). podmortem should conclude:
the startup probe kills a slow starter; raise startupProbe.failureThreshold (or periodSeconds).
""")
    img = "registry.example.com/erp/legacy-erp:7.3.2"
    runs = [480, 358, 225, 82]
    c.pod(created=490, owner=("StatefulSet", "legacy-erp"), labels={"app": "legacy-erp"}, containers=[{
        "name": "erp", "image": img, "ports": port(8080),
        "startupProbe": http_probe("/actuator/health/liveness", 8080, failureThreshold=12),
        "livenessProbe": http_probe("/actuator/health/liveness", 8080),
        "readinessProbe": http_probe("/actuator/health/readiness", 8080),
        "resources": res("500m", "1Gi", "2", "2Gi")}], statuses=[], grace=30,
        conditions=conds_ready(490, None, ready=False, not_ready_at=481, cname="erp"),
        spec_extra={"hostname": "legacy-erp-0", "subdomain": "legacy-erp"})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "erp", img, running(82), ready=False, restarts=3, started=False, run=3,
        last=terminated(143, "Error", 225, 104, "containerd://" + h(c.name, "erp", 2)))]
    c.scheduled(490.018822)
    c.started_sequence("erp", img, 489, "8.114s", 412663018, runs)
    f = "spec.containers{erp}"
    c.kev("Unhealthy", 'Startup probe failed: Get "http://%s:8080/actuator/health/liveness": dial tcp %s:8080: '
          "connect: connection refused" % (c.ip, c.ip), 470, 12, 43, "Warning", f)
    c.kev("Killing", "Container erp failed startup probe, will be restarted", 360, 105, 3, field=f)
    c.backoff("erp", 236, 93, 3)
    return c


def exec_probe_timeout():
    c = Case("exec-probe-timeout", "postgres-0", node="worker-1", story="""
postgres-0's liveness probe runs `pg_isready` with timeoutSeconds 1. During an I/O stall on the node the command
takes longer than 1 s, the probe fails with `command timed out` (kubelet ≥1.31 wording), and after three failures
the kubelet kills postgres, which cannot finish its shutdown checkpoint within the 30 s grace and gets SIGKILL (137).
podmortem should conclude: exec liveness probe timeouts (timeout 1s too tight under I/O pressure) caused 2 restarts.
""")
    img = "postgres:16.4"
    runs = [3110, 1469, 358]
    cmd = ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"]
    c.pod(created=3120, owner=("StatefulSet", "postgres"), labels={"app": "postgres"}, containers=[{
        "name": "postgres", "image": img, "ports": port(5432, "postgres"),
        "env": [{"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"},
                {"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password",
                                                                             "name": "postgres-credentials"}}}],
        "livenessProbe": exec_probe(cmd, initialDelaySeconds=30),
        "readinessProbe": tcp_probe(5432, periodSeconds=5),
        "resources": res("500m", "1Gi", mem_lim="1Gi"),
        "volumeMounts": [{"mountPath": "/var/lib/postgresql/data", "name": "data"}]}], statuses=[],
        conditions=conds_ready(3120, 352),
        volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "data-postgres-0"}}],
        spec_extra={"hostname": "postgres-0", "subdomain": "postgres"})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "postgres", img, running(358), ready=True, restarts=2, run=2,
        last=terminated(137, "Error", 1469, 370, "containerd://" + h(c.name, "postgres", 1)))]
    c.scheduled(3120.007311)
    c.started_sequence("postgres", img, 3118, "5.203s", 151238841, runs)
    f = "spec.containers{postgres}"
    c.kev("Unhealthy", 'Liveness probe failed: command timed out: "pg_isready -U postgres -h 127.0.0.1" timed out '
          "after 1s", 1520, 420, 6, "Warning", f)
    c.kev("Killing", "Container postgres failed liveness probe, will be restarted", 1500, 400, 2, field=f)
    c.kev("Unhealthy", "Readiness probe failed: dial tcp %s:5432: connect: connection refused" % c.ip, 1468, 364, 5,
          "Warning", f)
    c.backoff("postgres", 369, 361, 1)
    return c


def tcp_probe_refused():
    c = Case("tcp-probe-refused", "redis-cache-7c5d9f6b8-wq4zr", node="worker-1", story="""
redis-cache's config binds Redis to 127.0.0.1 only, so the tcpSocket liveness probe (which dials the pod IP) is
refused every time. Each run lives ~45 s (15 s delay + 3 failures), redis exits cleanly on SIGTERM (exit 0,
Completed), and the pod is in CrashLoopBackOff (5 restarts, back-off 1m20s). podmortem should conclude: liveness
tcp-socket probe refused on the pod IP (process listens on localhost only); not an application crash.
""")
    img = "redis:7.2.4"
    runs = [491, 445, 390, 325, 240, 115]
    c.pod(created=500, owner=("ReplicaSet", "redis-cache-7c5d9f6b8"), labels={"app": "redis-cache"}, containers=[{
        "name": "redis", "image": img, "args": ["redis-server", "/etc/redis/redis.conf"],
        "ports": port(6379, "redis"), "livenessProbe": tcp_probe(6379, initialDelaySeconds=15),
        "resources": res("100m", "128Mi", mem_lim="256Mi"),
        "volumeMounts": [{"mountPath": "/etc/redis", "name": "config"}]}], statuses=[],
        conditions=conds_ready(500, None, ready=False, not_ready_at=70, cname="redis"),
        volumes=[{"configMap": {"defaultMode": 420, "name": "redis-cache-config"}, "name": "config"}])
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "redis", img, c.waiting_backoff("redis", "1m20s"), ready=False, restarts=5, run=5,
        last=terminated(0, "Completed", 115, 70, "containerd://" + h(c.name, "redis", 5)))]
    c.scheduled(500.052219)
    c.started_sequence("redis", img, 499, "2.871s", 40960211, runs)
    f = "spec.containers{redis}"
    c.kev("Unhealthy", "Liveness probe failed: dial tcp %s:6379: connect: connection refused" % c.ip, 466, 71, 18,
          "Warning", f)
    c.kev("Killing", "Container redis failed liveness probe, will be restarted", 446, 71, 6, field=f)
    c.backoff("redis", 399, 8, 12)
    return c


def crashloop_early():
    c = Case("crashloop-early", "payments-worker-5d6c7b9f8-hk2jd", node="worker-2", story="""
payments-worker exits with code 1 two seconds after every start because PAYMENTS_DB_URL is not set (the message
comes from the log tail via terminationMessagePolicy FallbackToLogsOnError). It is early in the crash loop:
restartCount 2, back-off 20s. podmortem should conclude: application exits 1 at startup (missing configuration);
CrashLoopBackOff just started.
""")
    img = "registry.example.com/payments/worker:3.2.0"
    runs = [31, 28, 14]
    msg = "Error: required environment variable PAYMENTS_DB_URL is not set\n"
    c.pod(created=35, owner=("ReplicaSet", "payments-worker-5d6c7b9f8"), labels={"app": "payments-worker"},
          containers=[{"name": "worker", "image": img, "command": ["/app/worker"], "args": ["--queue", "payments"],
                       "env": [{"name": "PAYMENTS_QUEUE", "value": "payments"}],
                       "terminationMessagePolicy": "FallbackToLogsOnError",
                       "resources": res("200m", "256Mi", mem_lim="256Mi")}], statuses=[],
          conditions=conds_ready(35, None, ready=False, not_ready_at=12, cname="worker"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "worker", img, c.waiting_backoff("worker", "20s"), restarts=2, run=2,
        last=terminated(1, "Error", 14, 12, "containerd://" + h(c.name, "worker", 2), msg))]
    c.scheduled(35.013902)
    c.started_sequence("worker", img, None, None, 0, runs)
    c.backoff("worker", 25, 5, 2)
    return c


# crashloop-max: every run starts at one of these times (seconds before the epoch) and exits 5 s later.
CRASHLOOP_MAX_RUNS = [1402, 1397, 1380, 1351, 1301, 1210, 1038, 728, 415, 100]
# BackOff events per back-off window (after run 1, 2, …; the last window is still open at the epoch).
CRASHLOOP_MAX_BACKOFFS = [1, 2, 3, 7, 13, 23, 23, 22, 7]


def crashloop_max_backoff_times():
    """When each BackOff event of crashloop-max happened (seconds before the epoch).

    docs/kubernetes.md §7.1: after an exit the next sync (~1 s) finds the container in back-off and emits BackOff; each
    failed sync is retried after 10–15 s and emits another one; the first sync past the delay restarts it.
    """
    runs, times = CRASHLOOP_MAX_RUNS, []
    for i, k in enumerate(CRASHLOOP_MAX_BACKOFFS, start=1):
        exit_ = runs[i] - 5
        restart = runs[i + 1] if i + 1 < len(runs) else None
        step = (exit_ - 1 - restart) / k if restart is not None else (exit_ - 1 - 6) / (k - 1)
        window = [int(round(exit_ - 1 - j * step)) for j in range(k)]
        delay = min(10 * 2 ** (i - 1), 300)
        assert exit_ - window[-1] < delay, "a BackOff event after the delay ran out"
        assert all(10 <= a - b <= 15 for a, b in zip(window, window[1:] + ([restart] if restart else [])))
        times += window
    return times


def go_duration(seconds):
    m, s = divmod(seconds, 60)
    return "%dm%ds" % (m, s) if m else "%ds" % s


def crashloop_max(capture=0):
    """The crashloop-max story as the cluster showed it `capture` seconds before the epoch (0: at the epoch)."""
    c = Case("crashloop-max", "inventory-6d8f7b5c9-zt8mx", node="worker-3", story="""
inventory panics with a nil pointer dereference about five seconds after every start (exit 2, Go panic). It has
restarted 9 times in 23 minutes and the back-off is at its 5m0s cap; the BackOff event count (x101) counts sync
retries, not restarts. podmortem should conclude: application crash (Go panic, exit 2) in CrashLoopBackOff at the
maximum back-off; the fix is in the application or its config, not in the probes.
""")
    img = "registry.example.com/shop/inventory:5.0.3"
    runs = [r for r in CRASHLOOP_MAX_RUNS if r >= capture]
    restarts, start = len(runs) - 1, runs[-1]
    assert start - 5 >= capture, "the container is running at the capture moment"
    # restartCount N waiting: the delay Next() set at the N-th restart, 10 s · 2^(N−1) up to 300 s (§7.1).
    delay = min(10 * 2 ** (restarts - 1), 300)
    msg = ("panic: runtime error: invalid memory address or nil pointer dereference\n"
           "[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x10a3f52]\n")
    c.pod(created=1410, owner=("ReplicaSet", "inventory-6d8f7b5c9"), labels={"app": "inventory"}, containers=[{
        "name": "inventory", "image": img, "ports": port(8080),
        "livenessProbe": http_probe("/healthz", 8080), "readinessProbe": http_probe("/ready", 8080),
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "resources": res("250m", "512Mi", mem_lim="512Mi")}], statuses=[],
        conditions=conds_ready(1410, None, ready=False, not_ready_at=start - 5, cname="inventory"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "inventory", img, c.waiting_backoff("inventory", go_duration(delay)), restarts=restarts, run=restarts,
        last=terminated(2, "Error", start, start - 5, "containerd://" + h(c.name, "inventory", restarts), msg))]
    c.scheduled(1410.030117)
    c.started_sequence("inventory", img, 1409, "4.228s", 21337510, runs)
    backoffs = [t for t in crashloop_max_backoff_times() if t >= capture]
    c.backoff("inventory", backoffs[0], backoffs[-1], len(backoffs))
    return c


def oomkilled():
    c = Case("oomkilled", "report-builder-7f9d6c8b5-c7v2n", node="worker-1", story="""
report-builder (a JVM) grows past its 256Mi memory limit about a minute after each start and is OOM-killed
(reason OOMKilled, exit 137); restartCount 3, back-off 40s. The node also records SystemOOM events (visible in
`get events`, not in `describe pod`, because they are about the Node). podmortem should conclude: container
OOMKilled at its memory limit (256Mi); raise the limit or fix the heap size (-Xmx).
""")
    img = "registry.example.com/reports/report-builder:2.4.0"
    runs = [304, 243, 170, 85]
    c.pod(created=310, owner=("ReplicaSet", "report-builder-7f9d6c8b5"), labels={"app": "report-builder"},
          containers=[{"name": "report-builder", "image": img,
                       "env": [{"name": "JAVA_TOOL_OPTIONS", "value": "-Xmx512m"}],
                       "resources": res("250m", "256Mi", "1", "256Mi")}], statuses=[],
          conditions=conds_ready(310, None, ready=False, not_ready_at=25, cname="report-builder"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "report-builder", img, c.waiting_backoff("report-builder", "40s"), restarts=3, run=3,
        last=terminated(137, "OOMKilled", 85, 25, "containerd://" + h(c.name, "report-builder", 3)))]
    c.scheduled(310.026604)
    c.started_sequence("report-builder", img, 309, "3.902s", 198772310, runs)
    c.backoff("report-builder", 182, 3, 5)
    node = {"kind": "Node", "name": "worker-1", "uid": "worker-1"}
    for i, (t, pid) in enumerate(((244, 48213), (183, 51877), (110, 55129), (25, 58742))):
        c.kev("SystemOOM", "System OOM encountered, victim process: java, pid: %d" % pid, t, type_="Warning",
              involved=node, ns="default")
    return c


def imagepullbackoff():
    c = Case("imagepullbackoff", "frontend-5c8d7f9b6-r2k4m", node="worker-2", story="""
frontend was rolled out with tag v2.31.0, which does not exist in the registry. The pull fails with NotFound,
then the kubelet backs off (ImagePullBackOff; the 1.32 waiting message carries the previous pull error).
podmortem should conclude: image pull failure (tag not found), not a runtime crash; fix the image reference.
""")
    img = "registry.example.com/shop/frontend:v2.31.0"
    c.pod(created=425, owner=("ReplicaSet", "frontend-5c8d7f9b6"), labels={"app": "frontend"}, containers=[{
        "name": "frontend", "image": img, "ports": port(3000),
        "readinessProbe": http_probe("/", 3000), "resources": res("100m", "128Mi", mem_lim="256Mi")}],
        statuses=[], conditions=conds_ready(425, None, ready=False, not_ready_at=424, cname="frontend"))
    err = ('rpc error: code = NotFound desc = failed to pull and unpack image "%s": failed to resolve reference '
           '"%s": %s: not found' % (img, img, img))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus("frontend", img, {"waiting": {
        "message": 'Back-off pulling image "%s": ErrImagePull: %s' % (img, err), "reason": "ImagePullBackOff"}})]
    c.pod_obj["status"]["containerStatuses"][0]["imageID"] = ""
    c.scheduled(425.011537)
    f = "spec.containers{frontend}"
    c.kev("Pulling", 'Pulling image "%s"' % img, 423, 95, 5, field=f)
    c.kev("Failed", 'Failed to pull image "%s": %s' % (img, err), 422, 94, 5, "Warning", f)
    c.kev("Failed", "Error: ErrImagePull", 422, 94, 5, "Warning", f)
    c.kev("BackOff", 'Back-off pulling image "%s"' % img, 421, 9, 24, field=f)
    c.kev("Failed", "Error: ImagePullBackOff", 421, 9, 24, "Warning", f)
    return c


def createcontainerconfigerror():
    c = Case("createcontainerconfigerror", "billing-api-6f7d8c9b5-j8h3s", node="worker-3", story="""
billing-api reads DB_PASSWORD from the Secret billing-db-credentials, which does not exist in the namespace, so
the kubelet cannot build the container config (CreateContainerConfigError) and retries on every sync. The image
is present. podmortem should conclude: missing Secret 'billing-db-credentials' referenced by env; create it.
""")
    img = "registry.example.com/billing/api:4.1.0"
    c.pod(created=750, owner=("ReplicaSet", "billing-api-6f7d8c9b5"), labels={"app": "billing-api"}, containers=[{
        "name": "billing-api", "image": img, "ports": port(8443, "https"),
        "env": [{"name": "DB_HOST", "value": "billing-db.default.svc"},
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password",
                                                                       "name": "billing-db-credentials"}}}],
        "readinessProbe": dict(http_probe("/health", 8443), httpGet={"path": "/health", "port": 8443,
                                                                       "scheme": "HTTPS"}),
        "resources": res("200m", "256Mi", mem_lim="512Mi")}], statuses=[],
        conditions=conds_ready(750, None, ready=False, not_ready_at=749, cname="billing-api"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus("billing-api", img, {"waiting": {
        "message": 'secret "billing-db-credentials" not found', "reason": "CreateContainerConfigError"}})]
    c.scheduled(750.044218)
    f = "spec.containers{billing-api}"
    c.kev("Pulled", 'Container image "%s" already present on machine' % img, 748, 4, 62, field=f)
    c.kev("Failed", 'Error: secret "billing-db-credentials" not found', 748, 4, 62, "Warning", f)
    return c


def failedscheduling():
    c = Case("failedscheduling", "ml-trainer-7b9c6d5f4-p5x9q", node="worker-1", story="""
ml-trainer requests 6 CPUs; the two workers have fewer allocatable CPUs free and the control-plane node is
tainted, so the scheduler cannot place it and preemption does not help. The FailedScheduling event comes from the
events.k8s.io API (eventTime + series, no count). podmortem should conclude: unschedulable (Insufficient cpu on 2
nodes, untolerated control-plane taint on 1); reduce the request or add capacity.
""")
    img = "registry.example.com/ml/trainer:0.9.1"
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
           "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
           "2 No preemption victims found for incoming pod.")
    c.pod(created=1330, owner=("ReplicaSet", "ml-trainer-7b9c6d5f4"), labels={"app": "ml-trainer"}, containers=[{
        "name": "trainer", "image": img, "args": ["--epochs", "40"],
        "resources": res("6", "24Gi", "8", "24Gi")}], statuses=None, phase="Pending", scheduled=False,
        conditions=[("PodScheduled", "False", 1330, "Unschedulable", msg)])
    c.sev("FailedScheduling", msg, 1329.962118, "Warning", "Scheduling", series=(4, 242.018877))
    return c


def failedmount():
    c = Case("failedmount", "nginx-edge-6d5f8c7b9-w3q7t", node="worker-2", story="""
nginx-edge mounts the ConfigMap nginx-edge-config, which does not exist, so the volume set-up fails on every
retry and the container is never created (ContainerCreating for 16 minutes). podmortem should conclude: volume
mount failure, configmap 'nginx-edge-config' not found; create it (or mark the volume optional).
""")
    img = "nginx:1.27.2"
    c.pod(created=975, owner=("ReplicaSet", "nginx-edge-6d5f8c7b9"), labels={"app": "nginx-edge"}, containers=[{
        "name": "nginx", "image": img, "ports": port(80), "livenessProbe": http_probe("/", 80),
        "resources": res("50m", "64Mi", mem_lim="128Mi"),
        "volumeMounts": [{"mountPath": "/etc/nginx/conf.d", "name": "nginx-conf", "readOnly": True}]}],
        statuses=[], volumes=[{"configMap": {"defaultMode": 420, "name": "nginx-edge-config"}, "name": "nginx-conf"}],
        phase="Pending",
        conditions=[("PodReadyToStartContainers", "False", 975, None, None), ("Initialized", "True", 975, None, None),
                    ("Ready", "False", 975, "ContainersNotReady", "containers with unready status: [nginx]"),
                    ("ContainersReady", "False", 975, "ContainersNotReady", "containers with unready status: [nginx]"),
                    ("PodScheduled", "True", 975, None, None)])
    cs = c.cstatus("nginx", img, {"waiting": {"reason": "ContainerCreating"}})
    cs["imageID"] = ""
    c.pod_obj["status"]["containerStatuses"] = [cs]
    c.pod_obj["status"].pop("podIP")
    c.pod_obj["status"].pop("podIPs")
    c.scheduled(975.029954)
    c.kev("FailedMount", 'MountVolume.SetUp failed for volume "nginx-conf" : configmap "nginx-edge-config" not found',
          974, 47, 16, "Warning")
    c.kev("FailedMount", "Unable to attach or mount volumes: unmounted volumes=[nginx-conf], unattached volumes=[], "
          "failed to process volumes=[]: context deadline exceeded", 852, 114, 7, "Warning")
    return c


def evicted():
    c = Case("evicted", "batch-importer-7d6c9f8b5-9kx2w", node="worker-3", story="""
batch-importer wrote ~14 GB of temporary files to its writable layer; the node crossed its ephemeral-storage
eviction threshold and the kubelet evicted the pod (phase Failed, reason Evicted). Because the kubelet also wrote a
terminated container status, `get pods` shows Error, not Evicted (docs/kubernetes.md §3.4). podmortem should conclude:
evicted for ephemeral-storage pressure; the importer used 14237228Ki with no request; set requests/limits or use
a volume.
""")
    img = "registry.example.com/data/batch-importer:1.12.0"
    msg = ("The node was low on resource: ephemeral-storage. Threshold quantity: 4177773120, available: 3848856Ki. "
           "Container importer was using 14237228Ki, request is 0, has larger consumption of ephemeral-storage. ")
    c.pod(created=2890, owner=("ReplicaSet", "batch-importer-7d6c9f8b5"), labels={"app": "batch-importer"},
          containers=[{"name": "importer", "image": img, "args": ["--source", "s3://imports/daily"],
                       "resources": res("500m", "512Mi", mem_lim="1Gi")}], statuses=[], phase="Failed",
          conditions=[("DisruptionTarget", "True", 612, "TerminationByKubelet", msg.strip()),
                      ("PodReadyToStartContainers", "False", 580, None, None),
                      ("Initialized", "True", 2889, None, None),
                      ("Ready", "False", 580, "PodFailed", None), ("ContainersReady", "False", 580, "PodFailed", None),
                      ("PodScheduled", "True", 2890, None, None)],
          status_extra={"message": msg, "reason": "Evicted"})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "importer", img, terminated(137, "Error", 2881, 581, "containerd://" + h(c.name, "importer", 0)),
        ready=False, started=False)]
    c.scheduled(2890.002841)
    c.started_sequence("importer", img, 2889, "2.64s", 88134112, [2882])
    c.kev("Evicted", msg, 612, type_="Warning")
    c.kev("Killing", "Stopping container importer", 612, field="spec.containers{importer}")
    node = {"kind": "Node", "name": "worker-3", "uid": "worker-3"}
    c.kev("EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", 615, type_="Warning", involved=node,
          ns="default")
    return c


def terminating_finalizer():
    c = Case("terminating-finalizer", "legacy-sync-5b7c9d6f8-t6r4n", node="worker-2", story="""
legacy-sync was deleted 47 minutes ago. Its container stopped cleanly (exit 0), the kubelet set the terminal phase
and issued the final delete (deletionGracePeriodSeconds 0), but the finalizer example.com/drain-protection is never
removed because its controller was uninstalled. In 1.32 the STATUS column and describe show the terminal phase
(Completed / Succeeded), not Terminating (docs/kubernetes.md §3.4). podmortem should conclude: object kept by a
finalizer after termination finished; remove the finalizer.
""")
    img = "registry.example.com/ops/legacy-sync:0.4.1"
    c.pod(created=187200 + 3 * 3600 + 600, owner=("ReplicaSet", "legacy-sync-5b7c9d6f8"), labels={"app": "legacy-sync"},
          containers=[{"name": "sync", "image": img, "resources": res("50m", "64Mi")}], statuses=[],
          phase="Succeeded",
          conditions=[("PodReadyToStartContainers", "False", 2829, None, None),
                      ("Initialized", "True", 198599, None, None),
                      ("Ready", "False", 2830, "PodCompleted", None),
                      ("ContainersReady", "False", 2830, "PodCompleted", None),
                      ("PodScheduled", "True", 198600, None, None)],
          meta_extra={"deletionGracePeriodSeconds": 0, "deletionTimestamp": ago(2828),
                      "finalizers": ["example.com/drain-protection"]})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "sync", img, terminated(0, "Completed", 198590, 2830, "containerd://" + h(c.name, "sync", 0)),
        ready=False, started=False)]
    c.kev("Killing", "Stopping container sync", 2832, field="spec.containers{sync}")
    return c


def terminating_prestop_grace():
    c = Case("terminating-prestop-grace", "ws-gateway-7f8d9c6b5-h4j2k", node="worker-1", story="""
ws-gateway has a preStop hook `sleep 40` but terminationGracePeriodSeconds 30. On delete the hook consumed the
whole grace period, the kubelet then sent SIGTERM with the 2 s minimum grace and SIGKILLed the container
(exit 137) 32 s after the Killing event. The pod is still Terminating (deletionTimestamp 4 s ago).
podmortem should conclude: preStop hook longer than the grace period; the container was killed (137); raise
terminationGracePeriodSeconds above the preStop duration.
""")
    img = "registry.example.com/edge/ws-gateway:3.0.7"
    c.pod(created=11400, owner=("ReplicaSet", "ws-gateway-7f8d9c6b5"), labels={"app": "ws-gateway"}, containers=[{
        "name": "gateway", "image": img, "ports": port(8080, "ws"),
        "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 40"]}}},
        "readinessProbe": http_probe("/healthz", "ws"),
        "resources": res("250m", "256Mi", mem_lim="512Mi")}], statuses=[], grace=30,
        conditions=[("PodReadyToStartContainers", "True", 11398, None, None),
                    ("Initialized", "True", 11399, None, None),
                    ("Ready", "False", 2, "ContainersNotReady", "containers with unready status: [gateway]"),
                    ("ContainersReady", "False", 2, "ContainersNotReady", "containers with unready status: [gateway]"),
                    ("PodScheduled", "True", 11400, None, None)],
        meta_extra={"deletionGracePeriodSeconds": 30, "deletionTimestamp": ago(4)})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "gateway", img, terminated(137, "Error", 11392, 2, "containerd://" + h(c.name, "gateway", 0)),
        ready=False, started=False)]
    c.kev("Killing", "Stopping container gateway", 34, field="spec.containers{gateway}")
    return c


def terminating_node_notready():
    c = Case("terminating-node-notready", "cart-7c9d8f6b5-n5k8p", node="worker-3", story="""
worker-3 stopped reporting 12 minutes ago (kubelet down). The node controller marked the node NotReady and the
pod not ready; after the default 300 s not-ready/unreachable toleration the taint-eviction controller deleted the
pod (TaintManagerEviction, an event without a pod uid, so `describe pod` does not show it). Nobody can confirm
termination, so the pod stays Terminating. podmortem should conclude: the node is lost; the pod is stuck
Terminating until the node returns or is removed (or is force-deleted).
""")
    img = "registry.example.com/shop/cart:1.22.0"
    c.pod(created=20520, owner=("ReplicaSet", "cart-7c9d8f6b5"), labels={"app": "cart"}, containers=[{
        "name": "cart", "image": img, "ports": port(8080),
        "livenessProbe": http_probe("/healthz", 8080), "readinessProbe": http_probe("/ready", 8080),
        "resources": res("100m", "128Mi", mem_lim="256Mi")}], statuses=[],
        conditions=[("DisruptionTarget", "True", 432, "DeletionByTaintManager",
                     "Taint manager: deleting due to NoExecute taint"),
                    ("PodReadyToStartContainers", "True", 20518, None, None),
                    ("Initialized", "True", 20519, None, None),
                    ("Ready", "False", 682, None, None), ("ContainersReady", "True", 20505, None, None),
                    ("PodScheduled", "True", 20520, None, None)],
        meta_extra={"deletionGracePeriodSeconds": 30, "deletionTimestamp": ago(402)})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus("cart", img, running(20512), ready=True)]
    inv = {"apiVersion": "v1", "kind": "Pod", "name": c.pod_name, "namespace": c.ns}
    c.kev("NodeNotReady", "Node is not ready", 682, type_="Warning", component="node-controller", host="")
    c.kev("TaintManagerEviction", "Marking for deletion Pod %s/%s" % (c.ns, c.pod_name), 432,
          component="taint-eviction-controller", host="", involved=inv)
    node = {"apiVersion": "v1", "kind": "Node", "name": "worker-3", "uid": NODE_UIDS["worker-3"]}
    c.kev("NodeNotReady", "Node worker-3 status is now: NodeNotReady", 683, component="node-controller", host="",
          involved=node, ns="default")
    return c


def init_container_crash():
    c = Case("init-container-crash", "accounts-api-6c8d9f7b5-x9z4w", node="worker-2", story="""
accounts-api runs a Flyway migration as init container `migrate`. Migration V42 fails (the table it alters does
not exist), the init container exits 1 every time and is in Init:CrashLoopBackOff (4 restarts, back-off 40s); the
app container never starts (PodInitializing). podmortem should conclude: init container 'migrate' fails (exit 1,
migration error in its termination message); the app is blocked behind it.
""")
    img_m = "flyway/flyway:10.17"
    img_a = "registry.example.com/accounts/api:2.9.0"
    runs = [134, 129, 112, 84, 34]
    msg = ('ERROR: Migration V42__add_account_index.sql failed\n'
           'SQL State  : 42P01\nMessage    : ERROR: relation "accounts_v2" does not exist\n')
    c.pod(created=140, owner=("ReplicaSet", "accounts-api-6c8d9f7b5"), labels={"app": "accounts-api"},
          init_containers=[{"name": "migrate", "image": img_m, "args": ["migrate"],
                            "env": [{"name": "FLYWAY_URL", "value": "jdbc:postgresql://accounts-db:5432/accounts"}],
                            "terminationMessagePolicy": "FallbackToLogsOnError",
                            "resources": res("100m", "256Mi", mem_lim="512Mi")}],
          containers=[{"name": "api", "image": img_a, "ports": port(8080),
                       "livenessProbe": http_probe("/healthz", 8080), "readinessProbe": http_probe("/ready", 8080),
                       "resources": res("200m", "256Mi", mem_lim="512Mi")}], statuses=[], init_statuses=[],
          phase="Pending",
          conditions=[("PodReadyToStartContainers", "True", 138, None, None),
                      ("Initialized", "False", 140, "ContainersNotInitialized",
                       "containers with incomplete status: [migrate]"),
                      ("Ready", "False", 140, "ContainersNotReady", "containers with unready status: [api]"),
                      ("ContainersReady", "False", 140, "ContainersNotReady", "containers with unready status: [api]"),
                      ("PodScheduled", "True", 140, None, None)])
    st = c.pod_obj["status"]
    st["initContainerStatuses"] = [c.cstatus(
        "migrate", img_m, c.waiting_backoff("migrate", "40s"), restarts=4, run=4, started=False,
        last=terminated(1, "Error", 34, 30, "containerd://" + h(c.name, "migrate", 4), msg))]
    a = c.cstatus("api", img_a, {"waiting": {"reason": "PodInitializing"}}, started=False)
    a["imageID"] = ""
    st["containerStatuses"] = [a]
    c.scheduled(140.023384)
    f = "spec.initContainers{migrate}"
    c.started_sequence("migrate", img_m, 139, "1.918s", 131722450, runs, field=f)
    c.backoff("migrate", 124, 2, 7, field=f)
    return c


def multi_container():
    c = Case("multi-container", "search-7b8c9d6f5-k3m2p", node="worker-1", story="""
search runs the app container `search` (healthy, gRPC probes) and a fluent-bit sidecar `log-forwarder` whose
config references a missing parser, so the sidecar exits 1 within seconds (6 restarts, back-off 2m40s). READY is
1/2 and STATUS shows the sidecar's CrashLoopBackOff. podmortem should conclude: only the log-forwarder sidecar
fails (exit 1, bad config); the search container itself is healthy.
""")
    img_s = "registry.example.com/search/search:6.1.0"
    img_l = "fluent/fluent-bit:3.1.9"
    runs = [397, 394, 379, 352, 306, 219, 52]
    msg = "[error] [config] parser 'json_iso8601' is not registered\n[error] configuration file contains errors\n"
    c.pod(created=405, owner=("ReplicaSet", "search-7b8c9d6f5"), labels={"app": "search"}, containers=[
        {"name": "search", "image": img_s, "ports": port(9090, "grpc"),
         "livenessProbe": grpc_probe(9090, initialDelaySeconds=5),
         "readinessProbe": grpc_probe(9090, "search.v1.Search", periodSeconds=5),
         "resources": res("500m", "1Gi", mem_lim="1Gi")},
        {"name": "log-forwarder", "image": img_l, "terminationMessagePolicy": "FallbackToLogsOnError",
         "resources": res("20m", "32Mi", mem_lim="64Mi"),
         "volumeMounts": [{"mountPath": "/fluent-bit/etc/", "name": "fluent-bit-config"}]}], statuses=[],
        volumes=[{"configMap": {"defaultMode": 420, "name": "search-fluent-bit"}, "name": "fluent-bit-config"}],
        conditions=conds_ready(405, None, ready=False, not_ready_at=50, cname="log-forwarder"))
    c.pod_obj["status"]["containerStatuses"] = [
        c.cstatus("log-forwarder", img_l, c.waiting_backoff("log-forwarder", "2m40s"), restarts=6, run=6,
                  last=terminated(1, "Error", 52, 50, "containerd://" + h(c.name, "log-forwarder", 6), msg)),
        c.cstatus("search", img_s, running(396), ready=True)]
    c.scheduled(405.036061)
    c.started_sequence("search", img_s, 404, "3.377s", 64112703, [396])
    c.started_sequence("log-forwarder", img_l, 400, "1.204s", 34882191, runs)
    c.backoff("log-forwarder", 391, 11, 17)
    return c


def healthy():
    c = Case("healthy", "catalog-5f6d7c8b9-v8w2x", node="worker-2", story="""
Negative control: catalog has been running for 3 days with a native sidecar (restartable init container
cloud-sql-proxy, READY counts it: 2/2), gRPC readiness and HTTP liveness probes passing, no restarts. All events
have expired (1 h TTL), so describe shows `Events: <none>` and `get events` finds nothing.
podmortem should conclude: nothing is wrong.
""")
    img_p = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0"
    img = "registry.example.com/shop/catalog:4.7.2"
    created = 3 * 86400 + 4 * 3600 + 120
    c.pod(created=created, owner=("ReplicaSet", "catalog-5f6d7c8b9"), labels={"app": "catalog", "tier": "backend"},
          init_containers=[{"name": "cloud-sql-proxy", "image": img_p, "restartPolicy": "Always",
                            "args": ["--structured-logs", "--port=5432", "shop-prod:europe-west1:catalog"],
                            "startupProbe": tcp_probe(5432, periodSeconds=1, failureThreshold=30),
                            "resources": res("50m", "64Mi", mem_lim="128Mi")}],
          containers=[{"name": "catalog", "image": img, "ports": port(8080) + port(9090, "grpc"),
                       "livenessProbe": http_probe("/healthz", 8080, initialDelaySeconds=10),
                       "readinessProbe": grpc_probe(9090),
                       "resources": res("250m", "512Mi", "1", "512Mi")}],
          statuses=[], init_statuses=[], conditions=conds_ready(created, created - 14))
    st = c.pod_obj["status"]
    st["initContainerStatuses"] = [c.cstatus("cloud-sql-proxy", img_p, running(created - 2), ready=True)]
    st["containerStatuses"] = [c.cstatus("catalog", img, running(created - 4), ready=True)]
    return c


def healthy_completed_job_pod():
    c = Case("healthy-completed-job-pod", "nightly-backup-29374520-7xk2p", ns="batch", node="worker-3", story="""
Negative control: a CronJob's Job pod in namespace batch that ran a database backup for 3m42s and exited 0
(phase Succeeded, STATUS Completed, READY 0/1). Completed is the expected end state for a Job pod.
podmortem should conclude: nothing is wrong (completed successfully).
""")
    img = "registry.example.com/ops/pg-backup:1.3.0"
    c.pod(created=3000, owner=("Job", "nightly-backup-29374520"),
          labels={"batch.kubernetes.io/controller-uid": uid("batch", "Job", "nightly-backup-29374520"),
                  "batch.kubernetes.io/job-name": "nightly-backup-29374520",
                  "controller-uid": uid("batch", "Job", "nightly-backup-29374520"),
                  "job-name": "nightly-backup-29374520"},
          containers=[{"name": "backup", "image": img, "command": ["/usr/local/bin/backup.sh"],
                       "args": ["--target", "s3://backups/nightly"],
                       "resources": res("100m", "256Mi", mem_lim="512Mi")}],
          statuses=[], restart_policy="Never", phase="Succeeded",
          conditions=[("PodReadyToStartContainers", "False", 2770, None, None),
                      ("Initialized", "True", 2999, "PodCompleted", None),
                      ("Ready", "False", 2770, "PodCompleted", None),
                      ("ContainersReady", "False", 2770, "PodCompleted", None),
                      ("PodScheduled", "True", 3000, None, None)],
          meta_extra={"annotations": {"batch.kubernetes.io/job-tracking": ""}})
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus(
        "backup", img, terminated(0, "Completed", 2994, 2772, "containerd://" + h(c.name, "backup", 0)),
        started=False)]
    c.scheduled(3000.005126)
    c.started_sequence("backup", img, None, None, 0, [2994])
    return c


CASES = [liveness_http_timeout, readiness_503, startup_probe_slow_starter, exec_probe_timeout, tcp_probe_refused,
         crashloop_early, crashloop_max, oomkilled, imagepullbackoff, createcontainerconfigerror, failedscheduling,
         failedmount, evicted, terminating_finalizer, terminating_prestop_grace, terminating_node_notready,
         init_container_crash, multi_container, healthy, healthy_completed_job_pod]


def write_all_watch(cases):
    """_all/watch.json: a few things that happen during a watch (1 s apart, virtual clock)."""
    by = {c.name: c for c in cases}
    tcp = by["tcp-probe-refused"]
    bo = next(e for e in tcp.events if e["reason"] == "BackOff")
    lv = by["liveness-http-timeout"]
    un = next(e for e in lv.events if e["reason"] == "Unhealthy" and "Liveness" in e["message"])
    early = by["crashloop-early"]
    steps = [
        {"after": 1, "type": "MODIFIED", "ref": "default/" + bo["metadata"]["name"],
         "merge": {"count": 13, "lastTimestamp": "now-0s", "metadata": {"resourceVersion": "912346"}}},
        {"after": 2, "type": "MODIFIED", "ref": "default/" + un["metadata"]["name"],
         "merge": {"count": 13, "lastTimestamp": "now-0s", "metadata": {"resourceVersion": "912347"}}},
        {"after": 3, "type": "ADDED", "object": {
            "apiVersion": "v1", "count": 1, "eventTime": None, "firstTimestamp": "now-0s",
            "involvedObject": {"apiVersion": "v1", "fieldPath": "spec.containers{worker}", "kind": "Pod",
                               "name": early.pod_name, "namespace": "default", "resourceVersion": early.pod_rv,
                               "uid": early.uid},
            "kind": "Event", "lastTimestamp": "now-0s",
            "message": "Container image \"registry.example.com/payments/worker:3.2.0\" already present on machine",
            "metadata": {"creationTimestamp": "now-0s", "name": early.pod_name + ".18a1f0c2d7e3b9a4",
                         "namespace": "default", "resourceVersion": "912348", "uid": uid("event", "watch-1")},
            "reason": "Pulled", "reportingComponent": "kubelet", "reportingInstance": early.node,
            "source": {"component": "kubelet", "host": early.node}, "type": "Normal"}},
        {"after": 3, "type": "MODIFIED", "ref": "default/" + early.pod_name,
         "merge": {"metadata": {"resourceVersion": "912349"}, "status": {"containerStatuses": [
             dict(early.pod_obj["status"]["containerStatuses"][0], restartCount=3, started=True,
                  # times in a merge patch are relative to the watch event, 3 s after the anchor
                  lastState=terminated(1, "Error", 17, 15, "containerd://" + h(early.name, "worker", 2),
                                       "Error: required environment variable PAYMENTS_DB_URL is not set\n"),
                  state={"running": {"startedAt": "now-0s"}})]}}},
    ]
    d = os.path.join(HERE, "fixtures", "_all")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "watch.json"), "w") as f:
        json.dump(steps, f, indent=2)
        f.write("\n")


# The time series: (label, seconds before the epoch). Each set's "now" is its capture moment; render-samples.py
# normalises each output to that moment, so every sample reads as if kubectl ran then.
SNAPSHOTS = [("t-20m", 1200), ("t-10m", 600), ("t-0", 0)]

SNAPSHOTS_STORY = """
The crashloop-max story (inventory panics about 5 s after every start) captured three times: 20 minutes before the
epoch (restartCount 5, back-off 2m40s, BackOff x14), 10 minutes before (restartCount 7, back-off 5m0s, BackOff x59)
and at the epoch (restartCount 9, BackOff x101). firstTimestamps stay; counts, restartCounts and lastTimestamps grow
as a real cluster's do (BackOff by one per 10–15 s sync retry, restarts on the back-off schedule, docs/kubernetes.md §7.1).
Ages in each snapshot are relative to its own capture time (samples/manifest.json `captureTime`).
podmortem should merge the three into one history whose counts are the latest snapshot's, not their sum.
"""


def kubelet_restart():
    c = Case("kubelet-restart", "report-api-7c5d9b8f6-m2q7t", ns="reports", node="worker-2", story="""
report-api's readiness probe checks its database once a minute (periodSeconds 60); the database is gone, so every
check returns 503 and the pod is not ready. 29 minutes ago the kubelet on worker-2 was restarted (an upgrade, 4
minutes down). The recorder's event cache lives in the kubelet's memory (docs/kubernetes.md §5.1), so the first failure
after the restart created a new Event object (new name, count 1) instead of patching the old one: two objects with
the same identity and non-overlapping times, x20 (50m–31m ago) and x27 (27m–60s ago).
podmortem should merge them into one event: count 47, first seen 50 minutes ago, last seen 60 s ago, 2 objects.
""")
    img = "registry.example.com/reports/api:1.4.2"
    c.pod(created=7260, owner=("ReplicaSet", "report-api-7c5d9b8f6"), labels={"app": "report-api"}, containers=[{
        "name": "api", "image": img, "ports": port(8080),
        "readinessProbe": http_probe("/ready", 8080, periodSeconds=60),
        "resources": res("100m", "256Mi", mem_lim="256Mi")}], statuses=[],
        conditions=conds_ready(7260, None, ready=False, not_ready_at=3000, cname="api"))
    c.pod_obj["status"]["containerStatuses"] = [c.cstatus("api", img, running(7252), ready=False)]
    msg = "Readiness probe failed: HTTP probe failed with statuscode: 503"
    c.kev("Unhealthy", msg, 3000, 3000 - 19 * 60, 20, "Warning", "spec.containers{api}")
    c.kev("Unhealthy", msg, 1620, 1620 - 26 * 60, 27, "Warning", "spec.containers{api}")
    return c


def write_series():
    """The time-series sets (not part of `_all`: their directories start with an underscore)."""
    for label, before in SNAPSHOTS:
        with captured_at(before):
            c = crashloop_max(before)
        c.story = SNAPSHOTS_STORY
        c.write("_snapshot-" + label)
    kubelet_restart().write("_kubelet-restart")


def main():
    cases = [fn() for fn in CASES]
    for c in cases:
        c.write()
    write_all_watch(cases)
    write_series()
    print("wrote %d cases and %d time-series sets" % (len(cases), len(SNAPSHOTS) + 1))


if __name__ == "__main__":
    main()
