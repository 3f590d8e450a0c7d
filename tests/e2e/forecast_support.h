#pragma once
// The forecast workload end to end: a sandbox with its own node IP, the bundled manifests
// (manifests/k8s/) applied with kubectl, and the questions the issue-4 acceptance tests ask
// about it (which pods are Ready, does /predict answer through the NodePort, which process
// serves a pod).

#include "e2e_support.h"
#include "http_load.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace e2e {

inline constexpr const char *kForecastNamespace = "retail-forecast";
inline constexpr const char *kForecastDeployment = "retail-forecast-api";
inline constexpr const char *kForecastSelector = "app.kubernetes.io/name=retail-forecast-api";
inline constexpr std::uint16_t kForecastNodePort = 30080;
inline constexpr std::uint16_t kForecastContainerPort = 5000;
inline constexpr const char *kPredictBody =
    R"({"store":3,"item":17,"horizon":7,"quantiles":[0.1,0.5,0.9]})";

struct ForecastPod {
    std::string name;
    std::string ip;
    std::string image;
    std::string phase;
    bool ready = false;
    bool deleting = false;
    int restartCount = 0;
    std::string waitingReason;
};

// Checks a /predict answer for kPredictBody: the store and item echoed, 7 days of forecast
// with mean and the three quantiles. Empty when fine, else what is wrong.
std::string checkPredictAnswer(const std::string &json);

// The pid of the process listening on ip:port (from /proc/net/tcp and /proc/*/fd), or -1.
pid_t listeningProcess(const std::string &ip, std::uint16_t port);

class ForecastTest : public testing::Test {
protected:
    explicit ForecastTest(double timeScale = 20.0);

    // Skips without kubectl, starts the sandbox on a free node IP, applies manifests/k8s/.
    void SetUp() override;

    // kubectl -n retail-forecast ...
    RunResult kubectl(const std::vector<std::string> &args,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
    std::string kubectlOk(const std::vector<std::string> &args,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
    std::string jsonpath(const std::string &what, const std::string &path) const;

    // The workload's pods (empty on a kubectl error).
    std::vector<ForecastPod> pods() const;
    std::vector<ForecastPod> readyPods() const;
    // Waits until exactly `count` pods exist, all Ready and none terminating.
    bool waitForReadyPods(std::size_t count, std::chrono::milliseconds timeout) const;
    // `kubectl rollout status` until it succeeds (or the timeout passes).
    RunResult rolloutStatus(std::chrono::seconds timeout = std::chrono::seconds(180)) const;

    // Deletes the HPA: tests about rollouts and pod lifecycles need a fixed replica count
    // (the HPA would scale an idle workload to 2 once its time-scaled window passes).
    void removeAutoscaler() const;

    std::string nodeIp() const { return m_nodeIp; }
    HttpResponse predictThroughNodePort() const;
    LoadGenerator::Options nodePortLoad() const;

    // Everything useful when a test fails: pods, deployment, events, the sandbox log's tail.
    std::string diagnostics() const;

    Sandbox sandbox;
    std::string applyOutput; // stdout of `kubectl apply -f manifests/k8s/` in SetUp

private:
    std::string m_nodeIp;
};

} // namespace e2e
