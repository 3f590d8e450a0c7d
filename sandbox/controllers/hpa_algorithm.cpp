#include "controllers/hpa_algorithm.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>

namespace sandbox::hpa {

namespace {

using PodValues = std::map<std::string, std::int64_t>; // pod name -> milli-units

const char *const kNoMetrics = "no metrics returned from resource metrics API";

std::string metricsError(const std::string &resource) {
    return "unable to get metrics for resource " + resource + ": " + kNoMetrics;
}

bool anySample(const std::vector<PodFacts> &pods) {
    return std::any_of(pods.begin(), pods.end(),
                       [](const PodFacts &p) { return p.metric.has_value(); });
}

// The samples of the pods that count: every sampled pod minus ignored and unready ones.
PodValues usableSamples(const std::vector<PodFacts> &pods, const GroupedPods &groups) {
    PodValues out;
    for (const PodFacts &pod : pods) {
        if (pod.metric && !groups.ignored.count(pod.name) && !groups.unready.count(pod.name)) {
            out[pod.name] = pod.metric->milliValue;
        }
    }
    return out;
}

struct UtilizationRatio {
    double ratio = 0;
    std::int32_t utilization = 0;
    std::int64_t rawAverage = 0;
    std::string error;
};

// GetResourceUtilizationRatio: usage and requests summed over the pods that have both.
UtilizationRatio utilizationRatio(const PodValues &values, const PodValues &requests,
                                  std::int32_t targetUtilization) {
    std::int64_t usageTotal = 0;
    std::int64_t requestTotal = 0;
    std::int64_t entries = 0;
    for (const auto &[name, value] : values) {
        auto request = requests.find(name);
        if (request == requests.end()) {
            continue;
        }
        usageTotal += value;
        requestTotal += request->second;
        ++entries;
    }
    if (requestTotal == 0) {
        return {0, 0, 0, "no metrics returned matched known pods"};
    }
    UtilizationRatio out;
    out.utilization = static_cast<std::int32_t>(usageTotal * 100 / requestTotal);
    out.ratio = static_cast<double>(out.utilization) / static_cast<double>(targetUtilization);
    out.rawAverage = usageTotal / entries;
    return out;
}

// GetMetricUsageRatio: the plain average against the target.
std::pair<double, std::int64_t> usageRatio(const PodValues &values, std::int64_t target) {
    std::int64_t total = 0;
    for (const auto &[name, value] : values) {
        total += value;
    }
    const std::int64_t average = total / static_cast<std::int64_t>(values.size());
    return {static_cast<double>(average) / static_cast<double>(target), average};
}

// The part both calculators share once the first ratio is known: tolerance, then a second
// pass with missing pods filled in (`missingValue`) and, on a scale-up, unready pods at 0,
// refusing any result that flips the direction.
std::int32_t proposeReplicas(std::int32_t currentReplicas, double ratio, int readyCount,
                             PodValues values, const GroupedPods &groups,
                             std::int64_t (*missingValue)(const std::string &, bool, const void *),
                             const void *context, double tolerance,
                             const std::function<double(const PodValues &)> &recompute) {
    const bool scaleUpWithUnready = !groups.unready.empty() && ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing.empty()) {
        if (std::abs(1.0 - ratio) <= tolerance) {
            return currentReplicas;
        }
        return static_cast<std::int32_t>(std::ceil(ratio * readyCount));
    }
    if (!groups.missing.empty() && ratio != 1.0) {
        for (const std::string &name : groups.missing) {
            values[name] = missingValue(name, ratio < 1.0, context);
        }
    }
    if (scaleUpWithUnready) {
        for (const std::string &name : groups.unready) {
            values[name] = 0;
        }
    }
    const double newRatio = recompute(values);
    if (std::abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) ||
        (ratio > 1.0 && newRatio < 1.0)) {
        return currentReplicas;
    }
    const auto replicas =
        static_cast<std::int32_t>(std::ceil(newRatio * static_cast<double>(values.size())));
    if ((newRatio < 1.0 && replicas > currentReplicas) ||
        (newRatio > 1.0 && replicas < currentReplicas)) {
        return currentReplicas;
    }
    return replicas;
}

std::int32_t periodChange(std::int32_t periodSeconds, const std::vector<ScaleEvent> &events,
                          const Clock &clock) {
    const TimePoint cutoff = clock.now() - scaledSeconds(clock, periodSeconds);
    std::int32_t change = 0;
    for (const ScaleEvent &event : events) {
        if (event.at > cutoff) {
            change += event.change;
        }
    }
    return change;
}

std::int32_t periodStartReplicas(std::int32_t currentReplicas, const ScalingPolicy &policy,
                                 const History &history, const Clock &clock) {
    return currentReplicas - periodChange(policy.periodSeconds, history.scaleUpEvents, clock) +
           periodChange(policy.periodSeconds, history.scaleDownEvents, clock);
}

std::int32_t longestPeriod(const ScalingRules &rules) {
    std::int32_t longest = 0;
    for (const ScalingPolicy &policy : rules.policies) {
        longest = std::max(longest, policy.periodSeconds);
    }
    return longest;
}

void storeEvent(std::vector<ScaleEvent> &events, const ScalingRules &rules, std::int32_t change,
                const Clock &clock) {
    const TimePoint now = clock.now();
    const TimePoint cutoff = now - scaledSeconds(clock, longestPeriod(rules));
    std::optional<std::size_t> reuse;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].at < cutoff) {
            events[i].outdated = true;
        }
        if (events[i].outdated) {
            reuse = i; // the last outdated entry, as upstream
        }
    }
    const ScaleEvent event{change, now, false};
    if (reuse) {
        events[*reuse] = event;
    } else {
        events.push_back(event);
    }
}

} // namespace

Duration scaledSeconds(const Clock &clock, std::int64_t seconds) {
    if (seconds <= 0) {
        return Duration::zero();
    }
    return clock.scaled(std::chrono::seconds(seconds));
}

GroupedPods groupPods(const std::vector<PodFacts> &pods, bool isCpu, TimePoint now,
                      Duration cpuInitializationPeriod, Duration initialReadinessDelay) {
    GroupedPods out;
    for (const PodFacts &pod : pods) {
        if (pod.deleting || pod.phase == "Failed") {
            out.ignored.insert(pod.name);
            continue;
        }
        if (pod.phase == "Pending") {
            out.unready.insert(pod.name);
            continue;
        }
        if (!pod.metric) {
            out.missing.insert(pod.name);
            continue;
        }
        if (isCpu) {
            bool unready = false;
            if (!pod.ready.has_value() || !pod.startTime.has_value()) {
                unready = true;
            } else if (*pod.startTime + cpuInitializationPeriod > now) {
                // Still initializing: the sample must be Ready and a whole window after
                // the readiness change, or it may hold start-up CPU.
                unready =
                    !*pod.ready || pod.metric->timestamp < pod.readyTransition + pod.metric->window;
            } else {
                // Later: ignore only a pod that is unready and has never been ready.
                unready =
                    !*pod.ready && *pod.startTime + initialReadinessDelay > pod.readyTransition;
            }
            if (unready) {
                out.unready.insert(pod.name);
                continue;
            }
        }
        ++out.readyCount;
    }
    return out;
}

namespace {

// What both calculators start with (upstream's calcPlainMetricReplicas and the resource
// utilization path): an error, or the pods grouped and the samples that may be used.
struct Sampled {
    std::string error;
    GroupedPods groups;
    PodValues values;
};

Sampled samplePods(const std::vector<PodFacts> &pods, const std::string &resource, TimePoint now,
                   const CalculatorSettings &settings) {
    Sampled out;
    if (!anySample(pods)) {
        out.error = metricsError(resource);
        return out;
    }
    if (pods.empty()) {
        out.error = "no pods returned by selector while calculating replica count";
        return out;
    }
    out.groups = groupPods(pods, resource == "cpu", now, settings.cpuInitializationPeriod,
                           settings.initialReadinessDelay);
    out.values = usableSamples(pods, out.groups);
    if (out.values.empty()) {
        out.error = "did not receive metrics for targeted pods (pods might be unready)";
    }
    return out;
}

} // namespace

ReplicaProposal utilizationReplicas(std::int32_t currentReplicas, std::int32_t targetUtilization,
                                    const std::vector<PodFacts> &pods, const std::string &resource,
                                    TimePoint now, const CalculatorSettings &settings) {
    ReplicaProposal out;
    Sampled sampled = samplePods(pods, resource, now, settings);
    if (!sampled.error.empty()) {
        out.error = std::move(sampled.error);
        return out;
    }
    const GroupedPods &groups = sampled.groups;
    PodValues &values = sampled.values;
    PodValues requests;
    for (const PodFacts &pod : pods) {
        if (!pod.request) {
            out.error = "missing request for " + resource + " in container " +
                        pod.missingRequestContainer + " of Pod " + pod.name;
            return out;
        }
        requests[pod.name] = *pod.request;
    }
    if (targetUtilization <= 0) {
        out.error = "invalid utilization target " + std::to_string(targetUtilization);
        return out;
    }
    const UtilizationRatio first = utilizationRatio(values, requests, targetUtilization);
    if (!first.error.empty()) {
        out.error = first.error;
        return out;
    }
    out.utilization = first.utilization;
    out.rawAverage = first.rawAverage;
    struct Context {
        const PodValues *requests;
        std::int64_t fallbackPercent;
    } context{&requests, std::max<std::int64_t>(100, targetUtilization)};
    // Missing pods: on a scale-down they count as using 100% of their request (or the
    // target when it is above 100%), on a scale-up as using nothing.
    auto missing = [](const std::string &name, bool scaleDown, const void *c) -> std::int64_t {
        const auto *ctx = static_cast<const Context *>(c);
        return scaleDown ? ctx->requests->at(name) * ctx->fallbackPercent / 100 : 0;
    };
    out.replicas =
        proposeReplicas(currentReplicas, first.ratio, groups.readyCount, std::move(values), groups,
                        missing, &context, settings.tolerance, [&](const PodValues &v) {
                            return utilizationRatio(v, requests, targetUtilization).ratio;
                        });
    return out;
}

ReplicaProposal averageValueReplicas(std::int32_t currentReplicas, std::int64_t targetMilli,
                                     const std::vector<PodFacts> &pods, const std::string &resource,
                                     TimePoint now, const CalculatorSettings &settings) {
    ReplicaProposal out;
    Sampled sampled = samplePods(pods, resource, now, settings);
    if (!sampled.error.empty()) {
        out.error = std::move(sampled.error);
        return out;
    }
    if (targetMilli <= 0) {
        out.error = "invalid average value target";
        return out;
    }
    const GroupedPods &groups = sampled.groups;
    PodValues &values = sampled.values;
    const auto [ratio, average] = usageRatio(values, targetMilli);
    out.rawAverage = average;
    // Missing pods: on a scale-down they count as using exactly the target, otherwise 0.
    auto missing = [](const std::string &, bool scaleDown, const void *c) -> std::int64_t {
        return scaleDown ? *static_cast<const std::int64_t *>(c) : 0;
    };
    out.replicas = proposeReplicas(
        currentReplicas, ratio, groups.readyCount, std::move(values), groups, missing, &targetMilli,
        settings.tolerance, [&](const PodValues &v) { return usageRatio(v, targetMilli).first; });
    return out;
}

// ---- behavior ---------------------------------------------------------------------------

ScalingRules defaultScaleUp() {
    return {0,
            ScalingRules::Select::Max,
            {{ScalingPolicy::Type::Pods, 4, 15}, {ScalingPolicy::Type::Percent, 100, 15}}};
}

ScalingRules defaultScaleDown() {
    return {300, ScalingRules::Select::Max, {{ScalingPolicy::Type::Percent, 100, 15}}};
}

std::int32_t scaleUpLimit(std::int32_t currentReplicas, const History &history,
                          const ScalingRules &rules, const Clock &clock) {
    if (rules.select == ScalingRules::Select::Disabled) {
        return currentReplicas;
    }
    // Max takes the policy allowing the biggest change; Min the smallest.
    const bool useMin = rules.select == ScalingRules::Select::Min;
    std::int32_t result = useMin ? std::numeric_limits<std::int32_t>::max() : 0;
    for (const ScalingPolicy &policy : rules.policies) {
        const std::int32_t periodStart =
            periodStartReplicas(currentReplicas, policy, history, clock);
        std::int32_t proposed = periodStart;
        if (policy.type == ScalingPolicy::Type::Pods) {
            proposed = periodStart + policy.value;
        } else {
            // Rounded up, or a small target could never grow.
            proposed = static_cast<std::int32_t>(
                std::ceil(periodStart * (1.0 + static_cast<double>(policy.value) / 100.0)));
        }
        result = useMin ? std::min(result, proposed) : std::max(result, proposed);
    }
    return result;
}

std::int32_t scaleDownLimit(std::int32_t currentReplicas, const History &history,
                            const ScalingRules &rules, const Clock &clock) {
    if (rules.select == ScalingRules::Select::Disabled) {
        return currentReplicas;
    }
    // For a scale-down the smallest change is the highest bound.
    const bool useMax = rules.select == ScalingRules::Select::Min;
    std::int32_t result = useMax ? std::numeric_limits<std::int32_t>::min()
                                 : std::numeric_limits<std::int32_t>::max();
    for (const ScalingPolicy &policy : rules.policies) {
        const std::int32_t periodStart =
            periodStartReplicas(currentReplicas, policy, history, clock);
        std::int32_t proposed = periodStart;
        if (policy.type == ScalingPolicy::Type::Pods) {
            proposed = periodStart - policy.value;
        } else {
            proposed = static_cast<std::int32_t>(periodStart *
                                                 (1.0 - static_cast<double>(policy.value) / 100.0));
        }
        result = useMax ? std::max(result, proposed) : std::min(result, proposed);
    }
    return result;
}

Normalized normalizeWithBehavior(History &history, const Behavior &behavior,
                                 std::int32_t minReplicas, std::int32_t maxReplicas,
                                 std::int32_t currentReplicas, std::int32_t desiredReplicas,
                                 const Clock &clock) {
    const TimePoint now = clock.now();
    Normalized out;

    // Stabilization: up takes the lowest recommendation of its window, down the highest.
    const bool up = desiredReplicas >= currentReplicas;
    const ScalingRules &rules = up ? behavior.scaleUp : behavior.scaleDown;
    const TimePoint cutoff = now - scaledSeconds(clock, rules.stabilizationWindowSeconds);
    const TimePoint obsolete =
        now - scaledSeconds(clock, std::max(behavior.scaleUp.stabilizationWindowSeconds,
                                            behavior.scaleDown.stabilizationWindowSeconds));
    std::int32_t stabilized = desiredReplicas;
    std::optional<std::size_t> reuse;
    for (std::size_t i = 0; i < history.recommendations.size(); ++i) {
        const Recommendation &rec = history.recommendations[i];
        if (rec.at > cutoff) {
            stabilized =
                up ? std::min(stabilized, rec.replicas) : std::max(stabilized, rec.replicas);
        }
        if (rec.at < obsolete) {
            reuse = i;
        }
    }
    if (reuse) {
        history.recommendations[*reuse] = {desiredReplicas, now};
    } else {
        history.recommendations.push_back({desiredReplicas, now});
    }
    if (stabilized != desiredReplicas) {
        out.ableReason = up ? "ScaleUpStabilized" : "ScaleDownStabilized";
        out.ableMessage =
            up ? "recent recommendations were lower than current one, applying the lowest recent "
                 "recommendation"
               : "recent recommendations were higher than current one, applying the highest "
                 "recent recommendation";
    } else {
        out.ableReason = "ReadyForNewScale";
        out.ableMessage = "recommended size matches current size";
    }

    // Rate limits and bounds (convertDesiredReplicasWithBehaviorRate).
    out.replicas = stabilized;
    out.limitedReason = "DesiredWithinRange";
    out.limitedMessage = "the desired count is within the acceptable range";
    if (stabilized > currentReplicas) {
        std::int32_t limit = std::max(
            currentReplicas, scaleUpLimit(currentReplicas, history, behavior.scaleUp, clock));
        std::int32_t allowed = maxReplicas;
        std::string reason = "TooManyReplicas";
        std::string message = "the desired replica count is more than the maximum replica count";
        if (allowed > limit) {
            allowed = limit;
            reason = "ScaleUpLimit";
            message = "the desired replica count is increasing faster than the maximum scale rate";
        }
        if (stabilized > allowed) {
            out.replicas = allowed;
            out.limitedReason = reason;
            out.limitedMessage = message;
        }
    } else if (stabilized < currentReplicas) {
        std::int32_t limit = std::min(
            currentReplicas, scaleDownLimit(currentReplicas, history, behavior.scaleDown, clock));
        std::int32_t allowed = minReplicas;
        std::string reason = "TooFewReplicas";
        std::string message = "the desired replica count is less than the minimum replica count";
        if (allowed < limit) {
            allowed = limit;
            reason = "ScaleDownLimit";
            message = "the desired replica count is decreasing faster than the maximum scale rate";
        }
        if (stabilized < allowed) {
            out.replicas = allowed;
            out.limitedReason = reason;
            out.limitedMessage = message;
        }
    }
    out.limited = out.replicas != stabilized;
    return out;
}

Normalized normalizeWithoutBehavior(History &history, Duration downscaleWindow,
                                    std::int32_t minReplicas, std::int32_t maxReplicas,
                                    std::int32_t currentReplicas, std::int32_t desiredReplicas,
                                    TimePoint now) {
    Normalized out;
    // stabilizeRecommendation: the highest recommendation of the downscale window.
    const TimePoint cutoff = now - downscaleWindow;
    std::int32_t stabilized = desiredReplicas;
    std::optional<std::size_t> reuse;
    for (std::size_t i = 0; i < history.recommendations.size(); ++i) {
        const Recommendation &rec = history.recommendations[i];
        if (rec.at < cutoff) {
            reuse = i;
        } else {
            stabilized = std::max(stabilized, rec.replicas);
        }
    }
    if (reuse) {
        history.recommendations[*reuse] = {desiredReplicas, now};
    } else {
        history.recommendations.push_back({desiredReplicas, now});
    }
    if (stabilized != desiredReplicas) {
        out.ableReason = "ScaleDownStabilized";
        out.ableMessage = "recent recommendations were higher than current one, applying the "
                          "highest recent recommendation";
    } else {
        out.ableReason = "ReadyForNewScale";
        out.ableMessage = "recommended size matches current size";
    }

    // convertDesiredReplicasWithRules: guards against a bogus usage spike.
    const auto upLimit = static_cast<std::int32_t>(std::max(2.0 * currentReplicas, 4.0));
    std::int32_t allowedMax = maxReplicas;
    std::string reason = "TooManyReplicas";
    std::string message = "the desired replica count is more than the maximum replica count";
    if (maxReplicas > upLimit) {
        allowedMax = upLimit;
        reason = "ScaleUpLimit";
        message = "the desired replica count is increasing faster than the maximum scale rate";
    }
    out.replicas = stabilized;
    out.limitedReason = "DesiredWithinRange";
    out.limitedMessage = "the desired count is within the acceptable range";
    if (stabilized < minReplicas) {
        out.replicas = minReplicas;
        out.limitedReason = "TooFewReplicas";
        out.limitedMessage = "the desired replica count is less than the minimum replica count";
    } else if (stabilized > allowedMax) {
        out.replicas = allowedMax;
        out.limitedReason = reason;
        out.limitedMessage = message;
    }
    out.limited = out.replicas != stabilized;
    return out;
}

void recordScaleEvent(History &history, const Behavior &behavior, std::int32_t previousReplicas,
                      std::int32_t newReplicas, const Clock &clock) {
    if (newReplicas > previousReplicas) {
        storeEvent(history.scaleUpEvents, behavior.scaleUp, newReplicas - previousReplicas, clock);
    } else {
        storeEvent(history.scaleDownEvents, behavior.scaleDown, previousReplicas - newReplicas,
                   clock);
    }
}

} // namespace sandbox::hpa
