#pragma once
// What a process container runs, built the way a container runtime combines an image with
// a pod spec (docs/sandbox-images.md "How a process container starts"):
//
//  * argv: the rule's `command` is the image's ENTRYPOINT (first word) plus CMD (the rest).
//    The container's `command` replaces both, its `args` replace CMD only — Kubernetes'
//    rule. A container `command` whose program has the same base name as the rule's
//    entrypoint (e.g. "/app/forecast-api" for "${BIN_DIR}/forecast-api") runs the rule's
//    binary, since paths inside an image do not exist on the host. $(VAR) references in
//    command and args expand from the container's environment.
//  * environment: PATH, HOME and HOSTNAME (= pod name) to start with, then the container's
//    env/envFrom (resolveContainerEnv), then the rule's env — the rule comes last because
//    it stands for what the image and the pod's network namespace provide on a real node
//    (listen address = pod IP, the model file baked into the image, the version): a
//    ConfigMap written for a real cluster (HOST=0.0.0.0, MODEL_PATH=/models/...) must not
//    move those.
//  * working directory: the rule's workingDir; else the container's workingDir when that
//    directory exists on this machine; else a private directory per pod and container.

#include "kubelet/container_env.h"
#include "kubelet/container_process.h"
#include "kubelet/image_table.h"

#include <boost/json/object.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace sandbox {

struct LaunchInputs {
    const ImageRule *rule = nullptr;
    std::string image;
    const boost::json::object *pod = nullptr;
    const boost::json::object *container = nullptr;
    std::string podIP;
    std::filesystem::path binDir;
    std::filesystem::path privateDir;              // fallback working directory (created when used)
    std::optional<std::filesystem::path> tagModel; // ${TAG_MODEL}, when the rule uses it
    EnvList containerEnv;                          // resolved env/envFrom
};

// The image-table variables for a container (${TAG} ... ${BIN_DIR}, ${TAG_MODEL}).
std::map<std::string, std::string> imageVariables(const LaunchInputs &in);
// Whether any part of the rule uses ${name}.
bool ruleUsesVariable(const ImageRule &rule, std::string_view name);

// argv, env and working directory; logFile is left to the caller.
LaunchSpec buildLaunchSpec(const LaunchInputs &in);

// Kubernetes' $(VAR) expansion in command/args ($$ escapes; unknown references stay).
std::string expandKubeReferences(std::string_view text,
                                 const std::map<std::string, std::string> &env);

} // namespace sandbox
