// DELETE: preconditions, finalizers, propagation policies, graceful pod deletion and
// namespace termination (registry/rest/delete.go, pkg/registry/core/pod, namespace controller).
#include "api/service_internal.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <chrono>

namespace sandbox {

using service::Object;
using service::ObjectPtr;

namespace {

constexpr std::string_view kForeground = "foregroundDeletion";
constexpr std::string_view kOrphan = "orphan";

bool isSet(const boost::json::value *v) {
    return v != nullptr && !v->is_null() && !(v->is_string() && v->get_string().empty());
}

bool hasFinalizer(const Object &object, std::string_view finalizer) {
    const boost::json::array *list = json::arrayAt(object, {"metadata", "finalizers"});
    if (list == nullptr) {
        return false;
    }
    return std::any_of(list->begin(), list->end(), [&](const boost::json::value &v) {
        return v.is_string() && v.get_string() == finalizer;
    });
}

bool hasFinalizers(const Object &object) {
    const boost::json::array *list = json::arrayAt(object, {"metadata", "finalizers"});
    return list != nullptr && !list->empty();
}

// pod strategy CheckGracefulDelete: unscheduled and finished pods go at once.
std::int64_t podGracePeriod(const Object &pod, const DeleteOptions &options) {
    std::int64_t grace = options.gracePeriodSeconds.value_or(
        json::intAt(pod, {"spec", "terminationGracePeriodSeconds"}).value_or(30));
    const std::string phase = json::stringAt(pod, {"status", "phase"});
    if (json::stringAt(pod, {"spec", "nodeName"}).empty() || phase == "Succeeded" ||
        phase == "Failed") {
        grace = 0;
    }
    return std::max<std::int64_t>(grace, 0);
}

std::optional<ApiError> checkPreconditions(const ResourceType &type, const Object &object,
                                           const DeleteOptions &options) {
    const std::string name = json::name(object);
    const std::string uid = json::stringAt(object, {"metadata", "uid"});
    const std::string rv = json::stringAt(object, {"metadata", "resourceVersion"});
    auto failed = [&](const std::string &detail) {
        ApiError error = ApiError::conflict(type, name);
        error.message = "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name +
                        "\": Precondition failed: " + detail;
        return error;
    };
    if (!options.preconditionUid.empty() && options.preconditionUid != uid) {
        return failed("UID in precondition: " + options.preconditionUid +
                      ", UID in object meta: " + uid);
    }
    if (!options.preconditionResourceVersion.empty() && options.preconditionResourceVersion != rv) {
        return failed("ResourceVersion in precondition: " + options.preconditionResourceVersion +
                      ", ResourceVersion in meta: " + rv);
    }
    return std::nullopt;
}

bool isConflict(const ApiError &error) {
    return error.code == 409 && error.reason == "Conflict";
}

} // namespace

ApiResult<Object> ResourceService::remove(const ResourceType &type, std::string_view ns,
                                          std::string_view name, const DeleteOptions &options) {
    for (int attempt = 0;; ++attempt) {
        const ObjectPtr old = m_store.getShared(type, ns, name);
        if (!old) {
            return ApiError::notFound(type, name);
        }
        if (auto error = checkPreconditions(type, *old, options)) {
            return *error;
        }
        const std::string uid = json::stringAt(*old, {"metadata", "uid"});
        const std::string rv = json::stringAt(*old, {"metadata", "resourceVersion"});
        if (type.kind == "Namespace" && type.group.empty() &&
            (name == "default" || name == "kube-system" || name == "kube-public")) {
            ApiError error =
                ApiError::forbidden("namespaces \"" + std::string(name) +
                                    "\" is forbidden: this namespace may not be deleted");
            error.name = std::string(name);
            error.kind = type.resource;
            return error;
        }
        const bool deleting = isSet(json::valueAt(*old, {"metadata", "deletionTimestamp"}));
        const bool isPod = type.kind == "Pod" && type.group.empty();
        const bool isNamespace = type.kind == "Namespace" && type.group.empty();
        const std::int64_t grace = isPod ? podGracePeriod(*old, options) : 0;

        Object updated = *old;
        Object &meta = json::ensureObject(updated, {"metadata"});
        bool keep = false; // the object stays, marked for deletion
        if (isNamespace) {
            if (!deleting) {
                meta["deletionTimestamp"] = formatRfc3339(m_clock.now());
                meta["deletionGracePeriodSeconds"] = 0;
            }
            json::ensureObject(updated, {"status"})["phase"] = "Terminating";
            keep = true;
        } else if (options.propagation == PropagationPolicy::Foreground && !deleting) {
            boost::json::value &list = meta["finalizers"];
            if (!list.is_array()) {
                list = boost::json::array();
            }
            if (!hasFinalizer(*old, kForeground)) {
                list.get_array().emplace_back(kForeground);
            }
            meta["deletionTimestamp"] = formatRfc3339(m_clock.now());
            meta["deletionGracePeriodSeconds"] = 0;
            keep = true;
        } else if (hasFinalizers(*old)) {
            if (!deleting) {
                meta["deletionTimestamp"] = formatRfc3339(m_clock.now());
                meta["deletionGracePeriodSeconds"] = 0;
            }
            keep = true;
        } else if (isPod && grace > 0) {
            const auto current = json::intAt(*old, {"metadata", "deletionGracePeriodSeconds"});
            // A second delete may only shorten the grace period.
            if (!deleting || !current || grace < *current) {
                meta["deletionTimestamp"] =
                    formatRfc3339(m_clock.now() + std::chrono::seconds(grace));
                meta["deletionGracePeriodSeconds"] = grace;
            }
            keep = true;
        }

        if (options.dryRun) {
            return keep ? updated : *old;
        }
        if (options.propagation == PropagationPolicy::Orphan && !isNamespace) {
            orphanDependents(type, *old);
        }
        if (keep) {
            ApiResult<Object> result = *old;
            if (updated != *old) {
                result = m_store.update(type, updated);
            }
            if (!result && isConflict(result.error()) && attempt < 100) {
                continue;
            }
            if (result && isNamespace) {
                if (finishNamespaceDeletion(name)) {
                    return result; // gone: answer with its last state
                }
                const ObjectPtr now = m_store.getShared(type, ns, name);
                if (now) {
                    return *now;
                }
            }
            return result;
        }
        auto removed = m_store.remove(type, ns, name, uid, rv);
        if (!removed && isConflict(removed.error()) && attempt < 100) {
            continue; // changed between our read and the delete: decide again
        }
        return removed;
    }
}

void ResourceService::orphanDependents(const ResourceType &ownerType, const Object &owner) {
    const std::string uid = json::stringAt(owner, {"metadata", "uid"});
    const std::string ns = json::namespaceOf(owner);
    for (const ResourceType &type : m_registry.all()) {
        if (ownerType.namespaced && !type.namespaced) {
            continue; // cluster-scoped objects cannot be owned by namespaced ones
        }
        for (const ObjectPtr &object :
             m_store.listShared(type, ownerType.namespaced ? ns : "", nullptr)) {
            const boost::json::array *refs =
                json::arrayAt(*object, {"metadata", "ownerReferences"});
            if (refs == nullptr) {
                continue;
            }
            boost::json::array kept;
            for (const boost::json::value &ref : *refs) {
                const Object *r = ref.if_object();
                if (r == nullptr || json::stringAt(*r, {"uid"}) != uid) {
                    kept.push_back(ref);
                }
            }
            if (kept.size() == refs->size()) {
                continue;
            }
            Object updated = *object;
            Object &meta = updated["metadata"].as_object();
            if (kept.empty()) {
                meta.erase("ownerReferences");
            } else {
                meta["ownerReferences"] = std::move(kept);
            }
            (void)m_store.update(type, std::move(updated));
        }
    }
}

bool ResourceService::finishNamespaceDeletion(std::string_view name) {
    const ResourceType *nsType = service::namespaceType(m_registry);
    if (nsType == nullptr) {
        return false;
    }
    bool empty = true;
    DeleteOptions now;
    now.gracePeriodSeconds = 0;
    for (const ResourceType &type : m_registry.all()) {
        if (!type.namespaced) {
            continue;
        }
        for (const ObjectPtr &object : m_store.listShared(type, name, nullptr)) {
            (void)remove(type, name, json::name(*object), now);
        }
        if (!m_store.listShared(type, name, nullptr).empty()) {
            empty = false;
        }
    }
    if (!empty) {
        return false;
    }
    const ObjectPtr ns = m_store.getShared(*nsType, "", name);
    if (!ns) {
        return true;
    }
    return static_cast<bool>(m_store.remove(*nsType, "", name));
}

} // namespace sandbox
