// metrics.k8s.io/v1beta1 (what `kubectl top` reads): PodMetrics and NodeMetrics built on
// each request from PodMetricsStore, joined with the pods and nodes of the store so label
// and field selectors, namespaces and stale samples behave as with metrics-server.
#include "api/handlers.h"
#include "api/metrics_api.h"
#include "api/table.h"

#include "kubelet/pod_metrics_store.h"
#include "util/clock.h"
#include "util/json_util.h"

namespace sandbox {

namespace {

using Object = boost::json::object;

// The sample of `pod` if it is this very pod's (a recreated pod of the same name has a new
// uid and no sample yet).
std::optional<PodUsage> sampleOf(const PodMetricsStore &store, const Object &pod) {
    auto usage = store.pod(json::namespaceOf(pod), json::name(pod));
    if (!usage) {
        return std::nullopt;
    }
    const std::string uid = json::stringAt(pod, {"metadata", "uid"});
    if (!usage->uid.empty() && usage->uid != uid) {
        return std::nullopt;
    }
    return usage;
}

ApiResult<std::vector<Object>> metricsItems(const Config &config, const ResourceType &type,
                                            const std::string &ns, const ListOptions &options) {
    const bool podsWanted = type.kind == "PodMetrics";
    const ResourceType *source =
        config.registry->byResource("", "v1", podsWanted ? "pods" : "nodes");
    if (source == nullptr) {
        return ApiError::internal("the registry has no " +
                                  std::string(podsWanted ? "pods" : "nodes"));
    }
    auto listed = config.service->list(*source, ns, options);
    if (!listed) {
        return listed.error();
    }
    const TimePoint now = config.clock->now();
    std::vector<Object> items;
    if (podsWanted) {
        for (const Object &pod : listed->items) {
            if (auto usage = sampleOf(*config.podMetrics, pod)) {
                items.push_back(metrics_api::podMetrics(pod, *usage, now));
            }
        }
        return items;
    }
    // Every pod of the sandbox runs on its one node; count only samples of live pods.
    const ResourceType *podType = config.registry->byResource("", "v1", "pods");
    auto pods = config.service->list(*podType, "", ListOptions{});
    if (!pods) {
        return pods.error();
    }
    for (const Object &node : listed->items) {
        std::vector<PodUsage> samples;
        for (const Object &pod : pods->items) {
            const std::string nodeName = json::stringAt(pod, {"spec", "nodeName"});
            if (nodeName != json::name(node)) {
                continue;
            }
            if (auto usage = sampleOf(*config.podMetrics, pod)) {
                samples.push_back(std::move(*usage));
            }
        }
        items.push_back(metrics_api::nodeMetrics(node, samples, now));
    }
    return items;
}

HttpResponse metricsResponse(const Config &config, const HttpRequest &request,
                             const ResourceType &type, std::vector<Object> items,
                             const std::optional<std::string> &name) {
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
    if (name) {
        if (items.empty()) {
            // metrics-server names its resources podmetrics/nodemetrics in errors, and a
            // pod as "namespace/name".
            ResourceType named = type;
            named.resource = type.kind == "PodMetrics" ? "podmetrics" : "nodemetrics";
            return errorResponse(ApiError::notFound(named, *name));
        }
        if (isTable(format.value())) {
            return jsonResponse(200, buildTable(type, items.front(), now, tableOptions),
                                contentTypeFor(format.value()));
        }
        if (format.value() == ResponseFormat::PartialObjectMetadata) {
            return jsonResponse(200, partialObjectMetadata(items.front()),
                                contentTypeFor(format.value()));
        }
        return objectResponse(200, items.front(), format.value());
    }
    if (isTable(format.value())) {
        return jsonResponse(200, buildTable(type, items, now, tableOptions, TableListMeta{}),
                            contentTypeFor(format.value()));
    }
    boost::json::array array;
    for (Object &item : items) {
        array.push_back(format.value() == ResponseFormat::PartialObjectMetadata
                            ? partialObjectMetadata(item)
                            : std::move(item));
    }
    Object list{{"kind", type.listKind()},
                {"apiVersion", type.apiVersion()},
                {"metadata", Object{}},
                {"items", std::move(array)}};
    if (format.value() == ResponseFormat::Yaml) {
        return objectResponse(200, list, ResponseFormat::Yaml);
    }
    return jsonResponse(200, list);
}

} // namespace

HttpResponse handleMetrics(const Config &config, const HttpRequest &request,
                           const ResourceType &type, const ResourcePath &path) {
    if (request.method != "GET" && request.method != "HEAD") {
        return methodNotAllowed();
    }
    auto watch = boolParam(request, "watch", false);
    if (!watch.ok()) {
        return errorResponse(watch.error());
    }
    if (watch.value() || path.watchPrefix || !path.subresource.empty()) {
        return methodNotAllowed(); // metrics-server serves no watch
    }
    if (config.podMetrics == nullptr) {
        ApiError error;
        error.code = 503;
        error.reason = "ServiceUnavailable";
        error.message = "the server is currently unable to handle the request";
        return errorResponse(error);
    }
    auto options = listOptionsFrom(request);
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    ListOptions selection;
    selection.labelSelector = options->labelSelector;
    selection.fieldSelector = options->fieldSelector;
    std::optional<std::string> name;
    if (!path.name.empty()) {
        name = type.namespaced ? path.ns + "/" + path.name : path.name;
        selection = ListOptions{};
        selection.fieldSelector = "metadata.name=" + path.name;
    }
    auto items = metricsItems(config, type, path.ns, selection);
    if (!items) {
        return errorResponse(items.error());
    }
    return metricsResponse(config, request, type, std::move(*items), name);
}

HttpResponse handleServedOnly(const Config &config, HttpRequest &request, const ResourceType &type,
                              const ResourcePath &path) {
    if (type.group == "metrics.k8s.io") {
        return handleMetrics(config, request, type, path);
    }
    return handleConvertedHpa(config, request, type, path);
}

} // namespace sandbox
