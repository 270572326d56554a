#!/usr/bin/env python3
"""Build samples/bundles/ from the kubectl-rendered samples (samples/<case>/pod.json, events.json).

  tools/make-bundle-samples.py            rebuild samples/bundles/ in place
  tools/make-bundle-samples.py --check    build into a temp dir and compare with samples/bundles/ (exit 1 when stale)

Every bundle tells the stories of cases that samples/<case>/describe.txt tells, from the same objects: the pod and
event JSON that real kubectl printed (tools/render-samples.py) is re-serialised the way each producer writes it
(docs/kubernetes.md §3.2, §10, §12). Nothing here reads the clock or the environment: archives have fixed mtimes
(the capture epoch), sorted entries, owner 0/0 and gzip headers with mtime 0, so a rebuild is byte-identical.
Python standard library only; the YAML emitter reproduces go-yaml v2 (what kubectl and oc write) and is checked
against samples/<case>/pod.yaml on every run.
"""

import argparse
import calendar
import copy
import datetime as dt
import filecmp
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
EPOCH = dt.datetime(2026, 11, 27, 1, 0, 0, tzinfo=dt.timezone.utc)
EPOCH_SECONDS = calendar.timegm(EPOCH.timetuple())
NAMESPACE_UUID = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
HIDDEN = "***HIDDEN***"

# ---------------------------------------------------------------------------------------------------------------
# go-yaml v2 (sigs.k8s.io/yaml), as kubectl -o yaml and oc adm inspect write it
# ---------------------------------------------------------------------------------------------------------------
_INT = re.compile(r'^[-+]?(0|[1-9][0-9_]*)$|^0b[01_]+$|^0x[0-9a-fA-F_]+$|^0[0-7_]+$|^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$')
_FLOAT = re.compile(r'^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$')
_TS = re.compile(r'^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$')
_RESERVED = {'', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'y', 'Y', 'yes', 'Yes',
             'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '<<', '='}

def _needs_double(s):
    return s in _RESERVED or bool(_INT.match(s)) or bool(_FLOAT.match(s)) or bool(_TS.match(s))

def _plain_ok(s):
    if s == '' or s[0] in ' \t' or s[-1] in ' \t':
        return False
    if s.startswith('---') or s.startswith('...'):
        return False
    if s[0] in '#,[]{}&*!|>\'"%@`':
        return False
    if s[0] in '?:-' and (len(s) == 1 or s[1] in ' \t'):
        return False
    if ': ' in s or s.endswith(':') or ' #' in s:
        return False
    return all(c.isprintable() for c in s)

def _dq(s):
    out = []
    for c in s:
        if c == '"': out.append('\\"')
        elif c == '\\': out.append('\\\\')
        elif c == '\n': out.append('\\n')
        elif c == '\t': out.append('\\t')
        elif not c.isprintable(): out.append('\\u%04x' % ord(c))
        else: out.append(c)
    return '"' + ''.join(out) + '"'

def _wrap(text, start_col, cont_indent, quoted):
    """go-yaml v2 breaks a plain or single-quoted scalar at a space once the column passes 80."""
    lines = []
    cur = ''
    col = start_col
    spaces = False
    n = len(text)
    for i, c in enumerate(text):
        if c == ' ':
            inner = (not quoted) or (0 < i < n - 1)
            if inner and not spaces and col > 80 and (i + 1 >= n or text[i + 1] != ' '):
                lines.append(cur)
                cur = ' ' * cont_indent
                col = cont_indent
            else:
                cur += c
                col += 1
            spaces = True
        else:
            cur += c
            col += 1
            spaces = False
    lines.append(cur)
    return lines

def scalar_lines(v, start_col, cont_indent):
    s = scalar(v)
    if isinstance(v, str) and s and s[0] != '"':
        quoted = s[0] == "'" and s != v
        if quoted:
            body = _wrap(s[1:-1], start_col + 1, cont_indent, True)
            body[0] = "'" + body[0]
            body[-1] = body[-1] + "'"
            return body
        return _wrap(s, start_col, cont_indent, False)
    return [s]

def scalar(v):
    if v is None: return 'null'
    if v is True: return 'true'
    if v is False: return 'false'
    if isinstance(v, int): return str(v)
    if isinstance(v, float): return repr(v)
    s = v
    if _needs_double(s): return _dq(s)
    if _plain_ok(s): return s
    if all(c.isprintable() for c in s): return "'" + s.replace("'", "''") + "'"
    return _dq(s)

def _literal(s, indent):
    if s.endswith('\n\n'): head = '|+'
    elif s.endswith('\n'): head = '|'
    else: head = '|-'
    body = s[:-1] if s.endswith('\n') else s
    if body.startswith(' '): head = head[0] + str(2) + head[1:]
    lines = [head]
    for line in body.split('\n'):
        lines.append((' ' * indent + line) if line else '')
    return lines

def _is_multiline(v):
    return isinstance(v, str) and '\n' in v and all(c.isprintable() or c == '\n' for c in v)

def yaml_emit(obj, indent=0):
    """Block YAML as go-yaml v2 writes it (sigs.k8s.io/yaml): keys sorted, sequences not indented in mappings."""
    return '\n'.join(_yaml_node(obj, indent)) + '\n'

def _yaml_node(obj, indent):
    pad = ' ' * indent
    lines = []
    if isinstance(obj, dict):
        if not obj: return [pad + '{}']
        for k in sorted(obj):
            v = obj[k]
            key = pad + scalar(k) + ':'
            if isinstance(v, dict) and v:
                lines.append(key); lines.extend(_yaml_node(v, indent + 2))
            elif isinstance(v, list) and v:
                lines.append(key); lines.extend(_yaml_node(v, indent))
            elif isinstance(v, dict): lines.append(key + ' {}')
            elif isinstance(v, list): lines.append(key + ' []')
            elif _is_multiline(v):
                lit = _literal(v, indent + 2); lines.append(key + ' ' + lit[0]); lines.extend(lit[1:])
            else:
                sl = scalar_lines(v, len(key) + 1, indent + 2)
                lines.append(key + ' ' + sl[0]); lines.extend(sl[1:])
        return lines
    if isinstance(obj, list):
        if not obj: return [pad + '[]']
        for item in obj:
            if isinstance(item, (dict, list)) and item:
                sub = _yaml_node(item, indent + 2)
                sub[0] = pad + '- ' + sub[0][indent + 2:]
                lines.extend(sub)
            elif _is_multiline(item):
                lit = _literal(item, indent + 2); lines.append(pad + '- ' + lit[0]); lines.extend(lit[1:])
            else:
                lines.append(pad + '- ' + (scalar(item) if not isinstance(item, (dict, list)) else ('{}' if isinstance(item, dict) else '[]')))
        return lines
    return [pad + scalar(obj)]


# ---------------------------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------------------------


def load_case(case):
    with open(os.path.join(SAMPLES, case, "pod.json"), encoding="utf-8") as f:
        pod = json.load(f)
    with open(os.path.join(SAMPLES, case, "events.json"), encoding="utf-8") as f:
        events = json.load(f)["items"]
    return pod, events


def parse_time(text):
    for layout in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return dt.datetime.strptime(text, layout).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    raise ValueError(text)


def at(text):
    """`00:36:38` or `00:36:38.412` on the capture day (or `-23:55:30` the day before)."""
    day = EPOCH.replace(hour=0, minute=0, second=0)
    if text.startswith("-"):
        day -= dt.timedelta(days=1)
        text = text[1:]
    h, m, s = text.split(":")
    return day + dt.timedelta(hours=int(h), minutes=int(m), seconds=float(s))


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_micro(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc3339_nano(t, extra_ns=0):
    """containerd's RFC3339Nano: trailing zeros trimmed (docs/kubernetes.md §10.2)."""
    nanos = t.microsecond * 1000 + extra_ns
    frac = ("%09d" % nanos).rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac if frac else "") + "Z"


def klog_header(severity, t, pid, where):
    """`I1127 00:26:50.512345    1187 prober.go:107] ` (docs/kubernetes.md §10.1: PID padded to 7 columns)."""
    return "%s%s %s %7d %s] " % (severity, t.strftime("%m%d"), t.strftime("%H:%M:%S.%f"), pid, where)


def go_quote(s):
    """Go's strconv.Quote for the printable ASCII and UTF-8 text these samples hold."""
    out = []
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif not c.isprintable():
            out.append("\\x%02x" % ord(c) if ord(c) < 0x80 else "\\u%04x" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def hex_id(*parts):
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def uid(*parts):
    return str(uuid.uuid5(NAMESPACE_UUID, "/".join(parts)))


def go_json(obj, indent=None):
    """encoding/json: HTML-safe escapes, no ASCII escaping, `MarshalIndent` layout."""
    if indent is None:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=(",", ": "))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The field order of the typed Go structs the API server and client-go marshal (unstructured objects, as
# `kubectl get -o json` prints them, sort their keys instead).
_ORDER = {
    "list": ["kind", "apiVersion", "metadata", "items"],
    "object": ["kind", "apiVersion", "metadata", "spec", "status"],
    "meta": [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ],
    "event": [
        "kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp",
        "lastTimestamp", "count", "type", "eventTime", "series", "action", "related", "reportingComponent",
        "reportingInstance",
    ],
    "ref": ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"],
    "source": ["component", "host"],
}


def _ordered(d, order):
    out = {k: d[k] for k in order if k in d}
    out.update({k: d[k] for k in d if k not in out})
    return out


def typed(obj, keep_type_meta=True):
    """An object (or list) re-keyed in Go struct order; list items lose kind/apiVersion unless asked to keep them."""
    obj = copy.deepcopy(obj)
    kind = obj.get("kind", "")
    if "items" in obj:
        items = [typed(i, keep_type_meta) for i in obj["items"]]
        if not keep_type_meta:
            for i in items:
                i.pop("kind", None)
                i.pop("apiVersion", None)
        obj["items"] = items
        return _ordered(obj, _ORDER["list"])
    if "metadata" in obj:
        obj["metadata"] = _ordered(obj["metadata"], _ORDER["meta"])
    if kind == "Event" or "involvedObject" in obj:
        obj["involvedObject"] = _ordered(obj["involvedObject"], _ORDER["ref"])
        obj["source"] = _ordered(obj.get("source", {}), _ORDER["source"])
        return _ordered(obj, _ORDER["event"])
    return _ordered(obj, _ORDER["object"])


def a_list(kind, items, resource_version):
    return {"apiVersion": "v1", "items": items, "kind": kind, "metadata": {"resourceVersion": resource_version}}


def by_name(items):
    """API list order: etcd key order, i.e. by name within a namespace (docs/kubernetes.md §3.1)."""
    return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


# ---------------------------------------------------------------------------------------------------------------
# the cluster around the cases: nodes and a kube-system pod
# ---------------------------------------------------------------------------------------------------------------

NODES = {"cp-1": "10.0.1.10", "worker-1": "10.0.1.11", "worker-2": "10.0.1.12", "worker-3": "10.0.1.13"}


def node(name):
    ip = NODES[name]
    index = sorted(NODES).index(name)
    control = name.startswith("cp-")
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
    }
    if control:
        labels["node-role.kubernetes.io/control-plane"] = ""
    heartbeat = rfc3339(EPOCH - dt.timedelta(seconds=17 + 7 * index))
    since = "2026-11-20T09:%02d:11Z" % (2 + index)
    conditions = [
        {"lastHeartbeatTime": heartbeat, "lastTransitionTime": since, "message": "kubelet has sufficient memory available",
         "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"},
        {"lastHeartbeatTime": heartbeat, "lastTransitionTime": since, "message": "kubelet has no disk pressure",
         "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"},
        {"lastHeartbeatTime": heartbeat, "lastTransitionTime": since, "message": "kubelet has sufficient PID available",
         "reason": "KubeletHasSufficientPID", "status": "False", "type": "PIDPressure"},
        {"lastHeartbeatTime": heartbeat, "lastTransitionTime": since, "message": "kubelet is posting ready status",
         "reason": "KubeletReady", "status": "True", "type": "Ready"},
    ]
    capacity = {"cpu": "4", "ephemeral-storage": "101430960Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                "memory": "16380220Ki", "pods": "110"}
    allocatable = dict(capacity, **{"cpu": "3800m", "ephemeral-storage": "93478772582", "memory": "15868220Ki"})
    spec = {"podCIDR": "10.244.%d.0/24" % index, "podCIDRs": ["10.244.%d.0/24" % index]}
    if control:
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
            "creationTimestamp": "2026-11-20T09:%02d:04Z" % (1 + index), "labels": labels, "name": name,
            "resourceVersion": str(611000 + 37 * index), "uid": uid("node", name),
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": allocatable, "capacity": capacity, "conditions": conditions,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64", "bootID": uid("boot", name), "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.8.0-49-generic", "kubeProxyVersion": "v1.32.4", "kubeletVersion": "v1.32.4",
                "machineID": hex_id("machine", name)[:32], "operatingSystem": "linux",
                "osImage": "Ubuntu 24.04.1 LTS", "systemUUID": uid("system", name),
            },
        },
    }


COREDNS = "coredns-7c65d6cfc9-x6q2m"


def coredns_pod():
    """A healthy kube-system pod, so a dump holds more than the broken workloads."""
    started = "2026-11-20T09:05:12Z"
    mounts = [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True},
              {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-9r7lm",
               "readOnly": True}]
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "creationTimestamp": "2026-11-20T09:05:02Z", "generateName": "coredns-7c65d6cfc9-",
            "labels": {"k8s-app": "kube-dns", "pod-template-hash": "7c65d6cfc9"}, "name": COREDNS,
            "namespace": "kube-system",
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "ReplicaSet", "name": "coredns-7c65d6cfc9", "uid": uid("rs", "coredns")}],
            "resourceVersion": "1288", "uid": uid("pod", COREDNS),
        },
        "spec": {
            "containers": [{
                "args": ["-conf", "/etc/coredns/Corefile"], "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                "imagePullPolicy": "IfNotPresent",
                "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                                  "initialDelaySeconds": 60, "periodSeconds": 10, "successThreshold": 1,
                                  "timeoutSeconds": 5},
                "name": "coredns",
                "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                          {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                          {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"},
                                   "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
                "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": mounts,
            }],
            "dnsPolicy": "Default", "enableServiceLinks": True, "nodeName": "cp-1", "preemptionPolicy": "PreemptLowerPriority",
            "priority": 2000000000, "priorityClassName": "system-cluster-critical", "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": "coredns",
            "serviceAccountName": "coredns", "terminationGracePeriodSeconds": 30,
            "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                            {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
            "volumes": [{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}],
                                       "name": "coredns"}, "name": "config-volume"}],
        },
        "status": {
            "conditions": [{"lastProbeTime": None, "lastTransitionTime": started, "status": "True", "type": t}
                           for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                                     "PodScheduled")],
            "containerStatuses": [{
                "containerID": "containerd://" + hex_id("ctr", COREDNS, "0"),
                "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                "imageID": "registry.k8s.io/coredns/coredns@sha256:" + hex_id("image", "coredns"),
                "lastState": {}, "name": "coredns", "ready": True, "restartCount": 0, "started": True,
                "state": {"running": {"startedAt": started}}, "volumeMounts": mounts,
            }],
            "hostIP": NODES["cp-1"], "hostIPs": [{"ip": NODES["cp-1"]}], "phase": "Running", "podIP": "10.244.0.3",
            "podIPs": [{"ip": "10.244.0.3"}], "qosClass": "Burstable", "startTime": "2026-11-20T09:05:02Z",
        },
    }


# ---------------------------------------------------------------------------------------------------------------
# the stories' timelines, worked out from the cases' events and statuses (and checked against them below)
# ---------------------------------------------------------------------------------------------------------------

# crashloop-max: inventory panics ~5 s after each start. Delays per exit 0, 10, 20, 40, 80, 160, 300 s … from
# finishedAt (docs/kubernetes.md §7.1), each start landing up to one 10–15 s sync retry late.
INVENTORY_DELAYS = [0, 10, 20, 40, 80, 160, 300, 300, 300]
INVENTORY_LATE = [0, 3, 6, 4, 7, 5, 8, 6, 8]
# BackOff events (sync retries) in the gap after each exit; the last gap runs to the capture.
INVENTORY_RETRIES = [0, 1, 2, 3, 6, 12, 24, 24, 22, 7]


def inventory_runs():
    runs = []
    start = at("00:36:38")
    for k in range(10):
        runs.append((start, start + dt.timedelta(seconds=5)))
        if k < 9:
            start = runs[-1][1] + dt.timedelta(seconds=INVENTORY_DELAYS[k] + INVENTORY_LATE[k])
    return runs


def inventory_backoffs():
    """(time, current back-off) of every sync retry that found inventory in back-off (one BackOff event each)."""
    runs = inventory_runs()
    out = []
    for i, count in enumerate(INVENTORY_RETRIES):
        if count == 0:
            continue
        first = runs[i][1] + dt.timedelta(seconds=1)
        last = runs[i + 1][0] - dt.timedelta(seconds=1) if i + 1 < len(runs) else at("00:59:54")
        step = (last - first) / max(count - 1, 1)
        delay = go_duration(INVENTORY_DELAYS[i] if i < len(INVENTORY_DELAYS) else 300)
        for j in range(count):
            t = (first + step * j).replace(microsecond=417000)
            out.append((t, delay))
    return out


def go_duration(seconds):
    m, s = divmod(int(seconds), 60)
    return "%dm%ds" % (m, s) if m else "%ds" % s


# liveness-http-timeout: checkout hangs under load; 3 liveness timeouts 10 s apart, kill, 30 s grace, exit 137.
CHECKOUT_STARTS = ["00:19:09", "00:27:41", "00:36:21", "00:44:55", "00:58:25"]
CHECKOUT_KILLS = ["00:27:10", "00:35:31", "00:44:05", "00:57:10"]
CHECKOUT_READINESS_FAILS = [
    "00:26:44", "00:26:54", "00:27:04", "00:27:51", "00:28:01", "00:34:55", "00:35:05", "00:35:15", "00:35:25",
    "00:36:31", "00:36:41", "00:43:29", "00:43:39", "00:43:49", "00:43:59", "00:45:05", "00:45:15", "00:56:44",
    "00:56:54", "00:57:04",
]
CHECKOUT_BACKOFFS = [("00:36:11", "10s"), ("00:44:40", "20s"), ("00:44:50", "20s"), ("00:57:45", "40s"),
                     ("00:57:55", "40s"), ("00:58:10", "40s")]


def checkout_liveness_fails():
    out = []
    for kill in CHECKOUT_KILLS:
        k = at(kill)
        out += [k - dt.timedelta(seconds=20), k - dt.timedelta(seconds=10), k]
    return out


def checkout_container_ids(pod):
    status = pod["status"]["containerStatuses"][0]
    ids = [hex_id("ctr", "checkout", str(i)) for i in range(5)]
    ids[3] = status["lastState"]["terminated"]["containerID"].split("//")[1]
    ids[4] = status["containerID"].split("//")[1]
    return ids


def inventory_container_ids(pod):
    ids = [hex_id("ctr", "inventory", str(i)) for i in range(10)]
    ids[9] = pod["status"]["containerStatuses"][0]["containerID"].split("//")[1]
    return ids


# ---------------------------------------------------------------------------------------------------------------
# what the containers print
# ---------------------------------------------------------------------------------------------------------------

INVENTORY_PANIC = [
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x10a3f52]",
    "",
    "goroutine 42 [running]:",
    "github.com/example/shop/inventory/internal/stock.(*Reconciler).apply(0xc0001a2000, {0x0, 0x0})",
    "\t/src/internal/stock/reconcile.go:88 +0x52",
    "github.com/example/shop/inventory/internal/stock.(*Reconciler).Run(0xc0001a2000, {0x12c4f80, 0xc000124000})",
    "\t/src/internal/stock/reconcile.go:51 +0x1c5",
    "created by main.main in goroutine 1",
    "\t/src/cmd/inventory/main.go:63 +0x3a8",
]


def inventory_log(start, finish):
    def line(offset, msg, extra=""):
        t = start + dt.timedelta(seconds=offset)
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
        return (t, "stdout", '{"level":"info","ts":"%s","msg":"%s"%s}' % (stamp, msg, extra))
    out = [
        line(0.412, "starting inventory", ',"version":"5.0.3","commit":"9c1e2f7"'),
        line(0.418, "connecting to stock cache", ',"addr":"redis-cache.default.svc:6379"'),
        line(0.431, "listening", ',"addr":":8080"'),
        line(4.907, "reconciling stock levels", ',"warehouses":4'),
    ]
    t = finish - dt.timedelta(milliseconds=84)
    out += [(t + dt.timedelta(microseconds=31 * i), "stderr", text) for i, text in enumerate(INVENTORY_PANIC)]
    return out


def checkout_json(t, level, logger, thread, message, extra=""):
    stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
    value = {"INFO": 20000, "WARN": 30000, "ERROR": 40000}[level]
    return ('{"@timestamp":"%s","@version":"1","message":%s,"logger_name":"%s","thread_name":"%s","level":"%s",'
            '"level_value":%d%s}' % (stamp, go_quote(message), logger, thread, level, value, extra))


def checkout_stack(frames):
    """A JDBC timeout's stack trace as logstash-logback-encoder writes it: one JSON string, long enough to cross
    containerd's 16 KiB line limit (docs/kubernetes.md §10.2)."""
    lines = ["org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager "
             "for transaction", "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is "
             "not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=42)"]
    packages = ["org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)",
                "org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction"
                "(AbstractPlatformTransactionManager.java:531)",
                "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed"
                "(ReflectiveMethodInvocation.java:184)",
                "com.example.shop.checkout.order.OrderService.place(OrderService.java:118)",
                "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:174)",
                "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)"]
    for i in range(frames):
        lines.append("\tat " + packages[i % len(packages)])
    return "\n".join(lines)


def checkout_log(start, end, hang_at=None, long_line=False):
    """One checkout instance: Spring Boot start-up, order traffic, and (before a liveness kill) a pool that runs dry.
    The hung JVM ignores SIGTERM, so nothing is printed at the kill."""
    app = "com.example.shop.checkout.CheckoutApplication"
    out = []
    def add(offset_or_time, level, logger, thread, message, extra=""):
        t = offset_or_time if isinstance(offset_or_time, dt.datetime) else start + dt.timedelta(seconds=offset_or_time)
        if t <= end:
            out.append((t, "stdout", checkout_json(t, level, logger, thread, message, extra)))
    add(0.811, "INFO", app, "main", "Starting CheckoutApplication v2.14.1 using Java 21.0.5 with PID 1")
    add(2.305, "INFO", "org.springframework.boot.web.embedded.tomcat.TomcatWebServer", "main",
        "Tomcat initialized with port 8080 (http)")
    add(4.902, "INFO", "com.zaxxer.hikari.HikariDataSource", "main", "HikariPool-1 - Start completed.")
    add(6.544, "INFO", "org.springframework.boot.web.embedded.tomcat.TomcatWebServer", "main",
        "Tomcat started on port 8080 (http) with context path '/'")
    add(6.612, "INFO", app, "main", "Started CheckoutApplication in 6.214 seconds (process running for 7.02)")
    quiet_until = hang_at - dt.timedelta(seconds=40) if hang_at else end
    t = start + dt.timedelta(seconds=31.25)
    n = 0
    while t < quiet_until:
        n += 1
        add(t, "INFO", "com.example.shop.checkout.order.OrderController", "http-nio-8080-exec-%d" % (n % 10 + 1),
            "POST /api/orders 201 in %d ms" % (60 + (n * 37) % 90), ',"order_id":"ord-%06d"' % (n * 7919 % 1000000))
        t += dt.timedelta(seconds=37 + (n * 13) % 23)
    if hang_at:
        for i, offset in enumerate([-36, -24, -12, -1]):
            add(hang_at + dt.timedelta(seconds=offset, milliseconds=311 * i), "WARN",
                "com.zaxxer.hikari.pool.HikariPool", "http-nio-8080-exec-%d" % (i + 3),
                "HikariPool-1 - Connection is not available, request timed out after 30000ms "
                "(total=10, active=10, idle=0, waiting=%d)" % (38 + 2 * i))
        if long_line:
            add(hang_at + dt.timedelta(milliseconds=402), "ERROR",
                "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
                "http-nio-8080-exec-9", "Servlet.service() for servlet [dispatcherServlet] threw exception",
                ',"stack_trace":%s' % go_quote(checkout_stack(260)))
    return out


def report_builder_log(start):
    """report-builder (oomkilled): the JVM fills its heap and is killed without a word (SIGKILL, exit 137)."""
    lines = [
        (0.604, "OpenJDK 64-Bit Server VM warning: Options -Xverify:none and -noverify were deprecated in JDK 13"),
        (1.877, "2026-11-27 %s INFO  ReportBuilder - starting report-builder 2.4.0 (heap max 512m)"),
        (2.402, "2026-11-27 %s INFO  ReportBuilder - loading month-end ledger: 1841223 rows"),
        (31.550, "2026-11-27 %s INFO  ReportBuilder - aggregated 920000/1841223 rows"),
        (55.018, "2026-11-27 %s WARN  ReportBuilder - GC overhead 71%% over the last 10s"),
    ]
    out = []
    for offset, text in lines:
        t = start + dt.timedelta(seconds=offset)
        out.append((t, "stderr" if "VM warning" in text else "stdout",
                    text % (t.strftime("%H:%M:%S.") + "%03d" % (t.microsecond // 1000)) if "%s" in text else text))
    return out


def coredns_log():
    t = parse_time("2026-11-20T09:05:12Z")
    texts = [".:53", "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
             "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"]
    return [(t + dt.timedelta(milliseconds=12 * i), "stdout", text) for i, text in enumerate(texts)]


def postgres_log(start, end, killed):
    def stamp(t):
        return t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d UTC" % (t.microsecond // 1000)
    out = []
    for offset, text in [(0.212, "LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu"),
                         (0.219, "LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"),
                         (0.301, "LOG:  database system was interrupted; last known up at %s"),
                         (3.912, "LOG:  database system is ready to accept connections")]:
        t = start + dt.timedelta(seconds=offset)
        text = text % stamp(start - dt.timedelta(minutes=1)) if "%s" in text else text
        out.append((t, "stderr", "%s [1] %s" % (stamp(t), text)))
    if killed:
        t = killed + dt.timedelta(milliseconds=7)
        out.append((t, "stderr", "%s [1] LOG:  received fast shutdown request" % stamp(t)))
        out.append((t + dt.timedelta(milliseconds=5), "stderr",
                    "%s [1] LOG:  aborting any active transactions" % stamp(t)))
        out.append((t + dt.timedelta(milliseconds=911), "stderr",
                    "%s [27] LOG:  shutting down" % stamp(t + dt.timedelta(milliseconds=911))))
        out.append((t + dt.timedelta(seconds=1.2), "stderr",
                    "%s [27] LOG:  checkpoint starting: shutdown immediate" % stamp(t + dt.timedelta(seconds=1.2))))
    return [e for e in out if e[0] <= end]


def migrate_log(start):
    texts = ["Flyway OSS Edition 10.17.0 by Redgate", "",
             "See release notes here: https://rd.gt/416ObMi",
             "Database: jdbc:postgresql://accounts-db:5432/accounts (PostgreSQL 16.4)",
             "Successfully validated 42 migrations (execution time 00:00.041s)",
             "Current version of schema \"public\": 41",
             "Migrating schema \"public\" to version \"42 - add account index\"",
             "ERROR: Migration V42__add_account_index.sql failed",
             "-----------------------------------------------",
             "SQL State  : 42P01",
             "Error Code : 0",
             "Message    : ERROR: relation \"accounts_v2\" does not exist",
             "Location   : db/migration/V42__add_account_index.sql (/flyway/sql/db/migration/V42__add_account_index.sql)",
             "Line       : 1",
             "Statement  : CREATE INDEX CONCURRENTLY idx_accounts_email ON accounts_v2 (email)"]
    return [(start + dt.timedelta(milliseconds=700 + 9 * i), "stdout", text) for i, text in enumerate(texts)]


def plain(entries):
    """What `kubectl logs` returns: the bare lines."""
    return "".join(text + "\n" for _, _, text in entries)


def timestamped(entries):
    """`kubectl logs --timestamps` / `oc adm inspect`: RFC3339NanoFixed, then the line (docs/kubernetes.md §10.2)."""
    return "".join("%s %s\n" % (t.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d000Z" % t.microsecond, text)
                   for t, _, text in entries)


def cri(entries, max_line=16384):
    """The kubelet's own files: `<RFC3339Nano> <stream> <P|F> <text>`, long lines split into P chunks."""
    out = []
    for t, stream, text in entries:
        data = text.encode()
        chunks = [data[i:i + max_line] for i in range(0, len(data), max_line)] or [b""]
        for i, chunk in enumerate(chunks):
            tag = "F" if i == len(chunks) - 1 else "P"
            out.append("%s %s %s %s\n" % (rfc3339_nano(t, 1000 * i + 371), stream, tag, chunk.decode()))
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------------
# event histories: every occurrence of every event, so streams can replay counts growing
# ---------------------------------------------------------------------------------------------------------------


def checkout_schedule(event):
    msg = event["message"]
    table = {
        "Pulling": [at("00:19:01")], "Started": [at(t) for t in CHECKOUT_STARTS],
        "Created": [at(t) for t in CHECKOUT_STARTS], "Killing": [at(t) for t in CHECKOUT_KILLS],
        "BackOff": [at(t) for t, _ in CHECKOUT_BACKOFFS],
    }
    if event["reason"] == "Unhealthy":
        if msg.startswith("Liveness"):
            return checkout_liveness_fails()
        return [at(t) for t in CHECKOUT_READINESS_FAILS]
    if event["reason"] == "Pulled":
        return [at("00:19:09")] if msg.startswith("Successfully") else [at(t) for t in CHECKOUT_STARTS[1:]]
    return table.get(event["reason"])


def interpolated_schedule(event):
    first = parse_time(event["firstTimestamp"])
    last = parse_time(event["lastTimestamp"])
    count = event.get("count", 1)
    if count == 1:
        return [first]
    step = (last - first) / (count - 1)
    return [first + step * k for k in range(count - 1)] + [last]


def occurrences(events, schedule):
    """[(time, event, k)] for every occurrence, k counting from 1, in time order; events without a count
    (events.k8s.io, docs/kubernetes.md §4.1) occur once, at eventTime."""
    out = []
    for event in events:
        if event.get("count") is None:
            out.append((parse_time(event["eventTime"]), event, 1))
            continue
        times = schedule(event) or interpolated_schedule(event)
        times = [t.replace(microsecond=0) for t in times]
        assert len(times) == event["count"], (event["reason"], len(times), event["count"])
        assert rfc3339(times[0]) == event["firstTimestamp"], (event["reason"], times[0])
        assert rfc3339(times[-1]) == event["lastTimestamp"], (event["reason"], times[-1])
        out += [(t, event, k + 1) for k, t in enumerate(times)]
    return sorted(out, key=lambda o: (o[0], o[1]["metadata"]["name"], o[2]))


def snapshot(event, k, t, resource_version):
    e = copy.deepcopy(event)
    if e.get("count") is not None:
        e["count"] = k
        e["lastTimestamp"] = rfc3339(t)
    e["metadata"]["resourceVersion"] = str(resource_version)
    return e


def expired_checkout_event():
    """An event about the ReplicaSet's previous pod, written 1 h before the watch saw it expire (§4.3)."""
    name = "checkout-6b8f9c7d54-p8zrx"
    return {
        "apiVersion": "v1", "count": 1, "eventTime": None, "firstTimestamp": "2026-11-26T23:26:41Z",
        "involvedObject": {"apiVersion": "v1", "fieldPath": "spec.containers{checkout}", "kind": "Pod",
                           "name": name, "namespace": "default", "resourceVersion": "497120",
                           "uid": uid("pod", name)},
        "kind": "Event", "lastTimestamp": "2026-11-26T23:26:41Z", "message": "Stopping container checkout",
        "metadata": {"creationTimestamp": "2026-11-26T23:26:41Z", "name": name + ".18ebb3a1c55f0a2e",
                     "namespace": "default", "resourceVersion": "497188", "uid": uid("event", name, "killing")},
        "reason": "Killing", "reportingComponent": "kubelet", "reportingInstance": "worker-2",
        "source": {"component": "kubelet", "host": "worker-2"}, "type": "Normal",
    }


def watch_history():
    """The default namespace watched from 00:26:00 to the capture while checkout (liveness-http-timeout) fails:
    [(type, time, event)] with BOOKMARK and the expiry of an hour-old event."""
    _, events = load_case("liveness-http-timeout")
    old = expired_checkout_event()
    start = at("00:26:00")
    occ = occurrences(events, checkout_schedule)
    rv = 561000
    stream = []
    latest = {}
    for t, event, k in occ:
        if t <= start:
            latest[event["metadata"]["name"]] = (t, event, k)
    initial = [(old["metadata"]["name"], (parse_time(old["lastTimestamp"]), old, 1))] + sorted(latest.items())
    for _, (t, event, k) in sorted(initial, key=lambda kv: kv[0]):
        stream.append(("ADDED", t, snapshot(event, k, t, event["metadata"]["resourceVersion"])))
    changes = [(t, "event", (event, k)) for t, event, k in occ if t > start]
    changes.append((at("00:26:41"), "expire", old))
    changes.append((at("00:41:05"), "bookmark", None))
    for t, what, payload in sorted(changes, key=lambda c: (c[0], c[1])):
        rv += 7
        if what == "expire":
            stream.append(("DELETED", t, snapshot(payload, 1, parse_time(payload["lastTimestamp"]), rv)))
        elif what == "bookmark":
            stream.append(("BOOKMARK", t, {"kind": "Event", "apiVersion": "v1",
                                           "metadata": {"resourceVersion": str(rv), "creationTimestamp": None}}))
        else:
            event, k = payload
            stream.append(("ADDED" if k == 1 else "MODIFIED", t, snapshot(event, k, t, rv)))
    return stream


# ---------------------------------------------------------------------------------------------------------------
# kubelet journal (docs/kubernetes.md §10.1, §6.3, §7.1, §8.2, §5.1)
# ---------------------------------------------------------------------------------------------------------------


def kv(**fields):
    parts = []
    for key, value in fields.items():
        key = key.rstrip("_")
        parts.append("%s=%s" % (key, value if isinstance(value, int) else go_quote(value)))
    return " ".join(parts)


class Journal:
    """Kubelet records for several nodes, rendered as `journalctl -u kubelet` prints them."""

    def __init__(self):
        self.records = []

    def add(self, t, node_name, severity, where, message, tail="", offset_us=0):
        t = t + dt.timedelta(microseconds=offset_us)
        self.records.append((t, node_name, severity, where, go_quote(message) + (" " + tail if tail else "")))

    def event(self, t, node_name, pod, container, type_, reason, message, offset_us=900):
        self.add(t, node_name, "I", "event.go:389", "Event occurred", kv(
            object=pod, fieldPath="spec.containers{%s}" % container, kind="Pod", apiVersion="v1", type=type_,
            reason=reason, message=message), offset_us)

    def render(self, pids, short=True, identifier="kubelet"):
        out = []
        for t, node_name, severity, where, body in sorted(self.records, key=lambda r: (r[0], r[1])):
            pid = pids[node_name]
            stamp = t.strftime("%b %d %H:%M:%S") if short else t.strftime("%b %d %H:%M:%S.%f")
            prefix = "%s %s %s[%d]: " % (stamp, node_name, identifier, pid)
            # journald reads the kubelet's stderr line by line: each line of a multi-line record is an entry of
            # its own, with its own prefix.
            out += [prefix + line for line in (klog_header(severity, t, pid, where) + body).split("\n")]
        return "".join(line + "\n" for line in out)


def checkout_journal(journal):
    pod, _ = load_case("liveness-http-timeout")
    ns_pod = "default/" + pod["metadata"]["name"]
    pod_uid = pod["metadata"]["uid"]
    formatted = "%s_default(%s)" % (pod["metadata"]["name"], pod_uid)
    ip = pod["status"]["podIP"]
    ids = checkout_container_ids(pod)
    image = pod["spec"]["containers"][0]["image"]
    host = "worker-2"
    def probe(t, kind, path, offset):
        output = 'Get "http://%s:8080%s": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' % (
            ip, path)
        journal.add(t, host, "I", "prober.go:107", "Probe failed", kv(
            probeType=kind, pod=ns_pod, podUID=pod_uid, containerName="checkout", probeResult="failure",
            output=output), offset)
        journal.event(t, host, ns_pod, "checkout", "Warning", "Unhealthy", "%s probe failed: %s" % (kind, output),
                      offset + 400)
    for t in checkout_liveness_fails():
        probe(t, "Liveness", "/healthz", 2_311)
    for text in CHECKOUT_READINESS_FAILS:
        probe(at(text), "Readiness", "/ready", 1_877)
    for i, text in enumerate(CHECKOUT_KILLS):
        k = at(text)
        cid = ids[i]
        journal.add(k, host, "I", "kubelet.go:2542", "SyncLoop (probe)",
                    kv(probe="liveness", status="unhealthy", pod=ns_pod), 4_120)
        journal.add(k, host, "I", "kuberuntime_manager.go:1075", "Message for Container of pod",
                    'containerName="checkout" containerStatusID={"Type":"containerd","ID":"%s"} pod="%s" '
                    'containerMessage="Container checkout failed liveness probe, will be restarted"' % (cid, ns_pod),
                    5_031)
        journal.add(k, host, "I", "kuberuntime_container.go:809", "Killing container with a grace period", kv(
            pod=ns_pod, podUID=pod_uid, containerName="checkout", containerID="containerd://" + cid) + " gracePeriod=30",
            5_210)
        journal.event(k, host, ns_pod, "checkout", "Normal", "Killing",
                      "Container checkout failed liveness probe, will be restarted", 5_388)
        died = at(text) + dt.timedelta(seconds=30, milliseconds=600)
        journal.add(died, host, "I", "generic.go:334", "Generic (PLEG): container finished",
                    'podID="%s" containerID="%s" exitCode=137' % (pod_uid, cid), 0)
        journal.add(died, host, "I", "kubelet.go:2461", "SyncLoop (PLEG): event for pod",
                    'pod="%s" event={"ID":"%s","Type":"ContainerDied","Data":"%s"}' % (ns_pod, pod_uid, cid), 310)
    for t, delay in CHECKOUT_BACKOFFS:
        t = at(t)
        err = ('failed to "StartContainer" for "checkout" with CrashLoopBackOff: "back-off %s restarting failed '
               'container=checkout pod=%s"' % (delay, formatted))
        journal.add(t, host, "E", "pod_workers.go:1301", "Error syncing pod, skipping",
                    kv(err=err, pod=ns_pod, podUID=pod_uid), 2_104)
        journal.event(t, host, ns_pod, "checkout", "Warning", "BackOff",
                      "Back-off restarting failed container checkout in pod " + formatted, 2_311)
    for i, text in enumerate(CHECKOUT_STARTS[1:], start=1):
        s = at(text)
        journal.event(s, host, ns_pod, "checkout", "Normal", "Pulled",
                      'Container image "%s" already present on machine' % image, 12_004)
        journal.event(s, host, ns_pod, "checkout", "Normal", "Created", "Created container: checkout", 98_551)
        journal.event(s, host, ns_pod, "checkout", "Normal", "Started", "Started container checkout", 301_772)
        journal.add(s + dt.timedelta(seconds=1), host, "I", "kubelet.go:2461", "SyncLoop (PLEG): event for pod",
                    'pod="%s" event={"ID":"%s","Type":"ContainerStarted","Data":"%s"}' % (ns_pod, pod_uid, ids[i]), 1_207)
        journal.add(s + dt.timedelta(seconds=1), host, "I", "kubelet.go:2440", "SyncLoop UPDATE",
                    'source="api" pods=["%s"]' % ns_pod, 40_415)


def inventory_journal(journal):
    pod, _ = load_case("crashloop-max")
    ns_pod = "default/" + pod["metadata"]["name"]
    pod_uid = pod["metadata"]["uid"]
    formatted = "%s_default(%s)" % (pod["metadata"]["name"], pod_uid)
    ids = inventory_container_ids(pod)
    image = pod["spec"]["containers"][0]["image"]
    host = "worker-3"
    message = pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["message"].rstrip("\n")
    for i, (start, finish) in enumerate(inventory_runs()):
        if i > 0:
            journal.event(start, host, ns_pod, "inventory", "Normal", "Pulled",
                          'Container image "%s" already present on machine' % image, 11_230)
        journal.event(start, host, ns_pod, "inventory", "Normal", "Created", "Created container: inventory", 97_101)
        journal.event(start, host, ns_pod, "inventory", "Normal", "Started", "Started container inventory", 288_456)
        journal.add(start + dt.timedelta(seconds=1), host, "I", "kubelet.go:2461", "SyncLoop (PLEG): event for pod",
                    'pod="%s" event={"ID":"%s","Type":"ContainerStarted","Data":"%s"}' % (ns_pod, pod_uid, ids[i]),
                    2_550)
        died = finish + dt.timedelta(milliseconds=900)
        journal.add(died, host, "I", "generic.go:334", "Generic (PLEG): container finished",
                    'podID="%s" containerID="%s" exitCode=2' % (pod_uid, ids[i]), 0)
        # Constructed to show klog's multi-line value form (`key=<`, tab-indented lines, ` >`): the kubelet does
        # not log termination messages under this name; see samples/bundles/README.md.
        journal.add(died, host, "I", "kuberuntime_container.go:1063", "Container terminated", kv(
            pod=ns_pod, containerName="inventory", containerID="containerd://" + ids[i]) + " exitCode=2 reason=" +
            go_quote("Error") + " message=<\n" + "".join("\t" + line + "\n" for line in message.split("\n")) + " >",
            120)
        journal.add(died, host, "I", "kubelet.go:2461", "SyncLoop (PLEG): event for pod",
                    'pod="%s" event={"ID":"%s","Type":"ContainerDied","Data":"%s"}' % (ns_pod, pod_uid, ids[i]), 402)
    for t, delay in inventory_backoffs():
        err = ('failed to "StartContainer" for "inventory" with CrashLoopBackOff: "back-off %s restarting failed '
               'container=inventory pod=%s"' % (delay, formatted))
        journal.add(t, host, "E", "pod_workers.go:1301", "Error syncing pod, skipping",
                    kv(err=err, pod=ns_pod, podUID=pod_uid), 0)
        journal.event(t, host, ns_pod, "inventory", "Warning", "BackOff",
                      "Back-off restarting failed container inventory in pod " + formatted, 207)


def kubelet_journal():
    journal = Journal()
    checkout_journal(journal)
    inventory_journal(journal)
    return journal.render({"worker-2": 1187, "worker-3": 1203})


# ---------------------------------------------------------------------------------------------------------------
# the bundles
# ---------------------------------------------------------------------------------------------------------------

DUMP_CASES = ["crashloop-max", "imagepullbackoff", "liveness-http-timeout", "oomkilled"]
MUST_GATHER_CASES = ["crashloop-max", "liveness-http-timeout", "multi-container"]
TROUBLESHOOT_CASES = ["exec-probe-timeout", "init-container-crash", "oomkilled"]


def container_logs(case, pod, container, previous=False):
    """What the kubelet serves for `kubectl logs [--previous]` (docs/kubernetes.md §10.2): the running container, else the
    last terminated one; a container waiting to start has no log (the error text is returned instead)."""
    name = pod["metadata"]["name"]
    if case == "crashloop-max":
        start, finish = inventory_runs()[9]
        return inventory_log(start, finish)
    if case == "liveness-http-timeout":
        if previous:
            return checkout_log(at("00:44:55"), at("00:57:40"), hang_at=at("00:56:44"))
        return checkout_log(at("00:58:25"), EPOCH)
    if case == "oomkilled":
        return report_builder_log(at("00:58:35"))
    if case == "exec-probe-timeout":
        if previous:
            return postgres_log(at("00:35:31"), at("00:53:50"), killed=at("00:53:20"))
        return postgres_log(at("00:54:02"), EPOCH, killed=None)
    if case == "init-container-crash":
        if container == "migrate":
            return migrate_log(at("00:59:26"))
        return 'container "api" in pod "%s" is waiting to start: PodInitializing' % name
    if case == "imagepullbackoff":
        return 'container "%s" in pod "%s" is waiting to start: trying and failing to pull image' % (container, name)
    if case == "multi-container":
        if container == "search":
            t = at("00:53:24")
            return [(t + dt.timedelta(milliseconds=ms), "stdout", text) for ms, text in [
                (310, "time=2026-11-27T00:53:24.310Z level=INFO msg=\"loading index\" shards=12"),
                (4212, "time=2026-11-27T00:53:28.212Z level=INFO msg=\"index loaded\" documents=4183321"),
                (4250, "time=2026-11-27T00:53:28.250Z level=INFO msg=\"serving gRPC\" addr=:9090")]]
        t = at("00:59:08")
        return [(t + dt.timedelta(milliseconds=ms), "stderr", text) for ms, text in [
            (101, "Fluent Bit v3.1.9"),
            (102, "* Copyright (C) 2015-2024 The Fluent Bit Authors"),
            (103, "* Fluent Bit is a CNCF sub-project under the umbrella of Fluentd"),
            (104, "* https://fluentbit.io"),
            (105, ""),
            (1612, "[2026/11/27 00:59:09] [error] [config] parser 'json_iso8601' is not registered"),
            (1613, "[2026/11/27 00:59:09] [error] configuration file contains errors, aborting.")]]
    raise KeyError(case)


def workloads(pods):
    """The ReplicaSets (and their Deployments) that own the pods, as the API returns them."""
    sets, deployments = [], []
    for pod in pods:
        for owner in pod["metadata"].get("ownerReferences", []):
            if owner["kind"] != "ReplicaSet":
                continue
            rs_name = owner["name"]
            deploy = rs_name.rsplit("-", 1)[0]
            ns = pod["metadata"]["namespace"]
            labels = {k: v for k, v in pod["metadata"].get("labels", {}).items()}
            template = {"metadata": {"creationTimestamp": None, "labels": labels},
                        "spec": {"containers": pod["spec"]["containers"]}}
            ready = sum(1 for s in pod["status"].get("containerStatuses", []) if s.get("ready"))
            all_ready = ready == len(pod["spec"]["containers"])
            sets.append({
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"creationTimestamp": pod["metadata"]["creationTimestamp"], "generation": 1,
                             "labels": labels, "name": rs_name, "namespace": ns,
                             "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                                  "controller": True, "kind": "Deployment", "name": deploy,
                                                  "uid": uid("deploy", ns, deploy)}],
                             "resourceVersion": str(600000 + len(sets)), "uid": owner["uid"]},
                "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": template},
                "status": dict({"fullyLabeledReplicas": 1, "observedGeneration": 1, "replicas": 1},
                               **({"availableReplicas": 1, "readyReplicas": 1} if all_ready else {})),
            })
            selector = {k: v for k, v in labels.items() if k != "pod-template-hash"}
            deployments.append({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"creationTimestamp": pod["metadata"]["creationTimestamp"], "generation": 1,
                             "labels": selector, "name": deploy, "namespace": ns,
                             "resourceVersion": str(600100 + len(deployments)), "uid": uid("deploy", ns, deploy)},
                "spec": {"replicas": 1, "selector": {"matchLabels": selector},
                         "template": {"metadata": {"creationTimestamp": None, "labels": selector},
                                      "spec": {"containers": pod["spec"]["containers"]}}},
                "status": dict({"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1},
                               **({"availableReplicas": 1, "readyReplicas": 1} if all_ready
                                  else {"unavailableReplicas": 1})),
            })
    return by_name(sets), by_name(deployments)


def dump_logs(case, pod):
    """A pod's logs.txt: one START … END section per container (init containers first), docs/kubernetes.md §10.3."""
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    out = []
    containers = pod["spec"].get("initContainers", []) + pod["spec"]["containers"]
    for c in containers:
        out.append("==== START logs for container %s of pod %s/%s ====\n" % (c["name"], ns, name))
        logs = coredns_log() if case is None else container_logs(case, pod, c["name"])
        out.append("Request log error: %s\n" % logs if isinstance(logs, str) else plain(logs))
        out.append("==== END logs for container %s of pod %s/%s ====\n" % (c["name"], ns, name))
    return "".join(out)


def cluster_info_dump():
    """`kubectl cluster-info dump` (default namespaces: kube-system and the current one, `default`): the
    `--output-directory` tree and the same run to stdout. Typed lists: kind/apiVersion on the list only,
    4-space indent (docs/kubernetes.md §10.3)."""
    cases = {case: load_case(case) for case in DUMP_CASES}
    namespaces = {
        "kube-system": ([coredns_pod()], [], {COREDNS: None}),
        "default": ([p for p, _ in cases.values()], [e for _, es in cases.values() for e in es],
                    {p["metadata"]["name"]: case for case, (p, _) in cases.items()}),
    }
    files = []
    def emit(path, obj):
        files.append((path, go_json(typed(obj, keep_type_meta=False), indent=4) + "\n"))
    emit("nodes.json", a_list("NodeList", [node(n) for n in sorted(NODES)], "612040"))
    for ns in ["kube-system", "default"]:
        pods, events, which = namespaces[ns]
        pods = by_name(pods)
        sets, deployments = workloads(pods)
        emit(ns + "/events.json", a_list("EventList", by_name(events), "612041"))
        emit(ns + "/replication-controllers.json", a_list("ReplicationControllerList", [], "612041"))
        services = [{"apiVersion": "v1", "kind": "Service", "metadata": {
            "creationTimestamp": "2026-11-20T09:03:01Z", "labels": {"component": "apiserver", "provider": "kubernetes"},
            "name": "kubernetes", "namespace": "default", "resourceVersion": "233", "uid": uid("svc", "kubernetes")},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "internalTrafficPolicy": "Cluster",
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                     "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}] if ns == "default" else []
        emit(ns + "/services.json", a_list("ServiceList", services, "612041"))
        emit(ns + "/daemonsets.json", {"apiVersion": "apps/v1", "items": [], "kind": "DaemonSetList",
                                       "metadata": {"resourceVersion": "612041"}})
        emit(ns + "/deployments.json", {"apiVersion": "apps/v1", "items": deployments, "kind": "DeploymentList",
                                        "metadata": {"resourceVersion": "612041"}})
        emit(ns + "/replicasets.json", {"apiVersion": "apps/v1", "items": sets, "kind": "ReplicaSetList",
                                        "metadata": {"resourceVersion": "612041"}})
        emit(ns + "/pods.json", a_list("PodList", pods, "612041"))
        for pod in pods:
            files.append((ns + "/" + pod["metadata"]["name"] + "/logs.txt",
                          dump_logs(which[pod["metadata"]["name"]], pod)))
    stdout = "".join(text for _, text in files)
    tree = {"cluster-state/" + path: text.encode() for path, text in files}
    return tree, stdout.encode()


def must_gather():
    """`oc adm must-gather`: one image directory holding `oc adm inspect` output (YAML lists and objects, logs with
    --timestamps), node objects and the masters' kubelet journal (docs/kubernetes.md §12)."""
    root = "must-gather.local.1234/"
    image = root + "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/"
    files = {}
    pods, events = [], []
    for case in MUST_GATHER_CASES:
        pod, evs = load_case(case)
        pods.append(pod)
        events += evs
        name = pod["metadata"]["name"]
        base = image + "namespaces/default/pods/%s/" % name
        with open(os.path.join(SAMPLES, case, "pod.yaml"), encoding="utf-8") as f:
            files[base + name + ".yaml"] = ("---\n" + f.read()).encode()
        for status in pod["status"]["containerStatuses"]:
            c = status["name"]
            logs = base + "%s/%s/logs/" % (c, c)
            files[logs + "current.log"] = timestamped(container_logs(case, pod, c)).encode()
            if status["restartCount"] > 0:
                files[logs + "previous.log"] = timestamped(container_logs(case, pod, c, previous=True)).encode()
    files[image + "namespaces/default/core/pods.yaml"] = ("---\n" + yaml_emit(
        a_list("PodList", by_name(pods), "612044"))).encode()
    files[image + "namespaces/default/core/events.yaml"] = ("---\n" + yaml_emit(
        a_list("EventList", by_name(events), "612044"))).encode()
    for name in sorted({p["spec"]["nodeName"] for p in pods}):
        files[image + "cluster-scoped-resources/core/nodes/%s.yaml" % name] = ("---\n" + yaml_emit(node(name))).encode()
    files[image + "host_service_logs/masters/kubelet_service.log"] = masters_kubelet_log().encode()
    files[root + "timestamp"] = (b"2026-11-27 00:59:12.804233187 +0000 UTC m=+0.114025491\n"
                                 b"2026-11-27 01:00:00.013577219 +0000 UTC m=+47.323369523\n")
    return files


def masters_kubelet_log():
    """`oc adm node-logs --role=master -u kubelet`: short-precise journal lines, OpenShift's kubenswrapper."""
    journal = Journal()
    statics = ["openshift-etcd/etcd-cp-1", "openshift-kube-apiserver/kube-apiserver-cp-1",
               "openshift-kube-controller-manager/kube-controller-manager-cp-1",
               "openshift-kube-scheduler/openshift-kube-scheduler-cp-1"]
    for minute in range(58, 60):
        t = at("00:%02d:03" % minute)
        for i, pod in enumerate(statics):
            journal.add(t, "cp-1", "I", "kubelet_getters.go:218", "Pod status updated",
                        kv(pod=pod, status="Running"), 104_389 + 211 * i)
        journal.add(t + dt.timedelta(seconds=20), "cp-1", "I", "kubelet.go:2542", "SyncLoop (probe)",
                    kv(probe="readiness", status="ready", pod=statics[0]), 614_006)
    journal.add(at("00:58:41"), "cp-1", "W", "reflector.go:561",
                "k8s.io/client-go/informers/factory.go:160: watch of *v1.ConfigMap ended with: an error on the "
                "server (\"unable to decode an event from the watch stream: http2: client connection lost\") has "
                "prevented the request from succeeding", "", 903_114)
    return journal.render({"cp-1": 2112}, short=False, identifier="kubenswrapper")


def troubleshoot():
    """troubleshoot.sh `kubectl support-bundle`: typed lists with kind/apiVersion on every item, 2-space indent;
    logs of unhealthy pods (current and previous); redactors' `***HIDDEN***` (docs/kubernetes.md §12)."""
    root = "supportbundle-2026-11-27T01_00_00/"
    res = root + "cluster-resources/"
    files = {}
    pods, events = [], []
    for case in TROUBLESHOOT_CASES:
        pod, evs = load_case(case)
        pod = copy.deepcopy(pod)
        # The default redactor hides connection strings in env values; the bundle spec adds a yamlPath removal for
        # the team's database annotation.
        for c in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]:
            for env in c.get("env", []):
                if env["name"] == "FLYWAY_URL":
                    env["value"] = HIDDEN
        if case == "init-container-crash":
            pod["metadata"]["annotations"] = {"accounts.example.com/flyway-credentials": HIDDEN}
        pods.append(pod)
        events += evs
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        statuses = pod["status"].get("initContainerStatuses", []) + pod["status"]["containerStatuses"]
        for status in statuses:
            c = status["name"]
            base = res + "pods/logs/%s/%s/%s" % (ns, name, c)
            logs = container_logs(case, pod, c)
            if isinstance(logs, str):
                files[base + "-logs-errors.log"] = logs.encode()
                continue
            files[base + ".log"] = plain(logs).encode()
            if status["restartCount"] > 0:
                files[base + "-previous.log"] = plain(container_logs(case, pod, c, previous=True)).encode()
    def emit(path, obj):
        files[res + path] = go_json(typed(obj), indent=2).encode()
    emit("pods/default.json", a_list("PodList", by_name(pods), "612050"))
    emit("events/default.json", a_list("EventList", by_name(events), "612050"))
    emit("nodes.json", a_list("NodeList", [node(n) for n in sorted(NODES)], "612050"))
    emit("namespaces.json", a_list("NamespaceList", [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {
            "creationTimestamp": "2026-11-20T09:03:00Z", "labels": {"kubernetes.io/metadata.name": ns},
            "name": ns, "resourceVersion": str(20 + i), "uid": uid("ns", ns)},
         "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
        for i, ns in enumerate(["default", "kube-system"])], "612050"))
    analysis = [
        {"name": "cluster-version", "labels": {"desiredPosition": "1", "iconKey": "kubernetes"},
         "insight": {"name": "cluster-version", "labels": {"iconKey": "kubernetes"},
                     "primary": "Kubernetes Version", "detail": "Kubernetes version is v1.32.4", "severity": "debug"},
         "severity": "debug", "analyzerSpec": ""},
        {"name": "pods-unhealthy", "labels": {"desiredPosition": "2", "iconKey": "kubernetes"},
         "insight": {"name": "pods-unhealthy", "labels": {"iconKey": "kubernetes"}, "primary": "Pod Status",
                     "detail": "3 pods in namespace default are not healthy", "severity": "warn"},
         "severity": "warn", "analyzerSpec": ""},
    ]
    files[root + "analysis.json"] = go_json(analysis, indent=2).encode()
    return files


def event_watch():
    """The same watch twice: the API's `?watch=1` NDJSON (typed, compact, with a BOOKMARK) and
    `kubectl get events -w -o json` (unstructured: sorted keys, 4-space pretty objects, concatenated)."""
    raw, pretty = [], []
    for typ, _, obj in watch_history():
        raw.append(go_json({"type": typ, "object": typed(obj) if typ != "BOOKMARK" else obj}) + "\n")
        if typ != "BOOKMARK":
            pretty.append(go_json(json.loads(json.dumps(obj, sort_keys=True)), indent=4) + "\n")
    return "".join(raw).encode(), "".join(pretty).encode()


def eventrouter():
    """heptio eventrouter's glog sink (`{"verb":…,"event":…,"old_event":…}` behind a klog header) watching
    redis-cache (tcp-probe-refused) from before it was scheduled."""
    _, events = load_case("tcp-probe-refused")
    lines = [
        klog_header("W", at("00:40:02.114523"), 1, "client_config.go:659") +
        "Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.",
        klog_header("I", at("00:40:02.115911"), 1, "eventrouter.go:85") + "Starting eventrouter",
    ]
    last = {}
    rv = 590000
    for t, event, k in occurrences(events, lambda e: None):
        rv += 3
        new = typed(snapshot(event, k, t, rv))
        seen = t + dt.timedelta(milliseconds=41 + (rv % 97))
        name = event["metadata"]["name"]
        data = {"verb": "ADDED" if name not in last else "UPDATED", "event": new}
        if name in last:
            data["old_event"] = last[name]
        last[name] = new
        lines.append(klog_header("I", seen, 1, "glogsink.go:42") + go_json(data))
    return "".join(line + "\n" for line in lines).encode()


LOG_MAX_SIZE = 2048
LOG_MAX_FILES = 3


def rotated(entries, start, end):
    """The files the kubelet's container log manager leaves for one container instance (docs/kubernetes.md §10.2), with
    `containerLogMaxSize: 2Ki` and `containerLogMaxFiles: 3`: every 10 s a running container's log over the limit is
    renamed `<n>.log.<YYYYMMDD-hhmmss>`; before that, rotated files beyond MaxFiles-2 are removed and the others
    gzipped, so the newest rotation stays plain. [(suffix, entries, gzipped)] in time order."""
    done = []  # [stamp, entries, compressed]
    current = []
    size = 0
    pending = sorted(entries, key=lambda e: e[0])
    tick = start.replace(second=(start.second // 10) * 10, microsecond=0) + dt.timedelta(seconds=10)
    i = 0
    while tick <= end:
        while i < len(pending) and pending[i][0] < tick:
            current.append(pending[i])
            size += len(cri([pending[i]]))
            i += 1
        if size > LOG_MAX_SIZE:
            done = done[-(LOG_MAX_FILES - 2):] if LOG_MAX_FILES > 2 else []
            for r in done:
                r[2] = True
            done.append([tick.strftime("%Y%m%d-%H%M%S"), current, False])
            current, size = [], 0
        tick += dt.timedelta(seconds=10)
    current += pending[i:]
    return [("." + stamp + (".gz" if gz else ""), ents, gz) for stamp, ents, gz in done] + [("", current, False)]


def var_log_pods():
    """The kubelet's /var/log/pods for the two crashing pods (docs/kubernetes.md §10.2): checkout's last dead instance
    rotated twice (`containerLogMaxSize: 4Ki` on this node), the newest rotation plain, the older one gzipped;
    inventory keeps only its last dead instance (container GC keeps one per container)."""
    files = {}
    pod, _ = load_case("liveness-http-timeout")
    d = "pods/default_%s_%s/checkout/" % (pod["metadata"]["name"], pod["metadata"]["uid"])
    run3 = checkout_log(at("00:44:55"), at("00:57:40"), hang_at=at("00:56:44"), long_line=True)
    for suffix, entries, compressed in rotated(run3, at("00:44:55"), at("00:57:40")):
        data = cri(entries).encode()
        files[d + "3.log" + suffix] = gzip_bytes(data) if compressed else data
    files[d + "4.log"] = cri(checkout_log(at("00:58:25"), EPOCH)).encode()
    pod, _ = load_case("crashloop-max")
    d = "pods/default_%s_%s/inventory/" % (pod["metadata"]["name"], pod["metadata"]["uid"])
    start, finish = inventory_runs()[9]
    files[d + "9.log"] = cri(inventory_log(start, finish)).encode()
    return files


# ---------------------------------------------------------------------------------------------------------------
# byte-reproducible archives
# ---------------------------------------------------------------------------------------------------------------


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def tar_gz(files):
    """A .tar.gz of `files` ({path: bytes}): sorted entries with their parent directories, mtime = capture epoch,
    owner 0/0, ustar headers, gzip mtime 0."""
    buf = io.BytesIO()
    directories = set()
    for path in files:
        parts = path.split("/")[:-1]
        directories.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in sorted(directories | set(files)):
            info = tarfile.TarInfo(path.rstrip("/") if path.endswith("/") else path)
            info.mtime = EPOCH_SECONDS
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if path.endswith("/"):
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.mode = 0o644
                info.size = len(files[path])
                tar.addfile(info, io.BytesIO(files[path]))
    return gzip_bytes(buf.getvalue())


# ---------------------------------------------------------------------------------------------------------------
# READMEs
# ---------------------------------------------------------------------------------------------------------------

READMES = {
    "": """# Bundle samples

Support bundles, event streams and node logs built by `tools/make-bundle-samples.py` from the same pod and event
objects that real kubectl rendered in `samples/<case>/` (`make samples` runs both). Each bundle tells the stories of
the cases it includes, so podmortem must reach the same conclusions from it as from `samples/<case>/describe.txt`.
The capture time is 2026-11-27T01:00:00Z; run podmortem with `--now 2026-11-27T01:00:00Z`.

| sample | producer | cases |
| --- | --- | --- |
| `cluster-info-dump/` | `kubectl cluster-info dump` (directory tree as .tar.gz, and stdout) | crashloop-max, imagepullbackoff, liveness-http-timeout, oomkilled (+ a healthy coredns in kube-system) |
| `must-gather/` | `oc adm must-gather` | crashloop-max, liveness-http-timeout, multi-container |
| `troubleshoot/` | troubleshoot.sh support bundle | exec-probe-timeout, init-container-crash, oomkilled |
| `events-watch/` | `GET …/events?watch=1` and `kubectl get events -w -o json` | liveness-http-timeout |
| `eventrouter/` | heptio eventrouter, glog sink | tcp-probe-refused |
| `kubelet-journal/` | `journalctl -u kubelet` | liveness-http-timeout (worker-2), crashloop-max (worker-3) |
| `var-log-pods/` | the kubelet's `/var/log/pods` | liveness-http-timeout, crashloop-max |

What is constructed rather than copied: node objects, the coredns pod, ReplicaSets and Deployments, container log
text, the times of the individual occurrences behind each event's count (checked against the events' count,
firstTimestamp and lastTimestamp), resourceVersions of intermediate event writes, and the kubelet lines, which follow
the 1.32 kubelet's messages (docs/kubernetes.md §6.3, §7.1, §8.2, §5.1) except one noted in `kubelet-journal/README.md`.
""",
    "cluster-info-dump": """# kubectl cluster-info dump

`cluster-info-dump.tar.gz` is `kubectl cluster-info dump --output-directory=cluster-state` (kubectl 1.32, default
namespaces kube-system and `default`) packed as a tar.gz: `nodes.json`, and per namespace `events.json` (EventList),
`pods.json` (PodList), `services.json`, `replication-controllers.json`, `daemonsets.json`, `deployments.json`,
`replicasets.json`, and `<pod>/logs.txt` with one `==== START logs for container C of pod NS/P ====` …
`==== END … ====` section per container. Lists are typed: `kind`/`apiVersion` on the list, not on the items.

`cluster-info-dump-stdout.txt` is the same run without `--output-directory`: the JSON objects printed one after
another, each namespace's log sections right after its pods (docs/kubernetes.md §10.3).

Stories: crashloop-max (inventory panics, CrashLoopBackOff at the 5m0s cap; its log section holds the panic),
liveness-http-timeout (checkout's liveness HTTP probe times out; restarted 4 times, running now), oomkilled
(report-builder OOMKilled at its 256Mi limit), imagepullbackoff (frontend's tag does not exist; its log section is
`Request log error: … is waiting to start: trying and failing to pull image`), and coredns, healthy.

podmortem should conclude, as from each case's describe.txt: `crashloop.backoff` (inventory, exit 2),
`probe.liveness-failing` (checkout, mode timeout), `container.oom-killed` (report-builder, exit 137),
`image.pull-failing` (frontend); nothing about coredns.
""",
    "must-gather": """# OpenShift must-gather

`must-gather.local.1234/` is what `oc adm must-gather` leaves: a `timestamp` file and one directory per gather image,
here `quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/`, holding `oc adm inspect` output:
`namespaces/default/core/pods.yaml` and `core/events.yaml` (YAML lists, each file starting with `---`),
`namespaces/default/pods/<pod>/<pod>.yaml` (the pod.yaml real kubectl printed), container logs with `--timestamps`
in `pods/<pod>/<ctr>/<ctr>/logs/current.log` (and `previous.log` for containers that restarted),
`cluster-scoped-resources/core/nodes/<node>.yaml`, and the masters' kubelet journal
(`host_service_logs/masters/kubelet_service.log`, `journalctl -o short-precise`, OpenShift's `kubenswrapper`).

For a container waiting in CrashLoopBackOff the kubelet serves the last terminated instance both as the current and
the previous log, so inventory's `current.log` and `previous.log` are the same.

Stories: crashloop-max, liveness-http-timeout and multi-container (search is fine; its log-forwarder sidecar exits
1 on a bad fluent-bit parser). podmortem should conclude `crashloop.backoff` for inventory (exit 2),
`probe.liveness-failing` for checkout (timeout) and `crashloop.backoff` for search's log-forwarder (exit 1). The
masters' kubelet lines are routine. Point podmortem at `must-gather.local.1234`.
""",
    "troubleshoot": """# troubleshoot.sh support bundle

`troubleshoot.tar.gz` holds `supportbundle-2026-11-27T01_00_00/`: `cluster-resources/pods/default.json`,
`cluster-resources/events/default.json`, `cluster-resources/nodes.json`, `cluster-resources/namespaces.json`
(troubleshoot marshals typed lists with `kind`/`apiVersion` set on the list and on every item, 2-space indent),
container logs of the unhealthy pods in `cluster-resources/pods/logs/default/<pod>/<ctr>.log` and
`<ctr>-previous.log`, `api-logs-errors.log` where the kubelet had no log to give (the app container of
accounts-api never started), and the bundle's own `analysis.json` (analyzer results; no layout podmortem knows).

Redactions: the default redactor replaced the `FLYWAY_URL` env value of accounts-api's `migrate` init container,
and the bundle spec's yamlPath removal replaced the `accounts.example.com/flyway-credentials` annotation (added to
this copy of the pod for the purpose); both read `***HIDDEN***` and must never be shown as values.

Stories: exec-probe-timeout (postgres-0's exec liveness probe times out; 2 restarts), init-container-crash
(accounts-api's Flyway init container fails migration V42; Init:CrashLoopBackOff), oomkilled (report-builder
OOMKilled). podmortem should conclude `probe.liveness-failing` (postgres, mode timeout), `init.container-failing`
(migrate, exit 1), `container.oom-killed` (report-builder, exit 137), as from each describe.txt.
""",
    "events-watch": """# Event watch streams

One watch of the `default` namespace's events from 00:26:00 to the capture, while checkout
(liveness-http-timeout) fails, in two forms (docs/kubernetes.md §3.2):

- `events-watch.ndjson`: the API's `GET /api/v1/namespaces/default/events?watch=1&allowWatchBookmarks=true`, one
  `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK","object":{…}}` per line (typed objects, compact). The initial ADDED
  lines are the events that existed at 00:26:00; the liveness `Unhealthy` event then grows from count 1 to 12 over
  MODIFIED lines (readiness to 20, Killing to 4, BackOff to 6); one BOOKMARK; and a DELETED for an hour-old
  `Killing` event of the ReplicaSet's previous pod (checkout-6b8f9c7d54-p8zrx) that expired (TTL 1 h, §4.3).
- `events-watch-kubectl.json`: `kubectl get events -w -o json`: the same objects, pretty-printed with 4-space
  indents and sorted keys, concatenated (not NDJSON); no bookmark.

The final state of every event equals `samples/liveness-http-timeout/events.json` except `resourceVersion`.
podmortem should conclude `probe.liveness-failing` for checkout (liveness, timeout) from the events alone, count 12
(not the sum of the MODIFIED counts), and list the expired event's pod with its one event.
""",
    "eventrouter": """# eventrouter

`eventrouter.log` is the log of heptio eventrouter with its glog sink: two start-up lines, then one
`{"verb":"ADDED"|"UPDATED","event":{…},"old_event":{…}}` line per event write behind a klog header
(`I1127 00:52:14.083211       1 glogsink.go:42] `). It watched redis-cache (tcp-probe-refused): Redis binds to
127.0.0.1, the tcpSocket liveness probe on the pod IP is refused, 5 restarts, CrashLoopBackOff. The counts grow to
the values in `samples/tcp-probe-refused/events.json` (Unhealthy 18, Killing 6, BackOff 12); the times of the
occurrences in between are spread evenly between firstTimestamp and lastTimestamp.

podmortem should conclude `probe.liveness-failing` for redis (liveness, tcp-socket refused), as from describe.txt,
counting each event once at its latest count.
""",
    "kubelet-journal": """# Kubelet journal

`kubelet-journal.log` is `journalctl --merge -u kubelet` on a log host that collects worker-2's and worker-3's
journals (systemd-journal-remote), lines about the two pods below (kubelet 1.32 at `--v=3`, so `Event occurred` is
logged). journald stores each line of a multi-line klog record as its own entry, so every line has the prefix.

- worker-2, checkout (liveness-http-timeout): `"Probe failed" probeType="Liveness"` every 10 s, three in a row
  (timeouts), then `"SyncLoop (probe)"`, `"Killing container with a grace period" … gracePeriod=30`, the PLEG's
  `container finished … exitCode=137` 30 s later, restarts, and `"Error syncing pod, skipping"` with the back-off
  (10s, 20s, 40s); readiness fails alongside.
- worker-3, inventory (crashloop-max): ten starts, each dying 5 s later (exit 2), and one
  `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"inventory\\" with CrashLoopBackOff: …"`
  per sync retry in back-off (101, like the BackOff event's count), the back-off growing to 5m0s.

One line kind is constructed, not the kubelet's: `"Container terminated" … message=<` (tab-indented lines, ` >`) is
there to carry klog's multi-line value form (docs/kubernetes.md §10.1) with inventory's termination message.

podmortem should conclude from the log alone: liveness probe timeouts restart checkout, and inventory is in
CrashLoopBackOff at the 5m0s back-off.
""",
    "var-log-pods": """# /var/log/pods

`pods/` is a copy of the kubelet's `/var/log/pods` for two pods (docs/kubernetes.md §10.2):

- `default_checkout-6b8f9c7d54-qv7xk_<uid>/checkout/`: instance 3 (00:44:55–00:57:40, killed by the liveness probe)
  rotated while it ran (this node has `containerLogMaxSize: 2Ki`, `containerLogMaxFiles: 3`; the kubelet checks every
  10 s): `3.log.<stamp>.gz` (older, gzipped), `3.log.<stamp>` (newest rotation, plain), `3.log` (the rest), and
  `4.log` (the running instance). Rotations before those were removed. In time order the lines run .gz → plain
  rotated → 3.log → 4.log. One long JSON line (a stack trace, over 16 KiB) is split by containerd into a `P` chunk of
  16 KiB and an `F` chunk.
- `default_inventory-6d8f7b5c9-zt8mx_<uid>/inventory/9.log`: inventory's last run (restart 9), stdout JSON lines and
  the Go panic on stderr.

podmortem should attribute every line to its pod and container from the path, join the P/F chunks into one record,
and read the gzipped rotation. Container logs alone raise no finding.
""",
}


# ---------------------------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------------------------


def check_yaml_emitter():
    for case in sorted(os.listdir(SAMPLES)):
        path = os.path.join(SAMPLES, case, "pod.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f, open(os.path.join(SAMPLES, case, "pod.yaml"), encoding="utf-8") as g:
            if yaml_emit(json.load(f)) != g.read():
                sys.exit("make-bundle-samples: the YAML emitter no longer matches kubectl's %s/pod.yaml" % case)


def build(out):
    check_yaml_emitter()
    files = {}
    for name, text in READMES.items():
        files[os.path.join(name, "README.md")] = text.encode()
    tree, stdout = cluster_info_dump()
    files["cluster-info-dump/cluster-info-dump.tar.gz"] = tar_gz(tree)
    files["cluster-info-dump/cluster-info-dump-stdout.txt"] = stdout
    for path, data in must_gather().items():
        files["must-gather/" + path] = data
    files["troubleshoot/troubleshoot.tar.gz"] = tar_gz(troubleshoot())
    raw, pretty = event_watch()
    files["events-watch/events-watch.ndjson"] = raw
    files["events-watch/events-watch-kubectl.json"] = pretty
    files["eventrouter/eventrouter.log"] = eventrouter()
    files["kubelet-journal/kubelet-journal.log"] = kubelet_journal().encode()
    for path, data in var_log_pods().items():
        files["var-log-pods/" + path] = data
    total = sum(len(d) for d in files.values())
    if total >= 2 << 20:
        sys.exit("make-bundle-samples: samples/bundles would be %d bytes (limit 2 MiB)" % total)
    for path, data in sorted(files.items()):
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with samples/bundles instead of writing")
    args = parser.parse_args()
    target = os.path.join(SAMPLES, "bundles")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            files = build(tmp)
            stale = [p for p in sorted(files) if not os.path.exists(os.path.join(target, p))
                     or not filecmp.cmp(os.path.join(tmp, p), os.path.join(target, p), shallow=False)]
            extra = []
            for dirpath, _, names in os.walk(target):
                for n in names:
                    rel = os.path.relpath(os.path.join(dirpath, n), target)
                    if rel not in files:
                        extra.append(rel)
            for p in stale + sorted(extra):
                print("stale: samples/bundles/" + p)
            sys.exit(1 if stale or extra else 0)
    shutil.rmtree(target, ignore_errors=True)
    files = build(target)
    print("samples/bundles: %d files, %d bytes" % (len(files), sum(len(d) for d in files.values())))


if __name__ == "__main__":
    main()
