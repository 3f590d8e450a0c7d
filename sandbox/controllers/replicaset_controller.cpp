#include "controllers/replicaset_controller.h"

#include "controllers/controller_utils.h"
#include "controllers/deployment_util.h"
#include "controllers/pod_template_hash.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <deque>
#include <tuple>

namespace sandbox {

namespace {

constexpr std::string_view kFieldManager = "kube-controller-manager";

int phaseRank(const boost::json::object &pod) {
    const std::string phase = json::stringAt(pod, {"status", "phase"});
    if (phase == "Pending" || phase.empty()) {
        return 0;
    }
    if (phase == "Unknown") {
        return 1;
    }
    return 2;
}

std::int64_t deletionCost(const boost::json::object &pod) {
    const std::string text = json::annotation(pod, "controller.kubernetes.io/pod-deletion-cost");
    try {
        return text.empty() ? 0 : std::stoll(text);
    } catch (...) {
        return 0;
    }
}

std::string readySince(const boost::json::object &pod) {
    if (const auto *conditions = json::arrayAt(pod, {"status", "conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == "Ready") {
                return json::stringAt(c.get_object(), {"lastTransitionTime"});
            }
        }
    }
    return {};
}

std::int64_t restarts(const boost::json::object &pod) {
    std::int64_t total = 0;
    if (const auto *statuses = json::arrayAt(pod, {"status", "containerStatuses"})) {
        for (const auto &s : *statuses) {
            if (s.is_object()) {
                total += json::intAt(s.get_object(), {"restartCount"}).value_or(0);
            }
        }
    }
    return total;
}

} // namespace

void sortPodsForDeletion(std::vector<boost::json::object> &pods) {
    auto less = [](const boost::json::object &a, const boost::json::object &b) {
        const bool aAssigned = !json::stringAt(a, {"spec", "nodeName"}).empty();
        const bool bAssigned = !json::stringAt(b, {"spec", "nodeName"}).empty();
        if (aAssigned != bAssigned) {
            return !aAssigned;
        }
        if (phaseRank(a) != phaseRank(b)) {
            return phaseRank(a) < phaseRank(b);
        }
        const bool aReady = deployment::podReady(a);
        const bool bReady = deployment::podReady(b);
        if (aReady != bReady) {
            return !aReady;
        }
        if (deletionCost(a) != deletionCost(b)) {
            return deletionCost(a) < deletionCost(b);
        }
        if (aReady && bReady) {
            const std::string aSince = readySince(a);
            const std::string bSince = readySince(b);
            if (aSince != bSince) {
                return aSince > bSince; // ready more recently goes first
            }
        }
        if (restarts(a) != restarts(b)) {
            return restarts(a) > restarts(b);
        }
        const std::string aCreated = json::stringAt(a, {"metadata", "creationTimestamp"});
        const std::string bCreated = json::stringAt(b, {"metadata", "creationTimestamp"});
        if (aCreated != bCreated) {
            return aCreated > bCreated; // newer first (RFC 3339 UTC sorts as text)
        }
        return json::name(a) > json::name(b);
    };
    std::stable_sort(pods.begin(), pods.end(), less);
}

ReplicaSetController::ReplicaSetController(ResourceService &service, int workers)
    : Controller("replicaset-controller", service, workers)
    , m_events(service, "replicaset-controller")
    , m_rsType(type("apps", "replicasets"))
    , m_podType(type("", "pods")) {
    watchOwnKey(m_rsType);
    watch(m_podType, [this](const WatchEvent &event) {
        if (const auto *ref = controllerRef(event.object)) {
            if (json::stringAt(*ref, {"kind"}) == "ReplicaSet") {
                enqueue(objectKey(json::namespaceOf(event.object), json::stringAt(*ref, {"name"})));
            }
        }
    });
}

ReplicaSetController::~ReplicaSetController() {
    stop();
}

SyncResult ReplicaSetController::sync(const std::string &key) {
    const auto [ns, name] = splitKey(key);
    auto found = service().get(m_rsType, ns, name);
    if (!found) {
        return isNotFound(found.error()) ? SyncResult::done()
                                         : SyncResult::error(found.error().message);
    }
    const boost::json::object rs = std::move(*found);
    const std::string rsUid = uidOf(rs);
    const auto *selectorObject = json::objectAt(rs, {"spec", "selector"});
    auto selector =
        LabelSelector::fromObject(selectorObject ? *selectorObject : boost::json::object{});
    if (!selector) {
        return SyncResult::error("invalid selector: " + selector.error().message);
    }
    // Shared, read-only list items: a ReplicaSet of thousands of pods syncs without
    // copying them.
    ListOptions listOptions;
    listOptions.sharedItems = true;
    auto listed = service().list(m_podType, ns, listOptions);
    if (!listed) {
        return SyncResult::error(listed.error().message);
    }

    static const boost::json::object kNoLabels;
    std::deque<boost::json::object> adoptedPods;
    std::vector<const boost::json::object *> active;
    auto consider = [&](const boost::json::object &pod) {
        if (isPodActive(pod)) {
            active.push_back(&pod);
        }
    };
    for (const StoredPtr &stored : listed->stored) {
        const boost::json::object &pod = stored->object;
        const auto *labels = json::labels(pod);
        const bool matches = !selector->empty() && selector->matches(labels ? *labels : kNoLabels);
        const auto *ref = controllerRef(pod);
        if (ref != nullptr && json::stringAt(*ref, {"uid"}) == rsUid) {
            if (matches) {
                consider(pod);
            } else {
                // Release: the pod's labels no longer select it.
                boost::json::object released = pod;
                removeOwnerReference(released, rsUid);
                (void)service().update(m_podType, ns, json::name(pod), std::move(released),
                                       managerOptions(kFieldManager));
            }
        } else if (ref == nullptr && matches && !deployment::beingDeleted(rs) &&
                   !deployment::beingDeleted(pod) && isPodActive(pod)) {
            boost::json::object adopted = pod;
            addOwnerReference(adopted, makeControllerRef(rs));
            auto result = service().update(m_podType, ns, json::name(pod), std::move(adopted),
                                           managerOptions(kFieldManager));
            if (result) {
                adoptedPods.push_back(std::move(*result));
                consider(adoptedPods.back());
            }
        }
    }

    SyncResult manageResult = SyncResult::done();
    if (!deployment::beingDeleted(rs)) {
        const std::int64_t wanted = json::intAt(rs, {"spec", "replicas"}).value_or(1);
        const std::int64_t diff = static_cast<std::int64_t>(active.size()) - wanted;
        if (diff < 0) {
            manageResult = createPods(rs, std::min<std::int64_t>(-diff, kBurstReplicas));
        } else if (diff > 0) {
            std::vector<boost::json::object> candidates;
            candidates.reserve(active.size());
            for (const auto *pod : active) {
                candidates.push_back(*pod);
            }
            manageResult =
                deletePods(rs, std::move(candidates), std::min<std::int64_t>(diff, kBurstReplicas));
        }
    }

    // Status from the pods seen before this sync's creations and deletions, as the real
    // controller does: their watch events bring the next sync.
    const std::int64_t minReady = deployment::minReadySeconds(rs);
    const auto *templateLabels = json::objectAt(rs, {"spec", "template", "metadata", "labels"});
    std::int64_t fullyLabeled = 0, ready = 0, available = 0;
    for (const auto *podPointer : active) {
        const boost::json::object &pod = *podPointer;
        bool labelled = true;
        if (templateLabels != nullptr) {
            const auto *labels = json::labels(pod);
            for (const auto &[k, v] : *templateLabels) {
                const auto *have = labels ? labels->if_contains(k) : nullptr;
                labelled = labelled && have != nullptr && *have == v;
            }
        }
        fullyLabeled += labelled ? 1 : 0;
        ready += deployment::podReady(pod) ? 1 : 0;
        available += deployment::podAvailable(pod, minReady, clock()) ? 1 : 0;
    }
    boost::json::object status;
    if (const auto *old = json::objectAt(rs, {"status"})) {
        if (const auto *conditions = old->if_contains("conditions")) {
            status["conditions"] = *conditions;
        }
    }
    status["replicas"] = static_cast<std::int64_t>(active.size());
    status["fullyLabeledReplicas"] = fullyLabeled;
    status["readyReplicas"] = ready;
    status["availableReplicas"] = available;
    status["observedGeneration"] = deployment::generation(rs);
    dropZeroCounters(status);

    const auto *oldStatus = json::objectAt(rs, {"status"});
    if (oldStatus == nullptr || json::canonical(*oldStatus) != json::canonical(status)) {
        boost::json::object updated = rs;
        updated["status"] = std::move(status);
        auto written = service().update(m_rsType, ns, name, std::move(updated),
                                        managerOptions(kFieldManager), Subresource::Status);
        if (!written) {
            if (isNotFound(written.error())) {
                return SyncResult::done();
            }
            return isConflict(written.error()) ? SyncResult::retry()
                                               : SyncResult::error(written.error().message);
        }
    }
    if (manageResult.kind != SyncResult::Kind::Done) {
        return manageResult;
    }
    if (minReady > 0 && ready > available) {
        // A ready pod becomes available once minReadySeconds have passed: look again then.
        return SyncResult::doneRequeueAfter(clock().scaled(std::chrono::seconds(minReady)));
    }
    return SyncResult::done();
}

SyncResult ReplicaSetController::createPods(const boost::json::object &rs, std::int64_t count) {
    const std::string ns = json::namespaceOf(rs);
    const std::string rsName = json::name(rs);
    boost::json::object metadata;
    const auto *templateMeta = json::objectAt(rs, {"spec", "template", "metadata"});
    if (templateMeta != nullptr) {
        for (const char *field : {"labels", "annotations"}) {
            if (const auto *v = templateMeta->if_contains(field)) {
                metadata[field] = *v;
            }
        }
    }
    metadata["generateName"] = rsName + "-";
    metadata["namespace"] = ns;
    metadata["ownerReferences"] = boost::json::array{makeControllerRef(rs)};
    const auto *templateSpec = json::objectAt(rs, {"spec", "template", "spec"});

    // Slow start (batches 1, 2, 4, ...): a template the API rejects fails once, not 500 times.
    std::int64_t created = 0;
    std::int64_t batch = 1;
    while (created < count) {
        const std::int64_t n = std::min(batch, count - created);
        for (std::int64_t i = 0; i < n; ++i) {
            ApiResult<boost::json::object> result = ApiError{};
            for (int attempt = 0; attempt < 5; ++attempt) {
                boost::json::object pod{{"apiVersion", "v1"}, {"kind", "Pod"}};
                boost::json::object meta = metadata;
                meta["name"] = rsName + "-" + randomSafeString(5);
                pod["metadata"] = std::move(meta);
                pod["spec"] = templateSpec ? boost::json::value(*templateSpec)
                                           : boost::json::value(boost::json::object{});
                result =
                    service().create(m_podType, ns, std::move(pod), managerOptions(kFieldManager));
                if (result || !isAlreadyExists(result.error())) {
                    break;
                }
            }
            if (!result) {
                m_events.event(rs, EventRecorder::Warning, "FailedCreate",
                               "Error creating: " + result.error().message);
                return SyncResult::error("creating pod: " + result.error().message);
            }
            m_events.event(rs, EventRecorder::Normal, "SuccessfulCreate",
                           "Created pod: " + json::name(*result));
        }
        created += n;
        batch *= 2;
    }
    return SyncResult::done();
}

SyncResult ReplicaSetController::deletePods(const boost::json::object &rs,
                                            std::vector<boost::json::object> pods,
                                            std::int64_t count) {
    sortPodsForDeletion(pods);
    const std::string ns = json::namespaceOf(rs);
    for (std::int64_t i = 0; i < count && i < static_cast<std::int64_t>(pods.size()); ++i) {
        const auto &pod = pods[static_cast<std::size_t>(i)];
        DeleteOptions options;
        options.preconditionUid = uidOf(pod);
        auto result = service().remove(m_podType, ns, json::name(pod), options);
        if (!result && !isNotFound(result.error())) {
            m_events.event(rs, EventRecorder::Warning, "FailedDelete",
                           "Error deleting: " + result.error().message);
            return SyncResult::error("deleting pod: " + result.error().message);
        }
        if (result) {
            m_events.event(rs, EventRecorder::Normal, "SuccessfulDelete",
                           "Deleted pod: " + json::name(pod));
        }
    }
    return SyncResult::done();
}

} // namespace sandbox
