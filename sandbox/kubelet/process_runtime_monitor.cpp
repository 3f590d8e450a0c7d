// ProcessRuntime's monitor thread: starts prepared containers, reaps exits (restart policy,
// back-off), walks stops through preStop → SIGTERM → SIGKILL, tails log files into PodLogs
// and samples /proc for metrics and the memory limit. It is the only thread that forks
// containers, so PR_SET_PDEATHSIG (which follows the forking thread) holds until shutdown.
#include "kubelet/process_runtime.h"

#include "api/http_log.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <csignal>
#include <fstream>
#include <random>
#include <sstream>

namespace sandbox {

namespace {

using namespace std::chrono_literals;

// At shutdown containers get SIGTERM and this long (real time) before SIGKILL.
constexpr auto kShutdownGrace = 2s;

std::string randomHex(std::size_t n) {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[engine() % 16]);
    }
    return out;
}

// `sleep N`, directly or as `sh -c "sleep N"`: the seconds, else nullopt.
std::optional<double> sleepSeconds(const std::vector<std::string> &command) {
    auto base = [](const std::string &path) {
        const auto slash = path.rfind('/');
        return slash == std::string::npos ? path : path.substr(slash + 1);
    };
    std::vector<std::string> words = command;
    if (words.size() == 3 && (base(words[0]) == "sh" || base(words[0]) == "bash") &&
        words[1] == "-c") {
        std::istringstream split(words[2]);
        words.clear();
        for (std::string w; split >> w;) {
            words.push_back(w);
        }
    }
    if (words.size() != 2 || base(words[0]) != "sleep") {
        return std::nullopt;
    }
    std::string number = words[1];
    if (!number.empty() && number.back() == 's') {
        number.pop_back();
    }
    try {
        std::size_t used = 0;
        const double seconds = std::stod(number, &used);
        if (used == number.size() && seconds >= 0) {
            return seconds;
        }
    } catch (...) {
    }
    return std::nullopt;
}

std::vector<std::string> stringList(const boost::json::array *list) {
    std::vector<std::string> out;
    if (list != nullptr) {
        for (const auto &item : *list) {
            if (item.is_string()) {
                out.emplace_back(item.get_string());
            }
        }
    }
    return out;
}

} // namespace

// Children a container forks into the background do not inherit PR_SET_PDEATHSIG. The
// watchdog, a shell started like a container but told SIGTERM (which it traps) when this
// thread dies, kills every container process group still listed in m_sessionDir: so even a
// `kill -9` of the sandbox leaves no pod process behind.
void ProcessRuntime::startWatchdog() {
    static constexpr const char *kScript =
        "d=\"$1\"; w=\"\"\n"
        "trap 'kill \"$w\" 2>/dev/null; for f in \"$d\"/*; do [ -e \"$f\" ] && "
        "kill -KILL \"-${f##*/}\" 2>/dev/null; done; exit 0' TERM\n"
        "while :; do sleep 3600 & w=$!; wait \"$w\"; done\n";
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", kScript, "forecast-sandbox-watchdog", m_sessionDir.string()};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.logFile = m_runDir.parent_path() / "watchdog.log";
    spec.deathSignal = SIGTERM;
    auto launched = launchProcess(spec);
    if (!launched) {
        logLine(LogLevel::Warn, "process runtime: no watchdog", {{"error", launched.message()}});
        return;
    }
    m_watchdog = launched->pid;
}

void ProcessRuntime::trackSession(pid_t session, bool running) const {
    if (session <= 1 || m_sessionDir.empty()) {
        return;
    }
    const auto file = m_sessionDir / std::to_string(session);
    std::error_code ec;
    if (running) {
        std::ofstream touch(file);
    } else {
        std::filesystem::remove(file, ec);
    }
}

void ProcessRuntime::monitorLoop() {
    startWatchdog();
    auto lastSample = std::chrono::steady_clock::now();
    for (;;) {
        Outbox out;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_options.monitorPeriod, [this] { return m_kick || m_stopping; });
            m_kick = false;
            if (m_stopping) {
                break;
            }
            const auto now = std::chrono::steady_clock::now();
            const bool sample = now - lastSample >= m_options.samplePeriod;
            if (sample) {
                lastSample = now;
            }
            monitorOnce(out, sample);
        }
        flush(out);
    }
    terminateAll();
}

void ProcessRuntime::monitorOnce(Outbox &out, bool sample) {
    for (auto it = m_reapLater.begin(); it != m_reapLater.end();) {
        it = reapChild(*it) ? m_reapLater.erase(it) : it + 1;
    }
    for (auto &[uid, pod] : m_pods) {
        for (auto &c : pod.containers) {
            if (c.phase == Phase::Waiting && c.pending && !pod.stopping) {
                launch(pod, c, out);
            }
            if (c.phase != Phase::Running) {
                continue;
            }
            std::optional<ProcessExit> exit;
            if (c.ownChild) {
                exit = reapChild(c.pid);
            } else if (!processStillRuns(c.pid, c.startTicks)) {
                exit = ProcessExit{255, 0};
            }
            if (exit) {
                onExit(pod, c, *exit, {}, out);
                continue;
            }
            if (c.stopReason != StopReason::None) {
                if (c.hookPid > 0) {
                    if (auto hook = reapChild(c.hookPid)) {
                        c.hookPid = -1;
                        if (hook->exitCode != 0 && c.stopReason == StopReason::PodDeleted) {
                            event(out, pod, "Warning", "FailedPreStopHook",
                                  "PreStopHook failed: command exited with " +
                                      std::to_string(hook->exitCode),
                                  c.name);
                        }
                    }
                }
                advanceStop(pod, c, std::chrono::steady_clock::now());
            }
            tailLogs(pod, c, false);
        }
        if (sample) {
            sampleUsage(pod, std::chrono::steady_clock::now(), out);
        }
    }
}

void ProcessRuntime::launch(Pod &pod, Container &c, Outbox &out) {
    LaunchSpec spec = std::move(*c.pending);
    c.pending.reset();
    const bool restart = c.everStarted;
    const int run = c.restartCount + (restart ? 1 : 0);
    std::error_code ec;
    const auto dir = m_runDir / pod.uid;
    std::filesystem::create_directories(dir, ec);
    spec.logFile = dir / (c.name + "-" + std::to_string(run) + ".log");
    std::filesystem::remove(spec.logFile, ec);

    if (c.terminated) { // the exit shown until now becomes lastState
        c.lastTerminated = std::move(c.terminated);
        c.terminated.reset();
    }
    c.everStarted = true;
    if (restart) {
        ++c.restartCount;
    }
    c.containerID = "containerd://" + randomHex(64);
    c.startedAtText = formatRfc3339(m_context.clock.now());
    c.startedAt = std::chrono::steady_clock::now();
    c.env = spec.env;
    c.workingDir = spec.workingDir;
    m_context.logs.containerStarted(pod.uid, c.name);
    event(out, pod, "Normal", "Pulled",
          "Container image \"" + c.image + "\" already present on machine", c.name);
    event(out, pod, "Normal", "Created", "Created container: " + c.name, c.name);

    auto launched = launchProcess(spec);
    if (!launched) {
        const std::string message =
            "failed to create containerd task: failed to create shim task: OCI runtime create "
            "failed: runc create failed: unable to start container process: " +
            launched.message() + ": unknown";
        event(out, pod, "Warning", "Failed", "Error: " + message, c.name);
        c.phase = Phase::Running; // onExit expects the run that failed
        c.pid = -1;
        onExit(pod, c, ProcessExit{128, 0}, message, out);
        return;
    }
    c.phase = Phase::Running;
    c.pid = launched->pid;
    c.startTicks = launched->startTicks;
    c.ownChild = true;
    c.waitingReason.clear();
    c.waitingMessage.clear();
    c.started = false;
    c.ready = false;
    c.oomKilled = false;
    c.cpu = CpuRateMeter{};
    c.cpuMillicores.reset();
    c.memoryBytes = 0;
    c.stopReason = StopReason::None;
    c.hookPid = -1;
    c.termSent = false;
    c.killSent = false;
    c.tail = ContainerLogTail(spec.logFile);
    c.tailing = true;
    trackSession(c.pid, true);
    event(out, pod, "Normal", "Started", "Started container " + c.name, c.name);
    writeRecord(pod, c);

    Outbox::ProbeStart probe;
    probe.uid = pod.uid;
    probe.container = c.name;
    probe.containerID = c.containerID;
    probe.target.podKey = pod.key;
    probe.target.containerName = c.name;
    probe.target.podIP = pod.podIP;
    probe.target.container = c.spec;
    for (const auto &entry : spec.env) {
        const auto eq = entry.find('=');
        probe.target.env[entry.substr(0, eq)] = eq == std::string::npos ? "" : entry.substr(eq + 1);
    }
    probe.target.workingDir = spec.workingDir.string();
    out.addProbes.push_back(std::move(probe));
    out.resync.push_back(pod.key);
}

void ProcessRuntime::onExit(Pod &pod, Container &c, const ProcessExit &exit, std::string message,
                            Outbox &out) {
    tailLogs(pod, c, true);
    c.tailing = false;
    m_context.logs.containerStopped(pod.uid, c.name);
    if (c.pid > 0) {
        signalProcessGroup(c.pid, SIGKILL); // what the container left behind goes with it
        trackSession(c.pid, false);
    }
    if (c.hookPid > 0) {
        signalProcessGroup(c.hookPid, SIGKILL);
        m_reapLater.push_back(c.hookPid);
        c.hookPid = -1;
    }
    if (c.probe != 0) {
        out.removeProbes.push_back(c.probe);
        c.probe = 0;
    }
    removeRecord(pod, c);

    std::string reason = exit.exitCode == 0 ? "Completed" : "Error";
    if (!message.empty()) {
        reason = "StartError";
    } else if (c.oomKilled) {
        reason = "OOMKilled";
    }
    boost::json::object terminated{{"exitCode", exit.exitCode}, {"reason", reason}};
    if (exit.signal != 0) {
        terminated["signal"] = exit.signal;
    }
    if (!message.empty()) {
        terminated["message"] = message;
    }
    terminated["startedAt"] = c.startedAtText;
    terminated["finishedAt"] = formatRfc3339(m_context.clock.now());
    terminated["containerID"] = c.containerID;

    const auto now = std::chrono::steady_clock::now();
    const auto ranFor = std::chrono::duration_cast<std::chrono::milliseconds>(
        (now - c.startedAt) * m_context.clock.timeScale());
    c.pid = -1;
    c.started = false;
    c.ready = false;
    c.cpuMillicores.reset();
    c.memoryBytes = 0;
    out.resync.push_back(pod.key);
    logLine(
        LogLevel::Debug, "container exited",
        {{"pod", pod.key}, {"container", c.name}, {"exitCode", exit.exitCode}, {"reason", reason}});

    const std::string policy = json::stringAt(pod.object, {"spec", "restartPolicy"}, "Always");
    const bool restart = policy == "Always" || (policy == "OnFailure" && exit.exitCode != 0);
    if (pod.stopping || m_stopping || c.stopReason == StopReason::PodDeleted ||
        c.stopReason == StopReason::Shutdown || !restart) {
        c.phase = Phase::Exited;
        c.terminated = std::move(terminated);
        c.stopReason = StopReason::None;
        return;
    }
    c.stopReason = StopReason::None;
    c.phase = Phase::Waiting;
    const std::chrono::seconds wait = c.backoff.onExit(ranFor);
    if (wait.count() == 0) {
        c.terminated = std::move(terminated); // shown until the immediate restart
        c.restartAt = now;
        c.waitingReason = "ContainerCreating";
        c.waitingMessage.clear();
        return;
    }
    c.terminated.reset();
    c.lastTerminated = std::move(terminated);
    c.restartAt = now + m_context.clock.scaled(wait);
    const std::string podRef = pod.name + "_" + pod.ns + "(" + pod.uid + ")";
    c.waitingReason = "CrashLoopBackOff";
    c.waitingMessage = "back-off " + goDurationString(wait) +
                       " restarting failed container=" + c.name + " pod=" + podRef;
    event(out, pod, "Warning", "BackOff",
          "Back-off restarting failed container " + c.name + " in pod " + podRef, c.name);
}

void ProcessRuntime::beginStop(Pod &pod, Container &c, StopReason reason, std::int64_t graceSeconds,
                               Outbox &out) {
    const Steady now = std::chrono::steady_clock::now();
    c.stopReason = reason;
    c.termSent = false;
    c.killSent = false;
    c.hookUntil = now;
    c.killAt = now + (graceSeconds > 0
                          ? Duration(m_context.clock.scaled(std::chrono::seconds(graceSeconds)))
                          : Duration(0));
    switch (reason) {
    case StopReason::Liveness:
        event(out, pod, "Normal", "Killing",
              "Container " + c.name + " failed liveness probe, will be restarted", c.name);
        break;
    case StopReason::Startup:
        event(out, pod, "Normal", "Killing",
              "Container " + c.name + " failed startup probe, will be restarted", c.name);
        break;
    case StopReason::PodDeleted:
        event(out, pod, "Normal", "Killing", "Stopping container " + c.name, c.name);
        break;
    default:
        break;
    }
    if (graceSeconds <= 0 || reason == StopReason::Shutdown) {
        return;
    }
    const auto *preStop = json::objectAt(c.spec, {"lifecycle", "preStop"});
    if (preStop == nullptr) {
        return;
    }
    if (const auto seconds = json::intAt(*preStop, {"sleep", "seconds"})) {
        c.hookUntil = now + m_context.clock.scaled(std::chrono::seconds(*seconds));
        return;
    }
    const auto command = stringList(json::arrayAt(*preStop, {"exec", "command"}));
    if (command.empty()) {
        return; // httpGet/tcpSocket hooks are not run (docs/sandbox-images.md)
    }
    // `sleep N` waits N simulated seconds; any other command runs for real, unscaled.
    if (const auto seconds = sleepSeconds(command); seconds && m_context.clock.timeScale() > 1) {
        c.hookUntil = now + m_context.clock.scaled(std::chrono::milliseconds(
                                static_cast<std::int64_t>(*seconds * 1000)));
        return;
    }
    LaunchSpec hook;
    hook.argv = command;
    hook.env = c.env;
    hook.workingDir = c.workingDir;
    hook.logFile = m_runDir / pod.uid / (c.name + "-prestop.log");
    auto launched = launchProcess(hook);
    if (!launched) {
        event(out, pod, "Warning", "FailedPreStopHook", "PreStopHook failed: " + launched.message(),
              c.name);
        return;
    }
    c.hookPid = launched->pid;
    // SIGTERM once the hook exits (hookUntil stays now), at the latest at the deadline.
}

void ProcessRuntime::advanceStop(Pod &, Container &c, Steady now) {
    if (!c.termSent) {
        const bool hookDone = c.hookPid <= 0 && now >= c.hookUntil;
        if (hookDone || now >= c.killAt) {
            signalProcessGroup(c.pid, SIGTERM);
            c.termSent = true;
        }
    }
    if (!c.killSent && now >= c.killAt) {
        signalProcessGroup(c.pid, SIGKILL);
        if (c.hookPid > 0) {
            signalProcessGroup(c.hookPid, SIGKILL);
        }
        c.killSent = true;
    }
}

void ProcessRuntime::tailLogs(Pod &pod, Container &c, bool final) {
    if (!c.tailing) {
        return;
    }
    c.tail.poll([&](std::string_view line) { m_context.logs.append(pod.uid, c.name, line); },
                final);
}

void ProcessRuntime::sampleUsage(Pod &pod, Steady now, Outbox &out) {
    PodUsage usage;
    usage.namespaceName = pod.ns;
    usage.name = pod.name;
    usage.uid = pod.uid;
    usage.timestamp = m_context.clock.now();
    usage.window = std::chrono::duration_cast<std::chrono::milliseconds>(
        pod.lastSample ? now - *pod.lastSample : Duration(m_options.samplePeriod));
    bool complete = false;
    bool running = false;
    for (auto &c : pod.containers) {
        if (c.phase != Phase::Running || c.pid <= 0) {
            continue;
        }
        running = true;
        const auto tree = readProcessTree(c.pid);
        if (!tree) {
            continue;
        }
        c.memoryBytes = tree->residentBytes;
        if (auto rate = c.cpu.sample(tree->cpuSeconds, now)) {
            c.cpuMillicores = *rate;
        }
        if (c.memoryLimit > 0 && tree->residentBytes > c.memoryLimit && !c.oomKilled) {
            // The cgroup OOM killer's effect: the container dies at once.
            c.oomKilled = true;
            signalProcessGroup(c.pid, SIGKILL);
            c.killSent = true;
            logLine(LogLevel::Info, "container exceeded its memory limit",
                    {{"pod", pod.key},
                     {"container", c.name},
                     {"residentBytes", tree->residentBytes},
                     {"limitBytes", c.memoryLimit}});
            continue;
        }
        if (c.cpuMillicores) {
            usage.containers.push_back(ContainerUsage{c.name, *c.cpuMillicores, c.memoryBytes});
            complete = true;
        }
    }
    const bool hadSample = pod.lastSample.has_value();
    pod.lastSample = now;
    if (complete && !pod.stopped) {
        m_context.metrics.publish(std::move(usage));
    } else if (!running && hadSample) {
        // Nothing runs (crash-looping, finished): no usage, as metrics-server reports none.
        out.forgetMetrics.emplace_back(pod.ns, pod.name);
        pod.lastSample.reset();
    }
}

void ProcessRuntime::terminateAll() {
    Outbox out;
    const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    {
        std::lock_guard lock(m_mutex);
        for (auto &[uid, pod] : m_pods) {
            for (auto &c : pod.containers) {
                if (c.phase == Phase::Running && c.pid > 0) {
                    c.stopReason = StopReason::Shutdown;
                    signalProcessGroup(c.pid, SIGTERM);
                }
                if (c.hookPid > 0) {
                    signalProcessGroup(c.hookPid, SIGKILL);
                    m_reapLater.push_back(c.hookPid);
                    c.hookPid = -1;
                }
            }
        }
    }
    for (bool killed = false;;) {
        bool running = false;
        {
            std::lock_guard lock(m_mutex);
            const bool late = std::chrono::steady_clock::now() >= deadline;
            for (auto &[uid, pod] : m_pods) {
                for (auto &c : pod.containers) {
                    if (c.phase != Phase::Running) {
                        continue;
                    }
                    std::optional<ProcessExit> exit =
                        c.ownChild ? reapChild(c.pid)
                                   : (processStillRuns(c.pid, c.startTicks)
                                          ? std::nullopt
                                          : std::optional<ProcessExit>(ProcessExit{255, 0}));
                    if (exit) {
                        onExit(pod, c, *exit, {}, out);
                    } else {
                        running = true;
                        if (late && !killed) {
                            signalProcessGroup(c.pid, SIGKILL);
                        }
                    }
                }
                out.forgetMetrics.emplace_back(pod.ns, pod.name);
            }
            killed = killed || late;
            for (auto it = m_reapLater.begin(); it != m_reapLater.end();) {
                it = reapChild(*it) ? m_reapLater.erase(it) : it + 1;
            }
        }
        if (!running || std::chrono::steady_clock::now() > deadline + kShutdownGrace) {
            break; // an adopted process we may not signal is left to its owner
        }
        std::this_thread::sleep_for(10ms);
    }
    if (m_watchdog > 0) {
        signalProcessGroup(m_watchdog, SIGKILL);
        for (int i = 0; i < 500 && !reapChild(m_watchdog); ++i) {
            std::this_thread::sleep_for(2ms);
        }
        m_watchdog = -1;
    }
    out.resync.clear(); // the kubelet is stopping: nothing to sync
    out.events.clear(); // nor to announce
    flush(out);
}

} // namespace sandbox
