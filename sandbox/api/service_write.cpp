// Create and update paths of ResourceService: the API server's strategy hooks
// (PrepareForCreate / PrepareForUpdate), defaults, validation, generation and
// subresources, shared by create, update, patch and apply.
#include "api/defaults.h"
#include "api/server_side_apply.h"
#include "api/service_internal.h"
#include "api/validation.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sandbox::service {

namespace {

bool isSet(const boost::json::value *v) {
    return v != nullptr && !v->is_null() && !(v->is_string() && v->get_string().empty());
}

std::string canonicalAt(const Object &object, json::Path path) {
    const boost::json::value *v = json::valueAt(object, path);
    return v == nullptr ? std::string() : json::canonical(*v);
}

// pkg/apis/core/helper/qos: Guaranteed when every container limits cpu and memory with
// requests equal to limits; BestEffort when nothing requests or limits anything.
std::string qosClass(const Object &pod) {
    const boost::json::array *containers = json::arrayAt(pod, {"spec", "containers"});
    if (containers == nullptr) {
        return "BestEffort";
    }
    bool any = false;
    bool guaranteed = true;
    for (const boost::json::value &c : *containers) {
        const Object *container = c.if_object();
        if (container == nullptr) {
            continue;
        }
        const Object *limits = json::objectAt(*container, {"resources", "limits"});
        const Object *requests = json::objectAt(*container, {"resources", "requests"});
        any = any || (limits != nullptr && !limits->empty()) ||
              (requests != nullptr && !requests->empty());
        for (const char *resource : {"cpu", "memory"}) {
            const boost::json::value *limit =
                limits != nullptr ? limits->if_contains(resource) : nullptr;
            const boost::json::value *request =
                requests != nullptr ? requests->if_contains(resource) : nullptr;
            if (limit == nullptr ||
                (request != nullptr && json::canonical(*request) != json::canonical(*limit))) {
                guaranteed = false;
            }
        }
    }
    if (!any) {
        return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
}

// PrepareForCreate: the status a new object starts with.
void resetStatus(const ResourceType &type, Object &object) {
    if (type.kind == "Pod") {
        object["status"] = Object{{"phase", "Pending"}, {"qosClass", qosClass(object)}};
    } else if (type.kind == "Service") {
        object["status"] = Object{{"loadBalancer", Object()}};
    } else if (type.hasStatus) {
        object["status"] = Object();
    }
}

// Pods may change only images, activeDeadlineSeconds and tolerations after creation.
std::optional<StatusCause> podSpecChange(const Object &old, const Object &updated) {
    auto neutral = [](const Object &pod) {
        Object spec;
        if (const Object *s = json::objectAt(pod, {"spec"})) {
            spec = *s;
        }
        for (const char *list : {"containers", "initContainers"}) {
            if (boost::json::value *v = spec.if_contains(list); v != nullptr && v->is_array()) {
                for (boost::json::value &c : v->get_array()) {
                    if (Object *o = c.if_object()) {
                        o->erase("image");
                    }
                }
            }
        }
        spec.erase("activeDeadlineSeconds");
        spec.erase("tolerations");
        return json::canonical(spec);
    };
    if (neutral(old) == neutral(updated)) {
        return std::nullopt;
    }
    return validation::forbidden(
        "spec", "pod updates may not change fields other than `spec.containers[*].image`,"
                "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
                "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                "(allow it to be set to 1 if it was previously negative)");
}

std::optional<ApiError> validate(const ResourceType &type, const Object &object,
                                 const Object *old) {
    std::vector<StatusCause> causes = validation::validateObject(type, object, old);
    if (old != nullptr && type.kind == "Pod") {
        if (auto change = podSpecChange(*old, object)) {
            causes.push_back(*change);
        }
    }
    if (causes.empty()) {
        return std::nullopt;
    }
    return ApiError::invalid(type, json::name(object), std::move(causes));
}

std::int64_t nextGeneration(const ResourceType &type, const Object &old, const Object &updated) {
    const std::int64_t current = json::intAt(old, {"metadata", "generation"}).value_or(1);
    const bool specChanged = canonicalAt(old, {"spec"}) != canonicalAt(updated, {"spec"});
    // Deployments also count annotation changes: rollbacks travel through them.
    const bool annotationsChanged =
        type.kind == "Deployment" && canonicalAt(old, {"metadata", "annotations"}) !=
                                         canonicalAt(updated, {"metadata", "annotations"});
    return specChanged || annotationsChanged ? current + 1 : current;
}

void recordOwnership(ResourceService &service, const ResourceType &type, Object &updated,
                     const Object *old, const WriteOptions &options,
                     std::string_view subresource = {}) {
    if (subresource.empty()) {
        recordUpdateOwnership(updated, old, managerOf(options), type, service.clock().now());
    } else {
        recordUpdateOwnership(updated, old, managerOf(options), type, service.clock().now(),
                              subresource);
    }
}

ApiResult<Object> store(ResourceService &service, const ResourceType &type, Object updated,
                        const WriteOptions &options) {
    if (options.dryRun) {
        return updated;
    }
    auto stored = service.store().update(type, std::move(updated));
    if (!stored) {
        return stored;
    }
    // Clearing the last finalizer of an object being deleted completes its deletion.
    const Object &object = stored.value();
    const boost::json::array *finalizers = json::arrayAt(object, {"metadata", "finalizers"});
    if (isSet(json::valueAt(object, {"metadata", "deletionTimestamp"})) &&
        (finalizers == nullptr || finalizers->empty()) &&
        !(type.kind == "Pod" &&
          json::intAt(object, {"metadata", "deletionGracePeriodSeconds"}).value_or(0) > 0)) {
        auto removed = service.store().remove(type, json::namespaceOf(object), json::name(object),
                                              json::stringAt(object, {"metadata", "uid"}));
        if (removed) {
            return removed;
        }
    }
    return stored;
}

} // namespace

std::string managerOf(const WriteOptions &options) {
    return options.fieldManager.empty() ? std::string(kDefaultManager) : options.fieldManager;
}

const ResourceType *namespaceType(const ResourceRegistry &registry) {
    return registry.byResource("", "v1", "namespaces");
}

bool tracksGeneration(const ResourceType &type) {
    static const std::string_view kinds[] = {"Deployment",
                                             "ReplicaSet",
                                             "StatefulSet",
                                             "DaemonSet",
                                             "Job",
                                             "HorizontalPodAutoscaler",
                                             "PodDisruptionBudget",
                                             "Ingress",
                                             "PrometheusRule",
                                             "CustomResourceDefinition"};
    return std::find(std::begin(kinds), std::end(kinds), type.kind) != std::end(kinds);
}

std::optional<ApiError> checkIdentity(const ResourceType &type, std::string_view ns, Object &body) {
    const std::string apiVersion = json::stringAt(body, {"apiVersion"});
    const std::string kind = json::stringAt(body, {"kind"});
    if (!apiVersion.empty() && apiVersion != type.apiVersion()) {
        return ApiError::badRequest("the API version in the data (" + apiVersion +
                                    ") does not match the expected API version (" +
                                    type.apiVersion() + ")");
    }
    if (!kind.empty() && kind != type.kind) {
        return ApiError::badRequest("the kind in the data (" + kind +
                                    ") does not match the expected kind (" + type.kind + ")");
    }
    body["apiVersion"] = type.apiVersion();
    body["kind"] = type.kind;
    boost::json::value &metaValue = body["metadata"];
    if (!metaValue.is_object()) {
        metaValue = Object();
    }
    Object &meta = metaValue.get_object();
    if (type.namespaced) {
        const std::string bodyNs = json::stringAt(meta, {"namespace"});
        if (!bodyNs.empty() && !ns.empty() && bodyNs != ns) {
            return ApiError::badRequest("the namespace of the provided object does not match the "
                                        "namespace sent on the request");
        }
        if (bodyNs.empty()) {
            meta["namespace"] = std::string(ns);
        }
    } else {
        meta.erase("namespace");
    }
    return std::nullopt;
}

std::optional<ApiError> checkNamespaceWritable(ResourceService &service, const ResourceType &type,
                                               std::string_view ns, std::string_view name) {
    const ResourceType *nsType = namespaceType(service.registry());
    if (!type.namespaced || nsType == nullptr) {
        return std::nullopt;
    }
    const auto found = service.store().getShared(*nsType, "", ns);
    if (!found) {
        return ApiError::notFound(*nsType, ns);
    }
    if (json::stringAt(*found, {"status", "phase"}) == "Terminating" ||
        isSet(json::valueAt(*found, {"metadata", "deletionTimestamp"}))) {
        ApiError error =
            ApiError::forbidden(type.groupResource() + " \"" + std::string(name) +
                                "\" is forbidden: unable to create new content in namespace " +
                                std::string(ns) + " because it is being terminated");
        error.name = std::string(name);
        error.group = type.group;
        error.kind = type.resource;
        error.causes.push_back(StatusCause{"NamespaceTerminating",
                                           "namespace " + std::string(ns) + " is being terminated",
                                           "metadata.namespace"});
        return error;
    }
    return std::nullopt;
}

ApiResult<Object> createObject(ResourceService &service, const ResourceType &type,
                               std::string_view ns, Object body, const WriteOptions &options,
                               bool ownershipDone) {
    if (auto error = checkIdentity(type, ns, body)) {
        return *error;
    }
    Object &meta = body["metadata"].get_object();
    if (isSet(meta.if_contains("resourceVersion"))) {
        ApiError error = ApiError::internal("");
        error.message = "resourceVersion should not be set on objects to be created";
        error.causes.clear();
        return error;
    }
    for (const char *key :
         {"uid", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
          "selfLink", "creationTimestamp"}) {
        meta.erase(key);
    }
    std::string name = json::stringAt(meta, {"name"});
    const std::string generateName = json::stringAt(meta, {"generateName"});
    if (name.empty() && !generateName.empty()) {
        // names.SimpleNameGenerator: prefix (cut to fit 63) + 5 random characters.
        static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
        const std::string uid = ObjectStore::generateUid();
        name = generateName.substr(0, 58);
        for (std::size_t i = 0; i < 5; ++i) {
            name += alphabet[static_cast<unsigned char>(uid[i * 2]) % alphabet.size()];
        }
        meta["name"] = name;
    }
    const std::string effectiveNs = type.namespaced ? json::stringAt(meta, {"namespace"}) : "";
    if (!name.empty()) {
        if (auto error = checkNamespaceWritable(service, type, effectiveNs, name)) {
            return *error;
        }
    }
    resetStatus(type, body);
    defaults::apply(type, body, true);
    if (tracksGeneration(type)) {
        body["metadata"].get_object()["generation"] = 1;
    }
    if (auto error = validate(type, body, nullptr)) {
        return *error;
    }
    std::unique_lock<std::mutex> allocation;
    if (type.kind == "Service") {
        allocation = allocationLock();
        if (auto error = allocateServiceAddresses(service, type, body, nullptr)) {
            return *error;
        }
    }
    if (!ownershipDone) {
        recordOwnership(service, type, body, nullptr, options);
    }
    if (options.dryRun) {
        Object &m = body["metadata"].get_object();
        m["uid"] = ObjectStore::generateUid();
        m["creationTimestamp"] = formatRfc3339(service.clock().now());
        return body;
    }
    return service.store().create(type, std::move(body));
}

Object scaleOf(const ResourceType &type, const Object &object) {
    Object meta;
    for (const char *key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        if (const boost::json::value *v = json::valueAt(object, {"metadata", key})) {
            meta[key] = *v;
        }
    }
    Object status{{"replicas", json::intAt(object, {"status", "replicas"}).value_or(0)}};
    if (const Object *selector = json::objectAt(object, {"spec", "selector"})) {
        if (auto parsed = LabelSelector::fromObject(*selector)) {
            status["selector"] = parsed->toString();
        }
    }
    (void)type;
    return Object{
        {"kind", "Scale"},
        {"apiVersion", "autoscaling/v1"},
        {"metadata", std::move(meta)},
        {"spec", Object{{"replicas", json::intAt(object, {"spec", "replicas"}).value_or(0)}}},
        {"status", std::move(status)}};
}

ResourceType scaleType() {
    ResourceType type;
    type.group = "autoscaling";
    type.version = "v1";
    type.kind = "Scale";
    type.resource = "scale";
    return type;
}

namespace {

ApiResult<Object> updateStatus(ResourceService &service, const ResourceType &type,
                               const Object &old, Object body, const WriteOptions &options) {
    Object updated = old;
    if (boost::json::value *status = body.if_contains("status")) {
        updated["status"] = std::move(*status);
    } else {
        updated.erase("status");
    }
    // The status strategies reset spec and labels (and ownership-relevant metadata) but let
    // annotations through: the deployment controller records the revision this way
    // without bumping generation.
    if (const boost::json::value *annotations = json::valueAt(body, {"metadata", "annotations"})) {
        Object &meta = json::ensureObject(updated, {"metadata"});
        if (annotations->is_object() && !annotations->get_object().empty()) {
            meta["annotations"] = *annotations;
        } else {
            meta.erase("annotations");
        }
    }
    const std::string bodyRv = json::stringAt(body, {"metadata", "resourceVersion"});
    json::ensureObject(updated, {"metadata"})["resourceVersion"] =
        bodyRv.empty() ? json::stringAt(old, {"metadata", "resourceVersion"}) : bodyRv;
    recordOwnership(service, type, updated, &old, options, "status");
    return store(service, type, std::move(updated), options);
}

ApiResult<Object> updateScale(ResourceService &service, const ResourceType &type, const Object &old,
                              const Object &body, const WriteOptions &options) {
    const std::string name = json::name(old);
    const std::string kind = json::stringAt(body, {"kind"});
    if (!kind.empty() && kind != "Scale") {
        return ApiError::badRequest("the kind in the data (" + kind +
                                    ") does not match the expected kind (Scale)");
    }
    const std::string bodyName = json::name(body);
    if (!bodyName.empty() && bodyName != name) {
        return ApiError::badRequest("the name of the object (" + bodyName +
                                    ") does not match the name on the URL (" + name + ")");
    }
    const auto replicas = json::intAt(body, {"spec", "replicas"}).value_or(0);
    if (replicas < 0) {
        return ApiError::invalid(scaleType(), name,
                                 {validation::invalid("spec.replicas", std::to_string(replicas),
                                                      "must be greater than or equal to 0")});
    }
    const std::string bodyRv = json::stringAt(body, {"metadata", "resourceVersion"});
    const std::string oldRv = json::stringAt(old, {"metadata", "resourceVersion"});
    if (!bodyRv.empty() && bodyRv != oldRv) {
        return ApiError::conflict(type, name);
    }
    Object updated = old;
    json::ensureObject(updated, {"spec"})["replicas"] = replicas;
    if (tracksGeneration(type)) {
        json::ensureObject(updated, {"metadata"})["generation"] =
            nextGeneration(type, old, updated);
    }
    if (auto error = validate(type, updated, &old)) {
        return *error;
    }
    recordOwnership(service, type, updated, &old, options, "scale");
    auto stored = store(service, type, std::move(updated), options);
    if (!stored) {
        return stored;
    }
    return scaleOf(type, stored.value());
}

} // namespace

ApiResult<Object> updateObject(ResourceService &service, const ResourceType &type,
                               const Object &old, Object body, const WriteOptions &options,
                               Subresource sub, bool ownershipDone) {
    if (sub == Subresource::Scale) {
        return updateScale(service, type, old, body, options);
    }
    const std::string name = json::name(old);
    const std::string ns = json::namespaceOf(old);
    if (auto error = checkIdentity(type, ns, body)) {
        return *error;
    }
    Object &meta = body["metadata"].get_object();
    const std::string bodyName = json::stringAt(meta, {"name"});
    if (bodyName.empty()) {
        meta["name"] = name;
    } else if (bodyName != name) {
        return ApiError::badRequest("the name of the object (" + bodyName +
                                    ") does not match the name on the URL (" + name + ")");
    }
    const std::string oldRv = json::stringAt(old, {"metadata", "resourceVersion"});
    const std::string bodyRv = json::stringAt(meta, {"resourceVersion"});
    if (!bodyRv.empty() && bodyRv != oldRv) {
        return ApiError::conflict(type, name);
    }
    if (sub == Subresource::Status) {
        return updateStatus(service, type, old, std::move(body), options);
    }
    meta["resourceVersion"] = oldRv;
    const Object &oldMeta = old.at("metadata").as_object();
    for (const char *kept : {"uid", "creationTimestamp", "deletionTimestamp",
                             "deletionGracePeriodSeconds", "generation"}) {
        if (const boost::json::value *v = oldMeta.if_contains(kept)) {
            meta[kept] = *v;
        } else {
            meta.erase(kept);
        }
    }
    if (!meta.contains("managedFields")) {
        if (const boost::json::value *v = oldMeta.if_contains("managedFields")) {
            meta["managedFields"] = *v;
        }
    }
    defaults::apply(type, body, false);
    if (type.hasStatus) {
        if (const boost::json::value *status = old.if_contains("status")) {
            body["status"] = *status;
        } else {
            body.erase("status");
        }
    }
    std::unique_lock<std::mutex> allocation;
    if (type.kind == "Service") {
        allocation = allocationLock();
        if (auto error = allocateServiceAddresses(service, type, body, &old)) {
            return *error;
        }
    }
    if (tracksGeneration(type)) {
        body["metadata"].get_object()["generation"] = nextGeneration(type, old, body);
    }
    if (auto error = validate(type, body, &old)) {
        return *error;
    }
    if (!ownershipDone) {
        recordOwnership(service, type, body, &old, options);
    }
    return store(service, type, std::move(body), options);
}

} // namespace sandbox::service
