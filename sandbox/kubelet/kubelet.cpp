#include "kubelet/kubelet.h"

#include "api/http_log.h"
#include "controllers/controller_utils.h"
#include "controllers/deployment_util.h"
#include "kubelet/pod_status.h"
#include "kubelet/simulated_runtime.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <fstream>
#include <thread>

#include <sys/utsname.h>
#include <unistd.h>

namespace sandbox {

namespace {

constexpr std::string_view kKubeletManager = "kubelet";

std::string osImage() {
    std::ifstream in("/etc/os-release");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("PRETTY_NAME=", 0) == 0) {
            std::string value = line.substr(12);
            if (value.size() >= 2 && value.front() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return value;
        }
    }
    return "Linux";
}

boost::json::object nodeCondition(std::string_view type, std::string_view status,
                                  std::string_view reason, std::string_view message,
                                  const std::string &now) {
    return {{"type", type},
            {"status", status},
            {"lastHeartbeatTime", now},
            {"lastTransitionTime", now},
            {"reason", reason},
            {"message", message}};
}

} // namespace

Kubelet::Kubelet(ResourceService &service, PodLogs &logs, PodMetricsStore &metrics,
                 ImageTable images, std::filesystem::path stateDir, std::string nodeName,
                 int workers)
    : Controller("kubelet", service, workers)
    , m_logs(logs)
    , m_metrics(metrics)
    , m_stateDir(std::move(stateDir))
    , m_images(std::move(images))
    , m_nodeName(std::move(nodeName))
    , m_kubeletEvents(service, "kubelet", m_nodeName)
    , m_schedulerEvents(service, "default-scheduler")
    , m_podType(type("", "pods")) {
    m_simulated = std::make_unique<SimulatedRuntime>(runtimeContext());
    watchOwnKey(m_podType);
}

Kubelet::~Kubelet() {
    stopKubelet();
}

PodRuntimeContext Kubelet::runtimeContext() {
    return PodRuntimeContext{service(),
                             m_images,
                             m_logs,
                             clock(),
                             [this](const boost::json::object &pod, std::string_view type,
                                    std::string_view reason, const std::string &message,
                                    std::string_view fieldPath) {
                                 m_kubeletEvents.event(pod, type, reason, message, fieldPath);
                             },
                             [this](const std::string &podKey) { enqueue(podKey); },
                             m_metrics,
                             m_stateDir};
}

void Kubelet::addRuntime(std::unique_ptr<PodRuntime> runtime) {
    m_runtimes.push_back(std::move(runtime));
}

PodRuntime &Kubelet::runtimeFor(const boost::json::object &pod) {
    for (auto &runtime : m_runtimes) {
        if (runtime->handles(pod)) {
            return *runtime;
        }
    }
    return *m_simulated;
}

void Kubelet::startKubelet() {
    if (auto registered = registerNode(); !registered) {
        logLine(LogLevel::Error, "node registration failed",
                {{"node", m_nodeName}, {"error", registered.message()}});
    }
    if (auto pods = service().list(m_podType, "", ListOptions{})) {
        for (const auto &pod : pods->items) {
            const std::string ip = json::stringAt(pod, {"status", "podIP"});
            if (!ip.empty()) {
                m_ips.reserve(uidOf(pod), ip);
            }
        }
    }
    start();
}

void Kubelet::stopKubelet() {
    stop();
    for (auto &runtime : m_runtimes) {
        runtime->shutdown();
    }
    if (m_simulated) {
        m_simulated->shutdown();
    }
}

rf::Status Kubelet::registerNode() {
    const ResourceType *nodeType = service().registry().byResource("", "v1", "nodes");
    if (nodeType == nullptr) {
        return rf::fail("the registry has no nodes resource");
    }
    utsname uts{};
    uname(&uts);
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    const std::string memory = std::to_string((pages * pageSize) / 1024) + "Ki";
    const std::string cpus = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
    const std::string now = formatRfc3339(clock().now());
    boost::json::object resources{
        {"cpu", cpus}, {"memory", memory}, {"pods", "110"}, {"ephemeral-storage", "61202244Ki"}};
    boost::json::object status{
        {"capacity", resources},
        {"allocatable", resources},
        {"conditions",
         boost::json::array{nodeCondition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                                          "kubelet has sufficient memory available", now),
                            nodeCondition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                                          "kubelet has no disk pressure", now),
                            nodeCondition("PIDPressure", "False", "KubeletHasSufficientPID",
                                          "kubelet has sufficient PID available", now),
                            nodeCondition("Ready", "True", "KubeletReady",
                                          "kubelet is posting ready status", now)}},
        {"addresses",
         boost::json::array{boost::json::object{{"type", "InternalIP"}, {"address", m_nodeIp}},
                            boost::json::object{{"type", "Hostname"}, {"address", m_nodeName}}}},
        {"daemonEndpoints",
         boost::json::object{{"kubeletEndpoint", boost::json::object{{"Port", 10250}}}}},
        {"nodeInfo",
         boost::json::object{{"machineID", ""},
                             {"systemUUID", ""},
                             {"bootID", ""},
                             {"kernelVersion", uts.release},
                             {"osImage", osImage()},
                             {"containerRuntimeVersion", "forecast-sandbox://0.1.0"},
                             {"kubeletVersion", "v1.32.0"},
                             {"kubeProxyVersion", "v1.32.0"},
                             {"operatingSystem", "linux"},
                             {"architecture", uts.machine[0] == 'a' ? "arm64" : "amd64"}}}};
    auto existing = service().get(*nodeType, "", m_nodeName);
    boost::json::object node;
    if (existing) {
        node = std::move(*existing);
    } else {
        node = boost::json::object{
            {"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             boost::json::object{
                 {"name", m_nodeName},
                 {"labels", boost::json::object{{"kubernetes.io/hostname", m_nodeName},
                                                {"kubernetes.io/os", "linux"},
                                                {"kubernetes.io/arch", "amd64"},
                                                {"node-role.kubernetes.io/control-plane", ""},
                                                {"beta.kubernetes.io/os", "linux"},
                                                {"beta.kubernetes.io/arch", "amd64"}}}}},
            {"spec", boost::json::object{}}};
        auto created = service().create(*nodeType, "", node, managerOptions(kKubeletManager));
        if (!created) {
            return rf::fail(created.error().message);
        }
        node = std::move(*created);
    }
    node["status"] = std::move(status);
    auto written = service().update(*nodeType, "", m_nodeName, std::move(node),
                                    managerOptions(kKubeletManager),
                                    nodeType->hasStatus ? Subresource::Status : Subresource::Main);
    if (!written) {
        return rf::fail(written.error().message);
    }
    return rf::ok();
}

void Kubelet::forget(const std::string &key) {
    std::string uid;
    {
        std::lock_guard lock(m_knownMutex);
        auto it = m_known.find(key);
        if (it == m_known.end()) {
            return;
        }
        uid = it->second;
        m_known.erase(it);
    }
    for (auto &runtime : m_runtimes) {
        runtime->forgetPod(uid);
    }
    m_simulated->forgetPod(uid);
    m_ips.release(uid);
    m_logs.removePod(uid);
}

// The pods/binding subresource: the service forbids spec changes on pods, so binding
// writes through the store like the real registry's BindingREST does.
SyncResult Kubelet::bindPod(const boost::json::object &pod) {
    boost::json::object bound = pod;
    json::ensureObject(bound, {"spec"})["nodeName"] = m_nodeName;
    auto &status = json::ensureObject(bound, {"status"});
    status["phase"] = json::stringAt(pod, {"status", "phase"}, "Pending");
    status["conditions"] = boost::json::array{
        boost::json::object{{"type", "PodScheduled"},
                            {"status", "True"},
                            {"lastProbeTime", nullptr},
                            {"lastTransitionTime", formatRfc3339(clock().now())}}};
    auto written = service().store().update(m_podType, std::move(bound));
    if (!written) {
        return isConflict(written.error()) || isNotFound(written.error())
                   ? SyncResult::retry()
                   : SyncResult::error(written.error().message);
    }
    m_schedulerEvents.event(*written, EventRecorder::Normal, "Scheduled",
                            "Successfully assigned " + json::namespaceOf(pod) + "/" +
                                json::name(pod) + " to " + m_nodeName);
    return SyncResult::done();
}

SyncResult Kubelet::writeStatus(const boost::json::object &pod, boost::json::object status) {
    const auto *old = json::objectAt(pod, {"status"});
    if (old != nullptr && json::canonical(*old) == json::canonical(status)) {
        return SyncResult::done();
    }
    boost::json::object updated = pod;
    updated["status"] = std::move(status);
    auto written =
        service().update(m_podType, json::namespaceOf(pod), json::name(pod), std::move(updated),
                         managerOptions(kKubeletManager), Subresource::Status);
    if (!written) {
        if (isNotFound(written.error())) {
            return SyncResult::done();
        }
        return isConflict(written.error()) ? SyncResult::retry()
                                           : SyncResult::error(written.error().message);
    }
    return SyncResult::done();
}

SyncResult Kubelet::sync(const std::string &key) {
    const auto [ns, name] = splitKey(key);
    auto found = service().get(m_podType, ns, name);
    if (!found) {
        if (isNotFound(found.error())) {
            forget(key);
            return SyncResult::done();
        }
        return SyncResult::error(found.error().message);
    }
    const boost::json::object pod = std::move(*found);
    const std::string uid = uidOf(pod);
    {
        std::unique_lock lock(m_knownMutex);
        auto it = m_known.find(key);
        if (it != m_known.end() && it->second != uid) {
            lock.unlock();
            forget(key); // the name now belongs to a new pod
        }
    }
    const std::string nodeName = json::stringAt(pod, {"spec", "nodeName"});
    if (nodeName.empty()) {
        if (deployment::beingDeleted(pod)) {
            return SyncResult::done(); // the service removes unscheduled pods at once
        }
        return bindPod(pod);
    }
    if (nodeName != m_nodeName) {
        return SyncResult::done();
    }
    {
        std::lock_guard lock(m_knownMutex);
        m_known[key] = uid;
    }
    const std::string existingIp = json::stringAt(pod, {"status", "podIP"});
    if (!existingIp.empty()) {
        m_ips.reserve(uid, existingIp);
    }
    const std::string podIP = existingIp.empty() ? m_ips.allocate(uid) : existingIp;
    PodRuntime &runtime = runtimeFor(pod);

    if (deployment::beingDeleted(pod)) {
        const std::int64_t grace =
            json::intAt(pod, {"metadata", "deletionGracePeriodSeconds"}).value_or(30);
        PodStopResult stopped = runtime.stopPod(pod, grace);
        PodStatusInput input;
        input.containerStatuses = std::move(stopped.containerStatuses);
        input.podIP = podIP;
        input.hostIP = m_nodeIp;
        input.terminating = true;
        SyncResult written = writeStatus(pod, buildPodStatus(pod, input, clock().now()));
        if (written.kind != SyncResult::Kind::Done) {
            return written;
        }
        if (!stopped.stopped) {
            return SyncResult::doneRequeueAfter(stopped.recheckAfter);
        }
        DeleteOptions now;
        now.gracePeriodSeconds = 0;
        now.preconditionUid = uid;
        auto removed = service().remove(m_podType, ns, name, now);
        if (!removed && !isNotFound(removed.error())) {
            return isConflict(removed.error()) ? SyncResult::retry()
                                               : SyncResult::error(removed.error().message);
        }
        return SyncResult::done(); // the DELETED event brings forget()
    }

    PodRuntimeStatus observed = runtime.syncPod(pod, podIP);
    PodStatusInput input;
    input.containerStatuses = std::move(observed.containerStatuses);
    input.initContainerStatuses = std::move(observed.initContainerStatuses);
    input.podIP = podIP;
    input.hostIP = m_nodeIp;
    SyncResult written = writeStatus(pod, buildPodStatus(pod, input, clock().now()));
    if (written.kind != SyncResult::Kind::Done) {
        return written;
    }
    return SyncResult::doneRequeueAfter(observed.recheckAfter);
}

} // namespace sandbox
