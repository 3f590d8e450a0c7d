#pragma once
// HorizontalPodAutoscaler controller (autoscaling/v2 with behavior; k8s-api-notes §8,
// upstream pkg/controller/podautoscaler/horizontal.go). Every 15 s (time-scaled) per HPA:
// read the target's scale subresource, compute a replica proposal per metric from the
// usage the runtimes publish in PodMetricsStore (Resource and ContainerResource metrics,
// Utilization against requests or AverageValue), take the highest, normalize it by the
// behavior (stabilization windows over the recommendation history, Pods/Percent policies
// over the scale-event history) or, without one, by the legacy rules, rescale through the
// scale subresource, and write status (currentMetrics, replicas, lastScaleTime on a real
// rescale, the AbleToScale / ScalingActive / ScalingLimited conditions) and events with
// upstream's reasons and messages. Pods, Object and External metrics need a custom
// metrics API the sandbox does not have: they report FailedGet*Metric, as a cluster
// without an adapter does.

#include "controllers/controller.h"
#include "controllers/event_recorder.h"
#include "controllers/hpa_algorithm.h"
#include "kubelet/pod_metrics_store.h"

#include <map>
#include <mutex>

namespace sandbox {

class HpaController final : public Controller {
public:
    HpaController(ResourceService &service, PodMetricsStore &metrics, int workers = 2);
    ~HpaController() override;

    // Upstream's --horizontal-pod-autoscaler-sync-period default (simulated).
    static constexpr std::chrono::seconds kSyncPeriod{15};

protected:
    SyncResult sync(const std::string &key) override;

private:
    struct Pass; // one sync's working state

    SyncResult reconcile(Pass &pass);
    bool computeMetrics(Pass &pass);
    std::int32_t normalize(Pass &pass, std::int32_t desired);
    SyncResult writeStatus(Pass &pass);
    void setCondition(Pass &pass, std::string_view type, bool status, std::string_view reason,
                      const std::string &message);
    hpa::History &history(const std::string &key);

    PodMetricsStore &m_metrics;
    EventRecorder m_events;
    const ResourceType &m_hpaType;
    const ResourceType &m_podType;
    std::mutex m_historyMutex;
    std::map<std::string, hpa::History> m_history; // by HPA key; entries are stable
};

} // namespace sandbox
