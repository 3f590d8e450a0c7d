#pragma once
// Starts and stops everything that acts on its own inside the sandbox: the deployment,
// replicaset, endpoints, namespace, garbage-collector, event-TTL and HPA controllers and the kubelet
// (with its pod logs and image table). main() makes one; the HTTP layer serves pods/log
// from podLogs().

#include "api/resource_service.h"
#include "kubelet/image_table.h"
#include "kubelet/pod_logs.h"
#include "kubelet/pod_metrics_store.h"

#include <rf/result.h>

#include <filesystem>
#include <memory>
#include <string>

namespace sandbox {

class DeploymentController;
class ReplicaSetController;
class EndpointsController;
class GarbageCollector;
class NamespaceController;
class EventTtlController;
class HpaController;
class Kubelet;

struct ControllerManagerOptions {
    std::filesystem::path imagesFile; // --images FILE; empty: the built-in table
    std::filesystem::path stateDir;   // the sandbox's state directory; empty: none (tests)
    std::string nodeName = "forecast-sandbox";
    int workersPerController = 2;
    bool runKubelet = true; // tests of the controllers alone may leave pods untouched
};

class ControllerManager final {
public:
    // Fails only when the image table file cannot be read or parsed.
    static rf::Result<std::unique_ptr<ControllerManager>> create(ResourceService &service,
                                                                 ControllerManagerOptions options);
    ~ControllerManager();
    ControllerManager(const ControllerManager &) = delete;
    ControllerManager &operator=(const ControllerManager &) = delete;

    void start();
    void stop(); // idempotent; the destructor calls it

    PodLogs &podLogs() { return *m_logs; }
    PodMetricsStore &podMetrics() { return *m_metrics; }
    Kubelet *kubelet() { return m_kubelet.get(); }
    const ImageTable &images() const { return m_images; }

private:
    ControllerManager(ResourceService &service, ControllerManagerOptions options,
                      ImageTable images);

    ResourceService &m_service;
    ControllerManagerOptions m_options;
    ImageTable m_images;
    std::unique_ptr<PodLogs> m_logs;
    std::unique_ptr<PodMetricsStore> m_metrics;
    std::unique_ptr<Kubelet> m_kubelet;
    std::unique_ptr<ReplicaSetController> m_replicaSets;
    std::unique_ptr<DeploymentController> m_deployments;
    std::unique_ptr<EndpointsController> m_endpoints;
    std::unique_ptr<NamespaceController> m_namespaces;
    std::unique_ptr<GarbageCollector> m_garbageCollector;
    std::unique_ptr<EventTtlController> m_eventTtl;
    std::unique_ptr<HpaController> m_hpa;
    bool m_started = false;
};

} // namespace sandbox
