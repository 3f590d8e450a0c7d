// PATCH for every patch type, including server-side apply (which creates when absent).
// Patches apply to the current object, then go through the same update path as a PUT;
// a lost race with another writer is retried on the new state unless the patch carried
// its own resourceVersion precondition.
#include "api/patch.h"
#include "api/server_side_apply.h"
#include "api/service_internal.h"
#include "api/validation.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sandbox {

using service::Object;
using service::ObjectPtr;

namespace {

constexpr int kRetries = 100; // like GuaranteedUpdate: retry lost races, not user preconditions

ApiError patchOptionsInvalid(StatusCause cause) {
    ResourceType patchOptions;
    patchOptions.group = "meta.k8s.io";
    patchOptions.kind = "PatchOptions";
    return ApiError::invalid(patchOptions, "", {std::move(cause)});
}

// Custom resources (any group outside *.k8s.io and the legacy groups) have no strategic
// merge schema; the real server refuses the patch type for them.
bool isCustomResource(const ResourceType &type) {
    const std::string &g = type.group;
    return g.find('.') != std::string::npos && !g.ends_with(".k8s.io");
}

bool carriesResourceVersion(PatchType patchType, const boost::json::value &patch) {
    if (patchType == PatchType::Json) {
        if (!patch.is_array()) {
            return false;
        }
        for (const boost::json::value &op : patch.get_array()) {
            const Object *o = op.if_object();
            if (o != nullptr && json::stringAt(*o, {"path"}) == "/metadata/resourceVersion" &&
                json::stringAt(*o, {"op"}) != "remove") {
                return true;
            }
        }
        return false;
    }
    const Object *o = patch.if_object();
    return o != nullptr && !json::stringAt(*o, {"metadata", "resourceVersion"}).empty();
}

bool isConflict(const ApiError &error) {
    return error.code == 409 && error.reason == "Conflict";
}

ApiError withNames(ApiError error, const ResourceType &type, std::string_view name) {
    if (error.name.empty()) {
        error.name = std::string(name);
        error.group = type.group;
        error.kind = type.resource;
    }
    return error;
}

} // namespace

ApiResult<Object> ResourceService::patch(const ResourceType &type, std::string_view ns,
                                         std::string_view name, PatchType patchType,
                                         std::string_view body, const WriteOptions &options,
                                         Subresource sub, bool *created) {
    if (created != nullptr) {
        *created = false;
    }
    if (patchType == PatchType::Apply && options.fieldManager.empty()) {
        return patchOptionsInvalid(
            validation::required("fieldManager", "is required for apply patch"));
    }
    if (patchType != PatchType::Apply && options.force) {
        return patchOptionsInvalid(
            validation::forbidden("force", "may not be specified for non-apply patch"));
    }
    if (patchType == PatchType::StrategicMerge && isCustomResource(type)) {
        return ApiError::unsupportedMediaType(
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json-patch+json, application/merge-patch+json, "
            "application/apply-patch+yaml");
    }
    boost::system::error_code ec;
    boost::json::value patch = boost::json::parse(body, ec);
    if (ec) {
        return ApiError::badRequest("error decoding patch: " + ec.message());
    }
    if (patchType == PatchType::Json ? !patch.is_array() : !patch.is_object()) {
        return ApiError::badRequest(
            patchType == PatchType::Json
                ? "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
                : "json: cannot unmarshal " + std::string(patch.is_array() ? "array" : "value") +
                      " into Go value of type map[string]interface {}");
    }
    const bool conditional = carriesResourceVersion(patchType, patch);

    if (patchType == PatchType::Apply) {
        Object &applied = patch.get_object();
        if (json::stringAt(applied, {"kind"}).empty()) {
            return ApiError::badRequest("Object 'Kind' is missing in '" + std::string(body) + "'");
        }
        if (auto error = service::checkIdentity(type, ns, applied)) {
            return *error;
        }
        Object &meta = applied["metadata"].get_object();
        const std::string bodyName = json::stringAt(meta, {"name"});
        if (bodyName.empty()) {
            meta["name"] = std::string(name);
        } else if (bodyName != name) {
            return ApiError::badRequest("the name of the object (" + bodyName +
                                        ") does not match the name on the URL (" +
                                        std::string(name) + ")");
        }
    }

    for (int attempt = 0;; ++attempt) {
        const ObjectPtr old = m_store.getShared(type, ns, name);
        if (!old && !(patchType == PatchType::Apply && sub == Subresource::Main)) {
            return ApiError::notFound(type, name);
        }
        ApiResult<Object> result = ApiError::internal("patch was not applied");
        if (!old) {
            auto merged = serverSideApply(nullptr, patch.get_object(), options.fieldManager,
                                          options.force, type, m_clock.now());
            if (!merged) {
                return withNames(merged.error(), type, name);
            }
            result =
                service::createObject(*this, type, ns, std::move(merged.value()), options, true);
            if (!result && result.error().reason == "AlreadyExists" && attempt < kRetries) {
                continue; // created concurrently: apply to it instead
            }
            if (result && created != nullptr) {
                *created = true;
            }
            return result;
        }
        const boost::json::value document = sub == Subresource::Scale
                                                ? boost::json::value(service::scaleOf(type, *old))
                                                : boost::json::value(*old);
        const std::string documentRv =
            json::stringAt(document.as_object(), {"metadata", "resourceVersion"});
        Object patched;
        bool ownershipDone = false;
        switch (patchType) {
        case PatchType::Json: {
            auto applied = applyJsonPatch(document, patch);
            if (!applied) {
                return withNames(applied.error(), type, name);
            }
            if (!applied->is_object()) {
                return ApiError::badRequest("the patched document is not an object");
            }
            patched = std::move(applied->get_object());
            break;
        }
        case PatchType::Merge: {
            boost::json::value merged = applyMergePatch(document, patch);
            if (!merged.is_object()) {
                return ApiError::badRequest("the patched document is not an object");
            }
            patched = std::move(merged.get_object());
            break;
        }
        case PatchType::StrategicMerge: {
            const std::string kind = sub == Subresource::Scale ? "Scale" : type.kind;
            auto merged = applyStrategicMergePatch(document, patch, kind);
            if (!merged) {
                return withNames(merged.error(), type, name);
            }
            if (!merged->is_object()) {
                return ApiError::badRequest("the patched document is not an object");
            }
            patched = std::move(merged->get_object());
            break;
        }
        case PatchType::Apply: {
            if (sub == Subresource::Scale) {
                boost::json::value merged = applyMergePatch(document, patch);
                patched = std::move(merged.as_object());
                break;
            }
            auto merged = serverSideApply(old.get(), patch.get_object(), options.fieldManager,
                                          options.force, type, m_clock.now());
            if (!merged) {
                return withNames(merged.error(), type, name);
            }
            patched = std::move(merged.value());
            ownershipDone = true;
            break;
        }
        }
        const std::string patchedRv = json::stringAt(patched, {"metadata", "resourceVersion"});
        if (conditional && patchedRv != documentRv) {
            return ApiError::conflict(type, name);
        }
        // The store write is conditional on the state the patch was applied to.
        json::ensureObject(patched, {"metadata"})["resourceVersion"] = documentRv;
        result = service::updateObject(*this, type, *old, std::move(patched), options, sub,
                                       ownershipDone);
        if (!result && isConflict(result.error()) && !conditional && attempt < kRetries) {
            continue;
        }
        return result;
    }
}

} // namespace sandbox
