#pragma once
// Server-side field validation (?fieldValidation=Strict|Warn|Ignore) for built-in kinds:
// unknown fields are reported with the paths Go's strict JSON decoder prints
// ("spec.replica", "spec.template.spec.containers[0].imagee"). The sandbox knows the
// schema of the top level, metadata, and the specs of the kinds it serves (workloads down
// to containers, ports, env and probes); status, maps and custom resources are not checked.
// See docs/sandbox.md.

#include "api/api_error.h"
#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace sandbox {

// Unknown field paths of `object`, in document order. Empty for custom resources.
std::vector<std::string> unknownFields(const ResourceType &type, const boost::json::object &object);

// The 400 a Strict request gets:
// `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
//  unknown field "spec.replica"`.
ApiError strictDecodingError(const ResourceType &type, const std::vector<std::string> &fields);

// Whether a type is a custom resource (no strategic merge, no schema here).
bool isCustomResource(const ResourceType &type);

} // namespace sandbox
