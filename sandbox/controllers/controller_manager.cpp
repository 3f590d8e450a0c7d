#include "controllers/controller_manager.h"

#include "api/http_log.h"
#include "controllers/deployment_controller.h"
#include "controllers/endpoints_controller.h"
#include "controllers/event_ttl_controller.h"
#include "controllers/garbage_collector.h"
#include "controllers/hpa_controller.h"
#include "controllers/namespace_controller.h"
#include "controllers/replicaset_controller.h"
#include "kubelet/kubelet.h"
#include "kubelet/process_runtime.h"

namespace sandbox {

rf::Result<std::unique_ptr<ControllerManager>>
ControllerManager::create(ResourceService &service, ControllerManagerOptions options) {
    ImageTable images = ImageTable::builtin();
    if (!options.imagesFile.empty()) {
        auto loaded = ImageTable::fromFile(options.imagesFile);
        if (!loaded) {
            return rf::fail(loaded.message());
        }
        images = std::move(loaded.value());
    }
    return std::unique_ptr<ControllerManager>(
        new ControllerManager(service, std::move(options), std::move(images)));
}

ControllerManager::ControllerManager(ResourceService &service, ControllerManagerOptions options,
                                     ImageTable images)
    : m_service(service)
    , m_options(std::move(options))
    , m_images(std::move(images))
    , m_logs(std::make_unique<PodLogs>(service.clock()))
    , m_metrics(std::make_unique<PodMetricsStore>()) {
    const int workers = m_options.workersPerController;
    if (m_options.runKubelet) {
        m_kubelet = std::make_unique<Kubelet>(service, *m_logs, *m_metrics, m_images,
                                              m_options.stateDir, m_options.nodeName,
                                              std::max(2, workers * 2));
        // Images the table maps to `process` run as local processes; the rest are simulated.
        m_kubelet->addRuntime(std::make_unique<ProcessRuntime>(m_kubelet->runtimeContext()));
    }
    m_replicaSets = std::make_unique<ReplicaSetController>(service, workers);
    m_deployments = std::make_unique<DeploymentController>(service, workers);
    m_endpoints = std::make_unique<EndpointsController>(service, workers);
    m_namespaces = std::make_unique<NamespaceController>(service, 1);
    m_garbageCollector = std::make_unique<GarbageCollector>(service, workers);
    m_eventTtl = std::make_unique<EventTtlController>(service);
    m_hpa = std::make_unique<HpaController>(service, *m_metrics, workers);
}

ControllerManager::~ControllerManager() {
    stop();
}

void ControllerManager::start() {
    if (m_started) {
        return;
    }
    m_started = true;
    if (m_kubelet) {
        m_kubelet->startKubelet();
    }
    m_garbageCollector->start();
    m_replicaSets->start();
    m_deployments->start();
    m_endpoints->start();
    m_namespaces->start();
    m_eventTtl->startSweeping();
    m_hpa->start();
    logLine(LogLevel::Info, "controllers started",
            {{"node", m_options.nodeName},
             {"timeScale", m_service.clock().timeScale()},
             {"imageRules", static_cast<std::int64_t>(m_images.rules().size())}});
}

void ControllerManager::stop() {
    if (!m_started) {
        return;
    }
    m_started = false;
    // Writers first, then the kubelet, so no controller acts on a half-stopped node.
    m_hpa->stop();
    m_deployments->stop();
    m_replicaSets->stop();
    m_endpoints->stop();
    m_namespaces->stop();
    m_garbageCollector->stop();
    m_eventTtl->stop();
    if (m_kubelet) {
        m_kubelet->stopKubelet();
    }
}

} // namespace sandbox
