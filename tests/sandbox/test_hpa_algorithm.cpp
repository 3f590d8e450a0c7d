// The HPA's arithmetic as upstream's replica_calculator.go and horizontal.go define it: each
// table row is one situation a user could meet, named after what it shows.
#include "controllers/hpa_algorithm.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sandbox::hpa {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = std::chrono::system_clock::from_time_t(1'800'000'000);

// A Running, Ready pod started long ago with a fresh sample of `usage` millicores against
// `request` millicores (request < 0: no request).
PodFacts runningPod(const std::string &name, std::optional<std::int64_t> usage,
                    std::int64_t request = 100) {
    PodFacts pod;
    pod.name = name;
    pod.phase = "Running";
    pod.startTime = kStart - 1h;
    pod.ready = true;
    pod.readyTransition = kStart - 1h + 10s;
    if (usage) {
        pod.metric = MetricSample{*usage, kStart - 5s, 15s};
    }
    if (request >= 0) {
        pod.request = request;
    } else {
        pod.missingRequestContainer = "app";
    }
    return pod;
}

PodFacts pendingPod(const std::string &name) {
    PodFacts pod = runningPod(name, std::nullopt);
    pod.phase = "Pending";
    pod.ready = false;
    return pod;
}

CalculatorSettings settings() {
    return {kTolerance, 300s, 30s};
}

struct UtilizationRow {
    const char *name;
    std::int32_t current;
    std::int32_t target; // percent
    std::vector<PodFacts> pods;
    std::int32_t wantReplicas;
    std::int32_t wantUtilization;
    std::string wantError;
};

class Utilization : public testing::TestWithParam<UtilizationRow> {};

TEST_P(Utilization, ProposesReplicasLikeUpstream) {
    const UtilizationRow &row = GetParam();
    const ReplicaProposal got =
        utilizationReplicas(row.current, row.target, row.pods, "cpu", kStart, settings());
    EXPECT_EQ(got.error, row.wantError);
    if (row.wantError.empty()) {
        EXPECT_EQ(got.replicas, row.wantReplicas);
        EXPECT_EQ(got.utilization, row.wantUtilization);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Utilization,
    testing::Values(
        UtilizationRow{"WithinToleranceKeepsReplicas",
                       3,
                       100,
                       {runningPod("a", 105), runningPod("b", 105), runningPod("c", 105)},
                       3,
                       105,
                       ""},
        UtilizationRow{"JustOutsideToleranceScalesUp",
                       3,
                       100,
                       {runningPod("a", 115), runningPod("b", 115), runningPod("c", 115)},
                       4,
                       115,
                       ""},
        UtilizationRow{
            "RatioTimesReadyPodsRoundedUp",
            3,
            50,
            {runningPod("a", 200, 250), runningPod("b", 200, 250), runningPod("c", 200, 250)},
            5,
            80,
            ""},
        UtilizationRow{
            "ScaleDownBelowTolerance",
            4,
            80,
            {runningPod("a", 20), runningPod("b", 20), runningPod("c", 20), runningPod("d", 20)},
            1,
            20,
            ""},
        UtilizationRow{"MissingPodCountsAsZeroOnScaleUp",
                       3,
                       100,
                       {runningPod("a", 200), runningPod("b", 200), runningPod("c", std::nullopt)},
                       4,
                       200,
                       ""},
        UtilizationRow{"MissingPodCountsAsFullRequestOnScaleDown",
                       3,
                       50,
                       {runningPod("a", 20), runningPod("b", 20), runningPod("c", std::nullopt)},
                       3,
                       20,
                       ""},
        UtilizationRow{"UnreadyPodsDampenAScaleUp",
                       3,
                       100,
                       {runningPod("a", 150), runningPod("b", 150), pendingPod("c")},
                       3,
                       150,
                       ""},
        UtilizationRow{"DeletingPodsAreIgnored",
                       3,
                       100,
                       {runningPod("a", 300), runningPod("b", 300),
                        [] {
                            PodFacts p = runningPod("c", 0);
                            p.deleting = true;
                            return p;
                        }()},
                       6,
                       300,
                       ""},
        UtilizationRow{"NoSamplesAtAll",
                       2,
                       80,
                       {runningPod("a", std::nullopt), runningPod("b", std::nullopt)},
                       0,
                       0,
                       "unable to get metrics for resource cpu: no metrics returned from "
                       "resource metrics API"},
        UtilizationRow{"OnlyUnreadyPodsHaveSamples",
                       1,
                       80,
                       {[] {
                           PodFacts p = runningPod("a", 50);
                           p.ready = false;
                           p.startTime = kStart - 10s;
                           return p;
                       }()},
                       0,
                       0,
                       "did not receive metrics for targeted pods (pods might be unready)"},
        UtilizationRow{"MissingRequest",
                       2,
                       80,
                       {runningPod("a", 50), runningPod("b", 50, -1)},
                       0,
                       0,
                       "missing request for cpu in container app of Pod b"}),
    [](const testing::TestParamInfo<UtilizationRow> &info) { return info.param.name; });

TEST(CpuInitialization, SampleTakenBeforeReadinessIsIgnoredWhileStarting) {
    PodFacts young = runningPod("young", 500);
    young.startTime = kStart - 60s;
    young.readyTransition = kStart - 10s; // the sample window began before Ready
    PodFacts old = runningPod("old", 100);
    const GroupedPods groups = groupPods({young, old}, true, kStart, 300s, 30s);
    EXPECT_EQ(groups.readyCount, 1);
    EXPECT_EQ(groups.unready.count("young"), 1u);
    // Memory samples have no such rule.
    EXPECT_EQ(groupPods({young, old}, false, kStart, 300s, 30s).readyCount, 2);
}

TEST(AverageValue, ScalesOnTheAveragePerPod) {
    const auto up = averageValueReplicas(2, 100, {runningPod("a", 250), runningPod("b", 250)},
                                         "cpu", kStart, settings());
    ASSERT_TRUE(up.ok()) << up.error;
    EXPECT_EQ(up.replicas, 5);
    EXPECT_EQ(up.rawAverage, 250);
    const auto hold = averageValueReplicas(2, 100, {runningPod("a", 95), runningPod("b", 105)},
                                           "cpu", kStart, settings());
    EXPECT_EQ(hold.replicas, 2);
}

// ---- behavior ---------------------------------------------------------------------------

ScalingPolicy pods(std::int32_t value, std::int32_t period) {
    return {ScalingPolicy::Type::Pods, value, period};
}
ScalingPolicy percent(std::int32_t value, std::int32_t period) {
    return {ScalingPolicy::Type::Percent, value, period};
}

struct BehaviorRow {
    const char *name;
    ScalingRules up;
    ScalingRules down;
    std::int32_t min, max, current, desired;
    std::int32_t want;
    bool wantLimited;
    std::string wantReason;
};

class Limits : public testing::TestWithParam<BehaviorRow> {};

TEST_P(Limits, ApplyPoliciesAndBounds) {
    const BehaviorRow &row = GetParam();
    ManualClock clock(kStart);
    History history;
    const Normalized got = normalizeWithBehavior(history, {row.up, row.down}, row.min, row.max,
                                                 row.current, row.desired, clock);
    EXPECT_EQ(got.replicas, row.want);
    EXPECT_EQ(got.limited, row.wantLimited);
    EXPECT_EQ(got.limitedReason, row.wantReason);
}

using Select = ScalingRules::Select;
const ScalingRules kUp = defaultScaleUp();
const ScalingRules kDownNoWindow{0, Select::Max, {percent(100, 15)}};

INSTANTIATE_TEST_SUITE_P(
    Table, Limits,
    testing::Values(BehaviorRow{"DefaultUpTakesTheBiggerOfFourPodsAndDoubling", kUp, kDownNoWindow,
                                1, 100, 10, 50, 20, true, "ScaleUpLimit"},
                    BehaviorRow{"DefaultUpFromOneAddsFourPods", kUp, kDownNoWindow, 1, 100, 1, 50,
                                5, true, "ScaleUpLimit"},
                    BehaviorRow{"SelectMinTakesTheSmallerChange",
                                {0, Select::Min, {pods(4, 15), percent(100, 15)}},
                                kDownNoWindow,
                                1,
                                100,
                                10,
                                50,
                                14,
                                true,
                                "ScaleUpLimit"},
                    BehaviorRow{"PercentPolicyRoundsUp",
                                {0, Select::Max, {percent(10, 60)}},
                                kDownNoWindow,
                                1,
                                100,
                                3,
                                10,
                                4,
                                true,
                                "ScaleUpLimit"},
                    BehaviorRow{"DisabledScaleUpHolds",
                                {0, Select::Disabled, {pods(4, 15)}},
                                kDownNoWindow,
                                1,
                                100,
                                3,
                                10,
                                3,
                                true,
                                "ScaleUpLimit"},
                    BehaviorRow{"MaxReplicasBounds", kUp, kDownNoWindow, 1, 5, 3, 20, 5, true,
                                "TooManyReplicas"},
                    BehaviorRow{"WithinRange", kUp, kDownNoWindow, 1, 10, 3, 5, 5, false,
                                "DesiredWithinRange"},
                    BehaviorRow{"ScaleDownPercentTruncates",
                                kUp,
                                {0, Select::Max, {percent(10, 60)}},
                                1,
                                100,
                                10,
                                2,
                                9,
                                true,
                                "ScaleDownLimit"},
                    BehaviorRow{"ScaleDownSelectMinKeepsMore",
                                kUp,
                                {0, Select::Min, {pods(1, 60), percent(50, 60)}},
                                1,
                                100,
                                10,
                                2,
                                9,
                                true,
                                "ScaleDownLimit"},
                    BehaviorRow{"ScaleDownSelectMaxRemovesMore",
                                kUp,
                                {0, Select::Max, {pods(1, 60), percent(50, 60)}},
                                1,
                                100,
                                10,
                                2,
                                5,
                                true,
                                "ScaleDownLimit"},
                    BehaviorRow{"DisabledScaleDownHolds",
                                kUp,
                                {0, Select::Disabled, {percent(100, 15)}},
                                1,
                                100,
                                6,
                                2,
                                6,
                                true,
                                "ScaleDownLimit"},
                    BehaviorRow{"MinReplicasBounds", kUp, kDownNoWindow, 2, 10, 4, 1, 2, true,
                                "TooFewReplicas"}),
    [](const testing::TestParamInfo<BehaviorRow> &info) { return info.param.name; });

TEST(Policies, MeasureFromTheStartOfTheirPeriod) {
    ManualClock clock(kStart);
    const Behavior behavior{kUp, {0, Select::Max, {percent(10, 60)}}};
    History history;
    auto first = normalizeWithBehavior(history, behavior, 1, 100, 10, 2, clock);
    EXPECT_EQ(first.replicas, 9);
    recordScaleEvent(history, behavior, 10, 9, clock);

    clock.advance(30s); // the period still holds the first step: no further room
    auto second = normalizeWithBehavior(history, behavior, 1, 100, 9, 2, clock);
    EXPECT_EQ(second.replicas, 9);
    EXPECT_EQ(second.limitedReason, "ScaleDownLimit");

    clock.advance(31s); // the step left the period: 10% of 9 truncates to 8
    auto third = normalizeWithBehavior(history, behavior, 1, 100, 9, 2, clock);
    EXPECT_EQ(third.replicas, 8);
}

TEST(Policies, ScaleUpPeriodCountsEarlierScaleUps) {
    ManualClock clock(kStart);
    const Behavior behavior{{0, Select::Max, {pods(2, 60)}}, kDownNoWindow};
    History history;
    EXPECT_EQ(normalizeWithBehavior(history, behavior, 1, 100, 2, 10, clock).replicas, 4);
    recordScaleEvent(history, behavior, 2, 4, clock);
    clock.advance(15s);
    const auto held = normalizeWithBehavior(history, behavior, 1, 100, 4, 10, clock);
    EXPECT_EQ(held.replicas, 4);
    EXPECT_TRUE(held.limited);
    clock.advance(50s);
    EXPECT_EQ(normalizeWithBehavior(history, behavior, 1, 100, 4, 10, clock).replicas, 6);
}

TEST(Stabilization, ScaleDownWaitsForTheWindow) {
    ManualClock clock(kStart);
    const Behavior behavior{kUp, defaultScaleDown()}; // 300 s, 100% per 15 s
    History history;
    history.recommendations.push_back({5, clock.now()}); // recordInitialRecommendation

    clock.advance(60s);
    auto early = normalizeWithBehavior(history, behavior, 1, 10, 5, 2, clock);
    EXPECT_EQ(early.replicas, 5);
    EXPECT_EQ(early.ableReason, "ScaleDownStabilized");
    EXPECT_EQ(early.ableMessage, "recent recommendations were higher than current one, applying "
                                 "the highest recent recommendation");

    clock.advance(250s); // the recommendation of 5 is now older than the window
    auto late = normalizeWithBehavior(history, behavior, 1, 10, 5, 2, clock);
    EXPECT_EQ(late.replicas, 2);
    EXPECT_EQ(late.ableReason, "ReadyForNewScale");
    EXPECT_EQ(late.limitedReason, "DesiredWithinRange");
}

TEST(Stabilization, ScaleUpWindowTakesTheLowestRecommendation) {
    ManualClock clock(kStart);
    const Behavior behavior{{60, Select::Max, {percent(100, 15)}}, defaultScaleDown()};
    History history;
    history.recommendations.push_back({3, clock.now()});
    clock.advance(10s);
    auto got = normalizeWithBehavior(history, behavior, 1, 10, 3, 6, clock);
    EXPECT_EQ(got.replicas, 3);
    EXPECT_EQ(got.ableReason, "ScaleUpStabilized");
    clock.advance(55s);
    EXPECT_EQ(normalizeWithBehavior(history, behavior, 1, 10, 3, 6, clock).replicas, 6);
}

TEST(Stabilization, WindowsAreTimeScaled) {
    ManualClock clock(kStart);
    clock.setTimeScale(20); // 300 s of simulated time pass in 15 s
    const Behavior behavior{kUp, defaultScaleDown()};
    History history;
    history.recommendations.push_back({5, clock.now()});
    clock.advance(10s);
    EXPECT_EQ(normalizeWithBehavior(history, behavior, 1, 10, 5, 2, clock).replicas, 5);
    clock.advance(6s);
    EXPECT_EQ(normalizeWithBehavior(history, behavior, 1, 10, 5, 2, clock).replicas, 2);
}

TEST(WithoutBehavior, ScaleUpIsLimitedToDoubleOrFour) {
    History history;
    auto got = normalizeWithoutBehavior(history, 300s, 1, 100, 2, 10, kStart);
    EXPECT_EQ(got.replicas, 4);
    EXPECT_EQ(got.limitedReason, "ScaleUpLimit");
    EXPECT_EQ(got.limitedMessage,
              "the desired replica count is increasing faster than the maximum scale rate");
    auto bounded = normalizeWithoutBehavior(history, 300s, 1, 3, 2, 10, kStart);
    EXPECT_EQ(bounded.replicas, 3);
    EXPECT_EQ(bounded.limitedReason, "TooManyReplicas");
}

TEST(WithoutBehavior, DownscaleStabilization) {
    History history;
    history.recommendations.push_back({4, kStart});
    auto held = normalizeWithoutBehavior(history, 300s, 1, 10, 4, 1, kStart + 100s);
    EXPECT_EQ(held.replicas, 4);
    EXPECT_EQ(held.ableReason, "ScaleDownStabilized");
    auto after = normalizeWithoutBehavior(history, 300s, 1, 10, 4, 1, kStart + 401s);
    EXPECT_EQ(after.replicas, 1);
}

} // namespace
} // namespace sandbox::hpa
