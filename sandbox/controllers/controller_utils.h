#pragma once
// Helpers every controller needs (pkg/controller/controller_utils.go in spirit): controller
// owner references, adoption and release, active pods, error classes.

#include "api/resource_service.h"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// The ownerReferences entry with controller: true, if any.
const boost::json::object *controllerRef(const boost::json::object &object);
// {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true} for owner.
boost::json::object makeControllerRef(const boost::json::object &owner);
// Adds `ref` to object's ownerReferences (replacing an entry with the same uid).
void addOwnerReference(boost::json::object &object, boost::json::object ref);
// Removes the entry with `uid`; true when one was removed.
bool removeOwnerReference(boost::json::object &object, std::string_view uid);

// Not terminal (Succeeded/Failed) and not being deleted: counts toward a ReplicaSet.
bool isPodActive(const boost::json::object &pod);
std::string uidOf(const boost::json::object &object);

bool isNotFound(const ApiError &error);
bool isConflict(const ApiError &error);
bool isAlreadyExists(const ApiError &error);

// Drops integer fields equal to 0 from a status object, as Go's omitempty does for the
// replica counters of Deployment/ReplicaSet status.
void dropZeroCounters(boost::json::object &status);

// Write options with the field manager the real component uses.
WriteOptions managerOptions(std::string_view fieldManager);

} // namespace sandbox
