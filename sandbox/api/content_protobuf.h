#pragma once
// Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown wrapping the object), which
// kubectl's typed commands send (`kubectl create namespace|configmap|secret|serviceaccount`).
// The sandbox speaks JSON; it decodes protobuf only for these simple kinds, whose fields it
// maps one to one. Other kinds are answered 415 (send JSON or YAML, as `kubectl apply` does).

#include "api/api_error.h"

#include <boost/json/object.hpp>

#include <string_view>

namespace sandbox {

ApiResult<boost::json::object> decodeProtobufObject(std::string_view body);

} // namespace sandbox
