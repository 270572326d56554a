"""Test vectors for the printer port (docs/kubernetes.md §2, §3.1, §3.4; upstream duration_test.go, printers_test.go)."""

import datetime as dt
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import printers  # noqa: E402

NOW = dt.datetime(2026, 11, 27, 1, 0, 0, tzinfo=dt.timezone.utc)


def ago(seconds):
    return (NOW - dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod(phase="Running", containers=None, statuses=None, init_containers=None, init_statuses=None,
        conditions=None, reason="", deletion=None, created=ago(3600)):
    spec = {"containers": containers or [{"name": "c"}]}
    if init_containers is not None:
        spec["initContainers"] = init_containers
    status = {"phase": phase, "containerStatuses": statuses or []}
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    if conditions is not None:
        status["conditions"] = conditions
    if reason:
        status["reason"] = reason
    meta = {"name": "p", "creationTimestamp": created}
    if deletion:
        meta["deletionTimestamp"] = deletion
    return {"metadata": meta, "spec": spec, "status": status}


def running(name="c", ready=True, restarts=0, last_finished=None):
    cs = {"name": name, "ready": ready, "restartCount": restarts, "state": {"running": {"startedAt": ago(60)}}}
    if last_finished is not None:
        cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last_finished}}
    return cs


class HumanDurationTest(unittest.TestCase):
    def test_bands(self):
        cases = [
            (-3, "<invalid>"), (-2, "<invalid>"), (-1.5, "0s"), (-0.5, "0s"), (0, "0s"), (1, "1s"),
            (70, "70s"), (90, "90s"), (119, "119s"), (119.9, "119s"), (120, "2m"), (150, "2m30s"),
            (190, "3m10s"), (300, "5m"), (300.999, "5m"), (599, "9m59s"), (600, "10m"), (45 * 60, "45m"),
            (70 * 60, "70m"), (179 * 60 + 59, "179m"), (180 * 60, "3h"), (3 * 3600 + 15 * 60, "3h15m"),
            (7 * 3600 + 59 * 60, "7h59m"), (8 * 3600, "8h"), (47 * 3600, "47h"), (48 * 3600, "2d"),
            (49 * 3600, "2d1h"), (51 * 3600, "2d3h"), ((8 * 24 + 2) * 3600, "8d"), (400 * 86400, "400d"),
            (367 * 86400, "367d"), ((365 * 2 * 24 + 25) * 3600, "2y1d"), (365 * 3 * 86400, "3y"),
            ((365 * 8 * 24 + 2) * 3600, "8y"),
        ]
        for seconds, want in cases:
            with self.subTest(seconds=seconds):
                self.assertEqual(printers.human_duration(seconds), want)


class PrintPodTest(unittest.TestCase):
    def cells(self, p):
        return printers.print_pod(p, NOW)[0]

    def test_running_ready(self):
        c = self.cells(pod(statuses=[running()]))
        self.assertEqual(c[:5], ["p", "1/1", "Running", "0", "60m"])
        self.assertEqual(c[5:], ["<none>", "<none>", "<none>", "<none>"])

    def test_restarts_with_ago(self):
        c = self.cells(pod(statuses=[running(restarts=5, last_finished=ago(150))]))
        self.assertEqual(c[3], "5 (2m30s ago)")

    def test_crashloop_first_container_in_spec_order_wins(self):
        s = [{"name": "a", "ready": False, "restartCount": 3,
              "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
             {"name": "b", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]
        c = self.cells(pod(containers=[{"name": "a"}, {"name": "b"}], statuses=s))
        self.assertEqual(c[1:4], ["0/2", "CrashLoopBackOff", "3"])

    def test_terminated_without_reason(self):
        s = [{"name": "c", "state": {"terminated": {"exitCode": 2}}}]
        self.assertEqual(self.cells(pod(statuses=s))[2], "ExitCode:2")
        s = [{"name": "c", "state": {"terminated": {"exitCode": 0, "signal": 9}}}]
        self.assertEqual(self.cells(pod(statuses=s))[2], "Signal:9")

    def test_completed_with_running_sidecar(self):
        s = [{"name": "a", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}, running("b")]
        ready_true = [{"type": "Ready", "status": "True"}]
        c = self.cells(pod(containers=[{"name": "a"}, {"name": "b"}], statuses=s, conditions=ready_true))
        self.assertEqual(c[2], "Running")
        c = self.cells(pod(containers=[{"name": "a"}, {"name": "b"}], statuses=s, conditions=[]))
        self.assertEqual(c[2], "NotReady")

    def test_init_states(self):
        inits = [{"name": "i1"}, {"name": "i2"}]
        waiting_crash = [{"name": "i1", "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                          "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(30)}}}]
        c = self.cells(pod(phase="Pending", init_containers=inits, init_statuses=waiting_crash))
        self.assertEqual(c[2:4], ["Init:CrashLoopBackOff", "4 (30s ago)"])
        done_then_running = [{"name": "i1", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                             {"name": "i2", "state": {"running": {}}}]
        c = self.cells(pod(phase="Pending", init_containers=inits, init_statuses=done_then_running))
        self.assertEqual(c[2], "Init:1/2")
        failed = [{"name": "i1", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]
        self.assertEqual(self.cells(pod(phase="Pending", init_containers=inits, init_statuses=failed))[2], "Init:Error")
        no_reason = [{"name": "i1", "state": {"terminated": {"exitCode": 3}}}]
        self.assertEqual(self.cells(pod(phase="Pending", init_containers=inits, init_statuses=no_reason))[2],
                         "Init:ExitCode:3")

    def test_restartable_sidecar_counts_in_ready(self):
        inits = [{"name": "proxy", "restartPolicy": "Always"}]
        init_s = [{"name": "proxy", "started": True, "ready": True, "restartCount": 1,
                   "state": {"running": {}},
                   "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(200)}}}]
        c = self.cells(pod(init_containers=inits, init_statuses=init_s, statuses=[running()],
                           conditions=[{"type": "Initialized", "status": "True"}]))
        self.assertEqual(c[1:4], ["2/2", "Running", "1 (3m20s ago)"])

    def test_evicted_shows_container_reason(self):
        s = [{"name": "c", "state": {"terminated": {"exitCode": 137, "reason": "ContainerStatusUnknown"}}}]
        c = self.cells(pod(phase="Failed", reason="Evicted", statuses=s))
        self.assertEqual(c[2], "ContainerStatusUnknown")
        self.assertEqual(self.cells(pod(phase="Failed", reason="Evicted"))[2], "Evicted")

    def test_terminating_rules(self):
        self.assertEqual(self.cells(pod(statuses=[running()], deletion=ago(10)))[2], "Terminating")
        self.assertEqual(self.cells(pod(statuses=[running()], deletion=ago(10), reason="NodeLost"))[2], "Unknown")
        # ≥1.31: a deleted pod already in a terminal phase keeps its status (§3.4 step 6).
        s = [{"name": "c", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]
        self.assertEqual(self.cells(pod(phase="Succeeded", statuses=s, deletion=ago(10)))[2], "Completed")

    def test_scheduling_gated_and_row_conditions(self):
        p = pod(phase="Pending", conditions=[{"type": "PodScheduled", "reason": "SchedulingGated"}])
        self.assertEqual(self.cells(p)[2], "SchedulingGated")
        _, cond = printers.print_pod(pod(phase="Failed"), NOW)
        self.assertEqual(cond[0]["reason"], "Failed")

    def test_readiness_gates(self):
        p = pod(statuses=[running()], conditions=[{"type": "g1", "status": "True"}, {"type": "g2", "status": "False"}])
        p["spec"]["readinessGates"] = [{"conditionType": "g1"}, {"conditionType": "g2"}]
        self.assertEqual(self.cells(p)[8], "1/2")


class PrintEventTest(unittest.TestCase):
    def test_legacy_event(self):
        ev = {"metadata": {"name": "web-0.187b1c2d3e4f5a6b"}, "type": "Warning", "reason": "Unhealthy",
              "message": "  Readiness probe failed: HTTP probe failed with statuscode: 503\n",
              "involvedObject": {"kind": "Pod", "name": "web-0", "fieldPath": "spec.containers{web}"},
              "source": {"component": "kubelet", "host": "node-1"}, "count": 17,
              "firstTimestamp": ago(600), "lastTimestamp": ago(42)}
        self.assertEqual(printers.print_event(ev, NOW),
                         ["42s", "Warning", "Unhealthy", "pod/web-0", "spec.containers{web}", "kubelet, node-1",
                          "Readiness probe failed: HTTP probe failed with statuscode: 503", "10m", 17,
                          "web-0.187b1c2d3e4f5a6b"])

    def test_new_api_event_with_and_without_series(self):
        ev = {"metadata": {"name": "x"}, "type": "Normal", "reason": "Scheduled", "message": "m",
              "involvedObject": {"kind": "Pod", "name": "web-0"}, "source": {},
              "eventTime": "2026-11-27T00:50:00.123456Z", "reportingComponent": "default-scheduler",
              "reportingInstance": "default-scheduler-cp-1"}
        cells = printers.print_event(ev, NOW)
        self.assertEqual(cells[0], "9m59s")
        self.assertEqual(cells[5], "default-scheduler, default-scheduler-cp-1")
        self.assertEqual(cells[7:9], ["9m59s", 1])
        ev["series"] = {"count": 4, "lastObservedTime": "2026-11-27T00:59:00.000001Z"}
        cells = printers.print_event(ev, NOW)
        self.assertEqual((cells[0], cells[8]), ("59s", 4))

    def test_kind_without_name_and_missing_times(self):
        ev = {"metadata": {"name": "x"}, "involvedObject": {"kind": "Node"}}
        cells = printers.print_event(ev, NOW)
        self.assertEqual((cells[0], cells[3], cells[7]), ("<unknown>", "node", "<unknown>"))


if __name__ == "__main__":
    unittest.main()
