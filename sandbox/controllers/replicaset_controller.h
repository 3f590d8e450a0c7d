#pragma once
// ReplicaSet controller (pkg/controller/replicaset): keeps as many active pods as
// spec.replicas, named <rs>-<5 safe chars>, with a controller ownerReference; adopts
// matching orphans and releases pods that stopped matching; deletes the least valuable
// pods first (unscheduled, pending, not ready, newest); writes status replicas,
// fullyLabeledReplicas, readyReplicas, availableReplicas and observedGeneration.

#include "controllers/controller.h"
#include "controllers/event_recorder.h"

namespace sandbox {

class ReplicaSetController final : public Controller {
public:
    // At most this many pods are created or deleted per sync (the real burstReplicas).
    static constexpr int kBurstReplicas = 500;

    explicit ReplicaSetController(ResourceService &service, int workers = 2);
    ~ReplicaSetController() override;

protected:
    SyncResult sync(const std::string &key) override;

private:
    SyncResult createPods(const boost::json::object &rs, std::int64_t count);
    SyncResult deletePods(const boost::json::object &rs, std::vector<boost::json::object> pods,
                          std::int64_t count);

    EventRecorder m_events;
    const ResourceType &m_rsType;
    const ResourceType &m_podType;
};

// Orders pods so that the ones to delete first come first (controller.ActivePodsWithRanks).
void sortPodsForDeletion(std::vector<boost::json::object> &pods);

} // namespace sandbox
