#pragma once
// Patch application on JSON documents, as the API server does it: JSON patch (RFC 6902),
// JSON merge patch (RFC 7386) and strategic merge patch with its directives and the
// Kubernetes merge keys (k8s-api-notes §4). Pure functions, no I/O.

#include "api/api_error.h"

#include <boost/json/value.hpp>

#include <string_view>

namespace sandbox {

// RFC 6902: add, remove, replace, move, copy, test. A failed op -> 422 Invalid-style
// error with the op's path (the caller wraps it with the object's names).
ApiResult<boost::json::value> applyJsonPatch(const boost::json::value &document,
                                             const boost::json::value &patch);

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
boost::json::value applyMergePatch(const boost::json::value &document,
                                   const boost::json::value &patch);

// Strategic merge for a built-in kind ("Deployment", "Pod", "Service", ...): lists with a
// merge key merge by it (containers by name, ports by containerPort, ...), primitive
// lists marked for merging (finalizers) union, other lists replace; honours
// $patch: replace|delete|merge, $setElementOrder/<field>, $retainKeys,
// $deleteFromPrimitiveList/<field>. Unknown kinds fall back to a merge patch.
ApiResult<boost::json::value> applyStrategicMergePatch(const boost::json::value &document,
                                                       const boost::json::value &patch,
                                                       std::string_view kind);

// JSON equality as the patch libraries see it: numbers compare by value (2 == 2.0),
// object key order is irrelevant. Used by the JSON patch "test" op and by SSA.
bool jsonEquals(const boost::json::value &a, const boost::json::value &b);

} // namespace sandbox
