#include "controllers/deployment_controller.h"

#include "api/http_log.h"
#include "controllers/deployment_internal.h"
#include "controllers/pod_template_hash.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sandbox {

using namespace deployment;
using namespace deployment_detail;

SyncResult deployment_detail::fromError(const ApiError &error) {
    logLine(LogLevel::Debug, "deployment sync interrupted",
            {{"code", error.code}, {"reason", error.reason}, {"error", error.message}});
    if (isConflict(error) || isNotFound(error) || isAlreadyExists(error)) {
        return SyncResult::retry(); // a concurrent write: read again and redo
    }
    return SyncResult::error(error.message);
}

namespace {

std::string canonicalStatus(const Object *status) {
    if (status == nullptr) {
        return "{}";
    }
    Object copy = *status;
    dropZeroCounters(copy);
    return json::canonical(copy);
}

} // namespace

DeploymentController::DeploymentController(ResourceService &service, int workers)
    : Controller("deployment-controller", service, workers)
    , m_events(service, "deployment-controller")
    , m_deploymentType(type("apps", "deployments"))
    , m_rsType(type("apps", "replicasets"))
    , m_podType(type("", "pods")) {
    watchOwnKey(m_deploymentType);
    watch(m_rsType, [this](const WatchEvent &event) {
        const auto *ref = controllerRef(event.object);
        if (ref == nullptr || json::stringAt(*ref, {"kind"}) != "Deployment") {
            return;
        }
        const std::string key =
            objectKey(json::namespaceOf(event.object), json::stringAt(*ref, {"name"}));
        {
            std::lock_guard lock(m_indexMutex);
            if (event.type == WatchEventType::Deleted) {
                m_rsOwner.erase(uidOf(event.object));
            } else {
                m_rsOwner[uidOf(event.object)] = key;
            }
        }
        enqueue(key);
    });
    watch(m_podType, [this](const WatchEvent &event) {
        // Only pod deletions matter here: Recreate waits until old pods are gone.
        if (event.type != WatchEventType::Deleted) {
            return;
        }
        const auto *ref = controllerRef(event.object);
        if (ref == nullptr) {
            return;
        }
        std::string key;
        {
            std::lock_guard lock(m_indexMutex);
            auto it = m_rsOwner.find(json::stringAt(*ref, {"uid"}));
            if (it == m_rsOwner.end()) {
                return;
            }
            key = it->second;
        }
        enqueue(key);
    });
}

DeploymentController::~DeploymentController() {
    stop();
}

SyncResult DeploymentController::sync(const std::string &key) {
    const auto [ns, name] = splitKey(key);
    auto found = service().get(m_deploymentType, ns, name);
    if (!found) {
        return isNotFound(found.error()) ? SyncResult::done() : fromError(found.error());
    }
    State state;
    state.d = std::move(*found);
    state.ns = ns;

    const auto *selector = json::objectAt(state.d, {"spec", "selector"});
    if (selector == nullptr || selector->empty()) {
        m_events.event(state.d, EventRecorder::Warning, "SelectingAll",
                       "This deployment is selecting all pods. A non-empty selector is required.");
        Object status = state.statusCopy();
        status["observedGeneration"] = generation(state.d);
        auto written = writeStatus(state, std::move(status));
        return written ? SyncResult::done() : fromError(written.error());
    }
    if (auto claimed = claimReplicaSets(state); !claimed) {
        return fromError(claimed.error());
    }
    if (beingDeleted(state.d)) {
        if (auto synced = syncRevision(state, false); !synced) {
            return fromError(synced.error());
        }
        return syncDeploymentStatus(state);
    }
    if (auto paused = checkPausedConditions(state); !paused) {
        return fromError(paused.error());
    }
    if (isPaused(state.d)) {
        return syncScaling(state);
    }
    if (isScalingEvent(state)) {
        return syncScaling(state);
    }
    return isRollingUpdate(state.d) ? rolloutRolling(state) : rolloutRecreate(state);
}

ApiResult<bool> DeploymentController::claimReplicaSets(State &state) {
    auto listed = service().list(m_rsType, state.ns, ListOptions{});
    if (!listed) {
        return listed.error();
    }
    auto selector = LabelSelector::fromObject(*json::objectAt(state.d, {"spec", "selector"}));
    if (!selector) {
        return selector.error();
    }
    static const Object kNoLabels;
    const std::string uid = uidOf(state.d);
    for (auto &rs : listed->items) {
        const auto *labels = json::labels(rs);
        const bool matches = selector->matches(labels ? *labels : kNoLabels);
        const auto *ref = controllerRef(rs);
        if (ref != nullptr && json::stringAt(*ref, {"uid"}) == uid) {
            if (matches) {
                state.rss.push_back(std::move(rs));
            } else {
                Object released = rs;
                removeOwnerReference(released, uid);
                auto written = service().update(m_rsType, state.ns, json::name(rs),
                                                std::move(released), managerOptions(kFieldManager));
                if (!written && !isNotFound(written.error())) {
                    return written.error();
                }
            }
        } else if (ref == nullptr && matches && !beingDeleted(state.d) && !beingDeleted(rs)) {
            Object adopted = rs;
            addOwnerReference(adopted, makeControllerRef(state.d));
            auto written = service().update(m_rsType, state.ns, json::name(rs), std::move(adopted),
                                            managerOptions(kFieldManager));
            if (!written) {
                return written.error();
            }
            state.rss.push_back(std::move(*written));
        }
    }
    std::sort(state.rss.begin(), state.rss.end(), olderThan);
    return true;
}

// getAllReplicaSetsAndSyncRevision + getNewReplicaSet: finds the RS whose template equals
// the deployment's (the oldest such), brings its revision to max(old) + 1 (a rollback
// reuses it and records the old number in revision-history), and creates it when asked.
ApiResult<bool> DeploymentController::syncRevision(State &state, bool createIfMissing) {
    const auto *podTemplate = json::objectAt(state.d, {"spec", "template"});
    static const Object kEmpty;
    state.newIndex.reset();
    for (std::size_t i = 0; i < state.rss.size(); ++i) {
        const auto *rsTemplate = json::objectAt(state.rss[i], {"spec", "template"});
        if (templatesEqualIgnoringHash(rsTemplate ? *rsTemplate : kEmpty,
                                       podTemplate ? *podTemplate : kEmpty)) {
            state.newIndex = i;
            break;
        }
    }
    const std::int64_t newRevision = maxRevision(state.old()) + 1;
    if (!state.newIndex) {
        if (!createIfMissing) {
            return false;
        }
        return createNewReplicaSet(state, newRevision);
    }

    Object &existing = state.rss[*state.newIndex];
    Object copy = existing;
    const bool annotationsUpdated = setNewReplicaSetAnnotations(state.d, copy, newRevision, true);
    const std::int64_t wantMinReady = minReadySeconds(state.d);
    const bool minReadyNeedsUpdate = minReadySeconds(copy) != wantMinReady;
    if (annotationsUpdated || minReadyNeedsUpdate) {
        json::ensureObject(copy, {"spec"})["minReadySeconds"] = wantMinReady;
        const std::string rsName = json::name(copy);
        auto written = service().update(m_rsType, state.ns, rsName, std::move(copy),
                                        managerOptions(kFieldManager));
        if (!written) {
            return written.error();
        }
        existing = std::move(*written);
    }
    bool needsUpdate = false;
    const std::string revision = json::annotation(existing, kRevisionAnnotation);
    if (json::annotation(state.d, kRevisionAnnotation) != revision) {
        json::ensureObject(state.d, {"metadata", "annotations"})[kRevisionAnnotation] = revision;
        needsUpdate = true;
    }
    Object status = state.statusCopy();
    if (progressDeadlineSeconds(state.d) && condition(status, kProgressing) == nullptr) {
        setCondition(status, newCondition(kProgressing, "True", kFoundNewReplicaSet,
                                          "Found new replica set \"" + json::name(existing) + "\"",
                                          clock().now()));
        needsUpdate = true;
    }
    if (needsUpdate) {
        if (auto written = writeStatus(state, std::move(status)); !written) {
            return written.error();
        }
    }
    return true;
}

ApiResult<bool> DeploymentController::createNewReplicaSet(State &state, std::int64_t newRevision) {
    const Object &d = state.d;
    Object podTemplate = *json::objectAt(d, {"spec", "template"});
    const auto collisions = json::intAt(d, {"status", "collisionCount"});
    const std::string hash = computePodTemplateHash(podTemplate, collisions);
    json::ensureObject(podTemplate, {"metadata", "labels"})[kPodTemplateHashLabel] = hash;
    Object selector = *json::objectAt(d, {"spec", "selector"});
    json::ensureObject(selector, {"matchLabels"})[kPodTemplateHashLabel] = hash;
    const std::string rsName = json::name(d) + "-" + hash;

    Object rs{{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}};
    Object metadata{{"name", rsName}, {"namespace", state.ns}};
    metadata["labels"] = *json::objectAt(podTemplate, {"metadata", "labels"});
    metadata["ownerReferences"] = boost::json::array{makeControllerRef(d)};
    rs["metadata"] = std::move(metadata);
    Object spec{{"replicas", 0}, {"selector", std::move(selector)}};
    if (minReadySeconds(d) > 0) {
        spec["minReadySeconds"] = minReadySeconds(d);
    }
    spec["template"] = std::move(podTemplate);
    rs["spec"] = std::move(spec);

    ObjectList all = state.old();
    all.push_back(rs);
    const std::int64_t newReplicas = newRSNewReplicas(d, all, rs);
    rs["spec"].get_object()["replicas"] = newReplicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    bool alreadyExists = false;
    Object created;
    auto result = service().create(m_rsType, state.ns, rs, managerOptions(kFieldManager));
    if (result) {
        created = std::move(*result);
    } else if (isAlreadyExists(result.error())) {
        auto existing = service().get(m_rsType, state.ns, rsName);
        if (!existing) {
            return existing.error();
        }
        const auto *ref = controllerRef(*existing);
        const auto *existingTemplate = json::objectAt(*existing, {"spec", "template"});
        if (ref != nullptr && json::stringAt(*ref, {"uid"}) == uidOf(d) && existingTemplate &&
            templatesEqualIgnoringHash(*existingTemplate,
                                       *json::objectAt(d, {"spec", "template"}))) {
            created = std::move(*existing);
            alreadyExists = true;
        } else {
            // A hash collision with someone else's ReplicaSet: bump collisionCount so the
            // next hash differs, and try again.
            Object status = state.statusCopy();
            status["collisionCount"] = collisions.value_or(0) + 1;
            if (auto written = writeStatus(state, std::move(status)); !written) {
                return written.error();
            }
            return ApiError{409, "Conflict", "hash collision for " + rsName, {}, {}, {}, {}};
        }
    } else {
        if (progressDeadlineSeconds(d)) {
            Object status = state.statusCopy();
            setCondition(status, newCondition(kProgressing, "False", kReplicaSetCreateError,
                                              "Failed to create new replica set \"" + rsName +
                                                  "\": " + result.error().message,
                                              clock().now()));
            (void)writeStatus(state, std::move(status));
        }
        return result.error();
    }
    if (!alreadyExists && newReplicas > 0) {
        m_events.event(d, EventRecorder::Normal, "ScalingReplicaSet",
                       "Scaled up replica set " + rsName + " to " + std::to_string(newReplicas) +
                           " from 0");
    }
    state.rss.push_back(std::move(created));
    state.newIndex = state.rss.size() - 1;

    bool needsUpdate = false;
    const std::string revision = std::to_string(newRevision);
    if (json::annotation(state.d, kRevisionAnnotation) != revision) {
        json::ensureObject(state.d, {"metadata", "annotations"})[kRevisionAnnotation] = revision;
        needsUpdate = true;
    }
    Object status = state.statusCopy();
    if (!alreadyExists && progressDeadlineSeconds(state.d)) {
        setCondition(status,
                     newCondition(kProgressing, "True", kNewReplicaSetCreated,
                                  "Created new replica set \"" + rsName + "\"", clock().now()));
        needsUpdate = true;
    }
    if (needsUpdate) {
        if (auto written = writeStatus(state, std::move(status)); !written) {
            return written.error();
        }
    }
    return true;
}

// Writes status (and the revision annotation, which the real status strategy lets through).
ApiResult<bool> DeploymentController::writeStatus(State &state, Object status) {
    const std::string revision = json::annotation(state.d, kRevisionAnnotation);
    Object copy = state.d;
    copy["status"] = std::move(status);
    auto written =
        service().update(m_deploymentType, state.ns, json::name(state.d), std::move(copy),
                         managerOptions(kFieldManager), Subresource::Status);
    if (!written) {
        return written.error();
    }
    if (json::annotation(*written, kRevisionAnnotation) != revision) {
        // A service whose status writes drop metadata: set the annotation on the main
        // resource instead (it costs a generation bump; the status above is kept).
        Object withAnnotation = *written;
        json::ensureObject(withAnnotation, {"metadata", "annotations"})[kRevisionAnnotation] =
            revision;
        auto main = service().update(m_deploymentType, state.ns, json::name(state.d),
                                     std::move(withAnnotation), managerOptions(kFieldManager));
        if (!main) {
            return main.error();
        }
        written = std::move(main);
    }
    state.d = std::move(*written);
    return true;
}

ApiResult<bool> DeploymentController::scaleReplicaSet(State &state, std::size_t index,
                                                      std::int64_t newScale, bool recordEvent) {
    Object &rs = state.rss[index];
    const std::int64_t oldScale = rsReplicas(rs);
    const std::int64_t replicas = specReplicas(state.d);
    const bool sizeNeedsUpdate = oldScale != newScale;
    const bool annotationsNeedUpdate =
        replicasAnnotationsNeedUpdate(rs, replicas, replicas + maxSurge(state.d));
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) {
        return false;
    }
    Object copy = rs;
    json::ensureObject(copy, {"spec"})["replicas"] = newScale;
    setReplicasAnnotations(copy, replicas, replicas + maxSurge(state.d));
    auto written = service().update(m_rsType, state.ns, json::name(rs), std::move(copy),
                                    managerOptions(kFieldManager));
    if (!written) {
        return written.error();
    }
    rs = std::move(*written);
    if (sizeNeedsUpdate) {
        (void)recordEvent;
        m_events.event(state.d, EventRecorder::Normal, "ScalingReplicaSet",
                       std::string("Scaled ") + (newScale > oldScale ? "up" : "down") +
                           " replica set " + json::name(rs) + " to " + std::to_string(newScale) +
                           " from " + std::to_string(oldScale));
    }
    return sizeNeedsUpdate;
}

bool DeploymentController::isScalingEvent(State &state) {
    if (auto synced = syncRevision(state, false); !synced) {
        return false;
    }
    const std::int64_t replicas = specReplicas(state.d);
    for (const auto &rs : state.rss) {
        if (rsReplicas(rs) <= 0) {
            continue;
        }
        const auto desired = desiredReplicasAnnotation(rs);
        if (desired && *desired != replicas) {
            return true;
        }
    }
    return false;
}

ApiResult<bool> DeploymentController::checkPausedConditions(State &state) {
    if (!progressDeadlineSeconds(state.d)) {
        return false;
    }
    Object status = state.statusCopy();
    const Object *cond = condition(status, kProgressing);
    const bool pausedCondExists =
        cond != nullptr && json::stringAt(*cond, {"reason"}) == kDeploymentPaused;
    const TimePoint now = clock().now();
    if (isPaused(state.d) && !pausedCondExists) {
        setCondition(status, newCondition(kProgressing, "Unknown", kDeploymentPaused,
                                          "Deployment is paused", now));
    } else if (!isPaused(state.d) && pausedCondExists) {
        setCondition(status, newCondition(kProgressing, "Unknown", kDeploymentResumed,
                                          "Deployment is resumed", now));
    } else {
        return false;
    }
    return writeStatus(state, std::move(status));
}

// scale(): a change of spec.replicas spread over the active ReplicaSets.
SyncResult DeploymentController::syncDeploymentStatus(State &state) {
    Object status = calculateStatus(state.rss, state.newRS(), state.d, clock().now());
    dropZeroCounters(status);
    if (canonicalStatus(json::objectAt(state.d, {"status"})) == canonicalStatus(&status)) {
        return SyncResult::doneRequeueAfter(state.requeue);
    }
    auto written = writeStatus(state, std::move(status));
    return written ? SyncResult::doneRequeueAfter(state.requeue) : fromError(written.error());
}

SyncResult DeploymentController::syncRolloutStatus(State &state) {
    Object status = calculateStatus(state.rss, state.newRS(), state.d, clock().now());
    updateProgressingCondition(state.d, state.newRS(), status, clock());
    removeCondition(status, kReplicaFailure);
    dropZeroCounters(status);
    if (canonicalStatus(json::objectAt(state.d, {"status"})) != canonicalStatus(&status)) {
        if (auto written = writeStatus(state, std::move(status)); !written) {
            return fromError(written.error());
        }
    }
    Duration after = state.requeue;
    if (const auto *current = json::objectAt(state.d, {"status"})) {
        if (auto deadline = requeueForDeadline(state.d, *current, clock())) {
            after = SyncResult::earliest(after, *deadline);
        }
    }
    return SyncResult::doneRequeueAfter(after);
}

} // namespace sandbox
