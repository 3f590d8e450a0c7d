// Resource metrics and autoscaling through a real kubectl: `kubectl top pods|node` read
// metrics.k8s.io, `kubectl autoscale` writes an autoscaling/v1 HPA, `kubectl get hpa` and
// `kubectl describe hpa` read it back (as v2) with what the HPA controller measured.
#include "e2e_support.h"

#include <gmock/gmock.h>

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::MatchesRegex;

namespace {

const char *const kWorkload = R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: web
          image: nginx:1.25
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
        - name: worker
          image: nginx:1.25
)";

class KubectlTop : public testing::Test {
protected:
    void SetUp() override {
        E2E_REQUIRE_KUBECTL();
        E2E_START_SANDBOX(sandbox);
        auto applied = sandbox.kubectl({"apply", "-f", "-"}, 60s, kWorkload);
        ASSERT_TRUE(applied.ok()) << applied.describe();
        for (const char *deployment : {"deploy/web", "deploy/worker"}) {
            auto status = sandbox.kubectl(
                {"-n", "shop", "rollout", "status", deployment, "--timeout=120s"}, 150s);
            ASSERT_TRUE(status.ok()) << status.describe();
        }
    }

    // `kubectl top ...` once every pod it should list has a sample.
    e2e::RunResult topUntil(const std::vector<std::string> &args,
                            const std::function<bool(const e2e::RunResult &)> &done) {
        e2e::RunResult last;
        e2e::waitUntil(
            [&] {
                last = sandbox.kubectl(args);
                return last.ok() && done(last);
            },
            60s, 500ms);
        return last;
    }

    e2e::Sandbox sandbox;
};

int countLines(const std::string &text, const std::string &needle) {
    int n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

TEST_F(KubectlTop, TopPodsShowsEveryPodsUsage) {
    auto top = topUntil({"-n", "shop", "top", "pods"},
                        [](const e2e::RunResult &r) { return countLines(r.out, "\n") == 4; });
    ASSERT_TRUE(top.ok()) << top.describe();
    EXPECT_THAT(top.out, MatchesRegex("NAME +CPU\\(cores\\) +MEMORY\\(bytes\\) *\n(.|\n)*"));
    EXPECT_THAT(top.out,
                MatchesRegex("(.|\n)*\nweb-[a-z0-9]+-[a-z0-9]+ +[0-9]+m +[0-9]+Mi *\n(.|\n)*"));
    EXPECT_THAT(top.out,
                MatchesRegex("(.|\n)*\nworker-[a-z0-9]+-[a-z0-9]+ +[0-9]+m +[0-9]+Mi *\n(.|\n)*"));
}

TEST_F(KubectlTop, TopPodsHonoursTheLabelSelector) {
    auto top = topUntil({"-n", "shop", "top", "pods", "-l", "app=web"},
                        [](const e2e::RunResult &r) { return countLines(r.out, "\n") == 3; });
    ASSERT_TRUE(top.ok()) << top.describe();
    EXPECT_EQ(countLines(top.out, "\nweb-"), 2) << top.out;
    EXPECT_THAT(top.out, testing::Not(HasSubstr("worker")));

    auto none = sandbox.kubectl({"-n", "shop", "top", "pods", "-l", "app=nothing"});
    EXPECT_THAT(none.out + none.err, HasSubstr("No resources found in shop namespace."));
}

TEST_F(KubectlTop, TopNodeSumsThePods) {
    auto top = topUntil({"top", "node"}, [](const e2e::RunResult &r) {
        return r.out.find("forecast-sandbox") != std::string::npos;
    });
    ASSERT_TRUE(top.ok()) << top.describe();
    EXPECT_THAT(top.out, MatchesRegex("NAME +CPU\\(cores\\) +CPU%? *(\\(%\\))? +MEMORY\\(bytes\\) "
                                      "+MEMORY%? *(\\(%\\))? *\n(.|\n)*"));
    EXPECT_THAT(top.out, MatchesRegex("(.|\n)*\nforecast-sandbox +[0-9]+m +[0-9]+% +[0-9]+Mi "
                                      "+[0-9]+% *\n(.|\n)*"));
}

TEST_F(KubectlTop, AutoscaleThenGetAndDescribeTheHpa) {
    auto made = sandbox.kubectl(
        {"-n", "shop", "autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=70"});
    ASSERT_TRUE(made.ok()) << made.describe();
    EXPECT_THAT(made.out, HasSubstr("horizontalpodautoscaler.autoscaling/web autoscaled"));

    // Written as autoscaling/v1, readable in both versions.
    EXPECT_EQ(sandbox.kubectlOk({"-n", "shop", "get", "horizontalpodautoscalers.v1.autoscaling",
                                 "web", "-o", "jsonpath={.spec.targetCPUUtilizationPercentage}"}),
              "70");
    EXPECT_EQ(
        sandbox.kubectlOk({"-n", "shop", "get", "horizontalpodautoscalers.v2.autoscaling", "web",
                           "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}"}),
        "70");

    // Once the controller has measured the (idle) pods, the table shows the utilization.
    std::string table;
    ASSERT_TRUE(e2e::waitUntil(
        [&] {
            table = sandbox.kubectlOk({"-n", "shop", "get", "hpa"});
            return table.find("cpu: <unknown>") == std::string::npos &&
                   table.find("%/70%") != std::string::npos;
        },
        90s, 500ms))
        << table << "\n"
        << sandbox.kubectlOk({"-n", "shop", "describe", "hpa", "web"});
    EXPECT_THAT(table,
                MatchesRegex("NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE *\n"
                             "web +Deployment/web +cpu: [0-9]+%/70% +2 +5 +2 +[0-9a-z]+ *\n"));

    const std::string described = sandbox.kubectlOk({"-n", "shop", "describe", "hpa", "web"});
    EXPECT_THAT(described, MatchesRegex("(.|\n)*Reference: +Deployment/web\n(.|\n)*"));
    EXPECT_THAT(described, MatchesRegex("(.|\n)*resource cpu on pods +\\(as a percentage of "
                                        "request\\): +[0-9]+% \\([0-9]+m\\) / 70%\n(.|\n)*"));
    EXPECT_THAT(described, MatchesRegex("(.|\n)*Min replicas: +2\n(.|\n)*"));
    EXPECT_THAT(described, MatchesRegex("(.|\n)*Max replicas: +5\n(.|\n)*"));
    EXPECT_THAT(described, HasSubstr("AbleToScale"));
    EXPECT_THAT(described,
                MatchesRegex("(.|\n)*ScalingActive +True +ValidMetricFound +the HPA "
                             "was able to successfully calculate a replica count from "
                             "cpu resource utilization \\(percentage of request\\)\n(.|\n)*"));
    EXPECT_THAT(described, HasSubstr("ScalingLimited"));
}

} // namespace
