#pragma once
// Measured container usage, the sandbox's metrics-server: runtimes publish what they read
// from /proc (the process runtime) or model (the simulated runtime); the HPA controller and
// the metrics.k8s.io API read it. Thread-safe; values are plain numbers so readers need no
// quantity parsing.

#include "util/clock.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sandbox {

struct ContainerUsage {
    std::string name;
    std::int64_t cpuMillicores = 0; // average over the sample window
    std::int64_t memoryBytes = 0;   // working set (resident set of the process tree)
};

struct PodUsage {
    std::string namespaceName;
    std::string name;
    std::string uid;
    TimePoint timestamp{};          // end of the sample window (wall clock)
    std::chrono::milliseconds window{0}; // length of the sample window (real time)
    std::vector<ContainerUsage> containers;

    std::int64_t cpuMillicores() const;
    std::int64_t memoryBytes() const;
};

class PodMetricsStore final {
public:
    // Replaces the pod's usage (keyed by namespace/name).
    void publish(PodUsage usage);
    void forget(const std::string &namespaceName, const std::string &name);
    std::optional<PodUsage> pod(const std::string &namespaceName, const std::string &name) const;
    // Every pod of a namespace ("" = all namespaces), by name.
    std::vector<PodUsage> list(const std::string &namespaceName) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, PodUsage> m_pods; // "namespace/name"
};

} // namespace sandbox
