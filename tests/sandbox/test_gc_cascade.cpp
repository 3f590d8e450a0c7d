// Garbage collection of owned objects: what `kubectl delete deploy` with each
// --cascade mode leaves behind, and dependents whose owner never existed.
#include "controller_test_env.h"

#include "controllers/deployment_util.h"

using namespace sandbox;
using namespace sandbox::testenv;
using boost::json::object;

namespace {

class Cascade : public Cluster {
protected:
    void startWeb() {
        create(deployments(), webDeployment(2));
        ASSERT_TRUE(waitUntil([&] {
            auto d = get(deployments(), "web");
            return d && statusOf(*d, "availableReplicas") == 2 &&
                   list(pods(), "app=web").size() == 2u;
        })) << dump(deployments());
    }
    bool remove(PropagationPolicy policy) {
        DeleteOptions options;
        options.propagation = policy;
        auto removed = service->remove(deployments(), "demo", "web", options);
        EXPECT_TRUE(removed.ok()) << removed.message();
        return removed.ok();
    }
};

} // namespace

TEST_F(Cascade, BackgroundDeletionCollectsReplicaSetsAndPods) {
    startWeb();
    ASSERT_TRUE(remove(PropagationPolicy::Background));
    EXPECT_FALSE(get(deployments(), "web").has_value());
    EXPECT_TRUE(waitUntil([&] { return list(replicasets()).empty() && list(pods()).empty(); }))
        << dump(replicasets()) << dump(pods());
}

TEST_F(Cascade, ForegroundDeletionKeepsTheOwnerUntilDependentsAreGone) {
    startWeb();
    ASSERT_TRUE(remove(PropagationPolicy::Foreground));
    // Right after DELETE the deployment is still there, marked and finalized...
    auto marked = get(deployments(), "web");
    if (marked) {
        EXPECT_TRUE(deployment::beingDeleted(*marked));
    }
    // ...and it goes only after its ReplicaSet and pods.
    EXPECT_TRUE(waitUntil([&] { return !get(deployments(), "web").has_value(); }))
        << dump(deployments()) << dump(replicasets()) << dump(pods());
    EXPECT_TRUE(list(replicasets()).empty()) << dump(replicasets());
    EXPECT_TRUE(waitUntil([&] { return list(pods()).empty(); })) << dump(pods());
}

TEST_F(Cascade, OrphanDeletionLeavesReplicaSetsWithoutOwner) {
    startWeb();
    ASSERT_TRUE(remove(PropagationPolicy::Orphan));
    EXPECT_TRUE(waitUntil([&] { return !get(deployments(), "web").has_value(); }));
    const auto sets = list(replicasets());
    ASSERT_EQ(sets.size(), 1u);
    EXPECT_EQ(json::arrayAt(sets[0], {"metadata", "ownerReferences"}), nullptr);
    // The pods stay with their ReplicaSet.
    EXPECT_EQ(list(pods(), "app=web").size(), 2u);
}

TEST_F(Cascade, DependentOfAMissingOwnerIsCollected) {
    object cm = parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"orphaned",
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"gone",
                            "uid":"00000000-0000-4000-8000-000000000000"}]},"data":{"a":"b"}})");
    create(type("", "v1", "configmaps"), cm);
    EXPECT_TRUE(waitUntil([&] { return !get(type("", "v1", "configmaps"), "orphaned"); }));
}

TEST_F(Cascade, DanglingReferenceIsDroppedWhenAnotherOwnerRemains) {
    startWeb();
    const auto d = get(deployments(), "web");
    object cm = parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},
        "data":{"a":"b"}})");
    cm["metadata"].as_object()["ownerReferences"] =
        boost::json::array{object{{"apiVersion", "apps/v1"},
                                  {"kind", "Deployment"},
                                  {"name", "web"},
                                  {"uid", json::stringAt(*d, {"metadata", "uid"})}},
                           object{{"apiVersion", "apps/v1"},
                                  {"kind", "Deployment"},
                                  {"name", "gone"},
                                  {"uid", "00000000-0000-4000-8000-000000000000"}}};
    create(type("", "v1", "configmaps"), cm);
    EXPECT_TRUE(waitUntil([&] {
        auto now = get(type("", "v1", "configmaps"), "shared");
        const auto *refs = now ? json::arrayAt(*now, {"metadata", "ownerReferences"}) : nullptr;
        return refs != nullptr && refs->size() == 1u;
    }));
}
