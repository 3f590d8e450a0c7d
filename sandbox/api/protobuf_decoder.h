#pragma once
// Decodes Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf),
// which kubectl's typed commands send: `kubectl create configmap|secret|deployment|service|
// namespace|serviceaccount|ingress|poddisruptionbudget`, `kubectl auth can-i`,
// `kubectl autoscale`. The body is the 4-byte magic "k8s\0" and a runtime.Unknown
// {typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3, contentType=4} whose raw
// bytes are the object's message. The result is the object exactly as kubectl would have
// sent it in JSON, so everything after decoding is the JSON path.

#include "api/api_error.h"
#include "api/protobuf_schema.h"

#include <boost/json/object.hpp>

#include <string_view>

namespace sandbox {

// 400 BadRequest for a body that is not well-formed Kubernetes protobuf (with what is wrong
// and where), 415 UnsupportedMediaType for a kind the sandbox has no schema for or a
// compressed body.
ApiResult<boost::json::object> decodeKubernetesProtobuf(std::string_view body);

// One message (no envelope) with the given schema; exposed for tests.
ApiResult<boost::json::object> decodeProtobufMessage(std::string_view bytes,
                                                     const protobuf::MessageSchema &schema);

} // namespace sandbox
