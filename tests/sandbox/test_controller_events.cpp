// Events as kube-controller-manager and the kubelet record them: names, sources, repeats
// aggregated into count/lastTimestamp, and expiry after the TTL.
#include "controllers/event_recorder.h"
#include "controllers/event_ttl_controller.h"

#include "store/object_store.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <thread>

using namespace sandbox;
using boost::json::object;

namespace {

const ResourceType &T(std::string_view group, std::string_view resource) {
    for (const auto &t : ResourceRegistry::builtin().all()) {
        if (t.group == group && t.resource == resource) {
            return t;
        }
    }
    std::abort();
}

class Events : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        WriteOptions write;
        ASSERT_TRUE(service
                        ->create(T("", "namespaces"), "",
                                 boost::json::parse(R"({"metadata":{"name":"demo"}})").as_object(),
                                 write)
                        .ok());
        auto made =
            service->create(T("apps", "deployments"), "demo",
                            boost::json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
              "metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},
              "spec":{"containers":[{"name":"web","image":"nginx"}]}}}})")
                                .as_object(),
                            write);
        ASSERT_TRUE(made.ok()) << made.message();
        deployment = *made;
    }
    std::vector<object> events() {
        auto listed = service->list(T("", "events"), "demo", ListOptions{});
        return listed ? listed->items : std::vector<object>{};
    }

    ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    object deployment;
};

} // namespace

TEST_F(Events, RecordsTheInvolvedObjectAndSource) {
    EventRecorder recorder(*service, "deployment-controller");
    recorder.event(deployment, EventRecorder::Normal, "ScalingReplicaSet",
                   "Scaled up replica set web-abc to 2 from 0");
    const auto list = events();
    ASSERT_EQ(list.size(), 1u);
    const object &e = list[0];
    EXPECT_EQ(json::name(e).rfind("web.", 0), 0u);
    EXPECT_EQ(json::stringAt(e, {"involvedObject", "kind"}), "Deployment");
    EXPECT_EQ(json::stringAt(e, {"involvedObject", "name"}), "web");
    EXPECT_EQ(json::stringAt(e, {"involvedObject", "apiVersion"}), "apps/v1");
    EXPECT_EQ(json::stringAt(e, {"involvedObject", "uid"}),
              json::stringAt(deployment, {"metadata", "uid"}));
    EXPECT_EQ(json::stringAt(e, {"source", "component"}), "deployment-controller");
    EXPECT_EQ(json::stringAt(e, {"reportingComponent"}), "deployment-controller");
    EXPECT_EQ(json::stringAt(e, {"type"}), "Normal");
    EXPECT_EQ(json::intAt(e, {"count"}), 1);
    EXPECT_EQ(json::stringAt(e, {"firstTimestamp"}), formatRfc3339(clock.now()));
}

TEST_F(Events, RepeatsAreAggregated) {
    EventRecorder recorder(*service, "kubelet", "forecast-sandbox");
    recorder.event(deployment, EventRecorder::Warning, "BackOff", "Back-off pulling image \"x\"",
                   "spec.containers{web}");
    clock.advance(std::chrono::seconds(30));
    recorder.event(deployment, EventRecorder::Warning, "BackOff", "Back-off pulling image \"x\"",
                   "spec.containers{web}");
    recorder.event(deployment, EventRecorder::Warning, "Failed", "Error: ImagePullBackOff",
                   "spec.containers{web}");
    const auto list = events();
    ASSERT_EQ(list.size(), 2u);
    for (const auto &e : list) {
        if (json::stringAt(e, {"reason"}) == "BackOff") {
            EXPECT_EQ(json::intAt(e, {"count"}), 2);
            EXPECT_NE(json::stringAt(e, {"firstTimestamp"}), json::stringAt(e, {"lastTimestamp"}));
            EXPECT_EQ(json::stringAt(e, {"source", "host"}), "forecast-sandbox");
            EXPECT_EQ(json::stringAt(e, {"involvedObject", "fieldPath"}), "spec.containers{web}");
        }
    }
}

TEST_F(Events, ExpireAfterTheTtl) {
    EventRecorder recorder(*service, "deployment-controller");
    recorder.event(deployment, EventRecorder::Normal, "Old", "long ago");
    clock.advance(std::chrono::hours(2));
    recorder.event(deployment, EventRecorder::Normal, "New", "just now");
    ASSERT_EQ(events().size(), 2u);
    EventTtlController ttl(*service, std::chrono::hours(1));
    ttl.startSweeping();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (events().size() != 1u && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ttl.stop();
    const auto left = events();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(json::stringAt(left[0], {"reason"}), "New");
}
