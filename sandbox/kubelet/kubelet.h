#pragma once
// The sandbox's single node: registers Node "forecast-sandbox", "schedules" unassigned pods
// onto it (spec.nodeName, PodScheduled, a Scheduled event from default-scheduler), hands
// each pod to the first runtime that handles it, assembles pod status (notes §6) from the
// runtime's container states, and finishes graceful deletion (stop containers within the
// grace period, then remove the object). Runtimes are pluggable (PodRuntime): the
// simulated one is always there as the fallback; issue 4 adds the process runtime in front.

#include "controllers/controller.h"
#include "controllers/event_recorder.h"
#include "kubelet/image_table.h"
#include "kubelet/pod_ip_allocator.h"
#include "kubelet/pod_logs.h"
#include "kubelet/pod_metrics_store.h"
#include "kubelet/pod_runtime.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace sandbox {

class Kubelet final : public Controller {
public:
    static constexpr std::string_view kDefaultNodeName = "forecast-sandbox";

    Kubelet(ResourceService &service, PodLogs &logs, PodMetricsStore &metrics, ImageTable images,
            std::filesystem::path stateDir = {},
            std::string nodeName = std::string(kDefaultNodeName), int workers = 4);
    ~Kubelet() override;

    // The context runtimes are built with (events as this kubelet, resync into its queue).
    PodRuntimeContext runtimeContext();
    // Runtimes are asked in the order added; the simulated runtime is asked last. Add
    // before start().
    void addRuntime(std::unique_ptr<PodRuntime> runtime);

    // Registers the Node, re-reserves the IPs of pods that survived a restart, then starts.
    void startKubelet();
    void stopKubelet();

    const std::string &nodeName() const { return m_nodeName; }
    const ImageTable &images() const { return m_images; }
    PodIpAllocator &ipAllocator() { return m_ips; }
    // The node's InternalIP and every pod's hostIP (--node-ip). Set before startKubelet().
    void setNodeIp(std::string ip) { m_nodeIp = std::move(ip); }
    const std::string &nodeIp() const { return m_nodeIp; }

protected:
    SyncResult sync(const std::string &key) override;

private:
    SyncResult bindPod(const boost::json::object &pod);
    SyncResult writeStatus(const boost::json::object &pod, boost::json::object status);
    PodRuntime &runtimeFor(const boost::json::object &pod);
    void forget(const std::string &key);
    rf::Status registerNode();

    PodLogs &m_logs;
    PodMetricsStore &m_metrics;
    std::filesystem::path m_stateDir;
    ImageTable m_images;
    std::string m_nodeName;
    std::string m_nodeIp = "127.0.0.1";
    EventRecorder m_kubeletEvents;
    EventRecorder m_schedulerEvents;
    PodIpAllocator m_ips;
    const ResourceType &m_podType;
    std::vector<std::unique_ptr<PodRuntime>> m_runtimes;
    std::unique_ptr<PodRuntime> m_simulated;
    std::mutex m_knownMutex;
    std::map<std::string, std::string> m_known; // pod key -> uid the runtimes hold
};

} // namespace sandbox
