#pragma once
// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables): envFrom sources in order (configMapRef / secretRef, with
// prefix and optional), then env entries in order (value with $(VAR) expansion,
// valueFrom.configMapKeyRef / secretKeyRef / fieldRef / resourceFieldRef); later entries win.
// A missing required ConfigMap, Secret or key is an error whose message is the kubelet's
// (e.g. `configmap "forecast-config" not found`, `couldn't find key LOG_LEVEL in ConfigMap
// retail-forecast/forecast-config`): the runtime reports it as the waiting reason
// CreateContainerConfigError with that message and retries.

#include "api/resource_service.h"

#include <rf/result.h>

#include <boost/json/object.hpp>

#include <string>
#include <utility>
#include <vector>

namespace sandbox {

struct EnvContext {
    std::string podIP;
    std::string nodeName;
    std::string hostIP;
};

using EnvList = std::vector<std::pair<std::string, std::string>>; // name, value; unique names

rf::Result<EnvList> resolveContainerEnv(ResourceService &service, const boost::json::object &pod,
                                        const boost::json::object &container,
                                        const EnvContext &context);

} // namespace sandbox
