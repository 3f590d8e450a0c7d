#include "kubelet/process_runtime.h"

#include "api/http_log.h"
#include "kubelet/container_launch.h"
#include "kubelet/simulated_runtime.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <set>

namespace sandbox {

namespace {

using namespace std::chrono_literals;

// How soon a container whose config could not be built (missing ConfigMap/Secret, a model
// that failed to train) is tried again (simulated time).
constexpr auto kConfigRetry = 5s;
// At most one Unhealthy event per container this often (real time); EventRecorder counts
// repeats anyway, this keeps a failing probe from flooding the store.
constexpr auto kUnhealthyEventEvery = 1s;

// A Kubernetes quantity ("512Mi", "1G", "1e9", "128974848") in bytes; 0 when unparsable.
std::int64_t memoryBytes(const boost::json::value *value) {
    if (value == nullptr) {
        return 0;
    }
    if (value->is_number()) {
        return static_cast<std::int64_t>(value->to_number<double>());
    }
    if (!value->is_string()) {
        return 0;
    }
    const std::string text(value->get_string());
    char *end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    const std::string suffix(end);
    static const std::pair<const char *, double> kSuffixes[] = {{"", 1},
                                                                {"k", 1e3},
                                                                {"M", 1e6},
                                                                {"G", 1e9},
                                                                {"T", 1e12},
                                                                {"P", 1e15},
                                                                {"E", 1e18},
                                                                {"m", 1e-3},
                                                                {"Ki", 1024.0},
                                                                {"Mi", 1048576.0},
                                                                {"Gi", 1073741824.0},
                                                                {"Ti", 1099511627776.0},
                                                                {"Pi", 1125899906842624.0},
                                                                {"Ei", 1152921504606846976.0}};
    for (const auto &[name, factor] : kSuffixes) {
        if (suffix == name) {
            return static_cast<std::int64_t>(std::ceil(number * factor));
        }
    }
    return 0;
}

std::string fieldPathOf(const std::string &container) {
    return "spec.containers{" + container + "}";
}

} // namespace

ProcessRuntime::ProcessRuntime(PodRuntimeContext context, ProcessRuntimeOptions options)
    : m_context(std::move(context))
    , m_options(std::move(options)) {
    std::error_code ec;
    if (m_options.binDir.empty()) {
        m_options.binDir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
    }
    std::filesystem::path modelDir;
    if (!m_context.stateDir.empty()) {
        m_runDir = m_context.stateDir / "kubelet" / "pods";
        m_recordDir = m_context.stateDir / "kubelet" / "containers";
        modelDir = m_context.stateDir / "models";
        std::filesystem::create_directories(m_recordDir, ec);
    } else {
        std::string pattern =
            (std::filesystem::temp_directory_path(ec) / "forecast-sandbox-pods-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            m_runDir = std::filesystem::path(pattern) / "pods";
            modelDir = std::filesystem::path(pattern) / "models";
            m_ownRunDir = true;
        }
    }
    std::filesystem::create_directories(m_runDir, ec);
    m_sessionDir = m_runDir.parent_path() / "sessions";
    std::filesystem::remove_all(m_sessionDir, ec);
    std::filesystem::create_directories(m_sessionDir, ec);
    m_models = std::make_unique<TagModelCache>(m_options.binDir / "forecast-train", modelDir);
    m_probes = std::make_unique<ProbeRunner>(m_context.clock);
    loadRecords();
    m_monitor = std::thread([this] { monitorLoop(); });
}

ProcessRuntime::~ProcessRuntime() {
    shutdown();
}

bool ProcessRuntime::handles(const boost::json::object &pod) const {
    const auto *containers = json::arrayAt(pod, {"spec", "containers"});
    if (containers == nullptr || containers->empty()) {
        return false;
    }
    for (const auto &value : *containers) {
        if (!value.is_object()) {
            return false;
        }
        const ImageRule *rule =
            m_context.images.match(json::stringAt(value.get_object(), {"image"}));
        if (rule == nullptr || rule->mode != ImageMode::Process) {
            return false;
        }
    }
    return true;
}

ProcessRuntime::Pod &ProcessRuntime::podFor(const boost::json::object &object, Outbox &out) {
    const std::string uid = json::stringAt(object, {"metadata", "uid"});
    if (auto it = m_pods.find(uid); it != m_pods.end()) {
        return it->second;
    }
    Pod pod;
    pod.uid = uid;
    pod.ns = json::namespaceOf(object);
    pod.name = json::name(object);
    pod.key = pod.ns + "/" + pod.name;
    pod.object = object;
    if (const auto *containers = json::arrayAt(object, {"spec", "containers"})) {
        for (const auto &value : *containers) {
            if (!value.is_object()) {
                continue;
            }
            Container c;
            c.spec = value.get_object();
            c.name = json::stringAt(c.spec, {"name"});
            c.image = json::stringAt(c.spec, {"image"});
            c.rule = m_context.images.match(c.image);
            if (const auto *limits = json::objectAt(c.spec, {"resources", "limits"})) {
                c.memoryLimit = memoryBytes(limits->if_contains("memory"));
            }
            pod.containers.push_back(std::move(c));
        }
    }
    Pod &inserted = m_pods.emplace(uid, std::move(pod)).first->second;
    bool sandboxChanged = false;
    for (auto &c : inserted.containers) {
        const bool wasRunning = [&] {
            if (const auto *statuses = json::arrayAt(object, {"status", "containerStatuses"})) {
                for (const auto &s : *statuses) {
                    if (s.is_object() && json::stringAt(s.get_object(), {"name"}) == c.name) {
                        return json::objectAt(s.get_object(), {"state", "running"}) != nullptr;
                    }
                }
            }
            return false;
        }();
        restoreContainer(inserted, c, object, out);
        sandboxChanged = sandboxChanged || (wasRunning && c.phase != Phase::Running);
    }
    if (sandboxChanged && !beingDeleted(object)) {
        event(out, inserted, "Normal", "SandboxChanged",
              "Pod sandbox changed, it will be killed and re-created.", "");
    }
    return inserted;
}

bool ProcessRuntime::beingDeleted(const boost::json::object &pod) {
    return !json::stringAt(pod, {"metadata", "deletionTimestamp"}).empty();
}

// What the stored status and the records say about a container the runtime has not seen in
// this process: adopt a live process, or continue the container's history after the
// process went away with the previous sandbox.
void ProcessRuntime::restoreContainer(Pod &pod, Container &c, const boost::json::object &object,
                                      Outbox &out) {
    const boost::json::object *status = nullptr;
    if (const auto *statuses = json::arrayAt(object, {"status", "containerStatuses"})) {
        for (const auto &s : *statuses) {
            if (s.is_object() && json::stringAt(s.get_object(), {"name"}) == c.name) {
                status = &s.get_object();
            }
        }
    }
    std::optional<Record> record;
    if (auto it = m_records.find(pod.uid); it != m_records.end()) {
        if (auto r = it->second.find(c.name); r != it->second.end()) {
            record = r->second;
            it->second.erase(r);
        }
        if (it->second.empty()) {
            m_records.erase(it);
        }
    }
    if (status == nullptr) {
        if (record) {
            signalProcessGroup(record->pid, SIGKILL);
            removeRecord(pod, c);
        }
        return;
    }
    c.restartCount = static_cast<int>(json::intAt(*status, {"restartCount"}).value_or(0));
    if (const auto *last = json::objectAt(*status, {"lastState", "terminated"})) {
        c.lastTerminated = *last;
    }
    const std::string containerID = json::stringAt(*status, {"containerID"});
    c.everStarted = !containerID.empty();
    if (record && processStillRuns(record->pid, record->startTicks)) {
        c.phase = Phase::Running;
        c.pid = record->pid;
        c.startTicks = record->startTicks;
        c.ownChild = false;
        c.everStarted = true;
        c.containerID = record->containerID;
        c.startedAtText = record->startedAt;
        c.startedAt = std::chrono::steady_clock::now();
        c.waitingReason.clear();
        c.tail = ContainerLogTail(record->logFile); // replays this run's output so far
        c.tailing = true;
        trackSession(c.pid, true);
        c.started = json::boolAt(*status, {"started"}).value_or(false);
        c.ready = json::boolAt(*status, {"ready"}).value_or(false);
        m_context.logs.containerStarted(pod.uid, c.name);
        Outbox::ProbeStart probe;
        probe.uid = pod.uid;
        probe.container = c.name;
        probe.containerID = c.containerID;
        probe.target = ProbeTarget{pod.key, c.name, json::stringAt(object, {"status", "podIP"}),
                                   c.spec,  {},     {}};
        out.addProbes.push_back(std::move(probe));
        logLine(LogLevel::Info, "process runtime adopted a running container",
                {{"pod", pod.key}, {"container", c.name}, {"pid", c.pid}});
        return;
    }
    if (record) {
        killSession(record->pid);
        removeRecord(pod, c);
    }
    // The last run's output is still in its log file: it becomes the run `kubectl logs`
    // (and, after the restart, `--previous`) shows.
    const auto lastLog =
        m_runDir / pod.uid / (c.name + "-" + std::to_string(c.restartCount) + ".log");
    std::error_code ec;
    if (c.everStarted && std::filesystem::is_regular_file(lastLog, ec)) {
        m_context.logs.containerStarted(pod.uid, c.name);
        ContainerLogTail(lastLog).poll(
            [&](std::string_view line) { m_context.logs.append(pod.uid, c.name, line); }, true);
        m_context.logs.containerStopped(pod.uid, c.name);
    }
    if (const auto *running = json::objectAt(*status, {"state", "running"})) {
        // The process ended with the previous sandbox (PDEATHSIG): a restart, as after a
        // node reboot, without back-off.
        c.lastTerminated = boost::json::object{
            {"exitCode", 255},
            {"reason", "Unknown"},
            {"message", "the sandbox restarted and the container's process was gone"},
            {"startedAt", json::stringAt(*running, {"startedAt"})},
            {"finishedAt", formatRfc3339(m_context.clock.now())},
            {"containerID", containerID}};
    } else if (const auto *terminated = json::objectAt(*status, {"state", "terminated"})) {
        const std::string policy = json::stringAt(object, {"spec", "restartPolicy"}, "Always");
        const bool failed = json::intAt(*terminated, {"exitCode"}).value_or(0) != 0;
        if (policy == "Never" || (policy == "OnFailure" && !failed)) {
            c.phase = Phase::Exited;
            c.terminated = *terminated;
        } else {
            c.terminated = *terminated;
        }
    }
}

void ProcessRuntime::prepareLaunch(Pod &pod, Container &c, Outbox &out) {
    const Steady now = std::chrono::steady_clock::now();
    if (c.rule == nullptr) {
        return;
    }
    LaunchInputs in;
    in.rule = c.rule;
    in.image = c.image;
    in.pod = &pod.object;
    in.container = &c.spec;
    in.podIP = pod.podIP;
    in.binDir = m_options.binDir;
    in.privateDir = m_runDir / pod.uid / c.name;
    auto configError = [&](const std::string &reason, const std::string &message) {
        const bool changed = c.waitingReason != reason || c.waitingMessage != message;
        if (!c.terminated) {
            c.waitingReason = reason;
            c.waitingMessage = message;
        }
        c.restartAt = now + m_context.clock.scaled(kConfigRetry);
        if (changed || c.terminated) {
            event(out, pod, "Warning", "Failed", "Error: " + message, c.name);
        }
    };
    if (ruleUsesVariable(*c.rule, "TAG_MODEL")) {
        const std::string key = pod.key;
        auto model =
            m_models->get(ImageRef::parse(c.image).tag, [this, key] { m_context.resync(key); });
        if (!model) {
            return; // training: ContainerCreating until the callback resyncs
        }
        if (!*model) {
            configError("CreateContainerError", model->message());
            return;
        }
        in.tagModel = model->value();
    }
    auto env = resolveContainerEnv(
        m_context.service, pod.object, c.spec,
        EnvContext{pod.podIP, json::stringAt(pod.object, {"spec", "nodeName"}),
                   json::stringAt(pod.object, {"status", "hostIP"}, "127.0.0.1")});
    if (!env) {
        configError("CreateContainerConfigError", env.message());
        return;
    }
    in.containerEnv = std::move(env.value());
    if (c.waitingReason == "CreateContainerConfigError" ||
        c.waitingReason == "CreateContainerError") {
        c.waitingReason = "ContainerCreating";
        c.waitingMessage.clear();
    }
    c.pending = std::make_shared<LaunchSpec>(buildLaunchSpec(in));
    m_kick = true;
    m_wake.notify_all();
}

PodRuntimeStatus ProcessRuntime::syncPod(const boost::json::object &object,
                                         const std::string &podIP) {
    Outbox out;
    PodRuntimeStatus result;
    {
        std::lock_guard lock(m_mutex);
        Pod &pod = podFor(object, out);
        pod.object = object;
        pod.podIP = podIP;
        const Steady now = std::chrono::steady_clock::now();
        Steady next = Steady::max();
        for (auto &c : pod.containers) {
            if (c.phase == Phase::Waiting && !c.pending && !pod.stopping && !m_stopping) {
                if (now >= c.restartAt) {
                    prepareLaunch(pod, c, out);
                }
                if (!c.pending && c.restartAt > now) {
                    next = std::min(next, c.restartAt);
                }
            }
            result.containerStatuses.push_back(statusOf(c));
        }
        if (next != Steady::max()) {
            result.recheckAfter = std::max<Duration>(next - now, 1ms);
        }
    }
    flush(out);
    return result;
}

PodStopResult ProcessRuntime::stopPod(const boost::json::object &object,
                                      std::int64_t gracePeriodSeconds) {
    Outbox out;
    PodStopResult result;
    {
        std::lock_guard lock(m_mutex);
        Pod &pod = podFor(object, out);
        pod.object = object;
        const Steady now = std::chrono::steady_clock::now();
        if (!pod.stopping) {
            pod.stopping = true;
            for (auto &c : pod.containers) {
                c.pending.reset();
                if (c.phase == Phase::Running) {
                    if (c.stopReason == StopReason::None) {
                        beginStop(pod, c, StopReason::PodDeleted, gracePeriodSeconds, out);
                    } else {
                        // A liveness restart is under way: finish it as a deletion.
                        c.stopReason = StopReason::PodDeleted;
                        c.killAt = std::min(
                            c.killAt, now + m_context.clock.scaled(std::chrono::seconds(
                                                std::max<std::int64_t>(gracePeriodSeconds, 0))));
                    }
                } else if (c.phase == Phase::Waiting) {
                    c.phase = Phase::Exited;
                    if (!c.terminated && c.lastTerminated) {
                        c.terminated = c.lastTerminated;
                    }
                }
            }
            m_kick = true;
            m_wake.notify_all();
        }
        bool stopped = true;
        Steady next = Steady::max();
        for (const auto &c : pod.containers) {
            if (c.phase == Phase::Running) {
                stopped = false;
                next = std::min(next, c.killAt);
            }
            result.containerStatuses.push_back(statusOf(c));
        }
        if (stopped && !pod.stopped) {
            pod.stopped = true;
            out.forgetMetrics.emplace_back(pod.ns, pod.name);
        }
        result.stopped = stopped;
        if (!stopped) {
            // The monitor resyncs when the process exits; this is the fallback.
            result.recheckAfter =
                std::clamp<Duration>(next - now + 20ms, 20ms, std::chrono::seconds(1));
        }
    }
    flush(out);
    return result;
}

void ProcessRuntime::forgetPod(std::string_view podUid) {
    Outbox out;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_pods.find(podUid);
        if (it == m_pods.end()) {
            return;
        }
        Pod &pod = it->second;
        for (auto &c : pod.containers) {
            if (c.phase == Phase::Running && c.pid > 0) {
                signalProcessGroup(c.pid, SIGKILL);
                trackSession(c.pid, false);
                if (c.ownChild) {
                    m_reapLater.push_back(c.pid);
                }
                m_context.logs.containerStopped(pod.uid, c.name);
            }
            if (c.hookPid > 0) {
                signalProcessGroup(c.hookPid, SIGKILL);
                m_reapLater.push_back(c.hookPid);
            }
            if (c.probe != 0) {
                out.removeProbes.push_back(c.probe);
            }
            removeRecord(pod, c);
        }
        out.forgetMetrics.emplace_back(pod.ns, pod.name);
        std::error_code ec;
        std::filesystem::remove_all(m_runDir / pod.uid, ec);
        m_pods.erase(it);
    }
    flush(out);
}

void ProcessRuntime::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        if (m_shutDown) {
            return;
        }
        m_shutDown = true;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_monitor.joinable()) {
        m_monitor.join(); // terminates every container before it returns
    }
    m_probes->shutdown();
    m_models.reset();
    if (m_ownRunDir) {
        std::error_code ec;
        std::filesystem::remove_all(m_runDir.parent_path(), ec);
    }
}

std::optional<pid_t> ProcessRuntime::containerPid(std::string_view podUid,
                                                  std::string_view container) const {
    std::lock_guard lock(m_mutex);
    auto it = m_pods.find(podUid);
    if (it == m_pods.end()) {
        return std::nullopt;
    }
    for (const auto &c : it->second.containers) {
        if (c.name == container && c.phase == Phase::Running && c.pid > 0) {
            return c.pid;
        }
    }
    return std::nullopt;
}

boost::json::object ProcessRuntime::statusOf(const Container &c) const {
    const ImageRef ref = ImageRef::parse(c.image);
    boost::json::object status{{"name", c.name}};
    boost::json::object state;
    if (c.phase == Phase::Running) {
        state["running"] = boost::json::object{{"startedAt", c.startedAtText}};
    } else if (c.terminated) {
        state["terminated"] = *c.terminated;
    } else {
        boost::json::object waiting{{"reason", c.waitingReason.empty()
                                                   ? std::string("ContainerCreating")
                                                   : c.waitingReason}};
        if (!c.waitingMessage.empty()) {
            waiting["message"] = c.waitingMessage;
        }
        state["waiting"] = std::move(waiting);
    }
    status["state"] = std::move(state);
    boost::json::object lastState;
    if (c.lastTerminated) {
        lastState["terminated"] = *c.lastTerminated;
    }
    status["lastState"] = std::move(lastState);
    status["ready"] = c.phase == Phase::Running && c.ready;
    status["restartCount"] = c.restartCount;
    status["image"] = c.everStarted ? ref.fullName() : c.image;
    status["imageID"] = c.everStarted ? ref.normalized + "@" + fakeSha256(ref.fullName()) : "";
    if (!c.containerID.empty()) {
        status["containerID"] = c.containerID;
    }
    status["started"] = c.phase == Phase::Running && c.started;
    return status;
}

void ProcessRuntime::event(Outbox &out, const Pod &pod, std::string_view type,
                           std::string_view reason, std::string message,
                           const std::string &container) const {
    out.events.push_back(Event{pod.object, std::string(type), std::string(reason),
                               std::move(message),
                               container.empty() ? std::string() : fieldPathOf(container)});
}

void ProcessRuntime::flush(Outbox &out) {
    for (auto &e : out.events) {
        m_context.event(e.pod, e.type, e.reason, e.message, e.fieldPath);
    }
    for (const auto id : out.removeProbes) {
        m_probes->remove(id);
    }
    for (auto &start : out.addProbes) {
        const std::string uid = start.uid, name = start.container, id = start.containerID;
        const ProbeRunner::Id probe = m_probes->add(
            std::move(start.target),
            [this, uid, name, id](const ProbeState &state, const std::string &failure) {
                onProbe(uid, name, id, state, failure);
            });
        bool keep = false;
        std::string resync;
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_pods.find(uid); it != m_pods.end()) {
                for (auto &c : it->second.containers) {
                    if (c.name == name && c.containerID == id && c.phase == Phase::Running) {
                        c.probe = probe;
                        keep = true;
                        resync = it->second.key;
                    }
                }
            }
        }
        if (!keep) {
            m_probes->remove(probe);
        } else {
            const ProbeState state = m_probes->state(probe);
            onProbe(uid, name, id, state, {});
            m_context.resync(resync);
        }
    }
    for (const auto &[ns, name] : out.forgetMetrics) {
        m_context.metrics.forget(ns, name);
    }
    std::set<std::string> keys(out.resync.begin(), out.resync.end());
    for (const auto &key : keys) {
        m_context.resync(key);
    }
}

void ProcessRuntime::onProbe(const std::string &uid, const std::string &container,
                             const std::string &containerID, const ProbeState &state,
                             const std::string &failure) {
    Outbox out;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_pods.find(uid);
        if (it == m_pods.end()) {
            return;
        }
        Pod &pod = it->second;
        for (auto &c : pod.containers) {
            if (c.name != container || c.containerID != containerID || c.phase != Phase::Running) {
                continue;
            }
            const Steady now = std::chrono::steady_clock::now();
            if (c.started != state.started || c.ready != state.ready) {
                c.started = state.started;
                c.ready = state.ready;
                out.resync.push_back(pod.key);
            }
            if (!failure.empty() && now - c.lastUnhealthyEvent >= kUnhealthyEventEvery) {
                c.lastUnhealthyEvent = now;
                event(out, pod, "Warning", "Unhealthy", failure, c.name);
            }
            if ((state.livenessFailed || state.startupFailed) && c.stopReason == StopReason::None &&
                !pod.stopping && !m_stopping) {
                std::int64_t grace =
                    json::intAt(pod.object, {"spec", "terminationGracePeriodSeconds"}).value_or(30);
                const char *probe = state.startupFailed ? "startupProbe" : "livenessProbe";
                if (auto own = json::intAt(c.spec, {probe, "terminationGracePeriodSeconds"})) {
                    grace = *own;
                }
                beginStop(pod, c, state.startupFailed ? StopReason::Startup : StopReason::Liveness,
                          grace, out);
                m_kick = true;
                m_wake.notify_all();
                out.resync.push_back(pod.key);
            }
        }
    }
    flush(out);
}

} // namespace sandbox
