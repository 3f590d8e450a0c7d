#include "api/handlers.h"
#include "api/table.h"

#include "util/clock.h"

#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>

namespace sandbox {

namespace {

TableOptions tableOptions(ResponseFormat format, IncludeObject include) {
    TableOptions options;
    options.includeObject = include;
    options.apiVersion = format == ResponseFormat::TableV1beta1 ? "v1beta1" : "v1";
    return options;
}

// Appends `"key":<value>` pairs of a list by hand so a 5,000-item list is serialized
// once, straight into the response body, without building a second document.
void appendListMeta(std::string &out, const ListResult &list) {
    boost::json::object meta;
    meta["resourceVersion"] = list.resourceVersion;
    if (!list.continueToken.empty()) {
        meta["continue"] = list.continueToken;
    }
    if (list.remainingItemCount) {
        meta["remainingItemCount"] = *list.remainingItemCount;
    }
    out += boost::json::serialize(meta);
}

// Serializes through a small stack buffer into the body: no temporary string per item.
void appendSerialized(std::string &out, const boost::json::object &object) {
    boost::json::serializer serializer;
    serializer.reset(&object);
    char buffer[16384];
    while (!serializer.done()) {
        out.append(serializer.read(buffer, sizeof buffer));
    }
}

std::string serializeList(const ResourceType &type, const ListResult &list, bool metadataOnly) {
    std::string out;
    // One allocation for the whole body: size it from the first item (pods of one
    // workload are alike), so a 5,000-item list is not copied again on every growth.
    if (!list.items.empty()) {
        const std::size_t sample = boost::json::serialize(list.items.front()).size();
        out.reserve(512 + (sample + sample / 4 + 16) * list.items.size());
    }
    if (metadataOnly) {
        out += R"({"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":)";
    } else {
        out += R"({"kind":)";
        out += boost::json::serialize(boost::json::value(type.listKind()));
        out += R"(,"apiVersion":)";
        out += boost::json::serialize(boost::json::value(type.apiVersion()));
        out += R"(,"metadata":)";
    }
    appendListMeta(out, list);
    out += R"(,"items":[)";
    bool first = true;
    for (const auto &item : list.items) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        if (metadataOnly) {
            out += boost::json::serialize(partialObjectMetadata(item));
        } else {
            appendSerialized(out, item);
        }
    }
    out += "]}";
    return out;
}

ApiResult<IncludeObject> includeObjectOf(const HttpRequest &request) {
    return parseIncludeObject(queryOr(request, "includeObject"));
}

} // namespace

boost::json::object partialObjectMetadata(const boost::json::object &object) {
    boost::json::object out{{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}};
    if (const auto *meta = object.if_contains("metadata")) {
        out["metadata"] = *meta;
    } else {
        out["metadata"] = boost::json::object();
    }
    return out;
}

HttpResponse handleGet(const Config &config, const HttpRequest &request, const ResourceType &type,
                       const ResourcePath &path) {
    Subresource sub = Subresource::Main;
    if (path.subresource == "status") {
        sub = Subresource::Status;
    } else if (path.subresource == "scale") {
        sub = Subresource::Scale;
    }
    auto format = negotiateResponse(request.header("accept"), sub != Subresource::Scale);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto include = includeObjectOf(request);
    if (!include.ok()) {
        return errorResponse(include.error());
    }
    auto object = config.service->get(type, path.ns, path.name, sub);
    if (!object.ok()) {
        return errorResponse(object.error());
    }
    if (isTable(format.value())) {
        auto table = buildTable(type, object.value(), config.clock->now(),
                                tableOptions(format.value(), include.value()));
        return jsonResponse(200, table, contentTypeFor(format.value()));
    }
    if (format.value() == ResponseFormat::PartialObjectMetadata) {
        return jsonResponse(200, partialObjectMetadata(object.value()),
                            contentTypeFor(format.value()));
    }
    return objectResponse(200, object.value(), format.value());
}

HttpResponse handleList(const Config &config, const HttpRequest &request, const ResourceType &type,
                        const ResourcePath &path) {
    auto format = negotiateResponse(request.header("accept"), true);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    auto include = includeObjectOf(request);
    if (!include.ok()) {
        return errorResponse(include.error());
    }
    auto options = listOptionsFrom(request);
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto list = config.service->list(type, path.ns, options.value());
    if (!list.ok()) {
        return errorResponse(list.error());
    }
    const ListResult &result = list.value();
    if (isTable(format.value())) {
        TableListMeta meta{result.resourceVersion, result.continueToken, result.remainingItemCount};
        auto table = buildTable(type, result.items, config.clock->now(),
                                tableOptions(format.value(), include.value()), meta);
        return jsonResponse(200, table, contentTypeFor(format.value()));
    }
    if (format.value() == ResponseFormat::Yaml) {
        boost::json::object body{{"kind", type.listKind()}, {"apiVersion", type.apiVersion()}};
        boost::json::object meta{{"resourceVersion", result.resourceVersion}};
        if (!result.continueToken.empty()) {
            meta["continue"] = result.continueToken;
        }
        body["metadata"] = std::move(meta);
        boost::json::array items;
        for (const auto &item : result.items) {
            items.push_back(item);
        }
        body["items"] = std::move(items);
        return objectResponse(200, body, ResponseFormat::Yaml);
    }
    HttpResponse response;
    response.status = 200;
    const bool metadataOnly = format.value() == ResponseFormat::PartialObjectMetadata;
    response.contentType = metadataOnly
                               ? "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"
                               : "application/json";
    response.body = serializeList(type, result, metadataOnly);
    return response;
}

} // namespace sandbox
