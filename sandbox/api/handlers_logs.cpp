#include "api/handlers.h"

#include "kubelet/pod_logs.h"
#include "util/clock.h"

#include <mutex>

namespace sandbox {

namespace {

// Shared by the source and PodLogs' follow callbacks (which run on the writing thread).
struct LogState {
    std::mutex mutex;
    std::shared_ptr<StreamSink> sink;
    std::string pending; // before the response header is out
    bool ended = false;  // PodLogs said no more data will come
    bool stopped = false;

    void onData(std::string_view chunk) {
        std::lock_guard lock(mutex);
        if (stopped) {
            return;
        }
        if (!sink) {
            pending.append(chunk);
            return;
        }
        if (!sink->push(std::string(chunk))) {
            // A reader this slow loses the rest of the follow; the text so far is sent.
            stopped = true;
            sink->finish();
        }
    }

    void onEnd() {
        std::lock_guard lock(mutex);
        ended = true;
        if (sink) {
            sink->finish();
        }
    }
};

class LogSource final : public StreamSource {
public:
    LogSource(PodLogs &logs, std::shared_ptr<LogState> state)
        : m_logs(logs)
        , m_state(std::move(state)) {}
    ~LogSource() override { stop(); }

    void setSubscription(LogSubscriptionId id) { m_subscription = id; }

    void start(std::shared_ptr<StreamSink> sink) override {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->pending.empty()) {
            sink->push(std::move(m_state->pending));
            m_state->pending.clear();
        }
        if (m_state->ended) {
            sink->finish();
        }
        m_state->sink = std::move(sink);
    }

    void stop() override {
        if (m_subscription != 0) {
            m_logs.close(m_subscription);
            m_subscription = 0;
        }
        std::lock_guard lock(m_state->mutex);
        m_state->stopped = true;
        m_state->sink.reset();
    }

private:
    PodLogs &m_logs;
    std::shared_ptr<LogState> m_state;
    LogSubscriptionId m_subscription = 0;
};

ApiResult<LogRequest> logRequestFrom(const HttpRequest &request) {
    LogRequest out;
    out.container = queryOr(request, "container");
    for (auto [name, target] :
         {std::pair{"follow", &out.follow}, std::pair{"previous", &out.previous},
          std::pair{"timestamps", &out.timestamps}}) {
        auto value = boolParam(request, name, false);
        if (!value.ok()) {
            return value.error();
        }
        *target = value.value();
    }
    for (auto [name, target] :
         {std::pair{"tailLines", &out.tailLines}, std::pair{"limitBytes", &out.limitBytes},
          std::pair{"sinceSeconds", &out.sinceSeconds}}) {
        auto value = intParam(request, name);
        if (!value.ok()) {
            return value.error();
        }
        *target = value.value();
    }
    if (auto since = request.param("sinceTime"); since && !since->empty()) {
        TimePoint t;
        if (!parseRfc3339(*since, t)) {
            return ApiError::badRequest("parsing time \"" + *since +
                                        "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
        }
        out.sinceTime = t;
    }
    return out;
}

} // namespace

HttpResponse handleLog(const Config &config, const HttpRequest &request, const ResourceType &type,
                       const ResourcePath &path) {
    if (!config.podLogs) {
        ApiError error;
        error.code = 503;
        error.reason = "ServiceUnavailable";
        error.message = "pod logs are not available: no kubelet is running";
        return errorResponse(error);
    }
    auto logRequest = logRequestFrom(request);
    if (!logRequest.ok()) {
        return errorResponse(logRequest.error());
    }
    auto pod = config.service->get(type, path.ns, path.name);
    if (!pod.ok()) {
        return errorResponse(pod.error());
    }
    auto state = std::make_shared<LogState>();
    auto opened = config.podLogs->open(
        pod.value(), logRequest.value(), [state](std::string_view chunk) { state->onData(chunk); },
        [state] { state->onEnd(); });
    if (!opened.ok()) {
        return errorResponse(opened.error());
    }
    HttpResponse response;
    response.status = 200;
    response.contentType = "text/plain";
    if (opened->ended) {
        response.body = std::move(opened->text);
        return response;
    }
    {
        // Lines written between open() and now are already in `pending`; the text of
        // open() comes before them.
        std::lock_guard lock(state->mutex);
        state->pending.insert(0, opened->text);
    }
    auto source = std::make_shared<LogSource>(*config.podLogs, state);
    source->setSubscription(opened->subscription);
    response.stream = std::move(source);
    return response;
}

} // namespace sandbox
