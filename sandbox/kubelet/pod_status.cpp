#include "kubelet/pod_status.h"

#include "util/json_util.h"

namespace sandbox {

namespace {

const boost::json::object *oldCondition(const boost::json::object &pod, std::string_view type) {
    if (const auto *conditions = json::arrayAt(pod, {"status", "conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == type) {
                return &c.get_object();
            }
        }
    }
    return nullptr;
}

boost::json::object makeCondition(const boost::json::object &pod, std::string_view type,
                                  bool status, const std::string &reason,
                                  const std::string &message, const std::string &nowText) {
    const std::string statusText = status ? "True" : "False";
    std::string since = nowText;
    if (const auto *old = oldCondition(pod, type)) {
        if (json::stringAt(*old, {"status"}) == statusText) {
            since = json::stringAt(*old, {"lastTransitionTime"}, nowText);
        }
    }
    boost::json::object c{{"type", type},
                          {"status", statusText},
                          {"lastProbeTime", nullptr},
                          {"lastTransitionTime", since}};
    if (!reason.empty()) {
        c["reason"] = reason;
    }
    if (!message.empty()) {
        c["message"] = message;
    }
    return c;
}

} // namespace

std::string podQosClass(const boost::json::object &pod) {
    bool any = false;
    bool guaranteed = true;
    if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
        for (const auto &c : *containers) {
            if (!c.is_object()) {
                continue;
            }
            const auto *requests = json::objectAt(c.get_object(), {"resources", "requests"});
            const auto *limits = json::objectAt(c.get_object(), {"resources", "limits"});
            any = any || (requests && !requests->empty()) || (limits && !limits->empty());
            for (const char *resource : {"cpu", "memory"}) {
                const auto *limit = limits ? limits->if_contains(resource) : nullptr;
                const auto *request = requests ? requests->if_contains(resource) : nullptr;
                if (limit == nullptr || (request != nullptr && *request != *limit)) {
                    guaranteed = false;
                }
            }
        }
    }
    if (!any) {
        return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
}

boost::json::object buildPodStatus(const boost::json::object &pod, const PodStatusInput &input,
                                   TimePoint now) {
    const std::string nowText = formatRfc3339(now);
    int waiting = 0, running = 0, terminated = 0, succeeded = 0, failed = 0;
    std::string unready;
    for (const auto &value : input.containerStatuses) {
        const auto &s = value.get_object();
        const bool isRunning = json::objectAt(s, {"state", "running"}) != nullptr;
        const auto *term = json::objectAt(s, {"state", "terminated"});
        const bool restartedBefore = json::objectAt(s, {"lastState", "terminated"}) != nullptr;
        if (isRunning) {
            ++running;
        } else if (term != nullptr) {
            ++terminated;
            (json::intAt(*term, {"exitCode"}).value_or(0) == 0 ? succeeded : failed)++;
        } else if (restartedBefore) {
            ++running; // waiting to restart after a crash: the pod has been running
        } else {
            ++waiting;
        }
        if (!json::boolAt(s, {"ready"}).value_or(false)) {
            unready += (unready.empty() ? "" : " ") + json::stringAt(s, {"name"});
        }
    }
    const std::string restartPolicy = json::stringAt(pod, {"spec", "restartPolicy"}, "Always");
    std::string phase;
    if (waiting > 0) {
        phase = "Pending";
    } else if (running > 0) {
        phase = "Running";
    } else if (terminated > 0) {
        if (restartPolicy == "Always" || (restartPolicy == "OnFailure" && failed > 0)) {
            phase = input.terminating ? (failed > 0 ? "Failed" : "Succeeded") : "Running";
        } else {
            phase = failed > 0 ? "Failed" : "Succeeded";
        }
        if (input.terminating && restartPolicy == "Always") {
            phase = json::stringAt(pod, {"status", "phase"}, "Running");
        }
    } else {
        phase = "Pending";
    }

    boost::json::object status;
    if (const auto *old = json::objectAt(pod, {"status"})) {
        for (const char *kept : {"nominatedNodeName", "reason", "message"}) {
            if (const auto *v = old->if_contains(kept)) {
                status[kept] = *v;
            }
        }
    }
    status["phase"] = phase;
    const bool allReady = unready.empty() && !input.containerStatuses.empty();
    const std::string notReadyMessage = "containers with unready status: [" + unready + "]";
    boost::json::array conditions;
    conditions.push_back(makeCondition(pod, "PodReadyToStartContainers",
                                       !input.terminating || running > 0, "", "", nowText));
    conditions.push_back(makeCondition(pod, "Initialized", true, "", "", nowText));
    conditions.push_back(makeCondition(pod, "Ready", allReady, allReady ? "" : "ContainersNotReady",
                                       allReady ? "" : notReadyMessage, nowText));
    conditions.push_back(makeCondition(pod, "ContainersReady", allReady,
                                       allReady ? "" : "ContainersNotReady",
                                       allReady ? "" : notReadyMessage, nowText));
    conditions.push_back(makeCondition(pod, "PodScheduled", true, "", "", nowText));
    status["conditions"] = std::move(conditions);
    status["hostIP"] = input.hostIP;
    status["hostIPs"] = boost::json::array{boost::json::object{{"ip", input.hostIP}}};
    if (!input.podIP.empty()) {
        status["podIP"] = input.podIP;
        status["podIPs"] = boost::json::array{boost::json::object{{"ip", input.podIP}}};
    }
    status["startTime"] = json::stringAt(pod, {"status", "startTime"}, nowText);
    if (!input.initContainerStatuses.empty()) {
        status["initContainerStatuses"] = input.initContainerStatuses;
    }
    status["containerStatuses"] = input.containerStatuses;
    status["qosClass"] = json::stringAt(pod, {"status", "qosClass"}, podQosClass(pod));
    return status;
}

} // namespace sandbox
