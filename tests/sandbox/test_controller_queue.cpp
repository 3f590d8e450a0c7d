// The engine's work queue (one key once, never two workers on one key, delays, back-off)
// and the ReplicaSet controller's choice of which pods to delete first.
#include "controllers/replicaset_controller.h"
#include "controllers/work_queue.h"

#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <thread>

using namespace sandbox;
using namespace std::chrono_literals;
using boost::json::object;

TEST(ControllerQueue, AKeyWaitsOnceAndIsHeldWhileProcessed) {
    WorkQueue queue;
    queue.add("a");
    queue.add("a");
    queue.add("b");
    EXPECT_EQ(queue.pending(), 2u);
    auto first = queue.get();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, "a");
    queue.add("a"); // changed while a worker has it: queued again only after done()
    auto second = queue.get();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(*second, "b");
    queue.done("b");
    queue.done("a");
    auto again = queue.get();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, "a");
    queue.done("a");
    EXPECT_EQ(queue.pending(), 0u);
}

TEST(ControllerQueue, DelayedKeysComeBackLater) {
    WorkQueue queue;
    queue.addAfter("later", 50ms);
    queue.addAfter("later", 10s); // an earlier due time wins
    EXPECT_EQ(queue.delayed(), 1u);
    EXPECT_EQ(queue.pending(), 0u);
    auto key = queue.get(); // blocks until due
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(*key, "later");
    queue.done("later");
    EXPECT_EQ(queue.delayed(), 0u);
}

TEST(ControllerQueue, RateLimitedRetriesBackOffUntilForgotten) {
    WorkQueue queue(1ms, 8ms);
    for (int i = 0; i < 6; ++i) {
        queue.addRateLimited("k");
        auto key = queue.get();
        ASSERT_TRUE(key.has_value());
        queue.done(*key);
    }
    EXPECT_EQ(queue.failures("k"), 6);
    queue.forget("k");
    EXPECT_EQ(queue.failures("k"), 0);
}

TEST(ControllerQueue, ShutDownReleasesWaitingWorkers) {
    WorkQueue queue;
    std::optional<std::string> got = std::string("unset");
    std::thread worker([&] { got = queue.get(); });
    std::this_thread::sleep_for(20ms);
    queue.shutDown();
    worker.join();
    EXPECT_FALSE(got.has_value());
}

namespace {

object pod(const std::string &name, const std::string &node, const std::string &phase, bool ready,
           const std::string &created, int restarts = 0, const std::string &readySince = "") {
    object p = boost::json::parse(R"({"metadata":{},"spec":{},"status":{}})").as_object();
    p["metadata"].as_object()["name"] = name;
    p["metadata"].as_object()["creationTimestamp"] = created;
    if (!node.empty()) {
        p["spec"].as_object()["nodeName"] = node;
    }
    auto &status = p["status"].as_object();
    status["phase"] = phase;
    status["conditions"] = boost::json::array{
        object{{"type", "Ready"},
               {"status", ready ? "True" : "False"},
               {"lastTransitionTime", readySince.empty() ? created : readySince}}};
    status["containerStatuses"] =
        boost::json::array{object{{"name", "app"}, {"restartCount", restarts}}};
    return p;
}

std::vector<std::string> order(std::vector<object> pods) {
    sortPodsForDeletion(pods);
    std::vector<std::string> names;
    for (const auto &p : pods) {
        names.push_back(json::name(p));
    }
    return names;
}

} // namespace

TEST(ControllerQueue, ReplicaSetDeletesTheLeastUsefulPodsFirst) {
    const std::string t0 = "2026-11-25T10:00:00Z";
    const std::string t1 = "2026-11-25T11:00:00Z";
    EXPECT_EQ(order({pod("running", "n", "Running", true, t0),
                     pod("unscheduled", "", "Pending", false, t1),
                     pod("pending", "n", "Pending", false, t0)}),
              (std::vector<std::string>{"unscheduled", "pending", "running"}));
    EXPECT_EQ(order({pod("ready", "n", "Running", true, t0),
                     pod("not-ready", "n", "Running", false, t0)}),
              (std::vector<std::string>{"not-ready", "ready"}));
    // Both ready: the one ready more recently goes first; then more restarts; then newer.
    EXPECT_EQ(order({pod("old-ready", "n", "Running", true, t0, 0, t0),
                     pod("new-ready", "n", "Running", true, t0, 0, t1)}),
              (std::vector<std::string>{"new-ready", "old-ready"}));
    EXPECT_EQ(order({pod("calm", "n", "Running", false, t0, 0),
                     pod("crashy", "n", "Running", false, t0, 5)}),
              (std::vector<std::string>{"crashy", "calm"}));
    EXPECT_EQ(
        order({pod("older", "n", "Running", false, t0), pod("newer", "n", "Running", false, t1)}),
        (std::vector<std::string>{"newer", "older"}));
}

TEST(ControllerQueue, PodDeletionCostIsHonoured) {
    object cheap = pod("cheap", "n", "Running", true, "2026-11-25T10:00:00Z");
    object dear = pod("dear", "n", "Running", true, "2026-11-25T10:00:00Z");
    json::ensureObject(
        dear, {"metadata", "annotations"})["controller.kubernetes.io/pod-deletion-cost"] = "100";
    EXPECT_EQ(order({dear, cheap}), (std::vector<std::string>{"cheap", "dear"}));
}
