#include "controllers/controller_utils.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

namespace sandbox {

const boost::json::object *controllerRef(const boost::json::object &object) {
    if (const auto *refs = json::arrayAt(object, {"metadata", "ownerReferences"})) {
        for (const auto &ref : *refs) {
            if (ref.is_object() && json::boolAt(ref.get_object(), {"controller"}).value_or(false)) {
                return &ref.get_object();
            }
        }
    }
    return nullptr;
}

boost::json::object makeControllerRef(const boost::json::object &owner) {
    return boost::json::object{{"apiVersion", json::stringAt(owner, {"apiVersion"})},
                               {"kind", json::stringAt(owner, {"kind"})},
                               {"name", json::name(owner)},
                               {"uid", uidOf(owner)},
                               {"controller", true},
                               {"blockOwnerDeletion", true}};
}

void addOwnerReference(boost::json::object &object, boost::json::object ref) {
    auto &metadata = json::ensureObject(object, {"metadata"});
    auto &refs = metadata["ownerReferences"];
    if (!refs.is_array()) {
        refs = boost::json::array();
    }
    const std::string uid = json::stringAt(ref, {"uid"});
    auto &array = refs.get_array();
    for (auto &existing : array) {
        if (existing.is_object() && json::stringAt(existing.get_object(), {"uid"}) == uid) {
            existing = std::move(ref);
            return;
        }
    }
    array.push_back(std::move(ref));
}

bool removeOwnerReference(boost::json::object &object, std::string_view uid) {
    auto *metadata = object.if_contains("metadata");
    if (metadata == nullptr || !metadata->is_object()) {
        return false;
    }
    auto *refs = metadata->get_object().if_contains("ownerReferences");
    if (refs == nullptr || !refs->is_array()) {
        return false;
    }
    auto &array = refs->get_array();
    bool removed = false;
    for (auto it = array.begin(); it != array.end();) {
        if (it->is_object() && json::stringAt(it->get_object(), {"uid"}) == uid) {
            it = array.erase(it);
            removed = true;
        } else {
            ++it;
        }
    }
    if (array.empty()) {
        metadata->get_object().erase("ownerReferences");
    }
    return removed;
}

bool isPodActive(const boost::json::object &pod) {
    const std::string phase = json::stringAt(pod, {"status", "phase"});
    return phase != "Succeeded" && phase != "Failed" &&
           json::stringAt(pod, {"metadata", "deletionTimestamp"}).empty();
}

std::string uidOf(const boost::json::object &object) {
    return json::stringAt(object, {"metadata", "uid"});
}

bool isNotFound(const ApiError &error) {
    return error.code == 404;
}
bool isConflict(const ApiError &error) {
    return error.code == 409 && error.reason == "Conflict";
}
bool isAlreadyExists(const ApiError &error) {
    return error.reason == "AlreadyExists";
}

void dropZeroCounters(boost::json::object &status) {
    for (auto it = status.begin(); it != status.end();) {
        const auto &v = it->value();
        const bool zero =
            (v.is_int64() && v.get_int64() == 0) || (v.is_uint64() && v.get_uint64() == 0);
        if (zero && it->key() != "replicas") {
            it = status.erase(it);
        } else {
            ++it;
        }
    }
}

WriteOptions managerOptions(std::string_view fieldManager) {
    WriteOptions options;
    options.fieldManager = std::string(fieldManager);
    return options;
}

} // namespace sandbox
