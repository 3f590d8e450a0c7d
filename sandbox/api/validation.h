#pragma once
// Field validation with the API server's own wording (apimachinery's validation package
// and pkg/apis/*/validation), so `kubectl apply` of a bad manifest prints what a real
// cluster would. Each validator returns the causes of one Invalid error; the caller wraps
// them with ApiError::invalid().

#include "api/api_error.h"
#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::validation {

// The error texts of the apimachinery name validators; empty when valid.
std::vector<std::string> dns1123Subdomain(std::string_view value);
std::vector<std::string> dns1123Label(std::string_view value);
std::vector<std::string> dns1035Label(std::string_view value);
std::vector<std::string> qualifiedName(std::string_view value); // label / annotation keys
std::vector<std::string> labelValue(std::string_view value);

// Go's %q of a string and the causes' standard bodies ("Invalid value: ...").
std::string goQuote(std::string_view value);
StatusCause invalid(std::string field, std::string valueText, std::string detail);
StatusCause required(std::string field, std::string detail = {});
StatusCause notSupported(std::string field, std::string valueText,
                         const std::vector<std::string> &supported);
StatusCause duplicate(std::string field, std::string valueText);
StatusCause forbidden(std::string field, std::string detail);
StatusCause tooLong(std::string field, std::size_t max);
// map[string]string{"app":"web"}, as Go prints a label map in messages.
std::string goStringMap(const boost::json::object *map);

// Causes for an object about to be stored: metadata (name rules per kind, labels,
// annotations) and the kind's own rules. `old` is the stored object on update (for
// immutable fields), null on create.
std::vector<StatusCause> validateObject(const ResourceType &type, const boost::json::object &object,
                                        const boost::json::object *old);

// The pod spec rules shared by pods and pod templates; `path` is "spec" or
// "spec.template.spec". workload: restartPolicy must be Always.
void validatePodSpec(const boost::json::object *spec, const std::string &path, bool workload,
                     std::vector<StatusCause> &causes);
// Labels and annotations under `path` ("metadata", "spec.template.metadata").
void validateLabelsAndAnnotations(const boost::json::object *meta, const std::string &path,
                                  std::vector<StatusCause> &causes);

} // namespace sandbox::validation
