// The rollout half of the deployment controller (pkg/controller/deployment rolling.go,
// recreate.go, sync.go scale()): spreading a replica change, moving pods from old to new
// ReplicaSets within maxSurge/maxUnavailable, Recreate, and revision history cleanup.
#include "controllers/deployment_internal.h"

#include <algorithm>

namespace sandbox {

using namespace deployment;
using namespace deployment_detail;

ApiResult<bool> DeploymentController::scale(State &state) {
    const std::int64_t replicas = specReplicas(state.d);
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < state.rss.size(); ++i) {
        if (rsReplicas(state.rss[i]) > 0) {
            active.push_back(i);
        }
    }
    // FindActiveOrLatest: one active RS (or none: the new one, else the newest old one).
    std::optional<std::size_t> activeOrLatest;
    if (active.size() == 1) {
        activeOrLatest = active.front();
    } else if (active.empty()) {
        if (state.newIndex) {
            activeOrLatest = state.newIndex;
        } else if (!state.rss.empty()) {
            activeOrLatest = state.rss.size() - 1; // rss is sorted oldest first
        }
    }
    if (activeOrLatest) {
        if (rsReplicas(state.rss[*activeOrLatest]) == replicas) {
            return false;
        }
        return scaleReplicaSet(state, *activeOrLatest, replicas, true);
    }
    if (isSaturated(state.d, state.newRS())) {
        bool scaled = false;
        for (std::size_t i : state.oldIndexes()) {
            if (rsReplicas(state.rss[i]) > 0) {
                auto r = scaleReplicaSet(state, i, 0, true);
                if (!r) {
                    return r.error();
                }
                scaled = scaled || *r;
            }
        }
        return scaled;
    }
    if (!isRollingUpdate(state.d)) {
        return false;
    }
    std::int64_t allReplicas = 0;
    for (std::size_t i : active) {
        allReplicas += rsReplicas(state.rss[i]);
    }
    const std::int64_t allowed = replicas > 0 ? replicas + maxSurge(state.d) : 0;
    const std::int64_t toAdd = allowed - allReplicas;
    // Larger first; ties: newer first when adding, older first when removing.
    std::sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
        const std::int64_t ra = rsReplicas(state.rss[a]);
        const std::int64_t rb = rsReplicas(state.rss[b]);
        if (ra != rb) {
            return ra > rb;
        }
        return toAdd > 0 ? olderThan(state.rss[b], state.rss[a])
                         : olderThan(state.rss[a], state.rss[b]);
    });
    std::vector<std::int64_t> sizes;
    std::int64_t added = 0;
    for (std::size_t i : active) {
        std::int64_t share = 0;
        if (toAdd != 0) {
            share = proportion(state.rss[i], state.d, toAdd, added);
            added += share;
        }
        sizes.push_back(rsReplicas(state.rss[i]) + share);
    }
    if (toAdd != 0 && !sizes.empty()) {
        sizes[0] = std::max<std::int64_t>(0, sizes[0] + toAdd - added);
    }
    bool scaled = false;
    for (std::size_t k = 0; k < active.size(); ++k) {
        auto r = scaleReplicaSet(state, active[k], sizes[k], true);
        if (!r) {
            return r.error();
        }
        scaled = scaled || *r;
    }
    return scaled;
}

ApiResult<bool> DeploymentController::reconcileNewReplicaSet(State &state) {
    const std::size_t index = *state.newIndex;
    const std::int64_t replicas = specReplicas(state.d);
    const std::int64_t current = rsReplicas(state.rss[index]);
    if (current == replicas) {
        return false;
    }
    if (current > replicas) {
        return scaleReplicaSet(state, index, replicas, true);
    }
    const std::int64_t next = newRSNewReplicas(state.d, state.rss, state.rss[index]);
    return scaleReplicaSet(state, index, next, true);
}

ApiResult<bool> DeploymentController::reconcileOldReplicaSets(State &state) {
    std::vector<std::size_t> old;
    std::int64_t oldPods = 0;
    for (std::size_t i : state.oldIndexes()) {
        if (rsReplicas(state.rss[i]) > 0) {
            old.push_back(i);
            oldPods += rsReplicas(state.rss[i]);
        }
    }
    if (oldPods == 0) {
        return false;
    }
    const std::int64_t allPods = sumSpecReplicas(state.rss);
    const std::int64_t minAvailable = specReplicas(state.d) - maxUnavailable(state.d);
    const Object &newRS = state.rss[*state.newIndex];
    const std::int64_t newUnavailable = rsReplicas(newRS) - statusInt(newRS, "availableReplicas");
    const std::int64_t maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
        return false;
    }
    // First remove old pods that are not available anyway: that costs no availability.
    std::int64_t cleaned = 0;
    for (std::size_t i : old) {
        if (cleaned >= maxScaledDown) {
            break;
        }
        const std::int64_t spec = rsReplicas(state.rss[i]);
        const std::int64_t available = statusInt(state.rss[i], "availableReplicas");
        if (spec == 0 || spec == available) {
            continue;
        }
        const std::int64_t count = std::min(maxScaledDown - cleaned, spec - available);
        auto r = scaleReplicaSet(state, i, spec - count, true);
        if (!r) {
            return r.error();
        }
        cleaned += count;
    }
    // Then scale down oldest first while availability stays above minAvailable.
    const std::int64_t availablePods = sumStatus(state.rss, "availableReplicas");
    std::int64_t scaledDown = 0;
    if (availablePods > minAvailable) {
        const std::int64_t total = availablePods - minAvailable;
        for (std::size_t i : old) {
            if (scaledDown >= total) {
                break;
            }
            const std::int64_t spec = rsReplicas(state.rss[i]);
            if (spec == 0) {
                continue;
            }
            const std::int64_t count = std::min(spec, total - scaledDown);
            auto r = scaleReplicaSet(state, i, spec - count, true);
            if (!r) {
                return r.error();
            }
            scaledDown += count;
        }
    }
    return cleaned + scaledDown > 0;
}

ApiResult<bool> DeploymentController::cleanupDeployment(State &state) {
    const auto limit = revisionHistoryLimit(state.d);
    if (!limit) {
        return false;
    }
    std::vector<std::size_t> cleanable;
    for (std::size_t i : state.oldIndexes()) {
        if (!beingDeleted(state.rss[i])) {
            cleanable.push_back(i);
        }
    }
    const std::int64_t diff = static_cast<std::int64_t>(cleanable.size()) - *limit;
    if (diff <= 0) {
        return false;
    }
    std::sort(cleanable.begin(), cleanable.end(), [&](std::size_t a, std::size_t b) {
        const std::int64_t ra = revisionOf(state.rss[a]);
        const std::int64_t rb = revisionOf(state.rss[b]);
        return ra != rb ? ra < rb : olderThan(state.rss[a], state.rss[b]);
    });
    bool deleted = false;
    for (std::int64_t k = 0; k < diff; ++k) {
        const Object &rs = state.rss[cleanable[static_cast<std::size_t>(k)]];
        if (statusInt(rs, "replicas") != 0 || rsReplicas(rs) != 0 ||
            generation(rs) > statusInt(rs, "observedGeneration") || beingDeleted(rs)) {
            continue;
        }
        DeleteOptions options;
        options.preconditionUid = uidOf(rs);
        auto removed = service().remove(m_rsType, state.ns, json::name(rs), options);
        if (!removed && !isNotFound(removed.error())) {
            return removed.error();
        }
        deleted = true;
    }
    return deleted;
}

ApiResult<bool> DeploymentController::oldPodsRunning(State &state) {
    std::vector<std::string> oldUids;
    for (std::size_t i : state.oldIndexes()) {
        if (statusInt(state.rss[i], "replicas") > 0) {
            return true;
        }
        oldUids.push_back(uidOf(state.rss[i]));
    }
    auto pods = service().list(m_podType, state.ns, ListOptions{});
    if (!pods) {
        return pods.error();
    }
    for (const auto &pod : pods->items) {
        const auto *ref = controllerRef(pod);
        if (ref == nullptr) {
            continue;
        }
        const std::string owner = json::stringAt(*ref, {"uid"});
        if (std::find(oldUids.begin(), oldUids.end(), owner) == oldUids.end()) {
            continue;
        }
        const std::string phase = json::stringAt(pod, {"status", "phase"});
        if (phase != "Failed" && phase != "Succeeded") {
            return true;
        }
    }
    return false;
}

SyncResult DeploymentController::syncScaling(State &state) {
    if (auto synced = syncRevision(state, false); !synced) {
        return fromError(synced.error());
    }
    if (auto scaled = scale(state); !scaled) {
        return fromError(scaled.error());
    }
    if (isPaused(state.d)) {
        if (auto cleaned = cleanupDeployment(state); !cleaned) {
            return fromError(cleaned.error());
        }
    }
    return syncDeploymentStatus(state);
}

SyncResult DeploymentController::rolloutRolling(State &state) {
    if (auto synced = syncRevision(state, true); !synced) {
        return fromError(synced.error());
    }
    auto scaledUp = reconcileNewReplicaSet(state);
    if (!scaledUp) {
        return fromError(scaledUp.error());
    }
    if (*scaledUp) {
        return syncRolloutStatus(state);
    }
    auto scaledDown = reconcileOldReplicaSets(state);
    if (!scaledDown) {
        return fromError(scaledDown.error());
    }
    if (*scaledDown) {
        return syncRolloutStatus(state);
    }
    const auto *status = json::objectAt(state.d, {"status"});
    if (status != nullptr && deploymentComplete(state.d, *status)) {
        if (auto cleaned = cleanupDeployment(state); !cleaned) {
            return fromError(cleaned.error());
        }
    }
    return syncRolloutStatus(state);
}

SyncResult DeploymentController::rolloutRecreate(State &state) {
    if (auto synced = syncRevision(state, false); !synced) {
        return fromError(synced.error());
    }
    bool scaledDown = false;
    for (std::size_t i : state.oldIndexes()) {
        if (rsReplicas(state.rss[i]) != 0) {
            auto r = scaleReplicaSet(state, i, 0, true);
            if (!r) {
                return fromError(r.error());
            }
            scaledDown = scaledDown || *r;
        }
    }
    if (scaledDown) {
        return syncRolloutStatus(state);
    }
    auto running = oldPodsRunning(state);
    if (!running) {
        return fromError(running.error());
    }
    if (*running) {
        // Pod deletions wake us through the index; the delay is a safety net.
        state.requeue = clock().scaled(std::chrono::seconds(5));
        return syncRolloutStatus(state);
    }
    if (!state.newIndex) {
        if (auto synced = syncRevision(state, true); !synced) {
            return fromError(synced.error());
        }
    }
    if (auto scaled = scaleReplicaSet(state, *state.newIndex, specReplicas(state.d), true);
        !scaled) {
        return fromError(scaled.error());
    }
    const auto *status = json::objectAt(state.d, {"status"});
    if (status != nullptr && deploymentComplete(state.d, *status)) {
        if (auto cleaned = cleanupDeployment(state); !cleaned) {
            return fromError(cleaned.error());
        }
    }
    return syncRolloutStatus(state);
}

} // namespace sandbox
