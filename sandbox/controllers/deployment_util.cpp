#include "controllers/deployment_util.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>

namespace sandbox::deployment {

namespace {

constexpr std::int64_t kMaxInt32 = INT32_MAX;

std::optional<std::int64_t> parseInt(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || value > INT64_MAX / 10) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

Object &annotationsOf(Object &object) {
    return json::ensureObject(object, {"metadata", "annotations"});
}

TimePoint parseTime(const std::string &text) {
    TimePoint t{};
    if (!text.empty()) {
        parseRfc3339(text, t);
    }
    return t;
}

} // namespace

std::int64_t specReplicas(const Object &object) {
    return json::intAt(object, {"spec", "replicas"}).value_or(1);
}

std::int64_t statusInt(const Object &object, std::string_view field) {
    const auto *status = json::objectAt(object, {"status"});
    return status ? json::intAt(*status, {field}).value_or(0) : 0;
}

std::int64_t generation(const Object &object) {
    return json::intAt(object, {"metadata", "generation"}).value_or(0);
}

bool isRollingUpdate(const Object &deployment) {
    const std::string type = json::stringAt(deployment, {"spec", "strategy", "type"});
    return type.empty() || type == "RollingUpdate";
}

bool isPaused(const Object &deployment) {
    return json::boolAt(deployment, {"spec", "paused"}).value_or(false);
}

std::int64_t minReadySeconds(const Object &object) {
    return json::intAt(object, {"spec", "minReadySeconds"}).value_or(0);
}

std::optional<std::int64_t> progressDeadlineSeconds(const Object &deployment) {
    const std::int64_t value =
        json::intAt(deployment, {"spec", "progressDeadlineSeconds"}).value_or(600);
    if (value == kMaxInt32) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> revisionHistoryLimit(const Object &deployment) {
    const std::int64_t value =
        json::intAt(deployment, {"spec", "revisionHistoryLimit"}).value_or(10);
    if (value == kMaxInt32) {
        return std::nullopt;
    }
    return value;
}

TimePoint creationTime(const Object &object) {
    return parseTime(json::stringAt(object, {"metadata", "creationTimestamp"}));
}

bool beingDeleted(const Object &object) {
    return !json::stringAt(object, {"metadata", "deletionTimestamp"}).empty();
}

std::int64_t resolveIntOrPercent(const boost::json::value *value, std::int64_t total, bool roundUp,
                                 std::int64_t fallback) {
    if (value == nullptr || value->is_null()) {
        return fallback;
    }
    if (value->is_int64()) {
        return value->get_int64();
    }
    if (value->is_uint64()) {
        return static_cast<std::int64_t>(value->get_uint64());
    }
    if (value->is_double()) {
        return static_cast<std::int64_t>(value->get_double());
    }
    if (value->is_string()) {
        std::string_view text = value->get_string();
        if (!text.empty() && text.back() == '%') {
            if (auto percent = parseInt(text.substr(0, text.size() - 1))) {
                const double scaled =
                    static_cast<double>(*percent) * static_cast<double>(total) / 100.0;
                return static_cast<std::int64_t>(roundUp ? std::ceil(scaled) : std::floor(scaled));
            }
        } else if (auto number = parseInt(text)) {
            return *number;
        }
    }
    return fallback;
}

namespace {
std::pair<std::int64_t, std::int64_t> fenceposts(const Object &deployment) {
    const std::int64_t replicas = specReplicas(deployment);
    const auto *rolling = json::objectAt(deployment, {"spec", "strategy", "rollingUpdate"});
    const boost::json::value *surgeValue = rolling ? rolling->if_contains("maxSurge") : nullptr;
    const boost::json::value *unavailableValue =
        rolling ? rolling->if_contains("maxUnavailable") : nullptr;
    const boost::json::value defaultPercent = "25%";
    std::int64_t surge =
        resolveIntOrPercent(surgeValue ? surgeValue : &defaultPercent, replicas, true, 0);
    std::int64_t unavailable = resolveIntOrPercent(
        unavailableValue ? unavailableValue : &defaultPercent, replicas, false, 0);
    if (surge == 0 && unavailable == 0) {
        unavailable = 1;
    }
    return {surge, unavailable};
}
} // namespace

std::int64_t maxSurge(const Object &deployment) {
    if (!isRollingUpdate(deployment)) {
        return 0;
    }
    return fenceposts(deployment).first;
}

std::int64_t maxUnavailable(const Object &deployment) {
    const std::int64_t replicas = specReplicas(deployment);
    if (!isRollingUpdate(deployment) || replicas == 0) {
        return 0;
    }
    return std::min(fenceposts(deployment).second, replicas);
}

std::int64_t revisionOf(const Object &object) {
    return parseInt(json::annotation(object, kRevisionAnnotation)).value_or(0);
}

std::int64_t maxRevision(const ObjectList &replicaSets) {
    std::int64_t max = 0;
    for (const auto &rs : replicaSets) {
        max = std::max(max, revisionOf(rs));
    }
    return max;
}

bool skipCopyAnnotation(std::string_view key) {
    return key == kLastAppliedAnnotation || key == kRevisionAnnotation ||
           key == kRevisionHistoryAnnotation || key == kDesiredReplicasAnnotation ||
           key == kMaxReplicasAnnotation || key == kRollbackToAnnotation;
}

bool setNewReplicaSetAnnotations(const Object &deployment, Object &replicaSet,
                                 std::int64_t newRevision, bool exists) {
    bool changed = false;
    Object &annotations = annotationsOf(replicaSet);
    if (const Object *source = json::annotations(deployment)) {
        for (const auto &[key, value] : *source) {
            if (skipCopyAnnotation(key)) {
                continue;
            }
            const auto *current = annotations.if_contains(key);
            if (current != nullptr && *current == value) {
                continue;
            }
            annotations[key] = value;
            changed = true;
        }
    }
    const std::string oldRevision = json::annotation(replicaSet, kRevisionAnnotation);
    const auto oldRevisionInt = parseInt(oldRevision);
    if (!oldRevision.empty() && !oldRevisionInt) {
        return changed; // not a number: leave it, as the real controller does
    }
    const std::int64_t oldValue = oldRevisionInt.value_or(0);
    if (oldValue < newRevision) {
        annotations[kRevisionAnnotation] = std::to_string(newRevision);
        changed = true;
    }
    // A reused RS keeps its earlier revision numbers for `rollout history`.
    if (!oldRevision.empty() && oldValue < newRevision) {
        const std::string history = json::annotation(replicaSet, kRevisionHistoryAnnotation);
        if (history.empty()) {
            annotations[kRevisionHistoryAnnotation] = oldRevision;
        } else {
            std::vector<std::string> parts;
            std::stringstream stream(history);
            for (std::string part; std::getline(stream, part, ',');) {
                parts.push_back(part);
            }
            std::size_t total = history.size() + oldRevision.size() + 1;
            std::size_t start = 0;
            while (total > kMaxRevisionHistoryChars && start < parts.size()) {
                total -= parts[start].size() + 1;
                ++start;
            }
            if (total <= kMaxRevisionHistoryChars) {
                std::string joined;
                for (std::size_t i = start; i < parts.size(); ++i) {
                    joined += parts[i] + ",";
                }
                annotations[kRevisionHistoryAnnotation] = joined + oldRevision;
            }
        }
    }
    if (!exists) {
        const std::int64_t replicas = specReplicas(deployment);
        if (setReplicasAnnotations(replicaSet, replicas, replicas + maxSurge(deployment))) {
            changed = true;
        }
    }
    return changed;
}

bool replicasAnnotationsNeedUpdate(const Object &replicaSet, std::int64_t desired,
                                   std::int64_t max) {
    return json::annotation(replicaSet, kDesiredReplicasAnnotation) != std::to_string(desired) ||
           json::annotation(replicaSet, kMaxReplicasAnnotation) != std::to_string(max);
}

bool setReplicasAnnotations(Object &replicaSet, std::int64_t desired, std::int64_t max) {
    if (!replicasAnnotationsNeedUpdate(replicaSet, desired, max)) {
        return false;
    }
    Object &annotations = annotationsOf(replicaSet);
    annotations[kDesiredReplicasAnnotation] = std::to_string(desired);
    annotations[kMaxReplicasAnnotation] = std::to_string(max);
    return true;
}

std::optional<std::int64_t> desiredReplicasAnnotation(const Object &replicaSet) {
    return parseInt(json::annotation(replicaSet, kDesiredReplicasAnnotation));
}

namespace {
std::optional<std::int64_t> maxReplicasAnnotation(const Object &replicaSet) {
    return parseInt(json::annotation(replicaSet, kMaxReplicasAnnotation));
}
} // namespace

std::int64_t sumSpecReplicas(const ObjectList &replicaSets) {
    std::int64_t sum = 0;
    for (const auto &rs : replicaSets) {
        sum += json::intAt(rs, {"spec", "replicas"}).value_or(0);
    }
    return sum;
}

std::int64_t sumStatus(const ObjectList &replicaSets, std::string_view field) {
    std::int64_t sum = 0;
    for (const auto &rs : replicaSets) {
        sum += statusInt(rs, field);
    }
    return sum;
}

std::int64_t newRSNewReplicas(const Object &deployment, const ObjectList &allReplicaSets,
                              const Object &newRS) {
    const std::int64_t replicas = specReplicas(deployment);
    if (!isRollingUpdate(deployment)) {
        return replicas;
    }
    const std::int64_t newSpec = json::intAt(newRS, {"spec", "replicas"}).value_or(0);
    const std::int64_t current = sumSpecReplicas(allReplicaSets);
    const std::int64_t maxTotal = replicas + maxSurge(deployment);
    if (current >= maxTotal) {
        return newSpec;
    }
    const std::int64_t scaleUp = std::min(maxTotal - current, replicas - newSpec);
    return newSpec + scaleUp;
}

std::int64_t proportion(const Object &replicaSet, const Object &deployment, std::int64_t toAdd,
                        std::int64_t added) {
    const std::int64_t rsReplicas = json::intAt(replicaSet, {"spec", "replicas"}).value_or(0);
    if (rsReplicas == 0 || toAdd == 0 || toAdd == added) {
        return 0;
    }
    std::int64_t fraction;
    const std::int64_t replicas = specReplicas(deployment);
    if (replicas == 0) {
        fraction = -rsReplicas;
    } else {
        const std::int64_t deploymentReplicas = replicas + maxSurge(deployment);
        const std::int64_t annotated =
            maxReplicasAnnotation(replicaSet).value_or(statusInt(deployment, "replicas"));
        if (annotated == 0) {
            fraction = 0;
        } else {
            const double size = static_cast<double>(rsReplicas * deploymentReplicas) /
                                static_cast<double>(annotated);
            fraction = static_cast<std::int64_t>(std::llround(size)) - rsReplicas;
        }
    }
    const std::int64_t allowed = toAdd - added;
    return toAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

bool isSaturated(const Object &deployment, const Object *newRS) {
    if (newRS == nullptr) {
        return false;
    }
    const std::int64_t replicas = specReplicas(deployment);
    const auto desired = desiredReplicasAnnotation(*newRS);
    return desired && *desired == replicas &&
           json::intAt(*newRS, {"spec", "replicas"}).value_or(0) == replicas &&
           statusInt(*newRS, "availableReplicas") == replicas;
}

const Object *condition(const Object &status, std::string_view type) {
    if (const auto *conditions = json::arrayAt(status, {"conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == type) {
                return &c.get_object();
            }
        }
    }
    return nullptr;
}

Object newCondition(std::string_view type, std::string_view status, std::string_view reason,
                    const std::string &message, TimePoint now) {
    const std::string time = formatRfc3339(now);
    return Object{{"type", type},           {"status", status},
                  {"lastUpdateTime", time}, {"lastTransitionTime", time},
                  {"reason", reason},       {"message", message}};
}

void removeCondition(Object &status, std::string_view type) {
    auto *conditions = status.if_contains("conditions");
    if (conditions == nullptr || !conditions->is_array()) {
        return;
    }
    auto &array = conditions->get_array();
    for (auto it = array.begin(); it != array.end();) {
        if (it->is_object() && json::stringAt(it->get_object(), {"type"}) == type) {
            it = array.erase(it);
        } else {
            ++it;
        }
    }
}

void setCondition(Object &status, Object cond) {
    const std::string type = json::stringAt(cond, {"type"});
    if (const Object *current = condition(status, type)) {
        const std::string currentStatus = json::stringAt(*current, {"status"});
        if (currentStatus == json::stringAt(cond, {"status"}) &&
            json::stringAt(*current, {"reason"}) == json::stringAt(cond, {"reason"})) {
            return;
        }
        if (currentStatus == json::stringAt(cond, {"status"})) {
            cond["lastTransitionTime"] = json::stringAt(*current, {"lastTransitionTime"});
        }
    }
    removeCondition(status, type);
    auto &conditions = status["conditions"];
    if (!conditions.is_array()) {
        conditions = boost::json::array();
    }
    conditions.get_array().push_back(std::move(cond));
}

Object calculateStatus(const ObjectList &allReplicaSets, const Object *newRS,
                       const Object &deployment, TimePoint now) {
    const std::int64_t available = sumStatus(allReplicaSets, "availableReplicas");
    const std::int64_t total = sumSpecReplicas(allReplicaSets);
    Object status;
    status["observedGeneration"] = generation(deployment);
    status["replicas"] = sumStatus(allReplicaSets, "replicas");
    status["updatedReplicas"] = newRS ? statusInt(*newRS, "replicas") : 0;
    status["readyReplicas"] = sumStatus(allReplicaSets, "readyReplicas");
    status["availableReplicas"] = available;
    status["unavailableReplicas"] = std::max<std::int64_t>(0, total - available);
    if (const auto *old = json::objectAt(deployment, {"status"})) {
        if (const auto *collisions = old->if_contains("collisionCount")) {
            status["collisionCount"] = *collisions;
        }
        if (const auto *conditions = old->if_contains("conditions")) {
            status["conditions"] = *conditions;
        }
    }
    if (available >= specReplicas(deployment) - maxUnavailable(deployment)) {
        setCondition(status, newCondition(kAvailable, "True", kMinimumReplicasAvailable,
                                          "Deployment has minimum availability.", now));
    } else {
        setCondition(status, newCondition(kAvailable, "False", kMinimumReplicasUnavailable,
                                          "Deployment does not have minimum availability.", now));
    }
    return status;
}

bool deploymentComplete(const Object &deployment, const Object &newStatus) {
    const std::int64_t replicas = specReplicas(deployment);
    return json::intAt(newStatus, {"updatedReplicas"}).value_or(0) == replicas &&
           json::intAt(newStatus, {"replicas"}).value_or(0) == replicas &&
           json::intAt(newStatus, {"availableReplicas"}).value_or(0) == replicas &&
           json::intAt(newStatus, {"observedGeneration"}).value_or(0) >= generation(deployment);
}

bool deploymentProgressing(const Object &deployment, const Object &newStatus) {
    auto newValue = [&](std::string_view f) { return json::intAt(newStatus, {f}).value_or(0); };
    auto oldValue = [&](std::string_view f) { return statusInt(deployment, f); };
    const std::int64_t oldOld = oldValue("replicas") - oldValue("updatedReplicas");
    const std::int64_t newOld = newValue("replicas") - newValue("updatedReplicas");
    return newValue("updatedReplicas") > oldValue("updatedReplicas") || newOld < oldOld ||
           newValue("readyReplicas") > oldValue("readyReplicas") ||
           newValue("availableReplicas") > oldValue("availableReplicas");
}

namespace {
std::optional<TimePoint> deadlineOf(const Object &deployment, const Object &cond,
                                    const Clock &clock) {
    const auto seconds = progressDeadlineSeconds(deployment);
    if (!seconds) {
        return std::nullopt;
    }
    const TimePoint from = parseTime(json::stringAt(cond, {"lastUpdateTime"}));
    return from + std::chrono::duration_cast<TimePoint::duration>(
                      clock.scaled(std::chrono::seconds(*seconds)));
}
} // namespace

bool deploymentTimedOut(const Object &deployment, const Object &newStatus, const Clock &clock) {
    if (!progressDeadlineSeconds(deployment)) {
        return false;
    }
    const Object *cond = condition(newStatus, kProgressing);
    if (cond == nullptr) {
        return false;
    }
    const std::string reason = json::stringAt(*cond, {"reason"});
    if (reason == kNewReplicaSetAvailable) {
        return false;
    }
    if (reason == kProgressDeadlineExceeded) {
        return true;
    }
    const auto deadline = deadlineOf(deployment, *cond, clock);
    return deadline && *deadline < clock.now();
}

std::optional<Duration> requeueForDeadline(const Object &deployment, const Object &newStatus,
                                           const Clock &clock) {
    const Object *cond = condition(newStatus, kProgressing);
    if (!progressDeadlineSeconds(deployment) || cond == nullptr) {
        return std::nullopt;
    }
    if (deploymentComplete(deployment, newStatus) ||
        json::stringAt(*cond, {"reason"}) == kProgressDeadlineExceeded) {
        return std::nullopt;
    }
    const auto deadline = deadlineOf(deployment, *cond, clock);
    if (!deadline) {
        return std::nullopt;
    }
    const auto left = *deadline - clock.now();
    const Duration slack = clock.scaled(std::chrono::seconds(1));
    if (left < std::chrono::seconds(1)) {
        return slack;
    }
    return std::chrono::duration_cast<Duration>(left) + slack;
}

void updateProgressingCondition(const Object &deployment, const Object *newRS, Object &newStatus,
                                const Clock &clock) {
    const auto deadline = progressDeadlineSeconds(deployment);
    if (!deadline) {
        removeCondition(newStatus, kProgressing);
        return;
    }
    static const Object kEmpty;
    const auto *oldStatus = json::objectAt(deployment, {"status"});
    const Object *current = condition(oldStatus ? *oldStatus : kEmpty, kProgressing);
    const bool complete = json::intAt(newStatus, {"replicas"}).value_or(0) ==
                              json::intAt(newStatus, {"updatedReplicas"}).value_or(0) &&
                          current != nullptr &&
                          json::stringAt(*current, {"reason"}) == kNewReplicaSetAvailable;
    if (complete) {
        return;
    }
    const TimePoint now = clock.now();
    const std::string subject = newRS ? "ReplicaSet \"" + json::name(*newRS) + "\""
                                      : "Deployment \"" + json::name(deployment) + "\"";
    if (deploymentComplete(deployment, newStatus)) {
        setCondition(newStatus, newCondition(kProgressing, "True", kNewReplicaSetAvailable,
                                             subject + " has successfully progressed.", now));
    } else if (deploymentProgressing(deployment, newStatus)) {
        Object cond = newCondition(kProgressing, "True", kReplicaSetUpdated,
                                   subject + " is progressing.", now);
        if (current != nullptr && json::stringAt(*current, {"status"}) == "True") {
            cond["lastTransitionTime"] = json::stringAt(*current, {"lastTransitionTime"});
        }
        removeCondition(newStatus, kProgressing);
        setCondition(newStatus, std::move(cond));
    } else if (deploymentTimedOut(deployment, newStatus, clock)) {
        setCondition(newStatus, newCondition(kProgressing, "False", kProgressDeadlineExceeded,
                                             subject + " has timed out progressing.", now));
    }
}

bool podReady(const Object &pod) {
    if (const auto *conditions = json::arrayAt(pod, {"status", "conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == "Ready") {
                return json::stringAt(c.get_object(), {"status"}) == "True";
            }
        }
    }
    return false;
}

bool podAvailable(const Object &pod, std::int64_t minReady, const Clock &clock) {
    if (!podReady(pod)) {
        return false;
    }
    if (minReady <= 0) {
        return true;
    }
    const auto *conditions = json::arrayAt(pod, {"status", "conditions"});
    for (const auto &c : *conditions) {
        if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == "Ready") {
            const std::string since = json::stringAt(c.get_object(), {"lastTransitionTime"});
            if (since.empty()) {
                return false;
            }
            const TimePoint readyAt = parseTime(since);
            return readyAt + std::chrono::duration_cast<TimePoint::duration>(
                                 clock.scaled(std::chrono::seconds(minReady))) <=
                   clock.now();
        }
    }
    return false;
}

} // namespace sandbox::deployment
