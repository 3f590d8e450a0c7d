#include "kubelet/pod_metrics_store.h"

namespace sandbox {

namespace {
std::string keyOf(const std::string &namespaceName, const std::string &name) {
    return namespaceName + "/" + name;
}
} // namespace

std::int64_t PodUsage::cpuMillicores() const {
    std::int64_t sum = 0;
    for (const ContainerUsage &c : containers) {
        sum += c.cpuMillicores;
    }
    return sum;
}

std::int64_t PodUsage::memoryBytes() const {
    std::int64_t sum = 0;
    for (const ContainerUsage &c : containers) {
        sum += c.memoryBytes;
    }
    return sum;
}

void PodMetricsStore::publish(PodUsage usage) {
    std::lock_guard lock(m_mutex);
    std::string key = keyOf(usage.namespaceName, usage.name);
    m_pods.insert_or_assign(std::move(key), std::move(usage));
}

void PodMetricsStore::forget(const std::string &namespaceName, const std::string &name) {
    std::lock_guard lock(m_mutex);
    m_pods.erase(keyOf(namespaceName, name));
}

std::optional<PodUsage> PodMetricsStore::pod(const std::string &namespaceName,
                                             const std::string &name) const {
    std::lock_guard lock(m_mutex);
    auto it = m_pods.find(keyOf(namespaceName, name));
    if (it == m_pods.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<PodUsage> PodMetricsStore::list(const std::string &namespaceName) const {
    std::lock_guard lock(m_mutex);
    std::vector<PodUsage> out;
    if (namespaceName.empty()) {
        for (const auto &[key, usage] : m_pods) {
            out.push_back(usage);
        }
        return out;
    }
    const std::string prefix = namespaceName + "/";
    for (auto it = m_pods.lower_bound(prefix);
         it != m_pods.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        out.push_back(it->second);
    }
    return out;
}

} // namespace sandbox
