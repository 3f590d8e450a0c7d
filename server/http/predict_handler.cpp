#include "http/predict_handler.h"

#include "http/json_writer.h"
#include "http/model_holder.h"
#include "http/request_decoder.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

namespace forecast::http {
namespace {

using Clock = std::chrono::steady_clock;

// `"0.1":` for each requested quantile, formatted once per request rather than once per day.
struct QuantileKeys {
    std::array<std::array<char, 40>, kMaxQuantiles> text{};
    std::array<std::size_t, kMaxQuantiles> size{};

    explicit QuantileKeys(std::span<const double> quantiles) {
        std::string scratch;
        for (std::size_t i = 0; i < quantiles.size(); ++i) {
            scratch.clear();
            json::appendShortest(scratch, quantiles[i]);
            auto &slot = text[i];
            std::size_t n = 0;
            slot[n++] = '"';
            for (const char c : scratch) {
                slot[n++] = c;
            }
            slot[n++] = '"';
            slot[n++] = ':';
            size[i] = n;
        }
    }
    std::string_view key(std::size_t i) const { return {text[i].data(), size[i]}; }
};

ApiError unknownSeries(const PredictRequest &request) {
    std::string message = "no model for store ";
    json::appendString(message, request.store);
    message += " item ";
    json::appendString(message, request.item);
    return {404, "unknown_series", std::move(message)};
}

ApiError modelNotLoaded() {
    return {503, "model_not_loaded", "no model is loaded yet; retry when readiness is 200"};
}

// Appends the members of one forecast answer (no braces). Fails only for an unknown series.
std::optional<ApiError> appendForecastMembers(std::string &out, const PredictRequest &request,
                                              const Model &model,
                                              metrics::ServiceMetrics *metrics) {
    const SeriesModel *series = model.find(request.store, request.item);
    if (series == nullptr) {
        return unknownSeries(request);
    }
    // One table per I/O thread, reused: after warm-up a forecast allocates nothing.
    thread_local ForecastTable days;
    const auto started = Clock::now();
    model.forecastInto(*series, request.horizon, request.quantiles(), days);
    if (metrics != nullptr) {
        metrics->observePrediction(std::chrono::duration<double>(Clock::now() - started).count());
    }
    const QuantileKeys keys(request.quantiles());

    const std::size_t dayCount = days.days();
    const std::size_t quantileCount = std::min(days.quantileCount, request.quantileCount);
    // The longest a day can be: its fixed pieces ({"date":, ,"mean":, ,"quantiles":{, }} and
    // the comma before it, 34 characters; 48 leaves room), a date, and one number per value.
    std::size_t keyChars = 0;
    for (std::size_t q = 0; q < quantileCount; ++q) {
        keyChars += keys.key(q).size();
    }
    const std::size_t perDay = 48 + json::kDateChars + json::kMaxNumberChars + keyChars +
                               quantileCount * (json::kMaxNumberChars + 1);
    // One reservation for the whole answer: 160 for the members before the days.
    out.reserve(out.size() + 160 + request.store.size() + request.item.size() +
                model.version.size() + dayCount * perDay);
    out.append("\"store\":");
    json::appendString(out, request.store);
    out.append(",\"item\":");
    json::appendString(out, request.item);
    out.append(",\"model_version\":");
    json::appendString(out, model.version);
    out.append(",\"horizon\":");
    json::appendInteger(out, request.horizon);
    out.append(",\"forecast\":[");
    // Sized for the longest possible days, written at a cursor, trimmed at the end.
    const std::size_t start = out.size();
    out.resize(start + dayCount * perDay);
    char *cursor = out.data() + start;
    const auto put = [&cursor](std::string_view text) {
        std::memcpy(cursor, text.data(), text.size());
        cursor += text.size();
    };
    for (std::size_t d = 0; d < dayCount; ++d) {
        put(d == 0 ? std::string_view("{\"date\":") : std::string_view(",{\"date\":"));
        cursor = json::writeDate(cursor, days.dates[d]);
        put(",\"mean\":");
        cursor = json::writeNumber(cursor, days.means[d]);
        put(",\"quantiles\":{");
        for (std::size_t q = 0; q < quantileCount; ++q) {
            if (q > 0) {
                *cursor++ = ',';
            }
            put(keys.key(q));
            cursor = json::writeNumber(cursor, days.quantile(d, q));
        }
        put("}}");
    }
    out.resize(static_cast<std::size_t>(cursor - out.data()));
    out.push_back(']');
    return std::nullopt;
}

} // namespace

Response handlePredict(const Request &request, const RouteDeps &deps) {
    const auto model = deps.models.current();
    if (!model) {
        return errorResponse(modelNotLoaded(), metrics::Handler::Predict);
    }
    auto decoded = decodePredict(request.body);
    if (!decoded) {
        return errorResponse(decoded.error(), metrics::Handler::Predict);
    }
    Response response;
    response.handler = metrics::Handler::Predict;
    response.body = takeBuffer(request);
    response.body.push_back('{');
    if (auto error = appendForecastMembers(response.body, decoded.value(), *model, deps.metrics)) {
        return errorResponse(*error, metrics::Handler::Predict);
    }
    response.body.push_back('}');
    return response;
}

Response handlePredictBatch(const Request &request, const RouteDeps &deps) {
    const auto model = deps.models.current();
    if (!model) {
        return errorResponse(modelNotLoaded(), metrics::Handler::PredictBatch);
    }
    auto decoded = decodeBatch(request.body);
    if (!decoded) {
        return errorResponse(decoded.error(), metrics::Handler::PredictBatch);
    }
    Response response;
    response.handler = metrics::Handler::PredictBatch;
    response.body = takeBuffer(request);
    std::string &out = response.body;
    out.append("{\"model_version\":");
    json::appendString(out, model->version);
    out.append(",\"results\":[");
    std::size_t succeeded = 0;
    const auto &entries = decoded.value();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        const std::size_t entryStart = out.size();
        std::optional<ApiError> error;
        if (entries[i]) {
            out.append("{\"status\":200,");
            error = appendForecastMembers(out, entries[i].value(), *model, deps.metrics);
        } else {
            error = entries[i].error();
        }
        if (error) {
            out.resize(entryStart);
            out.append("{\"status\":");
            json::appendInteger(out, error->status);
            out.push_back(',');
            appendErrorMember(out, *error);
        } else {
            ++succeeded;
        }
        out.push_back('}');
    }
    out.append("],\"succeeded\":");
    json::appendInteger(out, static_cast<std::int64_t>(succeeded));
    out.append(",\"failed\":");
    json::appendInteger(out, static_cast<std::int64_t>(entries.size() - succeeded));
    out.push_back('}');
    return response;
}

} // namespace forecast::http
