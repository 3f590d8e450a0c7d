// Issue 4 acceptance: a bad release (`:broken`, which cannot start) crash-loops in its surge
// pod while the three old pods keep serving (maxUnavailable 0); `rollout status` reports the
// progress deadline, `logs --previous` shows why it crashed, and `rollout undo` recovers.
#include "forecast_support.h"

#include <gmock/gmock.h>

#include <iostream>
#include <set>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

constexpr const char *kGoodImage = "ghcr.io/retail-forecast/retail-forecast:v1";
constexpr const char *kBadImage = "ghcr.io/retail-forecast/retail-forecast:broken";

// Time scale 20: the 300 s progress deadline passes in 15 s.
class ForecastBadRelease : public e2e::ForecastTest {
protected:
    void SetUp() override {
        ForecastTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        removeAutoscaler();
        ASSERT_TRUE(waitForReadyPods(3, 120s)) << diagnostics();
    }
};

} // namespace

TEST_F(ForecastBadRelease, CrashLoopingReleaseKeepsOldPodsServingAndRollsBack) {
    std::set<std::string> oldPods;
    for (const auto &pod : pods()) {
        oldPods.insert(pod.name);
    }
    auto options = nodePortLoad();
    options.connections = 2;
    options.pause = 10ms;
    e2e::LoadGenerator load(options);
    load.start();

    kubectlOk({"set", "image", "deploy/retail-forecast-api", std::string("api=") + kBadImage});

    // The surge pod crash-loops.
    std::string badPod;
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            for (const auto &pod : pods()) {
                if (pod.image == kBadImage && pod.waitingReason == "CrashLoopBackOff" &&
                    pod.restartCount >= 1) {
                    badPod = pod.name;
                    return true;
                }
            }
            return false;
        },
        120s))
        << diagnostics();
    EXPECT_THAT(kubectlOk({"get", "pod", badPod}), HasSubstr("CrashLoopBackOff"));

    // Meanwhile the old pods all stay (Ready: polled, since on a loaded machine a probe may
    // time out once) and keep answering.
    std::set<std::string> readyOld;
    EXPECT_TRUE(e2e::waitUntil(
        [&] {
            readyOld.clear();
            for (const auto &pod : readyPods()) {
                if (oldPods.count(pod.name) != 0) {
                    readyOld.insert(pod.name);
                }
            }
            return readyOld == oldPods;
        },
        30s))
        << diagnostics();
    auto predict = predictThroughNodePort();
    EXPECT_EQ(predict.status, 200) << predict.error;
    EXPECT_EQ(e2e::checkPredictAnswer(predict.body), "");

    // rollout status gives up at the progress deadline, as kubectl does on a real cluster.
    auto status = rolloutStatus();
    EXPECT_FALSE(status.ok()) << status.describe();
    EXPECT_FALSE(status.timedOut) << status.describe();
    EXPECT_THAT(status.err, HasSubstr("deployment \"retail-forecast-api\" exceeded its progress "
                                      "deadline"));
    EXPECT_EQ(jsonpath("deploy/retail-forecast-api",
                       "{.status.conditions[?(@.type==\"Progressing\")].reason}"),
              "ProgressDeadlineExceeded");

    // The crashed container's log says why it could not start.
    auto previous = kubectl({"logs", badPod, "--previous"});
    EXPECT_TRUE(previous.ok()) << previous.describe();
    EXPECT_THAT(previous.out, HasSubstr("\"level\":\"error\""));
    std::cout << "[ logs ] kubectl logs --previous " << badPod << ":\n" << previous.out;

    // Undo: back to v1, the broken pod goes away, three Ready v1 pods.
    EXPECT_THAT(kubectlOk({"rollout", "undo", "deploy/retail-forecast-api"}),
                HasSubstr("deployment.apps/retail-forecast-api rolled back"));
    auto recovered = rolloutStatus();
    EXPECT_TRUE(recovered.ok()) << recovered.describe() << "\n" << diagnostics();
    ASSERT_TRUE(waitForReadyPods(3, 120s)) << diagnostics();
    for (const auto &pod : pods()) {
        EXPECT_EQ(pod.image, kGoodImage) << pod.name;
    }
    EXPECT_EQ(jsonpath("deploy/retail-forecast-api", "{.spec.template.spec.containers[0].image}"),
              kGoodImage);

    const e2e::LoadStats stats = load.stop();
    std::cout << "[ load ] through the NodePort during the bad release and the undo: "
              << stats.summary() << std::endl;
    EXPECT_EQ(stats.failures, 0u) << stats.summary();
    EXPECT_GT(stats.requests, 100u);
}
