#pragma once
// Runs pods as real local processes (issue 4; docs/sandbox-images.md). For every pod whose
// containers' images the image table maps to `process`:
//
//   syncPod (kubelet worker)          monitor thread (one, long-lived)
//   ─────────────────────────        ─────────────────────────────────────────────────────
//   resolve env (ConfigMaps,     ──►  fork/exec in a new session, PDEATHSIG, output to a
//   Secrets), argv, ${TAG_MODEL}      per-run log file; reap exits; tail the log files into
//   → LaunchSpec, or waiting          PodLogs; every second sample /proc (metrics, memory
//   CreateContainerConfigError        limit → OOMKilled); preStop → SIGTERM → SIGKILL
//                                        ▲
//   ProbeRunner thread ──────────────────┘ started/ready; liveness/startup failure → restart
//
// Exits follow restartPolicy with the kubelet's back-off (RestartBackoff, CrashLoopBackOff).
// Every period is time-scaled. A small record per running container under
// <stateDir>/kubelet/containers/ lets a restarted sandbox adopt a process that is still
// alive (pid + start ticks); since containers get SIGKILL when the sandbox dies
// (PR_SET_PDEATHSIG), a restarted sandbox normally finds them gone, sweeps what is left of
// their sessions and starts them again with restartCount + 1.

#include "kubelet/container_log_tail.h"
#include "kubelet/container_process.h"
#include "kubelet/pod_runtime.h"
#include "kubelet/probe_runner.h"
#include "kubelet/proc_stats.h"
#include "kubelet/restart_backoff.h"
#include "kubelet/tag_model_cache.h"

#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sandbox {

struct ProcessRuntimeOptions {
    // ${BIN_DIR}: where forecast-api and forecast-train are; empty: the directory of the
    // running executable (/proc/self/exe).
    std::filesystem::path binDir;
    // How often the monitor reaps and tails, and how often it samples /proc (real time).
    std::chrono::milliseconds monitorPeriod{100};
    std::chrono::milliseconds samplePeriod{1000};
};

class ProcessRuntime final : public PodRuntime {
public:
    explicit ProcessRuntime(PodRuntimeContext context, ProcessRuntimeOptions options = {});
    ~ProcessRuntime() override;
    ProcessRuntime(const ProcessRuntime &) = delete;
    ProcessRuntime &operator=(const ProcessRuntime &) = delete;

    std::string_view name() const override { return "process"; }
    // Every container's image matches a `process` rule.
    bool handles(const boost::json::object &pod) const override;
    PodRuntimeStatus syncPod(const boost::json::object &pod, const std::string &podIP) override;
    PodStopResult stopPod(const boost::json::object &pod, std::int64_t gracePeriodSeconds) override;
    void forgetPod(std::string_view podUid) override;
    // SIGTERM to every container, SIGKILL to what is left after a short grace, then the
    // monitor and the probes stop.
    void shutdown() override;

    // The pid of a container's running process (tests); nullopt when none runs.
    std::optional<pid_t> containerPid(std::string_view podUid, std::string_view container) const;

private:
    using Steady = std::chrono::steady_clock::time_point;
    enum class Phase { Waiting, Running, Exited };
    enum class StopReason { None, PodDeleted, Liveness, Startup, Shutdown };

    struct Container {
        std::string name;
        std::string image;
        boost::json::object spec;
        const ImageRule *rule = nullptr;
        Phase phase = Phase::Waiting;
        std::string waitingReason = "ContainerCreating";
        std::string waitingMessage;
        Steady restartAt{};                  // Waiting: not before
        std::shared_ptr<LaunchSpec> pending; // built by syncPod, started by the monitor
        bool everStarted = false;
        int restartCount = 0;
        RestartBackoff backoff;
        // The current (or last) process.
        pid_t pid = -1;
        std::uint64_t startTicks = 0;
        bool ownChild = true; // false: adopted after a restart (exit status unknown)
        std::string containerID;
        std::string startedAtText;
        Steady startedAt{};
        std::vector<std::string> env; // of the current run, for exec hooks
        std::filesystem::path workingDir;
        ContainerLogTail tail;
        bool tailing = false;
        ProbeRunner::Id probe = 0;
        bool started = false;
        bool ready = false;
        std::int64_t memoryLimit = 0; // bytes; 0: none
        bool oomKilled = false;
        CpuRateMeter cpu;
        std::optional<std::int64_t> cpuMillicores;
        std::int64_t memoryBytes = 0;
        // Stopping the current process.
        StopReason stopReason = StopReason::None;
        pid_t hookPid = -1;
        Steady hookUntil{}; // time-scaled `sleep N` hook: SIGTERM after this
        Steady killAt{};
        bool termSent = false;
        bool killSent = false;
        // State to report.
        std::optional<boost::json::object> terminated;     // state.terminated
        std::optional<boost::json::object> lastTerminated; // lastState.terminated
        Steady lastUnhealthyEvent{};
    };
    struct Pod {
        std::string uid;
        std::string key; // namespace/name
        std::string ns;
        std::string name;
        boost::json::object object; // the latest pod seen, for events
        std::string podIP;
        std::vector<Container> containers;
        bool stopping = false;
        bool stopped = false;
        std::optional<Steady> lastSample;
    };
    struct Record {
        pid_t pid = -1;
        std::uint64_t startTicks = 0;
        std::string containerID;
        std::string startedAt;
        std::filesystem::path logFile;
    };
    struct Event {
        boost::json::object pod;
        std::string type, reason, message, fieldPath;
    };
    // Work gathered under the lock, done after it is released (events, resyncs, probes).
    struct Outbox {
        std::vector<Event> events;
        std::vector<std::string> resync;
        std::vector<ProbeRunner::Id> removeProbes;
        struct ProbeStart {
            std::string uid, container, containerID;
            ProbeTarget target;
        };
        std::vector<ProbeStart> addProbes;
        std::vector<std::pair<std::string, std::string>> forgetMetrics; // ns, name
    };

    // process_runtime.cpp: the PodRuntime interface.
    Pod &podFor(const boost::json::object &pod, Outbox &out);
    void restoreContainer(Pod &pod, Container &c, const boost::json::object &object, Outbox &out);
    void prepareLaunch(Pod &pod, Container &c, Outbox &out);
    boost::json::object statusOf(const Container &c) const;
    void flush(Outbox &out);
    static bool beingDeleted(const boost::json::object &pod);
    void event(Outbox &out, const Pod &pod, std::string_view type, std::string_view reason,
               std::string message, const std::string &container) const;
    void onProbe(const std::string &uid, const std::string &container,
                 const std::string &containerID, const ProbeState &state,
                 const std::string &failure);

    // process_runtime_monitor.cpp: the monitor thread.
    void monitorLoop();
    void monitorOnce(Outbox &out, bool sample);
    void launch(Pod &pod, Container &c, Outbox &out);
    void onExit(Pod &pod, Container &c, const ProcessExit &exit, std::string message, Outbox &out);
    void beginStop(Pod &pod, Container &c, StopReason reason, std::int64_t graceSeconds,
                   Outbox &out);
    void advanceStop(Pod &pod, Container &c, Steady now);
    void sampleUsage(Pod &pod, Steady now, Outbox &out);
    void tailLogs(Pod &pod, Container &c, bool final);
    void terminateAll();
    void startWatchdog();
    void trackSession(pid_t session, bool running) const;

    // process_runtime_records.cpp: state records for a sandbox restart.
    void loadRecords();
    void writeRecord(const Pod &pod, const Container &c) const;
    void removeRecord(const Pod &pod, const Container &c) const;
    std::filesystem::path recordFile(const std::string &uid, const std::string &container) const;

    PodRuntimeContext m_context;
    ProcessRuntimeOptions m_options;
    std::filesystem::path m_runDir;     // log files and private working directories
    bool m_ownRunDir = false;           // a temporary directory removed at shutdown
    std::filesystem::path m_recordDir;  // empty: no stateDir, no records
    std::filesystem::path m_sessionDir; // one empty file per live container session (watchdog)
    pid_t m_watchdog = -1;
    std::unique_ptr<TagModelCache> m_models;
    std::unique_ptr<ProbeRunner> m_probes;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::string, Pod, std::less<>> m_pods;                 // by uid
    std::map<std::string, std::map<std::string, Record>> m_records; // uid -> container
    std::vector<pid_t> m_reapLater; // exited pods' processes still to be reaped
    bool m_kick = false;            // the monitor has work now (a launch, a stop)
    bool m_stopping = false;
    bool m_shutDown = false;
    std::thread m_monitor;
};

} // namespace sandbox
