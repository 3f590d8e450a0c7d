// Issue 4 acceptance: `kubectl rollout restart` while a keep-alive load generator sends
// /predict through the NodePort completes with zero failed requests. Every replaced pod
// leaves the endpoints first, runs its preStop delay, then drains on SIGTERM (readiness 503,
// "Connection: close") before it exits; maxUnavailable 0 keeps three pods serving throughout.
#include "forecast_support.h"

#include <gmock/gmock.h>

#include <iostream>
#include <set>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

// Time scale 4: the grace period (40 s -> 10 s) must still cover the real 5 s `sleep` of the
// preStop hook plus the service's drain, as it does at full scale on a real cluster.
class ForecastRollout : public e2e::ForecastTest {
protected:
    ForecastRollout()
        : ForecastTest(4.0) {}

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

TEST_F(ForecastRollout, RestartUnderLoadLosesNoRequest) {
    std::set<std::string> before;
    for (const auto &pod : pods()) {
        before.insert(pod.name);
    }

    auto options = nodePortLoad();
    options.connections = 4;
    // About 150 requests per second per connection: steady traffic that leaves the two
    // cores to the sandbox's probes and controllers.
    options.pause = 5ms;
    e2e::LoadGenerator load(options);
    const auto started = std::chrono::steady_clock::now();
    load.start();
    ASSERT_TRUE(e2e::waitUntil([&] { return load.snapshot().requests >= 200; }, 30s))
        << load.snapshot().summary();
    ASSERT_EQ(load.snapshot().failures, 0u)
        << "failures before the rollout even started: " << load.snapshot().summary() << "\n"
        << diagnostics();

    EXPECT_THAT(kubectlOk({"rollout", "restart", "deploy/retail-forecast-api"}),
                HasSubstr("deployment.apps/retail-forecast-api restarted"));
    auto status = rolloutStatus();
    EXPECT_TRUE(status.ok()) << status.describe() << "\n" << diagnostics();
    EXPECT_THAT(status.out, HasSubstr("successfully rolled out"));

    // All three pods are new; wait for the old ones to be gone completely (their drain ends
    // while the load still runs), then keep the load for at least 30 s in all.
    EXPECT_TRUE(e2e::waitUntil(
        [&] {
            const auto now = pods();
            if (now.size() != 3) {
                return false;
            }
            for (const auto &pod : now) {
                if (before.count(pod.name) != 0 || !pod.ready) {
                    return false;
                }
            }
            return true;
        },
        120s))
        << diagnostics();
    e2e::waitUntil([&] { return std::chrono::steady_clock::now() - started >= 30s; }, 60s, 500ms);
    const e2e::LoadStats stats = load.stop();

    std::cout << "[ load ] rollout restart under load through the NodePort: " << stats.summary()
              << std::endl;
    RecordProperty("requests", std::to_string(stats.requests));
    RecordProperty("failures", std::to_string(stats.failures));
    EXPECT_EQ(stats.failures, 0u) << stats.summary() << "\n" << diagnostics();
    EXPECT_GT(stats.requests, 1000u) << stats.summary();
    // Draining pods closed their keep-alive connections and clients reconnected elsewhere.
    EXPECT_GT(stats.connections, static_cast<std::uint64_t>(options.connections))
        << stats.summary();
}
