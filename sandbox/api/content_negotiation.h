#pragma once
// Accept and Content-Type negotiation as kube-apiserver does it for resources:
// JSON, YAML, server-side Table (meta.k8s.io v1 and v1beta1) and PartialObjectMetadata
// responses; JSON, YAML and Kubernetes protobuf request bodies (protobuf_decoder.h: the
// kinds kubectl's typed commands send); the four patch media types. Responses are never
// protobuf: an Accept that also allows JSON (as kubectl's does) gets JSON, one that allows
// only protobuf gets 406.

#include "api/api_error.h"
#include "api/resource_service.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

struct MediaType {
    std::string type;                                        // "application"
    std::string subtype;                                     // "json"
    std::vector<std::pair<std::string, std::string>> params; // lower-case names
    double quality = 1.0;

    std::string param(std::string_view name) const;
    std::string essence() const { return type + "/" + subtype; }
};

// Parses an Accept (or Content-Type) header: comma-separated media ranges with
// parameters and q-values, sorted by q (stable, so equal q keeps client order).
std::vector<MediaType> parseMediaTypes(std::string_view header);

enum class ResponseFormat {
    Json,
    Yaml,
    TableV1,
    TableV1beta1,
    PartialObjectMetadata, // as=PartialObjectMetadata(List), meta.k8s.io/v1
};

// What the client accepts for a resource response (get, list, watch, create, ...).
// allowTable: Table and PartialObjectMetadata only make sense for reads.
ApiResult<ResponseFormat> negotiateResponse(std::string_view accept, bool allowTable);

// Content-Type header value for a response format.
std::string contentTypeFor(ResponseFormat format);
bool isTable(ResponseFormat format);

// Decodes a create/update body (application/json, application/yaml,
// application/vnd.kubernetes.protobuf; empty type = JSON) into an object. Errors carry the
// API server's messages:
//   415 `the body of the request was in an unknown format - accepted media types include: ...`
//   400 `couldn't get version/kind; json parse error: ...` / `... yaml: line N: ...`
ApiResult<boost::json::object> decodeObjectBody(std::string_view contentType,
                                                std::string_view body);

// The patch type of a PATCH request's Content-Type; strategic merge is refused for
// custom resources, as the real server does (kubectl falls back to a merge patch).
ApiResult<PatchType> patchTypeFor(std::string_view contentType, bool allowStrategic);

// Parses JSON text as Go's encoding/json would complain about it; the message is Go's
// style ("invalid character 'x' looking for beginning of value", "unexpected end of
// JSON input").
ApiResult<boost::json::value> parseJsonBody(std::string_view body);

} // namespace sandbox
