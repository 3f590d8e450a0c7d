#pragma once
// YAML <-> JSON conversion with the typing rules of the Kubernetes API server
// (sigs.k8s.io/yaml on go-yaml v2, i.e. YAML 1.1 scalars): plain scalars resolve to null,
// bool, int or float; quoted, block and explicitly !!str-tagged scalars stay strings.
// Used for application/yaml and application/apply-patch+yaml request bodies and for
// YAML responses.

#include <rf/result.h>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sandbox::yaml {

// One YAML document (the first, when there are several). An empty document is null.
// Errors read like the API server's: "yaml: line 3: mapping values are not allowed here".
rf::Result<boost::json::value> toJson(std::string_view text);

// Every non-empty document of a multi-document stream ("---" separated), in order.
rf::Result<std::vector<boost::json::value>> allToJson(std::string_view text);

// Block-style YAML for a JSON value. Strings that would read back as another type
// (e.g. "true", "1.0", "null", "") are quoted so that toJson(fromJson(v)) == v.
std::string fromJson(const boost::json::value &value);

// How a plain (unquoted) scalar resolves; exposed for tests and for key conversion.
boost::json::value resolvePlainScalar(const std::string &text);

} // namespace sandbox::yaml
