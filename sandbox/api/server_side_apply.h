#pragma once
// Server-side apply: merges an applied configuration into the live object and tracks
// field ownership per manager in metadata.managedFields (FieldsV1), reporting conflicts
// the way the real API server does (409 with FieldManagerConflict causes).

#include "api/api_error.h"
#include "api/resource_registry.h"
#include "util/clock.h"

#include <boost/json/object.hpp>

#include <string_view>

namespace sandbox {

// live == nullptr: the object does not exist yet (apply creates it).
// Returns the merged object with updated managedFields, or 409 Conflict listing every
// field owned by another manager with a different value (unless force, which takes them).
ApiResult<boost::json::object> serverSideApply(const boost::json::object *live,
                                               const boost::json::object &applied,
                                               std::string_view manager, bool force,
                                               const ResourceType &type, TimePoint now);

// Records ownership for an ordinary write (operation "Update") by `manager`: fields the
// write changed move to that manager, so a later apply of them by another manager
// conflicts. previous == nullptr for a create.
void recordUpdateOwnership(boost::json::object &updated, const boost::json::object *previous,
                           std::string_view manager, const ResourceType &type, TimePoint now);
// The same for a write through a subresource ("status", "scale"): the entry records it, as
// in `"kubectl" with subresource "scale" using apps/v1`.
void recordUpdateOwnership(boost::json::object &updated, const boost::json::object *previous,
                           std::string_view manager, const ResourceType &type, TimePoint now,
                           std::string_view subresource);

} // namespace sandbox
