// autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` 1.32 writes), served by
// converting to and from the stored autoscaling/v2 objects (hpa_conversion.h). Reads,
// create, update (main and status), JSON/merge/strategic patches and deletes; no watch
// (kubectl watches the preferred v2) and no server-side apply on v1.
#include "api/handlers.h"
#include "api/hpa_conversion.h"
#include "api/patch.h"
#include "api/table.h"

#include "util/clock.h"
#include "util/json_util.h"

namespace sandbox {

namespace {

using Object = boost::json::object;

const ResourceType &storedType(const Config &config) {
    return *config.registry->byResource("autoscaling", "v2", "horizontalpodautoscalers");
}

HttpResponse readResponse(const Config &config, const HttpRequest &request,
                          const ResourceType &stored, const ResourceType &v1Type,
                          std::vector<Object> items, const ListResult *list) {
    auto format = negotiateResponse(request.header("accept"), true);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto include = parseIncludeObject(queryOr(request, "includeObject"));
    if (!include.ok()) {
        return errorResponse(include.error());
    }
    TableOptions tableOptions;
    tableOptions.includeObject = include.value();
    tableOptions.apiVersion = format.value() == ResponseFormat::TableV1beta1 ? "v1beta1" : "v1";
    const TimePoint now = config.clock->now();
    if (isTable(format.value())) {
        // The printer reads v2 (the columns are the same for both versions).
        if (list == nullptr) {
            return jsonResponse(200, buildTable(stored, items.front(), now, tableOptions),
                                contentTypeFor(format.value()));
        }
        TableListMeta meta{list->resourceVersion, list->continueToken, list->remainingItemCount};
        return jsonResponse(200, buildTable(stored, items, now, tableOptions, meta),
                            contentTypeFor(format.value()));
    }
    const bool metadataOnly = format.value() == ResponseFormat::PartialObjectMetadata;
    if (list == nullptr) {
        Object v1 = hpa_conversion::toV1(items.front());
        return metadataOnly
                   ? jsonResponse(200, partialObjectMetadata(v1), contentTypeFor(format.value()))
                   : objectResponse(200, v1, format.value());
    }
    boost::json::array converted;
    for (const Object &item : items) {
        Object v1 = hpa_conversion::toV1(item);
        converted.push_back(metadataOnly ? partialObjectMetadata(v1) : std::move(v1));
    }
    Object meta{{"resourceVersion", list->resourceVersion}};
    if (!list->continueToken.empty()) {
        meta["continue"] = list->continueToken;
    }
    Object body{
        {"kind", metadataOnly ? std::string("PartialObjectMetadataList") : v1Type.listKind()},
        {"apiVersion", metadataOnly ? std::string("meta.k8s.io/v1") : v1Type.apiVersion()},
        {"metadata", std::move(meta)},
        {"items", std::move(converted)}};
    return format.value() == ResponseFormat::Yaml ? objectResponse(200, body, ResponseFormat::Yaml)
                                                  : jsonResponse(200, body);
}

// A v1 body in, checked against the URL, as v2.
ApiResult<Object> incoming(const HttpRequest &request, const ResourcePath &path, bool named) {
    auto body = decodeObjectBody(request.header("content-type"), request.body);
    if (!body.ok()) {
        return body.error();
    }
    const std::string apiVersion = json::stringAt(body.value(), {"apiVersion"});
    const std::string kind = json::stringAt(body.value(), {"kind"});
    if ((!apiVersion.empty() && apiVersion != "autoscaling/v1") ||
        (!kind.empty() && kind != "HorizontalPodAutoscaler")) {
        return ApiError::badRequest("the API version in the data (" + apiVersion +
                                    ") does not match the expected API version (autoscaling/v1)");
    }
    if (named) {
        const std::string name = json::name(body.value());
        if (!name.empty() && name != path.name) {
            return ApiError::badRequest("the name of the object (" + name +
                                        ") does not match the name on the URL (" + path.name + ")");
        }
    }
    const std::string ns = json::namespaceOf(body.value());
    if (!ns.empty() && ns != path.ns) {
        return ApiError::badRequest("the namespace of the provided object does not match the "
                                    "namespace sent on the request");
    }
    return hpa_conversion::toV2(body.value());
}

HttpResponse written(const HttpRequest &request, int status, const ApiResult<Object> &result) {
    if (!result.ok()) {
        return errorResponse(result.error());
    }
    auto format = negotiateResponse(request.header("accept"), false);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    return objectResponse(status, hpa_conversion::toV1(result.value()), format.value());
}

ApiResult<WriteOptions> writeOptions(const HttpRequest &request, const char *kind) {
    auto options = writeOptionsFrom(request, kind);
    if (options.ok() && options->fieldManager.empty()) {
        options->fieldManager = managerFromUserAgent(request);
    }
    return options;
}

HttpResponse patchV1(const Config &config, const HttpRequest &request, const ResourceType &stored,
                     const ResourcePath &path, Subresource sub) {
    auto patchType = patchTypeFor(request.header("content-type"), true);
    if (!patchType.ok()) {
        return errorResponse(patchType.error());
    }
    if (patchType.value() == PatchType::Apply) {
        return errorResponse(ApiError::unsupportedMediaType(
            "forecast-sandbox serves server-side apply for HorizontalPodAutoscalers as "
            "autoscaling/v2 only"));
    }
    auto options = writeOptions(request, "PatchOptions");
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto parsed = parseJsonBody(request.body);
    if (!parsed.ok()) {
        return errorResponse(
            ApiError::badRequest("error decoding patch: " + parsed.error().message));
    }
    auto current = config.service->get(stored, path.ns, path.name);
    if (!current.ok()) {
        return errorResponse(current.error());
    }
    const boost::json::value document = hpa_conversion::toV1(current.value());
    ApiResult<boost::json::value> patched = document;
    switch (patchType.value()) {
    case PatchType::Json:
        patched = applyJsonPatch(document, parsed.value());
        break;
    case PatchType::Merge:
        patched = applyMergePatch(document, parsed.value());
        break;
    default:
        patched = applyStrategicMergePatch(document, parsed.value(), "HorizontalPodAutoscaler");
        break;
    }
    if (!patched.ok()) {
        return errorResponse(patched.error());
    }
    if (!patched->is_object()) {
        return errorResponse(ApiError::badRequest("the patch did not produce an object"));
    }
    Object v2 = hpa_conversion::toV2(patched->get_object());
    // The version read above: a concurrent writer makes this a conflict, as upstream.
    json::ensureObject(v2, {"metadata"})["resourceVersion"] =
        json::stringAt(current.value(), {"metadata", "resourceVersion"});
    return written(
        request, 200,
        config.service->update(stored, path.ns, path.name, std::move(v2), options.value(), sub));
}

} // namespace

HttpResponse handleConvertedHpa(const Config &config, HttpRequest &request,
                                const ResourceType &type, const ResourcePath &path) {
    const ResourceType &stored = storedType(config);
    const std::string &method = request.method;
    if (!path.subresource.empty() && (path.subresource != "status" || path.name.empty())) {
        return notFoundPath();
    }
    const Subresource sub = path.subresource == "status" ? Subresource::Status : Subresource::Main;
    if (method == "GET" || method == "HEAD") {
        auto watch = boolParam(request, "watch", false);
        if (!watch.ok()) {
            return errorResponse(watch.error());
        }
        if (watch.value() || path.watchPrefix) {
            return methodNotAllowed();
        }
        if (path.name.empty()) {
            auto options = listOptionsFrom(request);
            if (!options.ok()) {
                return errorResponse(options.error());
            }
            auto list = config.service->list(stored, path.ns, options.value());
            if (!list.ok()) {
                return errorResponse(list.error());
            }
            return readResponse(config, request, stored, type, list->items, &list.value());
        }
        auto object = config.service->get(stored, path.ns, path.name);
        if (!object.ok()) {
            return errorResponse(object.error());
        }
        return readResponse(config, request, stored, type, {std::move(object.value())}, nullptr);
    }
    if (path.watchPrefix) {
        return methodNotAllowed();
    }
    if (method == "POST") {
        if (!path.name.empty() || path.ns.empty()) {
            return methodNotAllowed();
        }
        auto options = writeOptions(request, "CreateOptions");
        if (!options.ok()) {
            return errorResponse(options.error());
        }
        auto body = incoming(request, path, false);
        if (!body.ok()) {
            return errorResponse(body.error());
        }
        return written(
            request, 201,
            config.service->create(stored, path.ns, std::move(body.value()), options.value()));
    }
    if (path.name.empty()) {
        return method == "DELETE" ? handleDeleteCollection(config, request, stored, path)
                                  : methodNotAllowed();
    }
    if (method == "PUT") {
        auto options = writeOptions(request, "UpdateOptions");
        if (!options.ok()) {
            return errorResponse(options.error());
        }
        auto body = incoming(request, path, true);
        if (!body.ok()) {
            return errorResponse(body.error());
        }
        return written(request, 200,
                       config.service->update(stored, path.ns, path.name, std::move(body.value()),
                                              options.value(), sub));
    }
    if (method == "PATCH") {
        return patchV1(config, request, stored, path, sub);
    }
    if (method == "DELETE" && sub == Subresource::Main) {
        return handleDelete(config, request, stored, path);
    }
    return methodNotAllowed();
}

} // namespace sandbox
