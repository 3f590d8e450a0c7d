#include "http/router.h"

#include "http/json_writer.h"
#include "http/model_holder.h"
#include "http/predict_handler.h"
#include "http/service_state.h"

#include <algorithm>
#include <cctype>

namespace forecast::http {
namespace {

using metrics::Handler;

constexpr std::size_t kMaxEchoedTarget = 200; // error messages quote the path, bounded

std::string_view pathOf(std::string_view target) {
    const auto query = target.find_first_of("?#");
    return query == std::string_view::npos ? target : target.substr(0, query);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

Response jsonResponse(int status, std::string body, Handler handler) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.handler = handler;
    return r;
}

Response methodNotAllowed(const Request &request, std::string_view path, std::string_view allow,
                          Handler handler) {
    std::string message = "method ";
    message.append(request.method.substr(0, 16));
    message.append(" is not allowed on ");
    message.append(path);
    message.append("; use ");
    message.append(allow);
    Response r = errorResponse({405, "method_not_allowed", std::move(message)}, handler);
    r.allow = allow;
    return r;
}

Response health(const RouteDeps &deps) {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() - deps.state.startedAt);
    std::string body = "{\"status\":\"ok\",\"app_version\":";
    json::appendString(body, deps.config.appVersion);
    body.append(",\"uptime_seconds\":");
    json::appendInteger(body, uptime.count());
    body.push_back('}');
    return jsonResponse(200, std::move(body), Handler::Health);
}

Response notReady(const char *code, std::string_view reason) {
    std::string body = "{\"status\":\"not_ready\",\"reason\":";
    json::appendString(body, reason);
    body.push_back(',');
    appendErrorMember(body, {503, code, std::string(reason)});
    body.push_back('}');
    return jsonResponse(503, std::move(body), Handler::Ready);
}

Response readiness(const RouteDeps &deps) {
    if (deps.state.draining.load(std::memory_order_relaxed)) {
        return notReady("draining", "shutting down: draining in-flight requests");
    }
    const auto model = deps.models.current();
    if (!model) {
        return notReady("model_not_loaded", "model not loaded yet");
    }
    std::string body = "{\"status\":\"ready\",\"model_version\":";
    json::appendString(body, model->version);
    body.push_back('}');
    return jsonResponse(200, std::move(body), Handler::Ready);
}

void appendAccuracy(std::string &out, const Accuracy &a) {
    out.append("{\"mase\":");
    json::appendNumber(out, a.mase, 4);
    out.append(",\"smape\":");
    json::appendNumber(out, a.smape, 4);
    out.append(",\"coverage80\":");
    json::appendNumber(out, a.coverage80, 4);
    out.append(",\"naive_mase\":");
    json::appendNumber(out, a.naiveMase, 4);
    out.append(",\"naive_smape\":");
    json::appendNumber(out, a.naiveSmape, 4);
    out.push_back('}');
}

Response modelInfo(const RouteDeps &deps) {
    const auto model = deps.models.current();
    if (!model) {
        return errorResponse({503, "model_not_loaded", "no model is loaded yet"}, Handler::Model);
    }
    std::string body = "{\"version\":";
    json::appendString(body, model->version);
    body.append(",\"format_version\":");
    json::appendInteger(body, model->formatVersion);
    body.append(",\"trained_at\":");
    json::appendString(body, model->trainedAt);
    body.append(",\"training_window\":{\"start\":");
    json::appendDate(body, model->windowStart);
    body.append(",\"end\":");
    json::appendDate(body, model->windowEnd);
    body.append("},\"series_count\":");
    json::appendInteger(body, static_cast<std::int64_t>(model->series().size()));
    body.append(",\"holdout_days\":");
    json::appendInteger(body, model->holdoutDays);
    body.append(",\"holdout_accuracy\":");
    appendAccuracy(body, model->overall);
    body.append(",\"app_version\":");
    json::appendString(body, deps.config.appVersion);
    body.push_back('}');
    return jsonResponse(200, std::move(body), Handler::Model);
}

Response metricsPage(const RouteDeps &deps) {
    Response r;
    r.handler = Handler::Metrics;
    if (deps.metrics != nullptr) {
        r.body = deps.metrics->scrape();
    }
    r.contentType = metrics::ServiceMetrics::kContentType;
    return r;
}

struct Route {
    std::string_view path;
    std::string_view method; // the one allowed method
    Handler handler;
};

} // namespace

std::string takeBuffer(const Request &request) {
    if (request.spare == nullptr) {
        return {};
    }
    std::string buffer = std::move(*request.spare);
    buffer.clear();
    return buffer;
}

Response errorResponse(const ApiError &error, Handler handler) {
    return jsonResponse(error.status, renderError(error), handler);
}

bool isJsonContentType(std::string_view contentType) {
    auto mediaType = contentType.substr(0, contentType.find(';'));
    while (!mediaType.empty() && (mediaType.back() == ' ' || mediaType.back() == '\t')) {
        mediaType.remove_suffix(1);
    }
    while (!mediaType.empty() && (mediaType.front() == ' ' || mediaType.front() == '\t')) {
        mediaType.remove_prefix(1);
    }
    return equalsIgnoreCase(mediaType, "application/json");
}

Response route(const Request &request, const RouteDeps &deps) {
    const std::string_view path = pathOf(request.target);
    const Route routes[] = {
        {deps.config.healthPath, "GET", Handler::Health},
        {deps.config.readyPath, "GET", Handler::Ready},
        {"/predict", "POST", Handler::Predict},
        {"/predict/batch", "POST", Handler::PredictBatch},
        {"/model", "GET", Handler::Model},
        {"/metrics", "GET", Handler::Metrics},
    };
    const auto match = std::find_if(std::begin(routes), std::end(routes),
                                    [&](const Route &r) { return r.path == path; });
    if (match == std::end(routes)) {
        std::string message = "no route for ";
        message.append(request.method.substr(0, 16));
        message.push_back(' ');
        message.append(path.substr(0, kMaxEchoedTarget));
        return errorResponse({404, "not_found", std::move(message)}, Handler::Other);
    }
    if (request.method != match->method) {
        return methodNotAllowed(request, match->path, match->method, match->handler);
    }
    if (match->method == "POST" && !isJsonContentType(request.contentType)) {
        std::string message = "Content-Type must be application/json, got ";
        message.append(request.contentType.empty() ? std::string_view("none")
                                                   : request.contentType.substr(0, 100));
        return errorResponse({415, "unsupported_media_type", std::move(message)}, match->handler);
    }
    switch (match->handler) {
    case Handler::Health:
        return health(deps);
    case Handler::Ready:
        return readiness(deps);
    case Handler::Predict:
        return handlePredict(request, deps);
    case Handler::PredictBatch:
        return handlePredictBatch(request, deps);
    case Handler::Model:
        return modelInfo(deps);
    case Handler::Metrics:
        return metricsPage(deps);
    case Handler::Other:
        break;
    }
    return errorResponse({500, "internal", "unroutable request"}, Handler::Other);
}

} // namespace forecast::http
