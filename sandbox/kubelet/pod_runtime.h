#pragma once
// What runs a pod's containers. The kubelet (scheduling, pod IPs, status assembly, graceful
// deletion, events) is the same for every runtime; a runtime only starts, observes and
// stops containers and reports containerStatuses. SimulatedRuntime fakes containers;
// issue 4's process runtime runs real local processes behind this same interface.

#include "api/resource_service.h"
#include "kubelet/image_table.h"
#include "kubelet/pod_logs.h"
#include "kubelet/pod_metrics_store.h"
#include "util/clock.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace sandbox {

// What the kubelet lends a runtime.
struct PodRuntimeContext {
    // Reads ConfigMaps/Secrets for env and envFrom (the process runtime); never for pods,
    // whose state the kubelet hands over.
    ResourceService &service;
    const ImageTable &images;
    PodLogs &logs;
    const Clock &clock;
    // Records a core/v1 Event about the pod as the kubelet (fieldPath e.g.
    // "spec.containers{app}").
    std::function<void(const boost::json::object &pod, std::string_view type,
                       std::string_view reason, const std::string &message,
                       std::string_view fieldPath)>
        event;
    // Asks the kubelet to sync the pod "namespace/name" soon (a process exited, a probe
    // changed its mind): runtimes call it from their own threads.
    std::function<void(const std::string &podKey)> resync;
    // Where runtimes publish measured container usage (metrics.k8s.io, HPA).
    PodMetricsStore &metrics;
    // The sandbox's state directory (process runtime: pid files, per-tag model files);
    // empty in tests that keep no state.
    std::filesystem::path stateDir;
};

struct PodRuntimeStatus {
    boost::json::array containerStatuses;     // in spec.containers order
    boost::json::array initContainerStatuses; // in spec.initContainers order
    // Real time after which the runtime's state changes on its own (0: only on resync).
    Duration recheckAfter{0};
};

struct PodStopResult {
    bool stopped = false; // every container has exited: the pod object may go
    boost::json::array containerStatuses;
    Duration recheckAfter{0};
};

class PodRuntime {
public:
    virtual ~PodRuntime() = default;
    virtual std::string_view name() const = 0;
    // Whether this runtime runs the pod (e.g. by the image table's mode).
    virtual bool handles(const boost::json::object &pod) const = 0;
    // Moves the pod's containers toward its spec and reports their state. Called on every
    // change of the pod, on resync() and when recheckAfter elapses.
    virtual PodRuntimeStatus syncPod(const boost::json::object &pod, const std::string &podIP) = 0;
    // The pod has a deletionTimestamp: stop its containers within the grace period
    // (seconds, time-scaled). Called repeatedly until stopped.
    virtual PodStopResult stopPod(const boost::json::object &pod,
                                  std::int64_t gracePeriodSeconds) = 0;
    // The pod object is gone: drop every trace of it.
    virtual void forgetPod(std::string_view podUid) = 0;
    // The sandbox stops: end everything now.
    virtual void shutdown() {}
};

} // namespace sandbox
