#include "api/metrics_api.h"

#include "api/quantity.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cstdio>

namespace sandbox::metrics_api {

namespace {

using Object = boost::json::object;

constexpr std::int64_t kNanoPerMilli = 1'000'000;

Object usageObject(std::int64_t cpuMillicores, std::int64_t memoryBytes) {
    return Object{{"cpu", quantity::formatNanoCores(cpuMillicores * kNanoPerMilli)},
                  {"memory", quantity::formatBinary(memoryBytes)}};
}

Object metadataFor(const Object &source, bool namespaced, TimePoint now) {
    Object meta{{"name", json::name(source)}};
    if (namespaced) {
        meta["namespace"] = json::namespaceOf(source);
    }
    meta["creationTimestamp"] = formatRfc3339(now);
    if (const Object *labels = json::labels(source)) {
        meta["labels"] = *labels;
    }
    return meta;
}

} // namespace

std::string durationText(std::chrono::milliseconds window) {
    const std::int64_t ms = std::max<std::int64_t>(0, window.count());
    if (ms == 0) {
        return "0s";
    }
    const std::int64_t minutes = ms / 60000;
    const std::int64_t seconds = (ms % 60000) / 1000;
    const std::int64_t fraction = ms % 1000;
    std::string out;
    if (minutes > 0) {
        out += std::to_string(minutes) + "m";
    }
    out += std::to_string(seconds);
    if (fraction != 0) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, ".%03lld", static_cast<long long>(fraction));
        std::string digits = buffer;
        while (digits.back() == '0') {
            digits.pop_back();
        }
        out += digits;
    }
    return out + "s";
}

Object podMetrics(const Object &pod, const PodUsage &usage, TimePoint now) {
    boost::json::array containers;
    for (const ContainerUsage &c : usage.containers) {
        containers.push_back(
            Object{{"name", c.name}, {"usage", usageObject(c.cpuMillicores, c.memoryBytes)}});
    }
    return Object{{"kind", "PodMetrics"},
                  {"apiVersion", "metrics.k8s.io/v1beta1"},
                  {"metadata", metadataFor(pod, true, now)},
                  {"timestamp", formatRfc3339(usage.timestamp)},
                  {"window", durationText(usage.window)},
                  {"containers", std::move(containers)}};
}

Object nodeMetrics(const Object &node, const std::vector<PodUsage> &pods, TimePoint now) {
    std::int64_t cpu = 0;
    std::int64_t memory = 0;
    TimePoint latest{};
    std::chrono::milliseconds window{0};
    for (const PodUsage &pod : pods) {
        cpu += pod.cpuMillicores();
        memory += pod.memoryBytes();
        latest = std::max(latest, pod.timestamp);
        window = std::max(window, pod.window);
    }
    if (pods.empty()) {
        latest = now;
    }
    return Object{{"kind", "NodeMetrics"},
                  {"apiVersion", "metrics.k8s.io/v1beta1"},
                  {"metadata", metadataFor(node, false, now)},
                  {"timestamp", formatRfc3339(latest)},
                  {"window", durationText(window)},
                  {"usage", usageObject(cpu, memory)}};
}

} // namespace sandbox::metrics_api
