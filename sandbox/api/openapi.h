#pragma once
// The minimal OpenAPI v3 that kubectl needs for `apply`, `create -f` and `replace -f` with
// default validation (k8s-api-notes §1): the /openapi/v3 index with a serverRelativeURL per
// group version, and per group-version documents whose operations carry
// x-kubernetes-group-version-kind and the fieldValidation query parameter. Finding a PATCH
// for the object's GVK with that parameter makes kubectl send fieldValidation=Strict and
// let the server validate.
//
// Schemas and requestBody are deliberately absent: without them client-side apply falls
// back to its compiled-in types (strategic merge patch for built-in kinds, merge patch for
// custom resources such as PrometheusRule), which is what it does against real clusters.
//
// /openapi/v2 is not served (the HTTP layer answers 404 NotFound): kubectl asks for it only
// when v3 fails, and v3 does not fail here.

#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// GET /openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."},
// "apis/apps/v1":{...},...}} for every group version of the registry.
boost::json::object openApiV3Index(const ResourceRegistry &registry,
                                   std::string_view serverVersion);

// GET /openapi/v3/<path> with path "api/v1" or "apis/<group>/<version>" (a leading '/' and a
// "?hash=..." query are ignored); nullopt for a group version not served (404).
std::optional<boost::json::object> openApiV3Document(const ResourceRegistry &registry,
                                                     std::string_view path,
                                                     std::string_view serverVersion);

} // namespace sandbox
