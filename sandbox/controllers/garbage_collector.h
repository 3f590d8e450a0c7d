#pragma once
// Garbage collector (pkg/controller/garbagecollector): keeps a graph of ownerReferences
// from watch events on every kind, and
//  - deletes (background) a dependent all of whose owners are gone, and drops references
//    to missing owners when some owner remains;
//  - for an owner deleted with propagationPolicy=Foreground (deletionTimestamp + the
//    foregroundDeletion finalizer), deletes its dependents (in the foreground themselves
//    when they have dependents) and clears the finalizer once no dependent with
//    blockOwnerDeletion is left, which completes the owner's deletion.
// Orphan propagation is done by ResourceService at delete time.
//
// Queue keys are "check/<uid>" (is this dependent's owner gone?) and "foreground/<uid>".

#include "controllers/controller.h"

#include <map>
#include <mutex>
#include <set>
#include <vector>

namespace sandbox {

class GarbageCollector final : public Controller {
public:
    explicit GarbageCollector(ResourceService &service, int workers = 2);
    ~GarbageCollector() override;

    static constexpr std::string_view kForegroundFinalizer = "foregroundDeletion";

protected:
    SyncResult sync(const std::string &key) override;

private:
    struct OwnerRef {
        std::string uid;
        bool blockOwnerDeletion = false;
    };
    struct Node {
        const ResourceType *type = nullptr;
        std::string ns;
        std::string name;
        std::vector<OwnerRef> owners;
        bool deleting = false;
        bool foreground = false;
    };

    void observe(const WatchEvent &event);
    SyncResult checkDependent(const std::string &uid);
    SyncResult processForeground(const std::string &uid);
    std::optional<Node> node(const std::string &uid);

    std::mutex m_graphMutex;
    std::map<std::string, Node> m_nodes;                       // uid -> object
    std::map<std::string, std::set<std::string>> m_dependents; // owner uid -> dependent uids
};

} // namespace sandbox
