// Issue 4 acceptance: a container whose process dies is restarted in the same pod
// (restartCount + 1, back to Ready); a deleted pod is replaced by a new one.
#include "forecast_support.h"

#include <gmock/gmock.h>

#include <signal.h>

#include <algorithm>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

class ForecastPodRecovery : public e2e::ForecastTest {
protected:
    void SetUp() override {
        ForecastTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        removeAutoscaler();
        ASSERT_TRUE(waitForReadyPods(3, 120s)) << diagnostics();
    }

    std::optional<e2e::ForecastPod> pod(const std::string &name) const {
        for (auto &p : pods()) {
            if (p.name == name) {
                return p;
            }
        }
        return std::nullopt;
    }
};

} // namespace

TEST_F(ForecastPodRecovery, KillingThePodsProcessRestartsItsContainer) {
    const e2e::ForecastPod victim = pods().front();
    const pid_t pid = e2e::listeningProcess(victim.ip, e2e::kForecastContainerPort);
    ASSERT_GT(pid, 0) << "no process listens on " << victim.ip << ":" << e2e::kForecastContainerPort
                      << " for pod " << victim.name;

    ASSERT_EQ(kill(pid, SIGKILL), 0);

    // Same pod, one restart more, Ready again, served by a new process.
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            auto now = pod(victim.name);
            return now && now->restartCount == victim.restartCount + 1 && now->ready;
        },
        120s))
        << diagnostics();
    EXPECT_EQ(jsonpath("pod/" + victim.name,
                       "{.status.containerStatuses[0].lastState.terminated.exitCode}"),
              "137");
    EXPECT_EQ(jsonpath("pod/" + victim.name,
                       "{.status.containerStatuses[0].lastState.terminated.reason}"),
              "Error");
    const pid_t restarted = e2e::listeningProcess(victim.ip, e2e::kForecastContainerPort);
    EXPECT_GT(restarted, 0);
    EXPECT_NE(restarted, pid);
    auto health = e2e::httpRequest(victim.ip, e2e::kForecastContainerPort, "GET", "/health");
    EXPECT_EQ(health.status, 200) << health.error;

    // The killed container's log is the previous one.
    auto previous = kubectl({"logs", victim.name, "--previous"});
    EXPECT_TRUE(previous.ok()) << previous.describe();
    EXPECT_THAT(previous.out, HasSubstr("\"msg\":\"listening\""));

    // kubectl shows the restart.
    EXPECT_THAT(kubectlOk({"get", "pod", victim.name}),
                testing::MatchesRegex("(.|\n)*1/1 +Running +1 (.|\n)*"));
    EXPECT_TRUE(waitForReadyPods(3, 60s)) << diagnostics();
}

TEST_F(ForecastPodRecovery, DeletingAPodGetsItReplaced) {
    const auto before = pods();
    const e2e::ForecastPod victim = before.front();
    const pid_t pid = e2e::listeningProcess(victim.ip, e2e::kForecastContainerPort);

    EXPECT_THAT(kubectlOk({"delete", "pod", victim.name}, 120s),
                HasSubstr("pod \"" + victim.name + "\" deleted"));

    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            const auto now = readyPods();
            return now.size() == 3 && std::none_of(now.begin(), now.end(), [&](const auto &p) {
                       return p.name == victim.name;
                   });
        },
        120s))
        << diagnostics();
    EXPECT_FALSE(pod(victim.name).has_value());
    // Its process is gone with it (graceful: preStop, SIGTERM, drain).
    if (pid > 0) {
        EXPECT_TRUE(e2e::waitUntil([&] { return kill(pid, 0) != 0; }, 30s))
            << "process " << pid << " of deleted pod " << victim.name << " still runs";
    }
    auto predict = predictThroughNodePort();
    EXPECT_EQ(predict.status, 200) << predict.error;
}
