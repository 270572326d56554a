"""Python port of the Kubernetes 1.32 apiserver table printers for pods and events.

Ported from k8s.io/kubernetes pkg/printers/internalversion/printers.go (printPod,
printEvent, formatEventSource) and k8s.io/apimachinery pkg/util/duration
(HumanDuration). The apiserver computes these cells; kubectl only lays them out.
Times are datetime objects in UTC; `now` is passed explicitly so the output is
deterministic.
"""

import datetime as _dt

UTC = _dt.timezone.utc


def parse_time(value):
    """Parse an RFC 3339 (optionally micro) timestamp; None or '' gives None."""
    if not value:
        return None
    text = value.replace("Z", "+00:00")
    return _dt.datetime.fromisoformat(text).astimezone(UTC)


def human_duration(seconds_float):
    """duration.HumanDuration for a duration given in (fractional) seconds."""
    # Go: seconds := int(d.Seconds()) truncates toward zero.
    seconds = int(seconds_float)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return "%ds" % seconds
    minutes = int(seconds_float / 60)
    if minutes < 10:
        s = int(seconds_float) % 60
        if s == 0:
            return "%dm" % minutes
        return "%dm%ds" % (minutes, s)
    if minutes < 60 * 3:
        return "%dm" % minutes
    hours = int(seconds_float / 3600)
    if hours < 8:
        m = int(seconds_float / 60) % 60
        if m == 0:
            return "%dh" % hours
        return "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 24 * 8:
        h = hours % 24
        if h == 0:
            return "%dd" % (hours // 24)
        return "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        if dy == 0:
            return "%dy" % (hours // 24 // 365)
        return "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def translate_timestamp_since(value, now):
    """translateTimestampSince / translateMicroTimestampSince."""
    t = parse_time(value)
    if t is None:
        return "<unknown>"
    return human_duration((now - t).total_seconds())


POD_COLUMNS = [
    {"name": "Name", "type": "string", "format": "name", "priority": 0,
     "description": "Name must be unique within a namespace."},
    {"name": "Ready", "type": "string", "format": "", "priority": 0,
     "description": "The aggregate readiness state of this pod for accepting traffic."},
    {"name": "Status", "type": "string", "format": "", "priority": 0,
     "description": "The aggregate status of the containers in this pod."},
    {"name": "Restarts", "type": "string", "format": "", "priority": 0,
     "description": "The number of times the containers in this pod have been restarted and when the last "
                    "container in this pod has restarted."},
    {"name": "Age", "type": "string", "format": "", "priority": 0,
     "description": "CreationTimestamp is a timestamp representing the server time when this object was created."},
    {"name": "IP", "type": "string", "format": "", "priority": 1,
     "description": "podIP address allocated to the pod."},
    {"name": "Node", "type": "string", "format": "", "priority": 1,
     "description": "NodeName indicates in which node this pod is scheduled."},
    {"name": "Nominated Node", "type": "string", "format": "", "priority": 1,
     "description": "nominatedNodeName is set only when this pod preempts other pods on the node."},
    {"name": "Readiness Gates", "type": "string", "format": "", "priority": 1,
     "description": "If specified, all readiness gates will be evaluated for pod readiness."},
]

EVENT_COLUMNS = [
    {"name": "Last Seen", "type": "string", "format": "", "priority": 0,
     "description": "deprecatedLastTimestamp is the deprecated field assuring backward compatibility."},
    {"name": "Type", "type": "string", "format": "", "priority": 0,
     "description": "type is the type of this event (Normal, Warning)."},
    {"name": "Reason", "type": "string", "format": "", "priority": 0,
     "description": "reason is why the action was taken."},
    {"name": "Object", "type": "string", "format": "", "priority": 0,
     "description": "regarding contains the object this Event is about."},
    {"name": "Subobject", "type": "string", "format": "", "priority": 1,
     "description": "If referring to a piece of an object instead of an entire object, this string should "
                    "contain a valid JSON/Go field access statement."},
    {"name": "Source", "type": "string", "format": "", "priority": 1,
     "description": "The component reporting this event. Should be a short machine understandable string."},
    {"name": "Message", "type": "string", "format": "", "priority": 0,
     "description": "note is a human-readable description of the status of this operation."},
    {"name": "First Seen", "type": "string", "format": "", "priority": 1,
     "description": "deprecatedFirstTimestamp is the deprecated field assuring backward compatibility."},
    {"name": "Count", "type": "string", "format": "", "priority": 1,
     "description": "deprecatedCount is the deprecated field assuring backward compatibility."},
    {"name": "Name", "type": "string", "format": "name", "priority": 1,
     "description": "Name must be unique within a namespace."},
]

POD_SUCCESS_CONDITIONS = [{"type": "Completed", "status": "True", "reason": "Succeeded",
                           "message": "The pod has completed successfully."}]
POD_FAILED_CONDITIONS = [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}]


def _is_restartable_init(container):
    return bool(container) and container.get("restartPolicy") == "Always"


def _later(a, b):
    """Return the later of two optional datetimes (metav1.Time.Before semantics)."""
    if b is None:
        return a
    if a is None or a < b:
        return b
    return a


def print_pod(pod, now):
    """printPod (1.32): returns (cells, row_conditions). Cells always include the wide set."""
    spec = pod.get("spec", {})
    status = pod.get("status", {})
    meta = pod.get("metadata", {})
    restarts = 0
    restartable_init_restarts = 0
    total = len(spec.get("containers", []))
    ready = 0
    last_restart = None
    last_restartable_init_restart = None

    phase = status.get("phase", "")
    reason = phase
    if status.get("reason"):
        reason = status["reason"]
    for cond in status.get("conditions", []) or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    row_conditions = None
    if phase == "Succeeded":
        row_conditions = POD_SUCCESS_CONDITIONS
    elif phase == "Failed":
        row_conditions = POD_FAILED_CONDITIONS

    init_specs = {}
    for c in spec.get("initContainers", []) or []:
        init_specs[c["name"]] = c
        if _is_restartable_init(c):
            total += 1

    initializing = False
    n_init = len(spec.get("initContainers", []) or [])
    for i, cs in enumerate(status.get("initContainerStatuses", []) or []):
        restarts += int(cs.get("restartCount", 0))
        last_term = (cs.get("lastState") or {}).get("terminated")
        if last_term is not None:
            last_restart = _later(last_restart, parse_time(last_term.get("finishedAt")))
        restartable = _is_restartable_init(init_specs.get(cs["name"]))
        if restartable:
            restartable_init_restarts += int(cs.get("restartCount", 0))
            if last_term is not None:
                last_restartable_init_restart = _later(last_restartable_init_restart,
                                                       parse_time(last_term.get("finishedAt")))
        state = cs.get("state") or {}
        term = state.get("terminated")
        wait = state.get("waiting")
        if term is not None and int(term.get("exitCode", 0)) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if term.get("signal", 0):
                    reason = "Init:Signal:%d" % term["signal"]
                else:
                    reason = "Init:ExitCode:%d" % term.get("exitCode", 0)
            else:
                reason = "Init:" + term["reason"]
            initializing = True
        elif wait is not None and wait.get("reason") and wait.get("reason") != "PodInitializing":
            reason = "Init:" + wait["reason"]
            initializing = True
        else:
            reason = "Init:%d/%d" % (i, n_init)
            initializing = True
        break

    initialized_true = any(c.get("type") == "Initialized" and c.get("status") == "True"
                           for c in status.get("conditions", []) or [])
    if not initializing or initialized_true:
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses", []) or []):
            restarts += int(cs.get("restartCount", 0))
            last_term = (cs.get("lastState") or {}).get("terminated")
            if last_term is not None:
                last_restart = _later(last_restart, parse_time(last_term.get("finishedAt")))
            state = cs.get("state") or {}
            wait = state.get("waiting")
            term = state.get("terminated")
            if wait is not None and wait.get("reason"):
                reason = wait["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if term.get("signal", 0):
                    reason = "Signal:%d" % term["signal"]
                else:
                    reason = "ExitCode:%d" % term.get("exitCode", 0)
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            pod_ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                            for c in status.get("conditions", []) or [])
            reason = "Running" if pod_ready else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = "%d (%s ago)" % (restarts, human_duration((now - last_restart).total_seconds()))

    cells = [meta.get("name", ""), "%d/%d" % (ready, total), reason, restarts_str,
             translate_timestamp_since(meta.get("creationTimestamp"), now)]
    pod_ips = status.get("podIPs") or []
    pod_ip = pod_ips[0].get("ip", "") if pod_ips else ""
    gates = spec.get("readinessGates") or []
    gates_str = "<none>"
    if gates:
        true_count = 0
        for gate in gates:
            for cond in status.get("conditions", []) or []:
                if cond.get("type") == gate.get("conditionType"):
                    if cond.get("status") == "True":
                        true_count += 1
                    break
        gates_str = "%d/%d" % (true_count, len(gates))
    cells += [pod_ip or "<none>", spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
              gates_str]
    return cells, row_conditions


def format_event_source(event):
    """formatEventSource: component (or reportingController), then ', host' (or reportingInstance)."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    if not instance:
        return component
    return component + ", " + instance


def print_event(event, now):
    """printEvent (1.32), always the wide cell set."""
    first = translate_timestamp_since(event.get("firstTimestamp"), now)
    if not event.get("firstTimestamp"):
        first = translate_timestamp_since(event.get("eventTime"), now)
    last = translate_timestamp_since(event.get("lastTimestamp"), now)
    if not event.get("lastTimestamp"):
        last = first
    count = event.get("count", 0) or 0
    series = event.get("series")
    if series is not None:
        last = translate_timestamp_since(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    inv = event.get("involvedObject") or {}
    if inv.get("name"):
        target = "%s/%s" % (inv.get("kind", "").lower(), inv["name"])
    else:
        target = inv.get("kind", "").lower()
    return [last, event.get("type", ""), event.get("reason", ""), target, inv.get("fieldPath", ""),
            format_event_source(event), (event.get("message") or "").strip(), first, int(count),
            event.get("metadata", {}).get("name", "")]
