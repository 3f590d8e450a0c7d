// Issue 4 acceptance: `kubectl apply -f manifests/k8s/` on a fresh sandbox gives 3 Ready
// forecast-api pods, each listening on its own pod IP, and /predict answers through the
// NodePort on the node's address.
#include "forecast_support.h"

#include <gmock/gmock.h>

#include <set>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

// Slower than the other suites (time scale 2: the HPA syncs every 7.5 s, its scale-down
// window is 150 s), so the HPA, whose minimum is 2, does not shrink the idle workload while
// the test looks at the three pods the Deployment asked for.
class ForecastDeploy : public e2e::ForecastTest {
protected:
    ForecastDeploy()
        : ForecastTest(2.0) {}
};

} // namespace

TEST_F(ForecastDeploy, ApplyGivesThreeReadyPodsServingPredictThroughTheNodePort) {
    // The sandbox, like some clusters, may already have the namespace: created or configured.
    EXPECT_THAT(applyOutput,
                testing::ContainsRegex("namespace/retail-forecast (created|configured|unchanged)"));
    for (const char *object :
         {"configmap/retail-forecast-config created", "secret/retail-forecast-secrets created",
          "deployment.apps/retail-forecast-api created", "service/retail-forecast-api created",
          "service/retail-forecast-api-nodeport created",
          "ingress.networking.k8s.io/retail-forecast-api created",
          "horizontalpodautoscaler.autoscaling/retail-forecast-api created",
          "poddisruptionbudget.policy/retail-forecast-api created"}) {
        EXPECT_THAT(applyOutput, HasSubstr(object));
    }

    ASSERT_TRUE(waitForReadyPods(3, 120s)) << diagnostics();
    auto status = rolloutStatus();
    EXPECT_TRUE(status.ok()) << status.describe();
    EXPECT_THAT(status.out,
                HasSubstr("deployment \"retail-forecast-api\" successfully rolled out"));

    // Each pod has its own address and its container listens there on containerPort 5000,
    // serving the image tag as its version.
    std::set<std::string> addresses;
    for (const auto &pod : pods()) {
        EXPECT_EQ(pod.image, "ghcr.io/retail-forecast/retail-forecast:v1");
        EXPECT_EQ(pod.phase, "Running");
        EXPECT_EQ(pod.restartCount, 0) << pod.name;
        addresses.insert(pod.ip);
        auto health = e2e::httpRequest(pod.ip, e2e::kForecastContainerPort, "GET", "/health");
        EXPECT_EQ(health.status, 200) << pod.name << " at " << pod.ip << ": " << health.error;
        EXPECT_THAT(health.body, HasSubstr("\"app_version\":\"v1\""));
        auto ready = e2e::httpRequest(pod.ip, e2e::kForecastContainerPort, "GET", "/ready");
        EXPECT_EQ(ready.status, 200) << pod.name << ": " << ready.body << ready.error;
    }
    EXPECT_EQ(addresses.size(), 3u);

    EXPECT_EQ(jsonpath("svc/retail-forecast-api-nodeport", "{.spec.ports[0].nodePort}"), "30080");
    EXPECT_EQ(jsonpath("svc/retail-forecast-api", "{.spec.type}"), "ClusterIP");
    EXPECT_FALSE(jsonpath("svc/retail-forecast-api", "{.spec.clusterIP}").empty());
    // Endpoints list the three ready pods.
    EXPECT_TRUE(e2e::waitUntil(
        [&] {
            std::string ips =
                jsonpath("endpoints/retail-forecast-api", "{.subsets[*].addresses[*].ip}");
            for (const auto &ip : addresses) {
                if (ips.find(ip) == std::string::npos) {
                    return false;
                }
            }
            return true;
        },
        30s))
        << diagnostics();

    // /predict through the NodePort, on the node's InternalIP: a real forecast.
    auto predict = predictThroughNodePort();
    ASSERT_EQ(predict.status, 200) << predict.error << predict.body << "\n" << diagnostics();
    EXPECT_EQ(e2e::checkPredictAnswer(predict.body), "");
    auto model = e2e::httpRequest(nodeIp(), e2e::kForecastNodePort, "GET", "/model");
    EXPECT_EQ(model.status, 200) << model.error;
    EXPECT_THAT(model.body, HasSubstr("\"app_version\":\"v1\""));

    // Every fresh connection through the NodePort is answered.
    int answered = 0;
    for (int i = 0; i < 30; ++i) {
        auto health = e2e::httpRequest(nodeIp(), e2e::kForecastNodePort, "GET", "/health");
        answered += health.status == 200 ? 1 : 0;
    }
    EXPECT_EQ(answered, 30);
}

TEST_F(ForecastDeploy, ManifestsPassServerSideDryRunAndReapplyUnchanged) {
    auto dryRun = sandbox.kubectl(
        {"apply", "--dry-run=server", "-f", e2e::sourcePath("manifests/k8s").string()});
    ASSERT_TRUE(dryRun.ok()) << dryRun.describe();
    EXPECT_THAT(dryRun.out, HasSubstr("deployment.apps/retail-forecast-api"));
    EXPECT_THAT(dryRun.out, HasSubstr("(server dry run)"));

    // Nothing the server defaults or the controllers write shows up as drift.
    auto diff = sandbox.kubectl({"diff", "-f", e2e::sourcePath("manifests/k8s").string()});
    EXPECT_EQ(diff.exitCode, 0) << diff.describe();

    auto again = sandbox.kubectl({"apply", "-f", e2e::sourcePath("manifests/k8s").string()});
    ASSERT_TRUE(again.ok()) << again.describe();
    EXPECT_THAT(again.out, HasSubstr("deployment.apps/retail-forecast-api unchanged"));
    EXPECT_THAT(again.out, HasSubstr("configmap/retail-forecast-config unchanged"));
    EXPECT_THAT(again.out, HasSubstr("service/retail-forecast-api-nodeport unchanged"));
}
