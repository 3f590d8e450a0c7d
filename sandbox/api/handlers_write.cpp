#include "api/content_field_validation.h"
#include "api/handlers.h"

#include "util/json_util.h"
#include "util/yaml_json.h"

#include <boost/json/serialize.hpp>

namespace sandbox {

namespace {

Subresource subresourceOf(const ResourcePath &path) {
    if (path.subresource == "status") {
        return Subresource::Status;
    }
    if (path.subresource == "scale") {
        return Subresource::Scale;
    }
    return Subresource::Main;
}

ApiError invalidOptions(const char *kind, const std::string &field, const std::string &reason,
                        const std::string &detail) {
    ApiError error;
    error.code = 422;
    error.reason = "Invalid";
    error.kind = kind;
    error.group = "meta.k8s.io";
    error.message = std::string(kind) + ".meta.k8s.io \"\" is invalid: " + field + ": " + detail;
    error.causes.push_back({reason, detail, field});
    return error;
}

// PUT names its object twice; the real server insists they agree.
ApiResult<bool> checkUrlMatchesBody(const ResourceType &type, const ResourcePath &path,
                                    const boost::json::object &body) {
    std::string name = json::name(body);
    if (!name.empty() && name != path.name) {
        return ApiError::badRequest("the name of the object (" + name +
                                    ") does not match the name on the URL (" + path.name + ")");
    }
    std::string ns = json::namespaceOf(body);
    if (type.namespaced && !ns.empty() && ns != path.ns) {
        return ApiError::badRequest(
            "the namespace of the provided object does not match the namespace sent on the "
            "request");
    }
    return true;
}

ApiResult<ResponseFormat> writeFormat(const HttpRequest &request) {
    return negotiateResponse(request.header("accept"), false);
}

} // namespace

HttpResponse handleCreate(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path) {
    auto format = writeFormat(request);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto options = writeOptionsFrom(request, "CreateOptions");
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto body = decodeObjectBody(request.header("content-type"), request.body);
    if (!body.ok()) {
        return errorResponse(body.error());
    }
    std::vector<std::string> warnings;
    auto fields = checkFields(type, body.value(), options.value(), warnings);
    if (!fields.ok()) {
        return errorResponse(fields.error());
    }
    auto created = config.service->create(type, path.ns, std::move(body.value()), options.value());
    if (!created.ok()) {
        return errorResponse(created.error());
    }
    HttpResponse response = objectResponse(201, created.value(), format.value());
    addWarnings(response, warnings);
    return response;
}

HttpResponse handleUpdate(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path) {
    auto format = writeFormat(request);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto options = writeOptionsFrom(request, "UpdateOptions");
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto body = decodeObjectBody(request.header("content-type"), request.body);
    if (!body.ok()) {
        return errorResponse(body.error());
    }
    const Subresource sub = subresourceOf(path);
    std::vector<std::string> warnings;
    if (sub != Subresource::Scale) {
        auto matches = checkUrlMatchesBody(type, path, body.value());
        if (!matches.ok()) {
            return errorResponse(matches.error());
        }
        auto fields = checkFields(type, body.value(), options.value(), warnings);
        if (!fields.ok()) {
            return errorResponse(fields.error());
        }
    }
    auto updated = config.service->update(type, path.ns, path.name, std::move(body.value()),
                                          options.value(), sub);
    if (!updated.ok()) {
        return errorResponse(updated.error());
    }
    HttpResponse response = objectResponse(200, updated.value(), format.value());
    addWarnings(response, warnings);
    return response;
}

HttpResponse handlePatch(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path) {
    auto format = writeFormat(request);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto patchType = patchTypeFor(request.header("content-type"), !isCustomResource(type));
    if (!patchType.ok()) {
        return errorResponse(patchType.error());
    }
    auto options = writeOptionsFrom(request, "PatchOptions");
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    const Subresource sub = subresourceOf(path);
    std::string body = request.body;
    std::vector<std::string> warnings;
    if (options->fieldManager.empty()) {
        if (patchType.value() == PatchType::Apply) {
            return errorResponse(invalidOptions("PatchOptions", "fieldManager",
                                                "FieldValueRequired",
                                                "Required value: is required for apply patch"));
        }
        options->fieldManager = managerFromUserAgent(request);
    }
    if (patchType.value() == PatchType::Apply) {
        // The apply body is YAML (JSON is YAML too); the service takes JSON text.
        auto converted = yaml::toJson(request.body);
        if (!converted.ok()) {
            return errorResponse(
                ApiError::badRequest("error decoding YAML: " + converted.message()));
        }
        if (!converted->is_object()) {
            return errorResponse(ApiError::badRequest(
                "couldn't get version/kind; json parse error: json: cannot unmarshal "
                "non-object into Go value of type struct"));
        }
        if (sub == Subresource::Main) {
            auto fields = checkFields(type, converted->get_object(), options.value(), warnings);
            if (!fields.ok()) {
                return errorResponse(fields.error());
            }
        }
        body = boost::json::serialize(converted.value());
    } else {
        if (options->force) {
            return errorResponse(invalidOptions("PatchOptions", "force", "FieldValueForbidden",
                                                "Forbidden: may not be specified for non-apply "
                                                "patch"));
        }
        auto parsed = parseJsonBody(request.body);
        if (!parsed.ok()) {
            return errorResponse(
                ApiError::badRequest("error decoding patch: " + parsed.error().message));
        }
        const bool isObjectPatch = patchType.value() != PatchType::Json;
        if (isObjectPatch && !parsed->is_object()) {
            return errorResponse(
                ApiError::badRequest("error decoding patch: json: cannot unmarshal " +
                                     std::string(parsed->is_array() ? "array" : "value") +
                                     " into Go value of type map[string]interface {}"));
        }
        if (patchType.value() == PatchType::Json && !parsed->is_array()) {
            return errorResponse(ApiError::badRequest(
                "json: cannot unmarshal object into Go value of type jsonpatch.Patch"));
        }
        if (isObjectPatch && sub == Subresource::Main) {
            auto fields = checkFields(type, parsed->get_object(), options.value(), warnings);
            if (!fields.ok()) {
                return errorResponse(fields.error());
            }
        }
    }
    bool created = false;
    auto patched = config.service->patch(type, path.ns, path.name, patchType.value(), body,
                                         options.value(), sub, &created);
    if (!patched.ok()) {
        return errorResponse(patched.error());
    }
    HttpResponse response = objectResponse(created ? 201 : 200, patched.value(), format.value());
    addWarnings(response, warnings);
    return response;
}

namespace {

ApiResult<DeleteOptions> deleteOptionsFrom(const HttpRequest &request) {
    DeleteOptions options;
    auto write = writeOptionsFrom(request, "DeleteOptions");
    if (!write.ok()) {
        return write.error();
    }
    options.dryRun = write->dryRun;
    auto grace = intParam(request, "gracePeriodSeconds");
    if (!grace.ok()) {
        return grace.error();
    }
    options.gracePeriodSeconds = grace.value();
    std::string policy = queryOr(request, "propagationPolicy");
    bool orphan = false;
    if (auto orphanParam = boolParam(request, "orphanDependents", false); orphanParam.ok()) {
        orphan = orphanParam.value();
    } else {
        return orphanParam.error();
    }
    // A DeleteOptions body (kubectl sends {"propagationPolicy":"Background"}) wins over
    // nothing, and query parameters win over the body, as in the real handler.
    if (!request.body.empty()) {
        auto parsed = decodeObjectBody(request.header("content-type"), request.body);
        if (!parsed.ok()) {
            return parsed.error();
        }
        const auto &body = parsed.value();
        if (policy.empty()) {
            policy = json::stringAt(body, {"propagationPolicy"});
        }
        if (!options.gracePeriodSeconds) {
            options.gracePeriodSeconds = json::intAt(body, {"gracePeriodSeconds"});
        }
        if (auto orphanBody = json::boolAt(body, {"orphanDependents"})) {
            orphan = orphan || *orphanBody;
        }
        options.preconditionUid = json::stringAt(body, {"preconditions", "uid"});
        options.preconditionResourceVersion =
            json::stringAt(body, {"preconditions", "resourceVersion"});
        if (const auto *dry = json::arrayAt(body, {"dryRun"})) {
            for (const auto &value : *dry) {
                if (!value.is_string() || value.get_string() != "All") {
                    return invalidOptions("DeleteOptions", "dryRun", "FieldValueNotSupported",
                                          "Unsupported value: " + boost::json::serialize(value) +
                                              ": supported values: \"All\"");
                }
                options.dryRun = true;
            }
        }
    }
    if (policy.empty()) {
        options.propagation = orphan ? PropagationPolicy::Orphan : PropagationPolicy::Background;
    } else if (policy == "Background") {
        options.propagation = PropagationPolicy::Background;
    } else if (policy == "Foreground") {
        options.propagation = PropagationPolicy::Foreground;
    } else if (policy == "Orphan") {
        options.propagation = PropagationPolicy::Orphan;
    } else {
        return invalidOptions("DeleteOptions", "propagationPolicy", "FieldValueNotSupported",
                              "Unsupported value: \"" + policy +
                                  "\": supported values: \"Foreground\", \"Background\", "
                                  "\"Orphan\", \"nil\"");
    }
    if (options.gracePeriodSeconds && *options.gracePeriodSeconds < 0) {
        options.gracePeriodSeconds = 0;
    }
    return options;
}

} // namespace

HttpResponse handleDelete(const Config &config, const HttpRequest &request,
                          const ResourceType &type, const ResourcePath &path) {
    auto format = writeFormat(request);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto options = deleteOptionsFrom(request);
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto removed = config.service->remove(type, path.ns, path.name, options.value());
    if (!removed.ok()) {
        return errorResponse(removed.error());
    }
    // An object that still exists (finalizers, foreground deletion, graceful pod
    // termination) is answered 202 Accepted, as the real server does.
    const auto *deletionTimestamp =
        json::valueAt(removed.value(), {"metadata", "deletionTimestamp"});
    const bool pending = deletionTimestamp && !deletionTimestamp->is_null() &&
                         json::stringAt(removed.value(), {"kind"}) != "Status";
    return objectResponse(pending ? 202 : 200, removed.value(), format.value());
}

HttpResponse handleDeleteCollection(const Config &config, const HttpRequest &request,
                                    const ResourceType &type, const ResourcePath &path) {
    auto options = deleteOptionsFrom(request);
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto listOptions = listOptionsFrom(request);
    if (!listOptions.ok()) {
        return errorResponse(listOptions.error());
    }
    listOptions->limit = 0;
    listOptions->continueToken.clear();
    auto list = config.service->list(type, path.ns, listOptions.value());
    if (!list.ok()) {
        return errorResponse(list.error());
    }
    for (const auto &item : list->items) {
        auto removed = config.service->remove(type, json::namespaceOf(item), json::name(item),
                                              options.value());
        // An item deleted meanwhile by someone else is not a failure of the collection.
        if (!removed.ok() && removed.error().code != 404) {
            return errorResponse(removed.error());
        }
    }
    return statusSuccess(200);
}

} // namespace sandbox
