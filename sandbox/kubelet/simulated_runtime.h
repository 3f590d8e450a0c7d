#pragma once
// Containers without processes (kwok-style), for images the image table maps to
// `simulate` and as the fallback runtime. Each container walks a small state machine whose
// stages and delays are data (named constants in the .cpp; diagram in
// docs/sandbox-controllers.md):
//
//   known image:    Pulling --start--> Running (Ready after the readiness/startup probe's
//                   initialDelaySeconds) --stop--> Terminated(Completed, 0)
//   unknown image:  Pulling --1s--> ErrImagePull --3s--> ImagePullBackOff --10s,20s..300s-->
//                   Pulling --> ErrImagePull ...
//
// All delays are time-scaled. Containers write a few plausible log lines on start and stop,
// and running ones publish a small steady usage to PodMetricsStore (so `kubectl top` and the
// HPA see simulated pods as idle).

#include "kubelet/pod_runtime.h"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <vector>

namespace sandbox {

class SimulatedRuntime final : public PodRuntime {
public:
    explicit SimulatedRuntime(PodRuntimeContext context);

    std::string_view name() const override { return "simulated"; }
    bool handles(const boost::json::object &) const override { return true; }
    PodRuntimeStatus syncPod(const boost::json::object &pod, const std::string &podIP) override;
    PodStopResult stopPod(const boost::json::object &pod, std::int64_t gracePeriodSeconds) override;
    void forgetPod(std::string_view podUid) override;

    enum class Stage { Pulling, Running, ErrImagePull, ImagePullBackOff, Terminated };

private:
    using Steady = std::chrono::steady_clock::time_point;
    struct Container {
        std::string name;
        std::string image;
        bool known = false;
        bool pullAlways = false; // imagePullPolicy Always: pulled again every time
        double startSeconds = 2.0;
        Stage stage = Stage::Pulling;
        Steady until{};   // when the current stage ends on its own
        Steady readyAt{}; // Running: when the container turns ready
        int pullFailures = 0;
        std::string containerID;
        std::string startedAt;
        std::string finishedAt;
        bool ready = false;
    };
    struct Pod {
        std::string uid;
        std::string ns;   // where its usage is published in PodMetricsStore
        std::string name;
        std::vector<Container> containers;
        bool stopping = false;
        Steady stopAt{};
        bool stopped = false;
    };

    Pod &podFor(const boost::json::object &pod);
    bool adopt(const boost::json::object &pod, const Pod &state, Container &c, Steady now);
    void advance(const boost::json::object &pod, Container &c, Steady now);
    void enter(const boost::json::object &pod, Container &c, Stage stage, Steady now);
    boost::json::object statusOf(const Container &c) const;
    Duration nextChange(const Pod &pod, Steady now) const;
    void logStart(const Pod &pod, const Container &c);
    void logStop(const Pod &pod, const Container &c);
    void publishUsage(const Pod &pod);

    PodRuntimeContext m_context;
    std::mutex m_mutex;
    std::map<std::string, Pod, std::less<>> m_pods;
    std::set<std::string> m_pulled; // images "on the machine": IfNotPresent skips the pull
};

// Deterministic fake digests and ids ("sha256:<64 hex>") from a seed text.
std::string fakeSha256(std::string_view seed);

} // namespace sandbox
