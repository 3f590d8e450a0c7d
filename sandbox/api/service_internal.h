#pragma once
// Pieces of ResourceService shared by its translation units (resource_service.cpp,
// service_write.cpp, service_patch.cpp, service_delete.cpp, service_allocate.cpp). Not a
// public interface.

#include "api/resource_service.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace sandbox::service {

using Object = boost::json::object;
using ObjectPtr = std::shared_ptr<const Object>;

// Manager recorded for writes that name none.
inline constexpr std::string_view kDefaultManager = "unknown";

const ResourceType *namespaceType(const ResourceRegistry &registry);

// Kinds whose metadata.generation the API server maintains.
bool tracksGeneration(const ResourceType &type);

// apiVersion/kind of a body against the endpoint's type (400 on mismatch; fills them in
// when absent) and namespace of body vs URL (400 on mismatch; fills it in when absent).
std::optional<ApiError> checkIdentity(const ResourceType &type, std::string_view ns, Object &body);

// 404 for a namespace that does not exist, 403 for one being terminated.
std::optional<ApiError> checkNamespaceWritable(ResourceService &service, const ResourceType &type,
                                               std::string_view ns, std::string_view name);

// The full create path after identity checks: defaults, create-time strategy, validation,
// allocation, ownership (unless `ownershipDone`, e.g. after server-side apply), dryRun.
ApiResult<Object> createObject(ResourceService &service, const ResourceType &type,
                               std::string_view ns, Object body, const WriteOptions &options,
                               bool ownershipDone);

// The update path for one attempt against `old`: main, status or scale semantics. Returns
// Conflict from the store when `old` went stale (the caller may retry).
ApiResult<Object> updateObject(ResourceService &service, const ResourceType &type,
                               const Object &old, Object body, const WriteOptions &options,
                               Subresource sub, bool ownershipDone);

// The autoscaling/v1 Scale view of a deployment or replicaset.
Object scaleOf(const ResourceType &type, const Object &object);
ResourceType scaleType();

// Service clusterIP / nodePort allocation (create) and preservation (update). Holds a
// process-wide lock from allocation to store write through the returned guard.
std::optional<ApiError> allocateServiceAddresses(ResourceService &service, const ResourceType &type,
                                                 Object &object, const Object *old);
std::unique_lock<std::mutex> allocationLock();

std::string managerOf(const WriteOptions &options);

} // namespace sandbox::service
