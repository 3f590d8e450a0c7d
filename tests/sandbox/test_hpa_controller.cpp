// The HPA controller in a whole in-memory sandbox (simulated pods, time scale 20): the test
// plays metrics-server by publishing usage for the deployment's pods, and reads what a user
// would: the deployment's replicas, the HPA's status and conditions, and the events.
#include "controller_test_env.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace sandbox {
namespace {

using namespace testenv;

const ResourceType &hpas() {
    return type("autoscaling", "v2", "horizontalpodautoscalers");
}

boost::json::object deploymentWithRequests(int replicas) {
    boost::json::object d = parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","labels":{"app":"web"}},
      "spec":{"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"web","image":"nginx:1.25",
                                 "resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}}})");
    d["spec"].as_object()["replicas"] = replicas;
    return d;
}

boost::json::object hpa(int minReplicas, int maxReplicas, int cpuPercent,
                        const std::string &behavior = {}) {
    boost::json::object h =
        parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web"},
      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
        "metrics":[{"type":"Resource","resource":{"name":"cpu",
          "target":{"type":"Utilization","averageUtilization":50}}}]}})");
    auto &spec = h["spec"].as_object();
    spec["minReplicas"] = minReplicas;
    spec["maxReplicas"] = maxReplicas;
    spec["metrics"]
        .as_array()[0]
        .as_object()["resource"]
        .as_object()["target"]
        .as_object()["averageUtilization"] = cpuPercent;
    if (!behavior.empty()) {
        spec["behavior"] = parse(behavior);
    }
    return h;
}

// Plays metrics-server: every few milliseconds, a fresh sample of `cpu` millicores for each
// Running pod of the deployment.
class UsageFeeder {
public:
    UsageFeeder(ResourceService &service, PodMetricsStore &store)
        : m_service(service)
        , m_store(store)
        , m_thread([this] { run(); }) {}
    ~UsageFeeder() {
        m_stop = true;
        m_thread.join();
    }
    void setCpu(std::int64_t millicores) { m_cpu = millicores; }

private:
    void run() {
        while (!m_stop) {
            ListOptions options;
            options.labelSelector = "app=web";
            if (auto pods = m_service.list(testenv::pods(), "demo", options)) {
                for (const auto &pod : pods->items) {
                    if (json::stringAt(pod, {"status", "phase"}) != "Running") {
                        continue;
                    }
                    PodUsage usage;
                    usage.namespaceName = "demo";
                    usage.name = json::name(pod);
                    usage.uid = json::stringAt(pod, {"metadata", "uid"});
                    usage.timestamp = std::chrono::system_clock::now();
                    usage.containers.push_back({"web", m_cpu.load(), 20 * 1024 * 1024});
                    m_store.publish(std::move(usage));
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    ResourceService &m_service;
    PodMetricsStore &m_store;
    std::atomic<std::int64_t> m_cpu{0};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

class HpaControllerTest : public Cluster {
protected:
    void SetUp() override {
        Cluster::SetUp();
        feeder = std::make_unique<UsageFeeder>(*service, manager->podMetrics());
    }
    void TearDown() override {
        feeder.reset();
        Cluster::TearDown();
    }

    std::int64_t deploymentReplicas() {
        auto d = get(deployments(), "web");
        return d ? json::intAt(*d, {"spec", "replicas"}).value_or(-1) : -1;
    }
    boost::json::object hpaNow() { return get(hpas(), "web").value_or(boost::json::object{}); }
    std::string condition(const boost::json::object &h, const std::string &type,
                          const std::string &field) {
        if (const auto *conditions = json::arrayAt(h, {"status", "conditions"})) {
            for (const auto &c : *conditions) {
                if (json::stringAt(c.as_object(), {"type"}) == type) {
                    return json::stringAt(c.as_object(), {field});
                }
            }
        }
        return {};
    }
    std::int64_t measuredUtilization(const boost::json::object &h) {
        const auto *metrics = json::arrayAt(h, {"status", "currentMetrics"});
        if (metrics == nullptr || metrics->empty()) {
            return -1;
        }
        return json::intAt(metrics->at(0).as_object(),
                           {"resource", "current", "averageUtilization"})
            .value_or(-1);
    }
    bool readyPods(int count) {
        int ready = 0;
        for (const auto &pod : list(pods(), "app=web")) {
            ready += json::stringAt(pod, {"status", "phase"}) == "Running" ? 1 : 0;
        }
        return ready == count;
    }

    std::unique_ptr<UsageFeeder> feeder;
};

TEST_F(HpaControllerTest, ScalesUpWithinTheLegacyRateAndRecordsWhy) {
    create(deployments(), deploymentWithRequests(2));
    ASSERT_TRUE(waitUntil([&] { return readyPods(2); }));
    feeder->setCpu(100); // 200% of the request against a 50% target: 8 pods wanted
    create(hpas(), hpa(1, 10, 50));

    // Without a behavior one step may at most double (or reach 4).
    ASSERT_TRUE(waitUntil([&] { return deploymentReplicas() >= 4; })) << dump(hpas());
    EXPECT_TRUE(waitUntil([&] {
        return hasEvent("SuccessfulRescale",
                        "New size: 4; reason: cpu resource utilization (percentage of request) "
                        "above target");
    })) << dump(events());
    const auto h = hpaNow();
    EXPECT_TRUE(json::valueAt(h, {"status", "lastScaleTime"}) != nullptr);
    EXPECT_EQ(condition(h, "AbleToScale", "reason"), "SucceededRescale");
    EXPECT_EQ(condition(h, "ScalingActive", "reason"), "ValidMetricFound");
    EXPECT_EQ(condition(h, "ScalingActive", "message"),
              "the HPA was able to successfully calculate a replica count from cpu resource "
              "utilization (percentage of request)");

    // It keeps going until the usage per pod meets the target: 8 pods at 200% -> 10 (max).
    ASSERT_TRUE(waitUntil([&] { return deploymentReplicas() == 10; })) << dump(hpas());
    ASSERT_TRUE(waitUntil([&] {
        return condition(hpaNow(), "ScalingLimited", "reason") == "TooManyReplicas";
    })) << dump(hpas());
    EXPECT_EQ(condition(hpaNow(), "ScalingLimited", "status"), "True");
}

TEST_F(HpaControllerTest, HoldsWithinTheTolerance) {
    create(deployments(), deploymentWithRequests(3));
    ASSERT_TRUE(waitUntil([&] { return readyPods(3); }));
    feeder->setCpu(54); // 54% against 50%: a ratio of 1.08 is within 0.1
    create(hpas(), hpa(1, 10, 50));
    ASSERT_TRUE(waitUntil([&] { return measuredUtilization(hpaNow()) == 54; })) << dump(hpas());
    const auto h = hpaNow();
    EXPECT_EQ(deploymentReplicas(), 3);
    EXPECT_EQ(json::intAt(h, {"status", "desiredReplicas"}).value_or(-1), 3);
    EXPECT_EQ(json::intAt(h, {"status", "currentReplicas"}).value_or(-1), 3);
    EXPECT_EQ(json::valueAt(h, {"status", "lastScaleTime"}), nullptr);
    EXPECT_EQ(condition(h, "AbleToScale", "reason"), "ReadyForNewScale");
    EXPECT_EQ(condition(h, "ScalingLimited", "reason"), "DesiredWithinRange");
    EXPECT_EQ(json::stringAt(*json::arrayAt(h, {"status", "currentMetrics"})->at(0).if_object(),
                             {"resource", "current", "averageValue"}),
              "54m");
}

TEST_F(HpaControllerTest, ScalesDownOnlyAfterTheStabilizationWindow) {
    create(deployments(), deploymentWithRequests(4));
    ASSERT_TRUE(waitUntil([&] { return readyPods(4); }));
    feeder->setCpu(50); // exactly on target
    // The default 300 s window (15 s real at time scale 20); at most 50% of the pods per 15 s.
    create(hpas(), hpa(1, 10, 50,
                       R"({"scaleDown":{"policies":[{"type":"Percent","value":50,
                                                     "periodSeconds":15}]}})"));
    ASSERT_TRUE(waitUntil([&] { return measuredUtilization(hpaNow()) == 50; })) << dump(hpas());

    feeder->setCpu(5); // 5%: one pod would do
    ASSERT_TRUE(waitUntil([&] { return measuredUtilization(hpaNow()) == 5; })) << dump(hpas());
    // The first low sample lies within the window of the earlier recommendation of 4.
    EXPECT_EQ(deploymentReplicas(), 4);
    EXPECT_EQ(condition(hpaNow(), "AbleToScale", "reason"), "ScaleDownStabilized");

    // After the window: down, 50% at a time, to the minimum.
    ASSERT_TRUE(waitUntil([&] { return deploymentReplicas() == 2; })) << dump(hpas());
    EXPECT_TRUE(waitUntil([&] {
        return hasEvent("SuccessfulRescale", "New size: 2; reason: All metrics below target");
    })) << dump(events());
    ASSERT_TRUE(waitUntil([&] { return deploymentReplicas() == 1; })) << dump(hpas());
}

TEST_F(HpaControllerTest, ReportsMissingMetricsAsUpstreamDoes) {
    // An image that never pulls: the pod stays Pending and nothing measures it.
    auto d = deploymentWithRequests(1);
    d["spec"]
        .as_object()["template"]
        .as_object()["spec"]
        .as_object()["containers"]
        .as_array()[0]
        .as_object()["image"] = "registry.invalid/nothing-here:1";
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return list(pods(), "app=web").size() == 1; }));
    create(hpas(), hpa(1, 5, 50));
    ASSERT_TRUE(waitUntil([&] {
        return condition(hpaNow(), "ScalingActive", "reason") == "FailedGetResourceMetric";
    })) << dump(hpas());
    EXPECT_EQ(condition(hpaNow(), "ScalingActive", "status"), "False");
    EXPECT_EQ(condition(hpaNow(), "ScalingActive", "message"),
              "the HPA was unable to compute the replica count: failed to get cpu utilization: "
              "unable to get metrics for resource cpu: no metrics returned from resource metrics "
              "API");
    EXPECT_TRUE(waitUntil([&] {
        return hasEvent("FailedComputeMetricsReplicas", "invalid metrics (1 invalid out of 1), "
                                                        "first error is: failed to get cpu "
                                                        "resource metric value");
    })) << dump(events());
    EXPECT_EQ(deploymentReplicas(), 1);
}

TEST_F(HpaControllerTest, MissingTargetIsAFailedGetScale) {
    create(hpas(), hpa(1, 5, 50));
    ASSERT_TRUE(waitUntil([&] {
        return condition(hpaNow(), "AbleToScale", "reason") == "FailedGetScale";
    })) << dump(hpas());
    EXPECT_EQ(condition(hpaNow(), "AbleToScale", "message"),
              "the HPA controller was unable to get the target's current scale: "
              "deployments.apps \"web\" not found");
}

} // namespace
} // namespace sandbox
