#!/usr/bin/env python3
"""Builds pods-edited.json: pod states the sandbox cannot produce (it runs no processes and no
init containers yet), made by editing the status of a REAL pod saved from the sandbox
(crasher-558675c4c-4mhvw in pods.json) the way the kubelet writes those states.
The expected strings live in tests/app/test_domain_pods.cpp, derived from kubectl 1.32's
printPod. All times are relative to NOW, the "now" the test uses for these pods."""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = "2026-11-25T18:00:00Z"
real = json.load(open(os.path.join(HERE, "pods.json")))
base = next(p for p in real["list"]["items"] if p["metadata"]["name"] == "crasher-558675c4c-4mhvw")

def pod(name, edit):
    p = copy.deepcopy(base)
    p["metadata"]["name"] = name
    edit(p)
    return p

def cond(p, type_, status, reason=None, message=None, since="2026-11-25T17:40:19Z"):
    for c in p["status"]["conditions"]:
        if c["type"] == type_:
            c["status"] = status
            c["lastTransitionTime"] = since
            if reason: c["reason"] = reason
            if message: c["message"] = message
            return
    c = {"type": type_, "status": status, "lastProbeTime": None, "lastTransitionTime": since}
    if reason: c["reason"] = reason
    if message: c["message"] = message
    p["status"]["conditions"].append(c)

def app(p):
    return p["status"]["containerStatuses"][0]

def terminated(reason, code, finished, signal=None, started="2026-11-25T17:59:00Z"):
    t = {"exitCode": code, "startedAt": started, "finishedAt": finished,
         "containerID": "containerd://0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"}
    if reason: t["reason"] = reason
    if signal: t["signal"] = signal
    return t

def unready(p, since="2026-11-25T17:59:20Z"):
    cond(p, "Ready", "False", "ContainersNotReady", "containers with unready status: [app]", since)
    cond(p, "ContainersReady", "False", "ContainersNotReady", "containers with unready status: [app]", since)

cases = {}

def crashloop(p):
    unready(p)
    c = app(p)
    c.update(ready=False, started=False, restartCount=5)
    c["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                              "message": "back-off 2m40s restarting failed container=app pod=" + p["metadata"]["name"]}}
    c["lastState"] = {"terminated": terminated("Error", 1, "2026-11-25T17:59:20Z")}
cases["crash-loop-back-off"] = pod("crasher-558675c4c-crash", crashloop)

def oom_restarted(p):
    c = app(p)
    c.update(restartCount=1)
    c["state"] = {"running": {"startedAt": "2026-11-25T17:59:50Z"}}
    c["lastState"] = {"terminated": terminated("OOMKilled", 137, "2026-11-25T17:59:49Z")}
cases["running-again-after-oom-kill"] = pod("crasher-558675c4c-oomrun", oom_restarted)

def oom_now(p):
    unready(p)
    c = app(p)
    c.update(ready=False, started=False, restartCount=0)
    c["state"] = {"terminated": terminated("OOMKilled", 137, "2026-11-25T17:59:30Z")}
cases["oom-killed-now"] = pod("crasher-558675c4c-oom", oom_now)

def signal(p):
    unready(p)
    c = app(p)
    c.update(ready=False, started=False)
    c["state"] = {"terminated": terminated(None, 137, "2026-11-25T17:59:30Z", signal=9)}
cases["terminated-by-signal-without-reason"] = pod("crasher-558675c4c-signal", signal)

def exitcode(p):
    unready(p)
    c = app(p)
    c.update(ready=False, started=False)
    c["state"] = {"terminated": terminated(None, 2, "2026-11-25T17:59:30Z")}
cases["terminated-with-exit-code-without-reason"] = pod("crasher-558675c4c-exit", exitcode)

def two_containers(p, ready_condition):
    p["spec"]["containers"].append({"name": "sidecar", "image": "nginx:1.25"})
    first = app(p)
    first.update(ready=False, started=False)
    first["state"] = {"terminated": terminated("Completed", 0, "2026-11-25T17:58:00Z")}
    second = copy.deepcopy(app(p))
    second.update(name="sidecar", image="docker.io/library/nginx:1.25", ready=True, started=True)
    second["state"] = {"running": {"startedAt": "2026-11-25T17:40:19Z"}}
    p["status"]["containerStatuses"].append(second)
    if not ready_condition:
        unready(p, "2026-11-25T17:58:00Z")
cases["completed-container-beside-running-one-not-ready"] = pod("crasher-558675c4c-notready", lambda p: two_containers(p, False))
cases["completed-container-beside-running-one-ready"] = pod("crasher-558675c4c-mixed", lambda p: two_containers(p, True))

def init_pod(statuses, spec_names=("setup",), initialized=False, phase="Pending"):
    def edit(p):
        p["spec"]["initContainers"] = [{"name": n, "image": "busybox:1.36"} for n in spec_names]
        p["status"]["phase"] = phase
        p["status"]["initContainerStatuses"] = statuses
        if not initialized:
            cond(p, "Initialized", "False", "ContainersNotInitialized",
                 "containers with incomplete status: [%s]" % " ".join(spec_names), "2026-11-25T17:40:19Z")
        unready(p, "2026-11-25T17:40:19Z")
        c = app(p)
        c.update(ready=False, started=False, restartCount=0)
        c["state"] = {"waiting": {"reason": "PodInitializing"}}
        c["lastState"] = {}
    return edit

def init_status(name, state, restarts=0, last=None, ready=False):
    s = {"name": name, "image": "docker.io/library/busybox:1.36", "imageID": "", "ready": ready,
         "restartCount": restarts, "started": "running" in state, "state": state, "lastState": last or {}}
    return s

cases["init-container-running"] = pod("crasher-558675c4c-init0", init_pod(
    [init_status("setup", {"running": {"startedAt": "2026-11-25T17:59:00Z"}})]))
cases["init-container-crash-loop"] = pod("crasher-558675c4c-initcrash", init_pod(
    [init_status("setup", {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=setup"}},
                 restarts=3, last={"terminated": terminated("Error", 1, "2026-11-25T17:57:30Z")})]))
cases["init-container-failed-with-reason"] = pod("crasher-558675c4c-initerr", init_pod(
    [init_status("setup", {"terminated": terminated("Error", 1, "2026-11-25T17:59:00Z")})]))
cases["init-container-killed-by-signal"] = pod("crasher-558675c4c-initsig", init_pod(
    [init_status("setup", {"terminated": terminated(None, 143, "2026-11-25T17:59:00Z", signal=15)})]))
cases["init-container-image-pull-error"] = pod("crasher-558675c4c-initpull", init_pod(
    [init_status("setup", {"waiting": {"reason": "ErrImagePull", "message": "rpc error: not found"}})]))
cases["second-of-two-init-containers-running"] = pod("crasher-558675c4c-init1", init_pod(
    [init_status("fetch", {"terminated": terminated("Completed", 0, "2026-11-25T17:58:00Z")}),
     init_status("setup", {"running": {"startedAt": "2026-11-25T17:58:01Z"}})], spec_names=("fetch", "setup")))

def sidecar(p):
    p["spec"]["initContainers"] = [{"name": "proxy", "image": "nginx:1.25", "restartPolicy": "Always"}]
    s = init_status("proxy", {"running": {"startedAt": "2026-11-25T17:40:19Z"}}, ready=True, restarts=2,
                    last={"terminated": terminated("Error", 1, "2026-11-25T17:50:00Z")})
    s["started"] = True
    p["status"]["initContainerStatuses"] = [s]
cases["restartable-init-sidecar-counts-as-container"] = pod("crasher-558675c4c-sidecar", sidecar)

def terminating(p):
    p["metadata"]["deletionTimestamp"] = "2026-11-25T17:59:50Z"
    p["metadata"]["deletionGracePeriodSeconds"] = 30
cases["being-deleted"] = pod("crasher-558675c4c-term", terminating)

def node_lost(p):
    p["metadata"]["deletionTimestamp"] = "2026-11-25T17:55:00Z"
    p["status"]["reason"] = "NodeLost"
    p["status"]["message"] = "Node forecast-sandbox which was running pod crasher-558675c4c-lost is unresponsive"
cases["node-lost-while-deleting"] = pod("crasher-558675c4c-lost", node_lost)

def succeeded(p, deleting=False):
    p["spec"]["restartPolicy"] = "Never"
    p["status"]["phase"] = "Succeeded"
    unready(p, "2026-11-25T17:45:00Z")
    c = app(p)
    c.update(ready=False, started=False)
    c["state"] = {"terminated": terminated("Completed", 0, "2026-11-25T17:45:00Z")}
    if deleting:
        p["metadata"]["deletionTimestamp"] = "2026-11-25T17:59:00Z"
cases["succeeded"] = pod("oneshot-done", succeeded)
cases["succeeded-being-deleted-keeps-completed"] = pod("oneshot-deleting", lambda p: succeeded(p, True))

def evicted(p):
    p["status"] = {"phase": "Failed", "reason": "Evicted",
                   "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi.",
                   "startTime": "2026-11-25T17:40:19Z"}
cases["evicted"] = pod("crasher-558675c4c-evicted", evicted)

def gated(p):
    p["spec"].pop("nodeName")
    p["spec"]["schedulingGates"] = [{"name": "example.com/quota"}]
    p["status"] = {"phase": "Pending", "qosClass": "BestEffort",
                   "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
                                   "message": "Scheduling is blocked due to non-empty scheduling gates",
                                   "lastProbeTime": None, "lastTransitionTime": "2026-11-25T17:40:19Z"}]}
cases["scheduling-gated"] = pod("crasher-558675c4c-gated", gated)

def unschedulable(p):
    p["spec"].pop("nodeName")
    p["status"] = {"phase": "Pending", "qosClass": "Burstable",
                   "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                   "message": "0/1 nodes are available: 1 Insufficient cpu.",
                                   "lastProbeTime": None, "lastTransitionTime": "2026-11-25T17:40:19Z"}]}
cases["unschedulable"] = pod("crasher-558675c4c-pending", unschedulable)

def restarts_without_time(p):
    app(p).update(restartCount=2)
cases["restarts-without-last-state"] = pod("crasher-558675c4c-norestarttime", restarts_without_time)

def restarts_two_containers(p):
    p["spec"]["containers"].append({"name": "sidecar", "image": "nginx:1.25"})
    c = app(p)
    c.update(restartCount=3)
    c["lastState"] = {"terminated": terminated("Error", 1, "2026-11-25T17:55:00Z")}
    s = copy.deepcopy(c)
    s.update(name="sidecar", restartCount=4)
    s["lastState"] = {"terminated": terminated("OOMKilled", 137, "2026-11-25T17:58:00Z")}
    p["status"]["containerStatuses"].append(s)
cases["restarts-summed-newest-termination-wins"] = pod("crasher-558675c4c-restarts", restarts_two_containers)

def restart_119s(p):
    app(p).update(restartCount=1)
    app(p)["lastState"] = {"terminated": terminated("Error", 1, "2026-11-25T17:58:01Z")}
cases["restart-119-seconds-ago-stays-in-seconds"] = pod("crasher-558675c4c-119s", restart_119s)

def unready_long(p):
    unready(p, "2026-11-25T17:50:00Z")
    app(p).update(ready=False)
cases["running-unready-for-ten-minutes"] = pod("crasher-558675c4c-unready", unready_long)

def unready_fresh(p):
    unready(p, "2026-11-25T17:59:30Z")
    app(p).update(ready=False)
cases["running-unready-for-thirty-seconds"] = pod("crasher-558675c4c-warming", unready_fresh)

json.dump({"now": NOW, "derivedFrom": "pods.json: crasher-558675c4c-4mhvw", "pods": cases},
          open(os.path.join(HERE, "pods-edited.json"), "w"), indent=1)
print(len(cases), "pods")
