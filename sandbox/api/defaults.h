#pragma once
// The API server's defaulting (pkg/apis/*/v1/defaults.go plus the admission plugins a
// default cluster runs: ServiceAccount, DefaultTolerationSeconds, Priority), one function
// per kind in a table. Runs on every create and update before validation, so a stored
// object always reads as a real cluster would return it.

#include "api/resource_registry.h"

#include <boost/json/object.hpp>

namespace sandbox::defaults {

// Defaults for `object` of `type`; `creating` adds what admission sets only on create.
void apply(const ResourceType &type, boost::json::object &object, bool creating);

// Pod spec defaults shared by pods and pod templates.
void podSpec(boost::json::object &spec);

// "Always" for ":latest" or untagged images, else "IfNotPresent".
const char *imagePullPolicyFor(std::string_view image);

} // namespace sandbox::defaults
