// The deployment and replicaset controllers with the simulated kubelet, end to end in
// memory: what `kubectl apply / set image / rollout undo / pause / scale` users see.
#include "controller_test_env.h"

#include "controllers/deployment_util.h"
#include "controllers/pod_template_hash.h"

#include <atomic>
#include <map>
#include <mutex>

using namespace sandbox;
using namespace sandbox::testenv;
using boost::json::object;

namespace {

class DeploymentFlow : public Cluster {
protected:
    object deploymentNow() { return get(deployments(), "web").value_or(object{}); }

    bool complete(const std::string &revision) {
        const object d = deploymentNow();
        const auto *status = json::objectAt(d, {"status"});
        if (status == nullptr) {
            return false;
        }
        const object *progressing = deployment::condition(*status, deployment::kProgressing);
        const std::int64_t replicas = deployment::specReplicas(d);
        return json::annotation(d, deployment::kRevisionAnnotation) == revision &&
               statusOf(d, "observedGeneration") >= deployment::generation(d) &&
               statusOf(d, "updatedReplicas") == replicas && statusOf(d, "replicas") == replicas &&
               statusOf(d, "availableReplicas") == replicas && progressing != nullptr &&
               json::stringAt(*progressing, {"reason"}) == deployment::kNewReplicaSetAvailable;
    }

    std::map<std::string, object> replicaSetsByRevision() {
        std::map<std::string, object> out;
        for (auto &rs : list(replicasets(), "app=web")) {
            out[json::annotation(rs, deployment::kRevisionAnnotation)] = rs;
        }
        return out;
    }

    void setImage(const std::string &image) {
        // What `kubectl set image deploy/web web=<image>` sends.
        ASSERT_TRUE(
            patch(deployments(), "web", PatchType::StrategicMerge,
                  R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
                              "containers":[{"image":")" +
                      image + R"(","name":"web"}]}}}})",
                  "kubectl-set"));
    }
};

// Tracks, from watch events, the worst moments of a rollout: the most pods the
// ReplicaSets asked for together and the fewest available ones.
struct RolloutObserver {
    std::mutex mutex;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> sets; // name -> spec, available
    std::int64_t maxTotal = 0;
    std::int64_t minAvailable = 1 << 30;
    bool bothActive = false;
    void onEvent(const WatchEvent &e) {
        std::lock_guard lock(mutex);
        if (e.type == WatchEventType::Deleted) {
            sets.erase(json::name(e.object));
        } else {
            sets[json::name(e.object)] = {json::intAt(e.object, {"spec", "replicas"}).value_or(0),
                                          statusOf(e.object, "availableReplicas")};
        }
        std::int64_t total = 0, available = 0, active = 0;
        for (const auto &[name, counts] : sets) {
            total += counts.first;
            available += counts.second;
            active += counts.first > 0 ? 1 : 0;
        }
        maxTotal = std::max(maxTotal, total);
        minAvailable = std::min(minAvailable, available);
        bothActive = bothActive || active > 1;
    }
};

} // namespace

TEST_F(DeploymentFlow, NewDeploymentGetsAReplicaSetAndReadyPods) {
    create(deployments(), webDeployment(3));
    ASSERT_TRUE(waitUntil([&] { return complete("1"); })) << dump(deployments());

    const auto sets = list(replicasets(), "app=web");
    ASSERT_EQ(sets.size(), 1u);
    const object &rs = sets.front();
    const object d = deploymentNow();
    const std::string hash = json::stringAt(rs, {"metadata", "labels", "pod-template-hash"});
    EXPECT_EQ(json::name(rs), "web-" + hash);
    EXPECT_EQ(hash, computePodTemplateHash(*json::objectAt(d, {"spec", "template"})));
    EXPECT_EQ(json::stringAt(rs, {"spec", "selector", "matchLabels", "pod-template-hash"}), hash);
    EXPECT_EQ(json::stringAt(rs, {"spec", "template", "metadata", "labels", "pod-template-hash"}),
              hash);
    EXPECT_EQ(json::annotation(rs, deployment::kRevisionAnnotation), "1");
    // The revision annotation travels with a status write: no generation bump.
    EXPECT_EQ(json::annotation(d, deployment::kRevisionAnnotation), "1");
    EXPECT_EQ(deployment::generation(d), 1);
    EXPECT_EQ(json::annotation(rs, deployment::kDesiredReplicasAnnotation), "3");
    EXPECT_EQ(json::annotation(rs, deployment::kMaxReplicasAnnotation), "4");
    const auto *owner = json::arrayAt(rs, {"metadata", "ownerReferences"});
    ASSERT_NE(owner, nullptr);
    ASSERT_EQ(owner->size(), 1u);
    EXPECT_EQ(json::stringAt((*owner)[0].as_object(), {"uid"}),
              json::stringAt(d, {"metadata", "uid"}));
    EXPECT_EQ(json::boolAt((*owner)[0].as_object(), {"controller"}), true);
    EXPECT_EQ(json::boolAt((*owner)[0].as_object(), {"blockOwnerDeletion"}), true);
    EXPECT_EQ(statusOf(rs, "readyReplicas"), 3);
    EXPECT_EQ(statusOf(rs, "fullyLabeledReplicas"), 3);
    EXPECT_EQ(statusOf(rs, "observedGeneration"), 1);

    const auto podList = list(pods(), "app=web");
    ASSERT_EQ(podList.size(), 3u);
    for (const auto &pod : podList) {
        const std::string name = json::name(pod);
        ASSERT_EQ(name.size(), json::name(rs).size() + 6) << name;
        EXPECT_EQ(name.substr(0, json::name(rs).size() + 1), json::name(rs) + "-");
        EXPECT_EQ(name.substr(name.size() - 5).find_first_not_of(kSafeAlphabet), std::string::npos);
        EXPECT_EQ(json::stringAt(pod, {"status", "phase"}), "Running");
        EXPECT_EQ(json::stringAt(pod, {"metadata", "labels", "pod-template-hash"}), hash);
    }
    const object *available =
        deployment::condition(*json::objectAt(d, {"status"}), deployment::kAvailable);
    ASSERT_NE(available, nullptr);
    EXPECT_EQ(json::stringAt(*available, {"reason"}), "MinimumReplicasAvailable");
    EXPECT_TRUE(hasEvent("ScalingReplicaSet", "Scaled up replica set " + json::name(rs) + " to 3"));
    EXPECT_TRUE(hasEvent("SuccessfulCreate", "Created pod: " + json::name(rs) + "-"));
}

TEST_F(DeploymentFlow, SetImageRollsWithinMaxSurgeAndMaxUnavailable) {
    object d = webDeployment(3);
    d["spec"].as_object()["strategy"] =
        parse(R"({"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}})");
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return complete("1"); })) << dump(deployments());

    RolloutObserver observer;
    auto watchId = service->watch(replicasets(), "demo", ListOptions{},
                                  [&](const WatchEvent &e) { observer.onEvent(e); });
    ASSERT_TRUE(watchId.ok());
    setImage("nginx:1.27");
    ASSERT_TRUE(waitUntil([&] { return complete("2"); }))
        << dump(deployments()) << dump(replicasets());
    service->unwatch(*watchId);

    EXPECT_LE(observer.maxTotal, 4);     // replicas + maxSurge
    EXPECT_GE(observer.minAvailable, 3); // replicas - maxUnavailable
    const auto sets = replicaSetsByRevision();
    ASSERT_EQ(sets.size(), 2u);
    EXPECT_EQ(json::intAt(sets.at("1"), {"spec", "replicas"}), 0);
    EXPECT_EQ(json::intAt(sets.at("2"), {"spec", "replicas"}), 3);
    EXPECT_TRUE(waitUntil([&] { return list(pods(), "app=web").size() == 3u; }));
    EXPECT_TRUE(hasEvent("ScalingReplicaSet",
                         "Scaled down replica set " + json::name(sets.at("1")) + " to 0 from 1"));
}

TEST_F(DeploymentFlow, RollbackReusesTheFirstReplicaSetAsANewRevision) {
    create(deployments(), webDeployment(2));
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    const object first = replicaSetsByRevision().at("1");
    setImage("nginx:1.27");
    ASSERT_TRUE(waitUntil([&] { return complete("2"); })) << dump(deployments());

    // `kubectl rollout undo`: the first ReplicaSet's template without the hash label, as Go
    // serializes it (creationTimestamp: null, resources: {}), in a JSON patch.
    object rollbackTemplate = *json::objectAt(first, {"spec", "template"});
    rollbackTemplate["metadata"].as_object()["labels"].as_object().erase("pod-template-hash");
    rollbackTemplate["metadata"].as_object()["creationTimestamp"] = nullptr;
    rollbackTemplate["spec"].as_object()["containers"].as_array()[0].as_object()["resources"] =
        object{};
    const object d = deploymentNow();
    object annotations{{"deployment.kubernetes.io/revision",
                        json::annotation(d, deployment::kRevisionAnnotation)}};
    const boost::json::array ops{
        object{{"op", "replace"}, {"path", "/spec/template"}, {"value", rollbackTemplate}},
        object{{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", annotations}}};
    ASSERT_TRUE(patch(deployments(), "web", PatchType::Json, boost::json::serialize(ops), ""));

    ASSERT_TRUE(waitUntil([&] { return complete("3"); }))
        << dump(deployments()) << dump(replicasets());
    const auto sets = replicaSetsByRevision();
    ASSERT_EQ(sets.size(), 2u) << dump(replicasets());
    ASSERT_EQ(sets.count("3"), 1u);
    EXPECT_EQ(json::name(sets.at("3")), json::name(first));
    EXPECT_EQ(json::annotation(sets.at("3"), deployment::kRevisionHistoryAnnotation), "1");
    EXPECT_EQ(json::intAt(sets.at("3"), {"spec", "replicas"}), 2);
    EXPECT_EQ(json::intAt(sets.at("2"), {"spec", "replicas"}), 0);
}

TEST_F(DeploymentFlow, PausedDeploymentOnlyScalesUntilResumed) {
    create(deployments(), webDeployment(2));
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    ASSERT_TRUE(
        patch(deployments(), "web", PatchType::StrategicMerge, R"({"spec":{"paused":true}})"));
    setImage("nginx:1.27");
    ASSERT_TRUE(patch(deployments(), "web", PatchType::Merge, R"({"spec":{"replicas":4}})"));
    ASSERT_TRUE(waitUntil([&] {
        const object d = deploymentNow();
        const object *p =
            deployment::condition(*json::objectAt(d, {"status"}), deployment::kProgressing);
        return p && json::stringAt(*p, {"reason"}) == "DeploymentPaused" &&
               json::stringAt(*p, {"status"}) == "Unknown" && statusOf(d, "availableReplicas") == 4;
    })) << dump(deployments());
    EXPECT_EQ(list(replicasets(), "app=web").size(), 1u) << "paused: no new ReplicaSet";

    ASSERT_TRUE(
        patch(deployments(), "web", PatchType::StrategicMerge, R"({"spec":{"paused":null}})"));
    ASSERT_TRUE(waitUntil([&] { return complete("2"); })) << dump(deployments());
    EXPECT_EQ(list(pods(), "app=web").size() >= 4u, true);
}

TEST_F(DeploymentFlow, MissingImageExceedsTheProgressDeadline) {
    object d = webDeployment(2);
    d["spec"].as_object()["progressDeadlineSeconds"] = 10; // 0.5 s at time scale 20
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    setImage("example.invalid/no-such:1");
    std::string message;
    ASSERT_TRUE(waitUntil([&] {
        const object now = deploymentNow();
        const object *p =
            deployment::condition(*json::objectAt(now, {"status"}), deployment::kProgressing);
        if (p == nullptr || json::stringAt(*p, {"reason"}) != "ProgressDeadlineExceeded") {
            return false;
        }
        message = json::stringAt(*p, {"message"});
        return json::stringAt(*p, {"status"}) == "False";
    })) << dump(deployments());
    const object stuck = replicaSetsByRevision().at("2");
    EXPECT_EQ(message, "ReplicaSet \"" + json::name(stuck) + "\" has timed out progressing.");
    // The old pods keep serving: 25% of 2 rounds down to 0 unavailable.
    EXPECT_EQ(statusOf(deploymentNow(), "availableReplicas"), 2);
}

TEST_F(DeploymentFlow, RevisionHistoryLimitDeletesTheOldestUnusedReplicaSets) {
    object d = webDeployment(1);
    d["spec"].as_object()["revisionHistoryLimit"] = 1;
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    setImage("nginx:1.26");
    ASSERT_TRUE(waitUntil([&] { return complete("2"); }));
    setImage("nginx:1.27");
    ASSERT_TRUE(waitUntil([&] { return complete("3"); }));
    ASSERT_TRUE(waitUntil([&] { return replicaSetsByRevision().size() == 2u; }))
        << dump(replicasets());
    const auto sets = replicaSetsByRevision();
    EXPECT_EQ(sets.count("1"), 0u);
    EXPECT_EQ(sets.count("2"), 1u);
    EXPECT_EQ(sets.count("3"), 1u);
}

TEST_F(DeploymentFlow, RecreateStopsOldPodsBeforeStartingNewOnes) {
    object d = webDeployment(2);
    d["spec"].as_object()["strategy"] = parse(R"({"type":"Recreate"})");
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    RolloutObserver observer;
    auto watchId = service->watch(replicasets(), "demo", ListOptions{},
                                  [&](const WatchEvent &e) { observer.onEvent(e); });
    ASSERT_TRUE(watchId.ok());
    setImage("nginx:1.27");
    ASSERT_TRUE(waitUntil([&] { return complete("2"); })) << dump(deployments());
    service->unwatch(*watchId);
    EXPECT_FALSE(observer.bothActive) << "old and new ReplicaSets never run together";
}

TEST_F(DeploymentFlow, ScalingMidRolloutKeepsReplicaSetsProportional) {
    object d = webDeployment(4);
    create(deployments(), d);
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    setImage("example.invalid/no-such:1"); // the rollout stalls: two active ReplicaSets
    ASSERT_TRUE(waitUntil([&] {
        std::size_t active = 0;
        for (const auto &rs : list(replicasets(), "app=web")) {
            active += json::intAt(rs, {"spec", "replicas"}).value_or(0) > 0 ? 1 : 0;
        }
        return active == 2;
    }));
    ASSERT_TRUE(patch(deployments(), "web", PatchType::Merge, R"({"spec":{"replicas":8}})"));
    ASSERT_TRUE(waitUntil([&] {
        std::int64_t total = 0;
        bool annotated = true;
        for (const auto &rs : list(replicasets(), "app=web")) {
            total += json::intAt(rs, {"spec", "replicas"}).value_or(0);
            annotated =
                annotated && json::annotation(rs, deployment::kDesiredReplicasAnnotation) == "8";
        }
        return total == 10 && annotated; // 8 + maxSurge 2
    })) << dump(replicasets());
}

TEST_F(DeploymentFlow, ReplicaSetReplacesDeletedPods) {
    create(deployments(), webDeployment(2));
    ASSERT_TRUE(waitUntil([&] { return complete("1"); }));
    const auto before = list(pods(), "app=web");
    ASSERT_EQ(before.size(), 2u);
    DeleteOptions options;
    ASSERT_TRUE(service->remove(pods(), "demo", json::name(before[0]), options).ok());
    ASSERT_TRUE(waitUntil([&] {
        const auto now = list(pods(), "app=web");
        if (now.size() != 2u) {
            return false;
        }
        for (const auto &p : now) {
            if (json::name(p) == json::name(before[0]) ||
                json::stringAt(p, {"status", "phase"}) != "Running") {
                return false;
            }
        }
        return true;
    })) << dump(pods());
    EXPECT_TRUE(hasEvent("SuccessfulCreate", "Created pod: "));
}
