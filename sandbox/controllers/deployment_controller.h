#pragma once
// Deployment controller (pkg/controller/deployment; k8s-api-notes §5): one ReplicaSet per
// pod template (pod-template-hash), revisions and revision-history, rolling update within
// maxSurge/maxUnavailable, Recreate, paused deployments (scaling only), proportional scaling
// mid-rollout, progress deadline, revisionHistoryLimit, status and conditions, and
// ScalingReplicaSet events. Reads and writes only through ResourceService.

#include "controllers/controller.h"
#include "controllers/deployment_util.h"
#include "controllers/event_recorder.h"

#include <map>
#include <mutex>

namespace sandbox {

class DeploymentController final : public Controller {
public:
    explicit DeploymentController(ResourceService &service, int workers = 2);
    ~DeploymentController() override;

protected:
    SyncResult sync(const std::string &key) override;

private:
    struct State; // one sync's view of a deployment and its ReplicaSets

    ApiResult<bool> claimReplicaSets(State &state);
    ApiResult<bool> syncRevision(State &state, bool createIfMissing);
    ApiResult<bool> createNewReplicaSet(State &state, std::int64_t newRevision);
    ApiResult<bool> scaleReplicaSet(State &state, std::size_t index, std::int64_t newScale,
                                    bool recordEvent);
    ApiResult<bool> scale(State &state);
    ApiResult<bool> reconcileNewReplicaSet(State &state);
    ApiResult<bool> reconcileOldReplicaSets(State &state);
    ApiResult<bool> cleanupDeployment(State &state);
    ApiResult<bool> oldPodsRunning(State &state);
    ApiResult<bool> checkPausedConditions(State &state);
    ApiResult<bool> writeStatus(State &state, boost::json::object status);
    SyncResult syncDeploymentStatus(State &state);
    SyncResult syncRolloutStatus(State &state);
    SyncResult syncScaling(State &state);
    SyncResult rolloutRolling(State &state);
    SyncResult rolloutRecreate(State &state);
    bool isScalingEvent(State &state);

    EventRecorder m_events;
    const ResourceType &m_deploymentType;
    const ResourceType &m_rsType;
    const ResourceType &m_podType;
    // ReplicaSet uid -> owning deployment key, from ReplicaSet watch events, so a pod event
    // (Recreate waits for old pods to go) can wake its deployment without a store read.
    std::mutex m_indexMutex;
    std::map<std::string, std::string> m_rsOwner;
};

} // namespace sandbox
