#pragma once
// The deployment controller's arithmetic and bookkeeping as pure functions over JSON
// objects (k8s-api-notes §5, pkg/controller/deployment/util): revisions and annotations,
// maxSurge/maxUnavailable, how far the new ReplicaSet may grow, status and conditions,
// progress and its deadline. Pure so that tables of cases can test them without a store.

#include "util/clock.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::deployment {

inline constexpr std::string_view kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr std::string_view kRevisionHistoryAnnotation =
    "deployment.kubernetes.io/revision-history";
inline constexpr std::string_view kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr std::string_view kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
inline constexpr std::string_view kRollbackToAnnotation = "deprecated.deployment.rollback.to";
inline constexpr std::string_view kLastAppliedAnnotation =
    "kubectl.kubernetes.io/last-applied-configuration";
// Longest revision-history annotation kept (the controller's default flag).
inline constexpr std::size_t kMaxRevisionHistoryChars = 2000;

// Condition reasons and messages, as pkg/controller/deployment/util spells them.
inline constexpr std::string_view kAvailable = "Available";
inline constexpr std::string_view kProgressing = "Progressing";
inline constexpr std::string_view kReplicaFailure = "ReplicaFailure";
inline constexpr std::string_view kMinimumReplicasAvailable = "MinimumReplicasAvailable";
inline constexpr std::string_view kMinimumReplicasUnavailable = "MinimumReplicasUnavailable";
inline constexpr std::string_view kNewReplicaSetCreated = "NewReplicaSetCreated";
inline constexpr std::string_view kFoundNewReplicaSet = "FoundNewReplicaSet";
inline constexpr std::string_view kReplicaSetUpdated = "ReplicaSetUpdated";
inline constexpr std::string_view kNewReplicaSetAvailable = "NewReplicaSetAvailable";
inline constexpr std::string_view kProgressDeadlineExceeded = "ProgressDeadlineExceeded";
inline constexpr std::string_view kDeploymentPaused = "DeploymentPaused";
inline constexpr std::string_view kDeploymentResumed = "DeploymentResumed";
inline constexpr std::string_view kReplicaSetCreateError = "ReplicaSetCreateError";

using Object = boost::json::object;
using ObjectList = std::vector<Object>;

// --- accessors with API defaults -------------------------------------------------------
std::int64_t specReplicas(const Object &object); // spec.replicas, default 1
std::int64_t statusInt(const Object &object, std::string_view field);
std::int64_t generation(const Object &object);
bool isRollingUpdate(const Object &deployment);
bool isPaused(const Object &deployment);
std::int64_t minReadySeconds(const Object &object);
std::optional<std::int64_t> progressDeadlineSeconds(const Object &deployment); // default 600
std::optional<std::int64_t> revisionHistoryLimit(const Object &deployment);    // default 10
TimePoint creationTime(const Object &object);
bool beingDeleted(const Object &object);

// "25%" of total rounded up or down, or the integer itself.
std::int64_t resolveIntOrPercent(const boost::json::value *value, std::int64_t total, bool roundUp,
                                 std::int64_t fallback);
// maxSurge (rounded up) and maxUnavailable (rounded down); both 0 -> maxUnavailable 1.
// Recreate, or 0 replicas: both 0.
std::int64_t maxSurge(const Object &deployment);
std::int64_t maxUnavailable(const Object &deployment);

// --- revisions -------------------------------------------------------------------------
std::int64_t revisionOf(const Object &object); // annotation, 0 when absent/invalid
std::int64_t maxRevision(const ObjectList &replicaSets);
// Copies the deployment's annotations (minus the skip set) onto the RS, sets the revision,
// appends the replaced revision to revision-history when the RS is being reused, and for a
// new RS sets desired/max replicas. True when anything changed.
bool setNewReplicaSetAnnotations(const Object &deployment, Object &replicaSet,
                                 std::int64_t newRevision, bool exists);
bool replicasAnnotationsNeedUpdate(const Object &replicaSet, std::int64_t desired,
                                   std::int64_t max);
bool setReplicasAnnotations(Object &replicaSet, std::int64_t desired, std::int64_t max);
std::optional<std::int64_t> desiredReplicasAnnotation(const Object &replicaSet);
bool skipCopyAnnotation(std::string_view key);

// --- sizing ----------------------------------------------------------------------------
std::int64_t sumSpecReplicas(const ObjectList &replicaSets);
std::int64_t sumStatus(const ObjectList &replicaSets, std::string_view field);
// How many replicas the new RS should have next (rolling: bounded by maxSurge; recreate:
// all). allReplicaSets includes newRS.
std::int64_t newRSNewReplicas(const Object &deployment, const ObjectList &allReplicaSets,
                              const Object &newRS);
// Proportional scaling share of one RS when spec.replicas changes mid-rollout.
std::int64_t proportion(const Object &replicaSet, const Object &deployment, std::int64_t toAdd,
                        std::int64_t added);
bool isSaturated(const Object &deployment, const Object *newRS);

// --- status and conditions -------------------------------------------------------------
const Object *condition(const Object &status, std::string_view type);
Object newCondition(std::string_view type, std::string_view status, std::string_view reason,
                    const std::string &message, TimePoint now);
// SetDeploymentCondition: same status and reason -> no change; same status -> keeps
// lastTransitionTime; the condition moves to the end.
void setCondition(Object &status, Object condition);
void removeCondition(Object &status, std::string_view type);

// Replica counts, observedGeneration and the Available condition (not Progressing).
Object calculateStatus(const ObjectList &allReplicaSets, const Object *newRS,
                       const Object &deployment, TimePoint now);
bool deploymentComplete(const Object &deployment, const Object &newStatus);
bool deploymentProgressing(const Object &deployment, const Object &newStatus);
// Progress deadline passed (time-scaled: deadline seconds / clock scale).
bool deploymentTimedOut(const Object &deployment, const Object &newStatus, const Clock &clock);
// When a deployment stuck in progress must be looked at again (nullopt: not needed).
std::optional<Duration> requeueForDeadline(const Object &deployment, const Object &newStatus,
                                           const Clock &clock);
// Applies the Progressing rules of syncRolloutStatus to newStatus.
void updateProgressingCondition(const Object &deployment, const Object *newRS, Object &newStatus,
                                const Clock &clock);

// --- pods ------------------------------------------------------------------------------
bool podReady(const Object &pod);
// Ready for at least minReadySeconds (time-scaled).
bool podAvailable(const Object &pod, std::int64_t minReadySeconds, const Clock &clock);

} // namespace sandbox::deployment
