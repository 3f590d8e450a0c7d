#include "api/handlers.h"
#include "api/table.h"

#include "util/clock.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace sandbox {

namespace {

const char *eventTypeName(WatchEventType type) {
    switch (type) {
    case WatchEventType::Added:
        return "ADDED";
    case WatchEventType::Modified:
        return "MODIFIED";
    case WatchEventType::Deleted:
        return "DELETED";
    }
    return "MODIFIED";
}

// objectJson is the object already serialized.
std::string eventLineFromJson(const char *type, std::string_view objectJson) {
    std::string line;
    line.reserve(objectJson.size() + 32);
    line += R"({"type":")";
    line += type;
    line += R"(","object":)";
    line += objectJson;
    line += "}\n";
    return line;
}

std::string eventLine(const char *type, const boost::json::value &object) {
    return eventLineFromJson(type, boost::json::serialize(object));
}

std::string errorLine(const ApiError &error) {
    boost::json::object status = error.toStatus();
    status["code"] = error.code;
    return eventLine("ERROR", status);
}

// Shared between the source (strand side) and the store's watch callback (writer side).
struct WatchState {
    const Config *config = nullptr;
    const ResourceType *type = nullptr;
    ResponseFormat format = ResponseFormat::Json;
    IncludeObject include = IncludeObject::Metadata;

    std::mutex mutex;
    std::shared_ptr<StreamSink> sink; // null until the response header is out
    std::string pending;              // events before the sink was attached
    bool headersSent = false;         // Table: column definitions only in the first event
    bool ended = false;
    std::uint64_t lastRv = 0;
    // The store's version read at the previous tick: every matching event up to it has
    // been delivered by now (callbacks run right after each commit), so a bookmark may
    // carry it even when this watch saw no event - a quiet watch still moves forward.
    std::uint64_t settledRv = 0;

    std::string format_(const WatchEvent &event) {
        if (isTable(format)) {
            TableOptions options;
            options.includeObject = include;
            options.apiVersion = format == ResponseFormat::TableV1beta1 ? "v1beta1" : "v1";
            options.noHeaders = headersSent;
            headersSent = true;
            return eventLine(eventTypeName(event.type),
                             buildTable(*type, event.object, config->clock->now(), options));
        }
        if (format == ResponseFormat::PartialObjectMetadata) {
            return eventLine(eventTypeName(event.type), partialObjectMetadata(event.object));
        }
        if (event.stored) {
            // The store keeps each object's JSON text: a hundred watchers of one write
            // copy it instead of serializing the object a hundred times.
            return eventLineFromJson(eventTypeName(event.type), event.stored->json);
        }
        return eventLine(eventTypeName(event.type), event.object);
    }

    void onEvent(const WatchEvent &event) {
        std::lock_guard lock(mutex);
        if (ended) {
            return;
        }
        lastRv = std::max(lastRv, event.resourceVersion);
        std::string line = format_(event);
        if (!sink) {
            pending += line;
            return;
        }
        if (!sink->push(std::move(line))) {
            // A client this far behind cannot catch up; tell it to relist (410), as the
            // reflector does on Expired, instead of buffering without bound.
            ended = true;
            sink->abort(errorLine(ApiError::expired(
                "watch closed: the client is too slow to keep up with events; relist and "
                "watch again")));
        }
    }

    void bookmark() {
        const std::uint64_t current = config->service->store().resourceVersion();
        std::lock_guard lock(mutex);
        const std::uint64_t rv = std::max(lastRv, settledRv);
        settledRv = current;
        if (ended || !sink || rv == 0) {
            return;
        }
        boost::json::object object{
            {"kind", type->kind},
            {"apiVersion", type->apiVersion()},
            {"metadata", boost::json::object{{"resourceVersion", std::to_string(rv)}}}};
        if (!sink->push(eventLine("BOOKMARK", object))) {
            ended = true;
            sink->abort(errorLine(ApiError::expired(
                "watch closed: the client is too slow to keep up with events; relist and "
                "watch again")));
        }
    }
};

class WatchSource final : public StreamSource {
public:
    WatchSource(std::shared_ptr<WatchState> state, bool bookmarks, std::chrono::milliseconds tick)
        : m_state(std::move(state))
        , m_bookmarks(bookmarks)
        , m_tick(tick) {}
    ~WatchSource() override { stop(); }

    // Registers with the service now, so selector errors are still an HTTP error; events
    // are buffered until the stream starts. A too-old resourceVersion is answered inside
    // the stream with an ERROR event (HTTP 200), as the real watch cache does.
    ApiResult<bool> begin(const ResourcePath &path, const ListOptions &options) {
        const Config &config = *m_state->config;
        std::uint64_t startRv = config.service->store().resourceVersion();
        if (!options.resourceVersion.empty() && options.resourceVersion != "0") {
            startRv = std::strtoull(options.resourceVersion.c_str(), nullptr, 10);
        }
        m_state->lastRv = startRv;
        m_state->settledRv = startRv;
        auto state = m_state;
        auto id =
            config.service->watch(*m_state->type, path.ns, options,
                                  [state](const WatchEvent &event) { state->onEvent(event); });
        if (!id.ok()) {
            if (id.error().code == 410) {
                m_startError = errorLine(id.error());
                return true;
            }
            return id.error();
        }
        m_id = id.value();
        m_watching = true;
        return true;
    }

    void start(std::shared_ptr<StreamSink> sink) override {
        std::lock_guard lock(m_state->mutex);
        if (!m_startError.empty()) {
            m_state->ended = true;
            sink->abort(m_startError);
            return;
        }
        if (!m_state->pending.empty()) {
            sink->push(std::move(m_state->pending));
            m_state->pending.clear();
        }
        m_state->sink = std::move(sink);
    }

    std::chrono::milliseconds tickInterval() const override {
        return m_bookmarks ? m_tick : std::chrono::milliseconds(0);
    }

    void onTick() override { m_state->bookmark(); }

    void stop() override {
        if (m_watching) {
            m_watching = false;
            m_state->config->service->unwatch(m_id);
        }
        std::lock_guard lock(m_state->mutex);
        m_state->ended = true;
        m_state->sink.reset();
        m_state->pending.clear();
    }

private:
    std::shared_ptr<WatchState> m_state;
    bool m_bookmarks;
    std::chrono::milliseconds m_tick;
    WatchId m_id = 0;
    bool m_watching = false;
    std::string m_startError;
};

} // namespace

HttpResponse handleWatch(const Config &config, const HttpRequest &request, const ResourceType &type,
                         const ResourcePath &path) {
    auto format = negotiateResponse(request.header("accept"), true);
    if (!format.ok()) {
        return errorResponse(format.error());
    }
    if (format.value() == ResponseFormat::Yaml) {
        // Watch events are JSON lines; the real server has no YAML stream either.
        format = ResponseFormat::Json;
    }
    auto include = parseIncludeObject(queryOr(request, "includeObject"));
    if (!include.ok()) {
        return errorResponse(include.error());
    }
    auto options = listOptionsFrom(request);
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    auto timeout = intParam(request, "timeoutSeconds");
    if (!timeout.ok()) {
        return errorResponse(timeout.error());
    }
    auto bookmarks = boolParam(request, "allowWatchBookmarks", false);
    if (!bookmarks.ok()) {
        return errorResponse(bookmarks.error());
    }
    auto state = std::make_shared<WatchState>();
    state->config = &config;
    state->type = &type;
    state->format = format.value();
    state->include = include.value();
    auto tick = std::chrono::duration_cast<std::chrono::milliseconds>(
        config.clock->scaled(config.bookmarkPeriod));
    auto source = std::make_shared<WatchSource>(state, bookmarks.value(),
                                                std::max(tick, std::chrono::milliseconds(10)));
    auto begun = source->begin(path, options.value());
    if (!begun.ok()) {
        return errorResponse(begun.error());
    }
    HttpResponse response;
    response.status = 200;
    response.contentType =
        isTable(format.value()) ? contentTypeFor(format.value()) : std::string("application/json");
    response.stream = std::move(source);
    if (timeout.value() && *timeout.value() > 0) {
        response.maxDuration = std::chrono::seconds(*timeout.value());
    }
    return response;
}

} // namespace sandbox
