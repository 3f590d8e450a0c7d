// The Pod row printer: kubectl's printPod rules for READY, STATUS and RESTARTS, which users
// read to tell a healthy pod from a crash-looping, initializing or terminating one.
#include "api/printers.h"

#include "api/human_duration.h"
#include "api/printer_util.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sandbox {

namespace {

namespace bj = boost::json;
using namespace printing;

// ---- Pod ---------------------------------------------------------------------------------

bool isRestartableInitContainer(const bj::object *container) {
    return container && json::stringAt(*container, {"restartPolicy"}) == "Always";
}

bool conditionTrue(const bj::object &pod, std::string_view type) {
    if (const auto *conditions = json::arrayAt(pod, {"status", "conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == type) {
                return json::stringAt(c.get_object(), {"status"}) == "True";
            }
        }
    }
    return false;
}

// The newest lastState.terminated.finishedAt, kept as a time point.
void noteRestart(const bj::object &status, TimePoint &latest, bool &seen) {
    const std::string finished = json::stringAt(status, {"lastState", "terminated", "finishedAt"});
    if (!json::objectAt(status, {"lastState", "terminated"})) {
        return;
    }
    TimePoint when;
    if (parseTimestamp(finished, when) && (!seen || when > latest)) {
        latest = when;
        seen = true;
    }
}

// "Signal:9" / "ExitCode:1" for a terminated state without a reason, with a prefix.
std::string terminatedReason(const bj::object &terminated, const std::string &prefix) {
    const std::string reason = json::stringAt(terminated, {"reason"});
    if (!reason.empty()) {
        return prefix + reason;
    }
    const std::int64_t signal = json::intAt(terminated, {"signal"}).value_or(0);
    if (signal != 0) {
        return prefix + "Signal:" + std::to_string(signal);
    }
    return prefix + "ExitCode:" + std::to_string(json::intAt(terminated, {"exitCode"}).value_or(0));
}

void printPod(const bj::object &pod, Now now, bj::array &cells) {
    const bj::object empty;
    const bj::object *spec = json::objectAt(pod, {"spec"});
    const bj::object *status = json::objectAt(pod, {"status"});
    if (!spec) {
        spec = &empty;
    }
    if (!status) {
        status = &empty;
    }

    const std::string phase = json::stringAt(*status, {"phase"});
    std::string reason = phase;
    if (const std::string r = json::stringAt(*status, {"reason"}); !r.empty()) {
        reason = r;
    }
    if (const auto *conditions = json::arrayAt(*status, {"conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == "PodScheduled" &&
                json::stringAt(c.get_object(), {"reason"}) == "SchedulingGated") {
                reason = "SchedulingGated";
            }
        }
    }

    std::int64_t totalContainers = 0;
    if (const auto *containers = json::arrayAt(*spec, {"containers"})) {
        totalContainers = static_cast<std::int64_t>(containers->size());
    }
    // Sidecars (init containers with restartPolicy Always) count as containers of the pod.
    std::vector<const bj::object *> initSpecs;
    const auto *initContainers = json::arrayAt(*spec, {"initContainers"});
    if (initContainers) {
        for (const auto &c : *initContainers) {
            if (c.is_object()) {
                initSpecs.push_back(&c.get_object());
                if (isRestartableInitContainer(&c.get_object())) {
                    ++totalContainers;
                }
            }
        }
    }
    auto initSpec = [&](const std::string &name) -> const bj::object * {
        for (const auto *c : initSpecs) {
            if (json::stringAt(*c, {"name"}) == name) {
                return c;
            }
        }
        return nullptr;
    };

    std::int64_t restarts = 0;
    std::int64_t sidecarRestarts = 0;
    std::int64_t readyContainers = 0;
    TimePoint lastRestart{};
    bool haveLastRestart = false;
    TimePoint lastSidecarRestart{};
    bool haveLastSidecarRestart = false;

    bool initializing = false;
    if (const auto *initStatuses = json::arrayAt(*status, {"initContainerStatuses"})) {
        std::size_t index = 0;
        for (const auto &item : *initStatuses) {
            const std::size_t i = index++;
            if (!item.is_object()) {
                continue;
            }
            const auto &cs = item.get_object();
            const std::int64_t count = json::intAt(cs, {"restartCount"}).value_or(0);
            restarts += count;
            noteRestart(cs, lastRestart, haveLastRestart);
            const bool sidecar = isRestartableInitContainer(initSpec(json::stringAt(cs, {"name"})));
            if (sidecar) {
                sidecarRestarts += count;
                noteRestart(cs, lastSidecarRestart, haveLastSidecarRestart);
            }
            const auto *terminated = json::objectAt(cs, {"state", "terminated"});
            const auto *waiting = json::objectAt(cs, {"state", "waiting"});
            if (terminated && json::intAt(*terminated, {"exitCode"}).value_or(0) == 0) {
                continue;
            }
            if (sidecar && json::boolAt(cs, {"started"}).value_or(false)) {
                if (json::boolAt(cs, {"ready"}).value_or(false)) {
                    ++readyContainers;
                }
                continue;
            }
            if (terminated) {
                reason = terminatedReason(*terminated, "Init:");
            } else if (waiting && !json::stringAt(*waiting, {"reason"}).empty() &&
                       json::stringAt(*waiting, {"reason"}) != "PodInitializing") {
                reason = "Init:" + json::stringAt(*waiting, {"reason"});
            } else {
                reason = "Init:" + std::to_string(i) + "/" + std::to_string(initSpecs.size());
            }
            initializing = true;
            break;
        }
    }

    if (!initializing || conditionTrue(pod, "Initialized")) {
        restarts = sidecarRestarts;
        lastRestart = lastSidecarRestart;
        haveLastRestart = haveLastSidecarRestart;
        bool hasRunning = false;
        if (const auto *statuses = json::arrayAt(*status, {"containerStatuses"})) {
            // Last to first, so the first container's state wins the STATUS column.
            for (auto it = statuses->rbegin(); it != statuses->rend(); ++it) {
                if (!it->is_object()) {
                    continue;
                }
                const auto &cs = it->get_object();
                restarts += json::intAt(cs, {"restartCount"}).value_or(0);
                noteRestart(cs, lastRestart, haveLastRestart);
                const auto *waiting = json::objectAt(cs, {"state", "waiting"});
                const auto *terminated = json::objectAt(cs, {"state", "terminated"});
                if (waiting && !json::stringAt(*waiting, {"reason"}).empty()) {
                    reason = json::stringAt(*waiting, {"reason"});
                } else if (terminated) {
                    reason = terminatedReason(*terminated, "");
                } else if (json::boolAt(cs, {"ready"}).value_or(false) &&
                           json::objectAt(cs, {"state", "running"})) {
                    hasRunning = true;
                    ++readyContainers;
                }
            }
        }
        if (reason == "Completed" && hasRunning) {
            reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
        }
    }

    const bool deleting = json::valueAt(pod, {"metadata", "deletionTimestamp"}) &&
                          !json::valueAt(pod, {"metadata", "deletionTimestamp"})->is_null();
    if (deleting && json::stringAt(*status, {"reason"}) == "NodeLost") {
        reason = "Unknown";
    } else if (deleting && phase != "Succeeded" && phase != "Failed") {
        reason = "Terminating";
    }

    std::string restartsCell = std::to_string(restarts);
    if (restarts != 0 && haveLastRestart) {
        restartsCell +=
            " (" +
            humanDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - lastRestart)) +
            " ago)";
    }

    cells.emplace_back(bj::string(name(pod)));
    cells.emplace_back(
        bj::string(std::to_string(readyContainers) + "/" + std::to_string(totalContainers)));
    cells.emplace_back(bj::string(reason));
    cells.emplace_back(bj::string(restartsCell));
    cells.emplace_back(bj::string(age(pod, now)));

    std::string podIp;
    if (const auto *ips = json::arrayAt(*status, {"podIPs"});
        ips && !ips->empty() && ips->front().is_object()) {
        podIp = json::stringAt(ips->front().get_object(), {"ip"});
    }
    std::string nodeName = json::stringAt(*spec, {"nodeName"});
    std::string nominated = json::stringAt(*status, {"nominatedNodeName"});
    std::string gates = "<none>";
    if (const auto *readinessGates = json::arrayAt(*spec, {"readinessGates"});
        readinessGates && !readinessGates->empty()) {
        std::int64_t trueCount = 0;
        for (const auto &gate : *readinessGates) {
            if (gate.is_object() &&
                conditionTrue(pod, json::stringAt(gate.get_object(), {"conditionType"}))) {
                ++trueCount;
            }
        }
        gates = std::to_string(trueCount) + "/" + std::to_string(readinessGates->size());
    }
    cells.emplace_back(bj::string(podIp.empty() ? "<none>" : podIp));
    cells.emplace_back(bj::string(nodeName.empty() ? "<none>" : nodeName));
    cells.emplace_back(bj::string(nominated.empty() ? "<none>" : nominated));
    cells.emplace_back(bj::string(gates));
}

} // namespace

PrinterSpec podPrinter() {
    return {{nameColumn(),
             column("Ready", "string",
                    "The aggregate readiness state of this pod for accepting traffic."),
             column("Status", "string", "The aggregate status of the containers in this pod."),
             column("Restarts", "string",
                    "The number of times the containers in this pod have been restarted and "
                    "when the last container in this pod has restarted."),
             ageColumn(),
             column("IP", "string",
                    "podIP address allocated to the pod. Routable at least within the cluster. "
                    "Empty if not yet allocated.",
                    1),
             column("Node", "string",
                    "NodeName indicates in which node this pod is scheduled. If empty, this pod "
                    "is a candidate for scheduling by the scheduler defined in schedulerName.",
                    1),
             column("Nominated Node", "string",
                    "nominatedNodeName is set only when this pod preempts other pods on the "
                    "node, but it cannot be scheduled right away as preemption victims receive "
                    "their graceful termination periods.",
                    1),
             column("Readiness Gates", "string",
                    "If specified, all readiness gates will be evaluated for pod readiness. A "
                    "pod is ready when all its containers are ready AND all conditions "
                    "specified in the readiness gates have status equal to \"True\"",
                    1)},
            printPod};
}

} // namespace sandbox
