// The deployment controller's arithmetic as tables: maxSurge/maxUnavailable rounding, how
// far the new ReplicaSet may grow, revisions and revision-history, status and conditions,
// the progress deadline (notes §5).
#include "controllers/deployment_util.h"

#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

using namespace sandbox;
using namespace sandbox::deployment;
using boost::json::object;

namespace {

object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

object deploymentWith(std::int64_t replicas, boost::json::value surge,
                      boost::json::value unavailable, std::string strategy = "RollingUpdate") {
    object d = parse(R"({"metadata":{"name":"web","generation":1},"spec":{}})");
    auto &spec = d["spec"].as_object();
    spec["replicas"] = replicas;
    object s{{"type", strategy}};
    if (strategy == "RollingUpdate") {
        object rolling;
        if (!surge.is_null()) {
            rolling["maxSurge"] = surge;
        }
        if (!unavailable.is_null()) {
            rolling["maxUnavailable"] = unavailable;
        }
        s["rollingUpdate"] = rolling;
    }
    spec["strategy"] = s;
    return d;
}

object rs(std::string name, std::int64_t spec, std::int64_t status, std::int64_t available,
          std::string revision = "") {
    object r{{"metadata", object{{"name", name}}},
             {"spec", object{{"replicas", spec}}},
             {"status", object{{"replicas", status},
                               {"readyReplicas", available},
                               {"availableReplicas", available}}}};
    if (!revision.empty()) {
        r["metadata"].as_object()["annotations"] =
            object{{std::string(kRevisionAnnotation), revision}};
    }
    return r;
}

} // namespace

struct FencepostCase {
    const char *name;
    std::int64_t replicas;
    boost::json::value surge;
    boost::json::value unavailable;
    std::int64_t wantSurge;
    std::int64_t wantUnavailable;
};

class Fenceposts : public testing::TestWithParam<FencepostCase> {};

TEST_P(Fenceposts, RoundSurgeUpAndUnavailableDown) {
    const auto &c = GetParam();
    const object d = deploymentWith(c.replicas, c.surge, c.unavailable);
    EXPECT_EQ(maxSurge(d), c.wantSurge);
    EXPECT_EQ(maxUnavailable(d), c.wantUnavailable);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Fenceposts,
    testing::Values(FencepostCase{"defaults_4", 4, nullptr, nullptr, 1, 1},
                    FencepostCase{"defaults_3", 3, nullptr, nullptr, 1, 0},
                    FencepostCase{"defaults_10", 10, nullptr, nullptr, 3, 2},
                    FencepostCase{"ints", 5, 2, 1, 2, 1},
                    FencepostCase{"both_zero_means_unavailable_1", 3, 0, 0, 0, 1},
                    FencepostCase{"percent_zero_pair", 1, "0%", "0%", 0, 1},
                    FencepostCase{"surge_1_unavailable_0", 3, 1, 0, 1, 0},
                    FencepostCase{"unavailable_capped_at_replicas", 2, 0, 5, 0, 2},
                    FencepostCase{"fifty_percent_of_3", 3, "50%", "50%", 2, 1}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(ControllerRolling, RecreateHasNoSurgeOrUnavailable) {
    const object d = deploymentWith(3, nullptr, nullptr, "Recreate");
    EXPECT_EQ(maxSurge(d), 0);
    EXPECT_EQ(maxUnavailable(d), 0);
}

TEST(ControllerRolling, NewReplicaSetGrowsWithinMaxSurge) {
    // 3 replicas, maxSurge 1: old RS at 3, new RS at 0 -> the new one may take 1.
    const object d = deploymentWith(3, 1, 0);
    object newRS = rs("web-new", 0, 0, 0);
    EXPECT_EQ(newRSNewReplicas(d, {rs("web-old", 3, 3, 3), newRS}, newRS), 1);
    // Already at replicas + surge in total: no growth.
    newRS = rs("web-new", 1, 1, 0);
    EXPECT_EQ(newRSNewReplicas(d, {rs("web-old", 3, 3, 3), newRS}, newRS), 1);
    // Old scaled down to 2: total 3 -> the new one may reach 2.
    EXPECT_EQ(newRSNewReplicas(d, {rs("web-old", 2, 2, 2), newRS}, newRS), 2);
    // Never past spec.replicas.
    newRS = rs("web-new", 3, 3, 3);
    EXPECT_EQ(newRSNewReplicas(d, {rs("web-old", 0, 0, 0), newRS}, newRS), 3);
    // Recreate: all at once.
    const object recreate = deploymentWith(4, nullptr, nullptr, "Recreate");
    EXPECT_EQ(newRSNewReplicas(recreate, {newRS}, rs("web-new", 0, 0, 0)), 4);
}

TEST(ControllerRolling, RevisionsAndHistoryOnReuse) {
    object d = parse(R"({"metadata":{"name":"web","annotations":{
        "deployment.kubernetes.io/revision":"2","kubernetes.io/change-cause":"undo",
        "kubectl.kubernetes.io/last-applied-configuration":"{}"}},"spec":{"replicas":2}})");
    // A brand-new ReplicaSet: revision, desired/max replicas, copied annotations.
    object fresh = parse(R"({"metadata":{"name":"web-a"}})");
    EXPECT_TRUE(setNewReplicaSetAnnotations(d, fresh, 2, false));
    EXPECT_EQ(json::annotation(fresh, kRevisionAnnotation), "2");
    EXPECT_EQ(json::annotation(fresh, kDesiredReplicasAnnotation), "2");
    EXPECT_EQ(json::annotation(fresh, kMaxReplicasAnnotation), "3");
    EXPECT_EQ(json::annotation(fresh, "kubernetes.io/change-cause"), "undo");
    EXPECT_EQ(json::annotation(fresh, kLastAppliedAnnotation), "");
    // Rollback reuses revision 1's ReplicaSet as revision 3 and remembers "1".
    object reused = parse(R"({"metadata":{"name":"web-b","annotations":{
        "deployment.kubernetes.io/revision":"1"}}})");
    EXPECT_TRUE(setNewReplicaSetAnnotations(d, reused, 3, true));
    EXPECT_EQ(json::annotation(reused, kRevisionAnnotation), "3");
    EXPECT_EQ(json::annotation(reused, kRevisionHistoryAnnotation), "1");
    // And again later: the history grows.
    EXPECT_TRUE(setNewReplicaSetAnnotations(d, reused, 5, true));
    EXPECT_EQ(json::annotation(reused, kRevisionHistoryAnnotation), "1,3");
    // Same revision again: nothing to do.
    EXPECT_FALSE(setNewReplicaSetAnnotations(d, reused, 5, true));
    EXPECT_EQ(maxRevision({fresh, reused}), 5);
}

TEST(ControllerRolling, StatusSumsReplicaSetsAndSetsAvailability) {
    const object d = deploymentWith(4, 1, 1);
    const TimePoint now = std::chrono::system_clock::now();
    const object newRS = rs("web-new", 2, 2, 1);
    object status = calculateStatus({rs("web-old", 2, 2, 2), newRS}, &newRS, d, now);
    EXPECT_EQ(json::intAt(status, {"replicas"}), 4);
    EXPECT_EQ(json::intAt(status, {"updatedReplicas"}), 2);
    EXPECT_EQ(json::intAt(status, {"availableReplicas"}), 3);
    EXPECT_EQ(json::intAt(status, {"unavailableReplicas"}), 1);
    EXPECT_EQ(json::intAt(status, {"observedGeneration"}), 1);
    const object *available = condition(status, kAvailable);
    ASSERT_NE(available, nullptr);
    EXPECT_EQ(json::stringAt(*available, {"status"}), "True"); // 3 >= 4 - 1
    EXPECT_EQ(json::stringAt(*available, {"reason"}), kMinimumReplicasAvailable);
    EXPECT_EQ(json::stringAt(*available, {"message"}), "Deployment has minimum availability.");

    status = calculateStatus({rs("web-new", 4, 4, 2)}, nullptr, d, now);
    available = condition(status, kAvailable);
    EXPECT_EQ(json::stringAt(*available, {"status"}), "False");
    EXPECT_EQ(json::stringAt(*available, {"message"}),
              "Deployment does not have minimum availability.");
}

TEST(ControllerRolling, SetConditionKeepsTransitionTimeWhileStatusHolds) {
    object status;
    const TimePoint t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    const TimePoint t1 = t0 + std::chrono::seconds(30);
    setCondition(status, newCondition(kProgressing, "True", kNewReplicaSetCreated, "a", t0));
    setCondition(status, newCondition(kProgressing, "True", kReplicaSetUpdated, "b", t1));
    const object *c = condition(status, kProgressing);
    EXPECT_EQ(json::stringAt(*c, {"reason"}), kReplicaSetUpdated);
    EXPECT_EQ(json::stringAt(*c, {"lastTransitionTime"}), formatRfc3339(t0));
    EXPECT_EQ(json::stringAt(*c, {"lastUpdateTime"}), formatRfc3339(t1));
    // Same status and reason: nothing changes (not even lastUpdateTime).
    setCondition(status, newCondition(kProgressing, "True", kReplicaSetUpdated, "c",
                                      t1 + std::chrono::seconds(5)));
    EXPECT_EQ(json::stringAt(*condition(status, kProgressing), {"message"}), "b");
}

TEST(ControllerRolling, ProgressingConditionFollowsTheRollout) {
    SystemClock clock;
    object d = deploymentWith(2, 1, 0);
    d["status"] =
        parse(R"({"replicas":2,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1})");
    const object newRS = rs("web-2", 2, 2, 2);
    object status = calculateStatus({newRS}, &newRS, d, clock.now());
    updateProgressingCondition(d, &newRS, status, clock);
    const object *c = condition(status, kProgressing);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(json::stringAt(*c, {"reason"}), kNewReplicaSetAvailable);
    EXPECT_EQ(json::stringAt(*c, {"message"}), "ReplicaSet \"web-2\" has successfully progressed.");
    EXPECT_TRUE(deploymentComplete(d, status));

    // Progress without completion: ReplicaSetUpdated "is progressing."
    const object halfway = rs("web-2", 2, 2, 1);
    d["status"] =
        parse(R"({"replicas":3,"updatedReplicas":1,"readyReplicas":2,"availableReplicas":2})");
    status = calculateStatus({rs("web-1", 1, 1, 1), halfway}, &halfway, d, clock.now());
    updateProgressingCondition(d, &halfway, status, clock);
    EXPECT_EQ(json::stringAt(*condition(status, kProgressing), {"message"}),
              "ReplicaSet \"web-2\" is progressing.");
}

TEST(ControllerRolling, ProgressDeadlineIsTimeScaled) {
    SystemClock clock;
    clock.setTimeScale(600); // 600 s deadline -> 1 s
    object d = deploymentWith(1, 1, 0);
    // Nothing moved since the last sync: one new pod that never becomes available.
    object status = parse(R"({"replicas":1,"updatedReplicas":1})");
    const TimePoint longAgo = clock.now() - std::chrono::seconds(5);
    setCondition(status, newCondition(kProgressing, "True", kReplicaSetUpdated,
                                      "ReplicaSet \"web-2\" is progressing.", longAgo));
    d["status"] = status;
    EXPECT_TRUE(deploymentTimedOut(d, status, clock));
    const object stuck = rs("web-2", 1, 1, 0);
    object next = calculateStatus({stuck}, &stuck, d, clock.now());
    updateProgressingCondition(d, &stuck, next, clock);
    const object *c = condition(next, kProgressing);
    EXPECT_EQ(json::stringAt(*c, {"status"}), "False");
    EXPECT_EQ(json::stringAt(*c, {"reason"}), kProgressDeadlineExceeded);
    EXPECT_EQ(json::stringAt(*c, {"message"}), "ReplicaSet \"web-2\" has timed out progressing.");
    // No requeue once timed out; a fresh condition asks to be looked at before the deadline.
    EXPECT_FALSE(requeueForDeadline(d, next, clock).has_value());
    object fresh;
    setCondition(fresh, newCondition(kProgressing, "True", kReplicaSetUpdated, "x", clock.now()));
    EXPECT_TRUE(requeueForDeadline(d, fresh, clock).has_value());
    clock.setTimeScale(1);
    EXPECT_FALSE(deploymentTimedOut(d, fresh, clock));
}

TEST(ControllerRolling, ProportionalShareFollowsMaxReplicasAnnotation) {
    // Mid-rollout 10 -> 15 replicas (maxSurge 3 -> 4): each RS grows by its share.
    object d = deploymentWith(15, "25%", "25%");
    object a = rs("web-a", 8, 8, 8);
    a["metadata"].as_object()["annotations"] = object{{std::string(kMaxReplicasAnnotation), "13"}};
    object b = rs("web-b", 5, 5, 5);
    b["metadata"].as_object()["annotations"] = object{{std::string(kMaxReplicasAnnotation), "13"}};
    // allowed = 15 + 4 = 19, current 13 -> add 6
    const std::int64_t shareA = proportion(a, d, 6, 0);
    const std::int64_t shareB = proportion(b, d, 6, shareA);
    EXPECT_EQ(shareA, 4); // round(8 * 19 / 13) - 8 = 12 - 8
    EXPECT_EQ(shareB, 2); // min(round(5 * 19 / 13) - 5 = 2, 6 - 4)
}

TEST(ControllerRolling, PodAvailabilityWaitsForMinReadySeconds) {
    SystemClock clock;
    const std::string now = formatRfc3339(clock.now());
    const std::string before = formatRfc3339(clock.now() - std::chrono::seconds(20));
    auto pod = [](const std::string &since, const char *status) {
        return object{
            {"status",
             object{{"conditions",
                     boost::json::array{object{
                         {"type", "Ready"}, {"status", status}, {"lastTransitionTime", since}}}}}}};
    };
    EXPECT_TRUE(podAvailable(pod(now, "True"), 0, clock));
    EXPECT_FALSE(podAvailable(pod(now, "False"), 0, clock));
    EXPECT_FALSE(podAvailable(pod(now, "True"), 10, clock));
    EXPECT_TRUE(podAvailable(pod(before, "True"), 10, clock));
}
