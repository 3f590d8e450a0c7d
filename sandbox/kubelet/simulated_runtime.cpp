#include "kubelet/simulated_runtime.h"

#include "controllers/pod_template_hash.h"
#include "util/json_util.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace sandbox {

namespace {

using namespace std::chrono_literals;

// Stage timings (simulated seconds, divided by --time-scale).
constexpr auto kPullFailDelay = 1s;     // an unknown image fails this long after Pulling
constexpr auto kErrImagePullShown = 3s; // ErrImagePull shows before the back-off starts
constexpr auto kPullBackOffBase = 10s;  // then 20s, 40s, ... capped
constexpr auto kPullBackOffMax = 300s;
constexpr auto kStopDelay = 1s; // simulated processes exit this long after SIGTERM (or grace)
// Stages that exist only to be seen stay at least this long in real time, so a client
// polling `kubectl get pods` at a high time scale still sees them.
constexpr auto kMinVisible = 400ms;

std::string randomHex(std::size_t n) {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[engine() % 16]);
    }
    return out;
}

std::string fieldPathOf(const std::string &container) {
    return "spec.containers{" + container + "}";
}

std::int64_t probeDelay(const boost::json::object &container) {
    std::int64_t delay = 0;
    for (const char *probe : {"startupProbe", "readinessProbe"}) {
        if (const auto *p = json::objectAt(container, {probe})) {
            delay += json::intAt(*p, {"initialDelaySeconds"}).value_or(0);
        }
    }
    return delay;
}

std::string humanSeconds(std::chrono::seconds s) {
    if (s.count() >= 60) {
        const auto m = s.count() / 60;
        const auto rest = s.count() % 60;
        return std::to_string(m) + "m" + (rest ? std::to_string(rest) + "s" : std::string("0s"));
    }
    return std::to_string(s.count()) + "s";
}

} // namespace

std::string fakeSha256(std::string_view seed) {
    std::string out = "sha256:";
    std::uint32_t h = fnv32a(seed);
    for (int i = 0; i < 8; ++i) {
        char buffer[9];
        h = fnv32a(std::string_view(reinterpret_cast<const char *>(&h), sizeof h), h + i);
        std::snprintf(buffer, sizeof buffer, "%08x", h);
        out += buffer;
    }
    return out;
}

SimulatedRuntime::SimulatedRuntime(PodRuntimeContext context)
    : m_context(std::move(context)) {}

SimulatedRuntime::Pod &SimulatedRuntime::podFor(const boost::json::object &pod) {
    const std::string uid = json::stringAt(pod, {"metadata", "uid"});
    auto it = m_pods.find(uid);
    if (it != m_pods.end()) {
        return it->second;
    }
    Pod state;
    state.uid = uid;
    state.ns = json::namespaceOf(pod);
    state.name = json::name(pod);
    const Steady now = std::chrono::steady_clock::now();
    if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
        for (const auto &value : *containers) {
            if (!value.is_object()) {
                continue;
            }
            Container c;
            c.name = json::stringAt(value.get_object(), {"name"});
            c.image = json::stringAt(value.get_object(), {"image"});
            c.pullAlways = json::stringAt(value.get_object(), {"imagePullPolicy"}) == "Always";
            const ImageRule *rule = m_context.images.match(c.image);
            c.known = rule != nullptr;
            if (rule != nullptr) {
                c.startSeconds = rule->startSeconds;
            }
            state.containers.push_back(std::move(c));
        }
    }
    auto &inserted = m_pods.emplace(uid, std::move(state)).first->second;
    for (auto &c : inserted.containers) {
        if (!adopt(pod, inserted, c, now)) {
            enter(pod, c, Stage::Pulling, now);
        }
    }
    return inserted;
}

// After a sandbox restart the pod's status still says the container runs: keep it running
// (same containerID and startedAt) instead of creating it again.
bool SimulatedRuntime::adopt(const boost::json::object &pod, const Pod &state, Container &c,
                             Steady now) {
    if (!c.known || json::stringAt(pod, {"metadata", "deletionTimestamp"}).size() > 0) {
        return false;
    }
    const auto *statuses = json::arrayAt(pod, {"status", "containerStatuses"});
    if (statuses == nullptr) {
        return false;
    }
    for (const auto &value : *statuses) {
        const auto *s = value.if_object();
        if (s == nullptr || json::stringAt(*s, {"name"}) != c.name) {
            continue;
        }
        const auto *running = json::objectAt(*s, {"state", "running"});
        const std::string id = json::stringAt(*s, {"containerID"});
        if (running == nullptr || id.empty()) {
            return false;
        }
        c.stage = Stage::Running;
        c.containerID = id;
        c.startedAt = json::stringAt(*running, {"startedAt"}, formatRfc3339(m_context.clock.now()));
        c.ready = json::boolAt(*s, {"ready"}).value_or(false);
        c.readyAt = now;
        c.until = Steady::max();
        m_context.logs.containerStarted(state.uid, c.name);
        m_context.logs.append(state.uid, c.name,
                              "[forecast-sandbox] sandbox restarted; simulated container \"" +
                                  c.name + "\" kept running");
        return true;
    }
    return false;
}

void SimulatedRuntime::enter(const boost::json::object &pod, Container &c, Stage stage,
                             Steady now) {
    const Clock &clock = m_context.clock;
    const std::string path = fieldPathOf(c.name);
    c.stage = stage;
    switch (stage) {
    case Stage::Pulling:
        if (c.pullAlways || m_pulled.count(c.image) == 0) {
            m_context.event(pod, "Normal", "Pulling", "Pulling image \"" + c.image + "\"", path);
        }
        c.until = now + (c.known ? clock.scaled(std::chrono::milliseconds(
                                       static_cast<std::int64_t>(c.startSeconds * 1000)))
                                 : clock.scaled(kPullFailDelay));
        break;
    case Stage::Running: {
        if (!c.pullAlways && m_pulled.count(c.image) != 0) {
            m_context.event(pod, "Normal", "Pulled",
                            "Container image \"" + c.image + "\" already present on machine", path);
        } else {
            const auto pulled = std::chrono::duration<double>(c.startSeconds);
            char took[32];
            std::snprintf(took, sizeof took, "%.3fs", pulled.count());
            m_context.event(pod, "Normal", "Pulled",
                            "Successfully pulled image \"" + c.image + "\" in " + took + " (" +
                                took + " including waiting). Image size: " +
                                std::to_string(20000000 + fnv32a(c.image) % 80000000) + " bytes.",
                            path);
            m_pulled.insert(c.image);
        }
        c.containerID = "containerd://" + randomHex(64);
        c.startedAt = formatRfc3339(clock.now());
        m_context.event(pod, "Normal", "Created", "Created container: " + c.name, path);
        m_context.event(pod, "Normal", "Started", "Started container " + c.name, path);
        std::int64_t delay = 0;
        if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
            for (const auto &value : *containers) {
                if (value.is_object() && json::stringAt(value.get_object(), {"name"}) == c.name) {
                    delay = probeDelay(value.get_object());
                }
            }
        }
        c.readyAt = now + (delay > 0 ? clock.scaled(std::chrono::seconds(delay)) : Duration(0));
        c.ready = delay <= 0;
        c.until = Steady::max();
        break;
    }
    case Stage::ErrImagePull:
        ++c.pullFailures;
        m_context.event(
            pod, "Warning", "Failed",
            "Failed to pull image \"" + c.image +
                "\": " + "rpc error: code = NotFound desc = failed to pull and unpack image \"" +
                ImageRef::parse(c.image).fullName() + "\": failed to resolve reference \"" +
                ImageRef::parse(c.image).fullName() + "\": not found",
            path);
        m_context.event(pod, "Warning", "Failed", "Error: ErrImagePull", path);
        c.until = now + std::max<Duration>(clock.scaled(kErrImagePullShown), kMinVisible);
        break;
    case Stage::ImagePullBackOff: {
        auto backoff = std::chrono::duration_cast<std::chrono::seconds>(kPullBackOffBase);
        for (int i = 1; i < c.pullFailures && backoff < kPullBackOffMax; ++i) {
            backoff *= 2;
        }
        backoff =
            std::min(backoff, std::chrono::duration_cast<std::chrono::seconds>(kPullBackOffMax));
        m_context.event(pod, "Normal", "BackOff", "Back-off pulling image \"" + c.image + "\"",
                        path);
        m_context.event(pod, "Warning", "Failed", "Error: ImagePullBackOff", path);
        c.until = now + std::max<Duration>(clock.scaled(backoff), kMinVisible);
        (void)humanSeconds;
        break;
    }
    case Stage::Terminated:
        c.finishedAt = formatRfc3339(clock.now());
        c.ready = false;
        c.until = Steady::max();
        break;
    }
}

void SimulatedRuntime::advance(const boost::json::object &pod, Container &c, Steady now) {
    for (int guard = 0; guard < 8 && now >= c.until; ++guard) {
        switch (c.stage) {
        case Stage::Pulling:
            enter(pod, c, c.known ? Stage::Running : Stage::ErrImagePull, now);
            if (c.stage == Stage::Running) {
                m_context.logs.containerStarted(json::stringAt(pod, {"metadata", "uid"}), c.name);
                logStart(m_pods.at(json::stringAt(pod, {"metadata", "uid"})), c);
            }
            break;
        case Stage::ErrImagePull:
            enter(pod, c, Stage::ImagePullBackOff, now);
            break;
        case Stage::ImagePullBackOff:
            enter(pod, c, Stage::Pulling, now);
            break;
        default:
            return;
        }
    }
    if (c.stage == Stage::Running && !c.ready && now >= c.readyAt) {
        c.ready = true;
    }
}

boost::json::object SimulatedRuntime::statusOf(const Container &c) const {
    boost::json::object status{{"name", c.name}};
    boost::json::object state;
    boost::json::object lastState;
    const ImageRef ref = ImageRef::parse(c.image);
    switch (c.stage) {
    case Stage::Pulling:
        state["waiting"] = boost::json::object{{"reason", "ContainerCreating"}};
        break;
    case Stage::ErrImagePull:
        state["waiting"] = boost::json::object{
            {"reason", "ErrImagePull"},
            {"message", "rpc error: code = NotFound desc = failed to pull and unpack image \"" +
                            ref.fullName() + "\": failed to resolve reference \"" + ref.fullName() +
                            "\": not found"}};
        break;
    case Stage::ImagePullBackOff:
        state["waiting"] =
            boost::json::object{{"reason", "ImagePullBackOff"},
                                {"message", "Back-off pulling image \"" + c.image + "\""}};
        break;
    case Stage::Running:
        state["running"] = boost::json::object{{"startedAt", c.startedAt}};
        break;
    case Stage::Terminated: {
        boost::json::object terminated{{"exitCode", 0}, {"reason", "Completed"}};
        if (!c.startedAt.empty()) {
            terminated["startedAt"] = c.startedAt;
        }
        terminated["finishedAt"] = c.finishedAt;
        if (!c.containerID.empty()) {
            terminated["containerID"] = c.containerID;
        }
        state["terminated"] = std::move(terminated);
        break;
    }
    }
    status["state"] = std::move(state);
    status["lastState"] = std::move(lastState);
    status["ready"] = c.ready && c.stage == Stage::Running;
    status["restartCount"] = 0;
    const bool created = !c.containerID.empty();
    status["image"] = created ? ref.fullName() : c.image;
    status["imageID"] = created ? ref.normalized + "@" + fakeSha256(ref.fullName()) : "";
    if (created) {
        status["containerID"] = c.containerID;
    }
    status["started"] = c.stage == Stage::Running;
    return status;
}

Duration SimulatedRuntime::nextChange(const Pod &pod, Steady now) const {
    Steady next = Steady::max();
    for (const auto &c : pod.containers) {
        next = std::min(next, c.until);
        if (c.stage == Stage::Running && !c.ready) {
            next = std::min(next, c.readyAt);
        }
    }
    if (pod.stopping && !pod.stopped) {
        next = std::min(next, pod.stopAt);
    }
    if (next == Steady::max()) {
        return Duration(0);
    }
    return std::max<Duration>(next - now, std::chrono::milliseconds(1));
}

PodRuntimeStatus SimulatedRuntime::syncPod(const boost::json::object &pod, const std::string &) {
    std::lock_guard lock(m_mutex);
    Pod &state = podFor(pod);
    const Steady now = std::chrono::steady_clock::now();
    PodRuntimeStatus result;
    for (auto &c : state.containers) {
        advance(pod, c, now);
        result.containerStatuses.push_back(statusOf(c));
    }
    publishUsage(state);
    result.recheckAfter = nextChange(state, now);
    return result;
}

PodStopResult SimulatedRuntime::stopPod(const boost::json::object &pod,
                                        std::int64_t gracePeriodSeconds) {
    std::lock_guard lock(m_mutex);
    Pod &state = podFor(pod);
    const Steady now = std::chrono::steady_clock::now();
    const std::string uid = state.uid;
    if (!state.stopping) {
        state.stopping = true;
        const auto grace = std::chrono::seconds(std::max<std::int64_t>(gracePeriodSeconds, 0));
        const auto wait = std::min<std::chrono::milliseconds>(grace, kStopDelay);
        state.stopAt = now + (wait.count() > 0 ? m_context.clock.scaled(wait) : Duration(0));
        for (auto &c : state.containers) {
            if (c.stage == Stage::Running) {
                m_context.event(pod, "Normal", "Killing", "Stopping container " + c.name,
                                fieldPathOf(c.name));
                logStop(state, c);
            }
        }
    }
    PodStopResult result;
    if (now >= state.stopAt && !state.stopped) {
        for (auto &c : state.containers) {
            if (c.stage != Stage::Terminated) {
                enter(pod, c, Stage::Terminated, now);
                m_context.logs.containerStopped(uid, c.name);
            }
        }
        state.stopped = true;
        m_context.metrics.forget(state.ns, state.name);
    }
    for (const auto &c : state.containers) {
        result.containerStatuses.push_back(statusOf(c));
    }
    result.stopped = state.stopped;
    result.recheckAfter = state.stopped ? Duration(0) : nextChange(state, now);
    return result;
}

void SimulatedRuntime::forgetPod(std::string_view podUid) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_pods.find(podUid); it != m_pods.end()) {
        if (auto sample = m_context.metrics.pod(it->second.ns, it->second.name);
            sample && sample->uid == it->second.uid) {
            m_context.metrics.forget(it->second.ns, it->second.name);
        }
        m_pods.erase(it);
    }
}

// An idle container's usage, steady per pod (seeded by its uid) so `kubectl top` shows
// plausible, stable numbers: 1-4 millicores and 6-14 MiB per running container.
void SimulatedRuntime::publishUsage(const Pod &pod) {
    PodUsage usage;
    usage.namespaceName = pod.ns;
    usage.name = pod.name;
    usage.uid = pod.uid;
    usage.timestamp = m_context.clock.now();
    usage.window = std::chrono::milliseconds(15000);
    std::uint64_t seed = 1469598103934665603ULL;
    for (const char ch : pod.uid) {
        seed = (seed ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
    }
    for (const auto &c : pod.containers) {
        if (c.stage != Stage::Running) {
            continue;
        }
        const std::uint64_t h = seed ^ std::hash<std::string>{}(c.name);
        ContainerUsage container;
        container.name = c.name;
        container.cpuMillicores = 1 + static_cast<std::int64_t>(h % 4);
        container.memoryBytes = (6 + static_cast<std::int64_t>((h >> 8) % 9)) * 1024 * 1024 +
                                static_cast<std::int64_t>((h >> 16) % 256) * 4096;
        usage.containers.push_back(std::move(container));
    }
    if (usage.containers.empty()) {
        m_context.metrics.forget(pod.ns, pod.name);
        return;
    }
    m_context.metrics.publish(std::move(usage));
}

void SimulatedRuntime::logStart(const Pod &pod, const Container &c) {
    const ImageRef ref = ImageRef::parse(c.image);
    auto line = [&](const std::string &text) { m_context.logs.append(pod.uid, c.name, text); };
    const std::string repo = ref.normalized.substr(ref.normalized.rfind('/') + 1);
    const std::string version = ref.tag.empty() ? "latest" : ref.tag;
    if (repo == "nginx") {
        line("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
             "configuration");
        line("/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/");
        line("/docker-entrypoint.sh: Configuration complete; ready for start up");
        line("[notice] 1#1: using the \"epoll\" event method");
        line("[notice] 1#1: nginx/" + version);
        line("[notice] 1#1: start worker processes");
    } else {
        line("[forecast-sandbox] simulated container \"" + c.name + "\" started from image " +
             ref.fullName());
        line("[forecast-sandbox] no process runs for simulated images; this container reports "
             "Running and Ready");
    }
}

void SimulatedRuntime::logStop(const Pod &pod, const Container &c) {
    const ImageRef ref = ImageRef::parse(c.image);
    const std::string repo = ref.normalized.substr(ref.normalized.rfind('/') + 1);
    if (repo == "nginx") {
        m_context.logs.append(pod.uid, c.name,
                              "[notice] 1#1: signal 3 (SIGQUIT) received, shutting down");
        m_context.logs.append(pod.uid, c.name, "[notice] 1#1: exit");
    } else {
        m_context.logs.append(pod.uid, c.name,
                              "[forecast-sandbox] SIGTERM received, simulated container exiting");
    }
}

} // namespace sandbox
