#include "controllers/garbage_collector.h"

#include "controllers/controller_utils.h"
#include "controllers/deployment_util.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sandbox {

namespace {

bool watchable(const ResourceType &type) {
    const auto &verbs = type.verbs;
    // Events are never owned and are the noisiest kind: not worth watching.
    return std::find(verbs.begin(), verbs.end(), "watch") != verbs.end() &&
           !(type.group.empty() && type.resource == "events");
}

bool hasFinalizer(const boost::json::object &object, std::string_view finalizer) {
    if (const auto *list = json::arrayAt(object, {"metadata", "finalizers"})) {
        for (const auto &f : *list) {
            if (f.is_string() && f.get_string() == finalizer) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

GarbageCollector::GarbageCollector(ResourceService &service, int workers)
    : Controller("garbage-collector-controller", service, workers) {
    for (const ResourceType &type : service.registry().all()) {
        if (watchable(type)) {
            watch(type, [this](const WatchEvent &event) { observe(event); });
        }
    }
}

GarbageCollector::~GarbageCollector() {
    stop();
}

void GarbageCollector::observe(const WatchEvent &event) {
    const std::string uid = uidOf(event.object);
    if (uid.empty()) {
        return;
    }
    std::vector<std::string> keys;
    {
        std::lock_guard lock(m_graphMutex);
        auto existing = m_nodes.find(uid);
        if (event.type == WatchEventType::Deleted) {
            if (existing != m_nodes.end()) {
                for (const auto &owner : existing->second.owners) {
                    auto deps = m_dependents.find(owner.uid);
                    if (deps != m_dependents.end()) {
                        deps->second.erase(uid);
                    }
                    auto ownerNode = m_nodes.find(owner.uid);
                    if (ownerNode != m_nodes.end() && ownerNode->second.foreground) {
                        keys.push_back("foreground/" + owner.uid);
                    }
                }
                m_nodes.erase(existing);
            }
            if (auto deps = m_dependents.find(uid); deps != m_dependents.end()) {
                for (const auto &dependent : deps->second) {
                    keys.push_back("check/" + dependent);
                }
            }
        } else {
            Node next;
            next.type = event.resource;
            next.ns = json::namespaceOf(event.object);
            next.name = json::name(event.object);
            next.deleting = deployment::beingDeleted(event.object);
            next.foreground = next.deleting && hasFinalizer(event.object, kForegroundFinalizer);
            if (const auto *refs = json::arrayAt(event.object, {"metadata", "ownerReferences"})) {
                for (const auto &ref : *refs) {
                    if (ref.is_object()) {
                        next.owners.push_back(
                            {json::stringAt(ref.get_object(), {"uid"}),
                             json::boolAt(ref.get_object(), {"blockOwnerDeletion"})
                                 .value_or(false)});
                    }
                }
            }
            bool ownersChanged = existing == m_nodes.end();
            if (existing != m_nodes.end()) {
                const auto &old = existing->second.owners;
                ownersChanged = old.size() != next.owners.size() ||
                                !std::equal(old.begin(), old.end(), next.owners.begin(),
                                            [](const OwnerRef &a, const OwnerRef &b) {
                                                return a.uid == b.uid &&
                                                       a.blockOwnerDeletion == b.blockOwnerDeletion;
                                            });
                for (const auto &owner : old) {
                    m_dependents[owner.uid].erase(uid);
                }
            }
            for (const auto &owner : next.owners) {
                m_dependents[owner.uid].insert(uid);
            }
            if (!next.owners.empty() && ownersChanged) {
                keys.push_back("check/" + uid);
            }
            if (next.foreground) {
                keys.push_back("foreground/" + uid);
                // Dependents must learn that their owner now waits for them.
                if (auto deps = m_dependents.find(uid); deps != m_dependents.end()) {
                    for (const auto &dependent : deps->second) {
                        keys.push_back("check/" + dependent);
                    }
                }
            }
            m_nodes[uid] = std::move(next);
        }
    }
    for (const auto &key : keys) {
        enqueue(key);
    }
}

std::optional<GarbageCollector::Node> GarbageCollector::node(const std::string &uid) {
    std::lock_guard lock(m_graphMutex);
    auto it = m_nodes.find(uid);
    if (it == m_nodes.end()) {
        return std::nullopt;
    }
    return it->second;
}

SyncResult GarbageCollector::sync(const std::string &key) {
    const auto slash = key.find('/');
    const std::string kind = key.substr(0, slash);
    const std::string uid = key.substr(slash + 1);
    return kind == "check" ? checkDependent(uid) : processForeground(uid);
}

SyncResult GarbageCollector::checkDependent(const std::string &uid) {
    const auto item = node(uid);
    if (!item || item->type == nullptr) {
        return SyncResult::done();
    }
    auto object = service().get(*item->type, item->ns, item->name);
    if (!object || uidOf(*object) != uid) {
        return SyncResult::done();
    }
    const auto *refs = json::arrayAt(*object, {"metadata", "ownerReferences"});
    if (refs == nullptr || refs->empty()) {
        return SyncResult::done();
    }
    std::vector<std::string> dangling;
    std::size_t solid = 0;
    std::size_t waiting = 0;
    for (const auto &value : *refs) {
        if (!value.is_object()) {
            continue;
        }
        const auto &ref = value.get_object();
        const ResourceType *ownerType = service().registry().byKind(
            json::stringAt(ref, {"apiVersion"}), json::stringAt(ref, {"kind"}));
        if (ownerType == nullptr) {
            ++solid; // an owner kind we do not serve: never collect on its account
            continue;
        }
        const std::string ownerNs = ownerType->namespaced ? item->ns : "";
        auto owner = service().get(*ownerType, ownerNs, json::stringAt(ref, {"name"}));
        if (!owner) {
            if (!isNotFound(owner.error())) {
                return SyncResult::error(owner.error().message);
            }
            dangling.push_back(json::stringAt(ref, {"uid"}));
        } else if (uidOf(*owner) != json::stringAt(ref, {"uid"})) {
            dangling.push_back(json::stringAt(ref, {"uid"}));
        } else if (deployment::beingDeleted(*owner) && hasFinalizer(*owner, kForegroundFinalizer)) {
            ++waiting;
        } else {
            ++solid;
        }
    }
    if (deployment::beingDeleted(*object)) {
        return SyncResult::done(); // already on its way out
    }
    bool hasDependents = false;
    {
        std::lock_guard lock(m_graphMutex);
        auto deps = m_dependents.find(uid);
        hasDependents = deps != m_dependents.end() && !deps->second.empty();
    }
    DeleteOptions options;
    options.preconditionUid = uid;
    if (solid == 0 && waiting == 0) {
        options.propagation = PropagationPolicy::Background;
    } else if (solid == 0) {
        // Every remaining owner waits for us (foreground deletion): go, and make our own
        // dependents go first when there are any.
        options.propagation =
            hasDependents ? PropagationPolicy::Foreground : PropagationPolicy::Background;
    } else if (!dangling.empty()) {
        boost::json::object updated = *object;
        for (const auto &gone : dangling) {
            removeOwnerReference(updated, gone);
        }
        auto written = service().update(*item->type, item->ns, item->name, std::move(updated),
                                        managerOptions("generic-garbage-collector"));
        if (!written && !isNotFound(written.error())) {
            return isConflict(written.error()) ? SyncResult::retry()
                                               : SyncResult::error(written.error().message);
        }
        return SyncResult::done();
    } else {
        return SyncResult::done();
    }
    auto removed = service().remove(*item->type, item->ns, item->name, options);
    if (!removed && !isNotFound(removed.error())) {
        return isConflict(removed.error()) ? SyncResult::retry()
                                           : SyncResult::error(removed.error().message);
    }
    return SyncResult::done();
}

SyncResult GarbageCollector::processForeground(const std::string &uid) {
    const auto owner = node(uid);
    if (!owner || owner->type == nullptr) {
        return SyncResult::done();
    }
    auto object = service().get(*owner->type, owner->ns, owner->name);
    if (!object || uidOf(*object) != uid || !deployment::beingDeleted(*object) ||
        !hasFinalizer(*object, kForegroundFinalizer)) {
        return SyncResult::done();
    }
    std::size_t blocking = 0;
    {
        std::lock_guard lock(m_graphMutex);
        if (auto deps = m_dependents.find(uid); deps != m_dependents.end()) {
            for (const auto &dependent : deps->second) {
                auto it = m_nodes.find(dependent);
                if (it == m_nodes.end()) {
                    continue;
                }
                for (const auto &ref : it->second.owners) {
                    if (ref.uid == uid && ref.blockOwnerDeletion) {
                        ++blocking;
                    }
                }
                if (!it->second.deleting) {
                    enqueue("check/" + dependent);
                }
            }
        }
    }
    if (blocking > 0) {
        // Dependents' DELETED events bring us back; the delay is a safety net.
        return SyncResult::doneRequeueAfter(clock().scaled(std::chrono::seconds(5)));
    }
    boost::json::object updated = *object;
    auto &finalizers = updated["metadata"].as_object()["finalizers"];
    boost::json::array kept;
    for (const auto &f : finalizers.as_array()) {
        if (!(f.is_string() && f.get_string() == kForegroundFinalizer)) {
            kept.push_back(f);
        }
    }
    finalizers = std::move(kept);
    auto written = service().update(*owner->type, owner->ns, owner->name, std::move(updated),
                                    managerOptions("generic-garbage-collector"));
    if (!written && !isNotFound(written.error())) {
        return isConflict(written.error()) ? SyncResult::retry()
                                           : SyncResult::error(written.error().message);
    }
    return SyncResult::done();
}

} // namespace sandbox
