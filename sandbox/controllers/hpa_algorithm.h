#pragma once
// The HorizontalPodAutoscaler's arithmetic, free of the API (k8s-api-notes §8; upstream
// pkg/controller/podautoscaler replica_calculator.go and horizontal.go): grouping of the
// target's pods into ready / unready / missing / ignored, the per-metric replica proposal
// with the 0.1 tolerance and upstream's conservative treatment of missing and unready pods,
// and the normalization of a proposal by stabilization windows, scaling policies over the
// scale-event history and [minReplicas, maxReplicas].
//
// Every period (stabilization windows, policy periods, the CPU initialization period) is a
// simulated duration: it is divided by the clock's time scale, so with --time-scale 20 a
// 300 s window lasts 15 s of real time. Timestamps are the clock's (wall) time.

#include "util/clock.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sandbox::hpa {

// Upstream's --horizontal-pod-autoscaler-tolerance default.
constexpr double kTolerance = 0.1;
// --horizontal-pod-autoscaler-cpu-initialization-period and
// --horizontal-pod-autoscaler-initial-readiness-delay defaults (simulated).
constexpr std::chrono::seconds kCpuInitializationPeriod{300};
constexpr std::chrono::seconds kInitialReadinessDelay{30};
// --horizontal-pod-autoscaler-downscale-stabilization default: the window used when an HPA
// has no behavior.
constexpr std::chrono::seconds kDownscaleStabilization{300};

// A simulated period in real time (0 stays 0, unlike Clock::scaled's 1 ms floor).
Duration scaledSeconds(const Clock &clock, std::int64_t seconds);

struct MetricSample {
    std::int64_t milliValue = 0; // summed over the pod's containers, milli-units
    TimePoint timestamp{};       // end of the sample window
    Duration window{0};
};

// What the calculator needs to know about one pod the target's selector matches.
struct PodFacts {
    std::string name;
    bool deleting = false; // has a deletionTimestamp
    std::string phase;     // "Pending", "Running", "Succeeded", "Failed", ...
    std::optional<TimePoint> startTime;
    std::optional<bool> ready;          // the Ready condition's status; nullopt when absent
    TimePoint readyTransition{};        // the Ready condition's lastTransitionTime
    std::optional<MetricSample> metric; // nullopt: no sample (a missing pod)
    // Sum of the containers' requests for the resource, milli-units; nullopt when a
    // container has none (utilization targets then fail, as upstream).
    std::optional<std::int64_t> request;
    std::string missingRequestContainer; // the first container without one
};

struct GroupedPods {
    int readyCount = 0;
    std::set<std::string> unready;
    std::set<std::string> missing;
    std::set<std::string> ignored;
};

// groupPods: deleting and Failed pods are ignored, Pending ones unready, pods without a
// sample missing; for CPU a pod is also unready while it has no Ready condition or start
// time, or (within the CPU initialization period) while it is not Ready or its sample
// window began before it became Ready, or (later) when it is not Ready and never was.
GroupedPods groupPods(const std::vector<PodFacts> &pods, bool isCpu, TimePoint now,
                      Duration cpuInitializationPeriod, Duration initialReadinessDelay);

struct ReplicaProposal {
    std::int32_t replicas = 0;
    std::int32_t utilization = 0; // percent of requests (utilization targets only)
    std::int64_t rawAverage = 0;  // average usage per pod, milli-units
    std::string error;            // non-empty: no proposal (the reason, as upstream words it)
    bool ok() const { return error.empty(); }
};

struct CalculatorSettings {
    double tolerance = kTolerance;
    Duration cpuInitializationPeriod{0}; // real time
    Duration initialReadinessDelay{0};   // real time
};

// GetResourceReplicas: a Utilization target (percent of requests).
// `resource` is "cpu" or "memory" (CPU samples get the readiness rules of groupPods).
ReplicaProposal utilizationReplicas(std::int32_t currentReplicas, std::int32_t targetUtilization,
                                    const std::vector<PodFacts> &pods, const std::string &resource,
                                    TimePoint now, const CalculatorSettings &settings);
// GetRawResourceReplicas: an AverageValue target (milli-units per pod).
ReplicaProposal averageValueReplicas(std::int32_t currentReplicas, std::int64_t targetMilli,
                                     const std::vector<PodFacts> &pods, const std::string &resource,
                                     TimePoint now, const CalculatorSettings &settings);

// ---- behavior ---------------------------------------------------------------------------

struct ScalingPolicy {
    enum class Type { Pods, Percent } type = Type::Pods;
    std::int32_t value = 0;
    std::int32_t periodSeconds = 0;
};

struct ScalingRules {
    std::int32_t stabilizationWindowSeconds = 0;
    enum class Select { Max, Min, Disabled } select = Select::Max;
    std::vector<ScalingPolicy> policies;
};

struct Behavior {
    ScalingRules scaleUp;
    ScalingRules scaleDown;
};

// The API's defaults (SetDefaults_HorizontalPodAutoscalerBehavior).
ScalingRules defaultScaleUp();
ScalingRules defaultScaleDown();

struct Recommendation {
    std::int32_t replicas = 0;
    TimePoint at{};
};

struct ScaleEvent {
    std::int32_t change = 0; // replicas added (scale-up list) or removed (scale-down list)
    TimePoint at{};
    bool outdated = false;
};

// What the controller remembers per HPA between syncs (in memory, as upstream).
struct History {
    std::vector<Recommendation> recommendations;
    std::vector<ScaleEvent> scaleUpEvents;
    std::vector<ScaleEvent> scaleDownEvents;
};

struct Normalized {
    std::int32_t replicas = 0;
    // AbleToScale (status True): ReadyForNewScale, ScaleUpStabilized or ScaleDownStabilized.
    std::string ableReason;
    std::string ableMessage;
    // ScalingLimited: True when the limits changed the stabilized recommendation.
    bool limited = false;
    std::string limitedReason;
    std::string limitedMessage;
};

// normalizeDesiredReplicasWithBehaviors: stabilization (records the recommendation), then
// the policies' rate limits and [min, max].
Normalized normalizeWithBehavior(History &history, const Behavior &behavior,
                                 std::int32_t minReplicas, std::int32_t maxReplicas,
                                 std::int32_t currentReplicas, std::int32_t desiredReplicas,
                                 const Clock &clock);

// normalizeDesiredReplicas (no behavior): downscale stabilization over `downscaleWindow`
// (real time), scale-up limited to max(2 x current, 4), then [min, max].
Normalized normalizeWithoutBehavior(History &history, Duration downscaleWindow,
                                    std::int32_t minReplicas, std::int32_t maxReplicas,
                                    std::int32_t currentReplicas, std::int32_t desiredReplicas,
                                    TimePoint now);

// storeScaleEvent: remembers a rescale for the policies (only with a behavior), reusing an
// entry older than the longest policy period.
void recordScaleEvent(History &history, const Behavior &behavior, std::int32_t previousReplicas,
                      std::int32_t newReplicas, const Clock &clock);

// Exposed for tests: the replica bound the policies allow. Each policy measures from the
// replica count at the start of its period (current minus the scale-ups plus the
// scale-downs recorded within it).
std::int32_t scaleUpLimit(std::int32_t currentReplicas, const History &history,
                          const ScalingRules &rules, const Clock &clock);
std::int32_t scaleDownLimit(std::int32_t currentReplicas, const History &history,
                            const ScalingRules &rules, const Clock &clock);

} // namespace sandbox::hpa
