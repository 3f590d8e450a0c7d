#pragma once
// Internal to the deployment controller's two translation units (deployment_controller.cpp:
// sync, ReplicaSets and revisions, status; deployment_rollout.cpp: scaling and rollouts).

#include "controllers/controller_utils.h"
#include "controllers/deployment_controller.h"
#include "controllers/deployment_util.h"
#include "util/json_util.h"

#include <optional>
#include <string>
#include <vector>

namespace sandbox::deployment_detail {

using deployment::Object;
using deployment::ObjectList;

inline constexpr std::string_view kFieldManager = "kube-controller-manager";

inline std::int64_t rsReplicas(const Object &rs) {
    return json::intAt(rs, {"spec", "replicas"}).value_or(0);
}

// Oldest first; ties by name so the order is stable.
inline bool olderThan(const Object &a, const Object &b) {
    const std::string ta = json::stringAt(a, {"metadata", "creationTimestamp"});
    const std::string tb = json::stringAt(b, {"metadata", "creationTimestamp"});
    return ta != tb ? ta < tb : json::name(a) < json::name(b);
}

// A write that lost a race (conflict, gone, exists) is retried after a fresh read; other
// errors are reported.
SyncResult fromError(const ApiError &error);

} // namespace sandbox::deployment_detail

namespace sandbox {

// One sync's view of a deployment and the ReplicaSets it controls.
struct DeploymentController::State {
    using Object = deployment::Object;
    using ObjectList = deployment::ObjectList;

    Object d;
    std::string ns;
    ObjectList rss; // every ReplicaSet the deployment controls
    std::optional<std::size_t> newIndex;
    Duration requeue{0};

    const Object *newRS() const { return newIndex ? &rss[*newIndex] : nullptr; }
    ObjectList old() const {
        ObjectList out;
        for (std::size_t i = 0; i < rss.size(); ++i) {
            if (!newIndex || i != *newIndex) {
                out.push_back(rss[i]);
            }
        }
        return out;
    }
    std::vector<std::size_t> oldIndexes() const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < rss.size(); ++i) {
            if (!newIndex || i != *newIndex) {
                out.push_back(i);
            }
        }
        return out;
    }
    Object statusCopy() const {
        const auto *s = json::objectAt(d, {"status"});
        return s ? *s : Object{};
    }
};

} // namespace sandbox
