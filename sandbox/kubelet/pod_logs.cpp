#include "kubelet/pod_logs.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace sandbox {

namespace {

struct Line {
    TimePoint time;
    std::string text; // ends with '\n'
};

struct Run {
    std::deque<Line> lines;
    std::size_t bytes = 0;
    bool running = true;
};

struct ContainerLogs {
    std::optional<Run> current;
    std::optional<Run> previous;
};

struct Subscription {
    std::string podUid;
    std::string container;
    bool timestamps = false;
    std::optional<std::int64_t> remainingBytes;
    LogDataCallback onData;
    LogEndCallback onEnd;
};

// RFC3339Nano as Go prints it for kubelet log timestamps: trailing zeros of the fraction
// are kept at nanosecond width so lines sort and align.
std::string formatNano(TimePoint t) {
    const std::string seconds = formatRfc3339(t); // "...:SSZ"
    const auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count() %
        1000000000;
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%09lld", static_cast<long long>(nanos));
    return seconds.substr(0, seconds.size() - 1) + fraction + "Z";
}

std::string render(const Line &line, bool timestamps) {
    return timestamps ? formatNano(line.time) + " " + line.text : line.text;
}

ApiError invalidOption(std::string_view field, std::string_view value, std::string_view why) {
    ApiError error;
    error.code = 422;
    error.reason = "Invalid";
    error.kind = "PodLogOptions";
    error.message = "PodLogOptions \"\" is invalid: " + std::string(field) +
                    ": Invalid value: " + std::string(value) + ": " + std::string(why);
    error.causes.push_back({"FieldValueInvalid",
                            "Invalid value: " + std::string(value) + ": " + std::string(why),
                            std::string(field)});
    return error;
}

std::optional<ApiError> validateRequest(const LogRequest &request) {
    if (request.tailLines && *request.tailLines < 0) {
        return invalidOption("tailLines", std::to_string(*request.tailLines),
                             "must be greater than or equal to 0");
    }
    if (request.limitBytes && *request.limitBytes < 1) {
        return invalidOption("limitBytes", std::to_string(*request.limitBytes),
                             "must be greater than 0");
    }
    if (request.sinceSeconds && *request.sinceSeconds < 1) {
        return invalidOption("sinceSeconds", std::to_string(*request.sinceSeconds),
                             "must be greater than 0");
    }
    if (request.sinceSeconds && request.sinceTime) {
        ApiError error = invalidOption("sinceSeconds", std::to_string(*request.sinceSeconds),
                                       "at most one of sinceTime or sinceSeconds may be specified");
        return error;
    }
    return std::nullopt;
}

std::vector<std::string> containerNames(const boost::json::object &pod, const char *field) {
    std::vector<std::string> names;
    if (const auto *containers = json::arrayAt(pod, {"spec", field})) {
        for (const auto &c : *containers) {
            if (c.is_object()) {
                names.push_back(json::stringAt(c.get_object(), {"name"}));
            }
        }
    }
    return names;
}

std::string joinNames(const std::vector<std::string> &names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i ? " " : "") + names[i];
    }
    return out + "]";
}

const boost::json::object *containerStatus(const boost::json::object &pod,
                                           const std::string &container) {
    for (const char *field : {"containerStatuses", "initContainerStatuses"}) {
        if (const auto *statuses = json::arrayAt(pod, {"status", field})) {
            for (const auto &s : *statuses) {
                if (s.is_object() && json::stringAt(s.get_object(), {"name"}) == container) {
                    return &s.get_object();
                }
            }
        }
    }
    return nullptr;
}

} // namespace

struct PodLogs::Impl {
    const Clock &clock;
    std::size_t maxBytes;
    mutable std::mutex mutex;
    std::map<std::string, std::map<std::string, ContainerLogs>, std::less<>> pods;
    std::map<LogSubscriptionId, Subscription> subscriptions;
    LogSubscriptionId nextId = 1;

    Impl(const Clock &c, std::size_t m)
        : clock(c)
        , maxBytes(m) {}

    ContainerLogs *find(std::string_view uid, std::string_view container) {
        auto pod = pods.find(uid);
        if (pod == pods.end()) {
            return nullptr;
        }
        auto it = pod->second.find(std::string(container));
        return it == pod->second.end() ? nullptr : &it->second;
    }

    // Ends every subscription on (uid, container), or on every container of uid when
    // container is empty.
    void endSubscriptions(std::string_view uid, std::string_view container) {
        for (auto it = subscriptions.begin(); it != subscriptions.end();) {
            if (it->second.podUid == uid &&
                (container.empty() || it->second.container == container)) {
                if (it->second.onEnd) {
                    it->second.onEnd();
                }
                it = subscriptions.erase(it);
            } else {
                ++it;
            }
        }
    }

    void publish(std::string_view uid, std::string_view container, const Line &line) {
        for (auto it = subscriptions.begin(); it != subscriptions.end();) {
            Subscription &sub = it->second;
            if (sub.podUid != uid || sub.container != container) {
                ++it;
                continue;
            }
            std::string chunk = render(line, sub.timestamps);
            bool done = false;
            if (sub.remainingBytes) {
                if (static_cast<std::int64_t>(chunk.size()) >= *sub.remainingBytes) {
                    chunk.resize(static_cast<std::size_t>(*sub.remainingBytes));
                    done = true;
                }
                *sub.remainingBytes -= static_cast<std::int64_t>(chunk.size());
            }
            if (sub.onData && !chunk.empty()) {
                sub.onData(chunk);
            }
            if (done) {
                if (sub.onEnd) {
                    sub.onEnd();
                }
                it = subscriptions.erase(it);
            } else {
                ++it;
            }
        }
    }
};

PodLogs::PodLogs(const Clock &clock, std::size_t maxBytesPerRun)
    : m_impl(std::make_unique<Impl>(clock, maxBytesPerRun)) {}

PodLogs::~PodLogs() = default;

void PodLogs::containerStarted(std::string_view podUid, std::string_view container) {
    std::lock_guard lock(m_impl->mutex);
    auto &logs = m_impl->pods[std::string(podUid)][std::string(container)];
    if (logs.current) {
        logs.current->running = false;
        logs.previous = std::move(logs.current);
    }
    logs.current.emplace();
    // Followers of the earlier run saw it end already (containerStopped); a follower that
    // subscribed while the container was waiting has nothing to follow.
}

void PodLogs::append(std::string_view podUid, std::string_view container, std::string_view line) {
    const TimePoint now = m_impl->clock.now();
    std::lock_guard lock(m_impl->mutex);
    auto &logs = m_impl->pods[std::string(podUid)][std::string(container)];
    if (!logs.current) {
        logs.current.emplace();
    }
    Run &run = *logs.current;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t end = line.find('\n', start);
        if (end == std::string_view::npos) {
            end = line.size();
        }
        if (end == line.size() && start == end && start != 0) {
            break; // the text ended with '\n'
        }
        Line entry{now, std::string(line.substr(start, end - start)) + "\n"};
        run.bytes += entry.text.size();
        run.lines.push_back(entry);
        m_impl->publish(podUid, container, entry);
        start = end + 1;
    }
    while (run.bytes > m_impl->maxBytes && run.lines.size() > 1) {
        run.bytes -= run.lines.front().text.size();
        run.lines.pop_front();
    }
}

void PodLogs::containerStopped(std::string_view podUid, std::string_view container) {
    std::lock_guard lock(m_impl->mutex);
    if (ContainerLogs *logs = m_impl->find(podUid, container); logs && logs->current) {
        logs->current->running = false;
    }
    m_impl->endSubscriptions(podUid, container);
}

void PodLogs::removePod(std::string_view podUid) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->endSubscriptions(podUid, {});
    if (auto it = m_impl->pods.find(podUid); it != m_impl->pods.end()) {
        m_impl->pods.erase(it);
    }
}

ApiResult<LogStream> PodLogs::open(const boost::json::object &pod, const LogRequest &request,
                                   LogDataCallback onData, LogEndCallback onEnd) {
    if (auto error = validateRequest(request)) {
        return *error;
    }
    const std::string podName = json::name(pod);
    const std::string uid = json::stringAt(pod, {"metadata", "uid"});
    const std::vector<std::string> names = containerNames(pod, "containers");
    const std::vector<std::string> initNames = containerNames(pod, "initContainers");

    std::string container = request.container;
    if (container.empty()) {
        if (names.size() == 1) {
            container = names.front();
        } else {
            std::string message = "a container name must be specified for pod " + podName +
                                  ", choose one of: " + joinNames(names);
            if (!initNames.empty()) {
                message += " or one of the init containers: " + joinNames(initNames);
            }
            return ApiError::badRequest(message);
        }
    }
    bool known = false;
    for (const auto *list : {&names, &initNames}) {
        for (const auto &n : *list) {
            known = known || n == container;
        }
    }
    const boost::json::object *status = containerStatus(pod, container);
    if (!known || status == nullptr) {
        return ApiError::badRequest("container \"" + container + "\" in pod \"" + podName +
                                    "\" is not available");
    }
    const bool running = json::objectAt(*status, {"state", "running"}) != nullptr;
    const auto *waiting = json::objectAt(*status, {"state", "waiting"});
    const bool hasLastTerminated = json::objectAt(*status, {"lastState", "terminated"}) != nullptr;

    std::lock_guard lock(m_impl->mutex);
    ContainerLogs *logs = m_impl->find(uid, container);
    const Run *run = nullptr;
    if (request.previous) {
        // The previous run is the last terminated one: while the container runs (or waits
        // to restart) after a crash, it is the buffer before the current run.
        // lastState.terminated is the run before the current state. While the container
        // waits to restart after a crash, that run is still "current" in our buffers.
        if (hasLastTerminated && logs) {
            if (waiting && !running && logs->current && !logs->current->running) {
                run = &*logs->current;
            } else if (logs->previous) {
                run = &*logs->previous;
            }
        }
        if (run == nullptr) {
            return ApiError::badRequest("previous terminated container \"" + container +
                                        "\" in pod \"" + podName + "\" not found");
        }
    } else {
        if (waiting && !running && !(hasLastTerminated && logs && logs->current)) {
            return ApiError::badRequest("container \"" + container + "\" in pod \"" + podName +
                                        "\" is waiting to start: " +
                                        json::stringAt(*waiting, {"reason"}, "ContainerCreating"));
        }
        if (logs && logs->current) {
            run = &*logs->current;
        }
    }

    std::optional<TimePoint> since = request.sinceTime;
    if (request.sinceSeconds) {
        since = m_impl->clock.now() - std::chrono::seconds(*request.sinceSeconds);
    }
    std::vector<const Line *> selected;
    if (run) {
        for (const Line &line : run->lines) {
            if (!since || line.time >= *since) {
                selected.push_back(&line);
            }
        }
    }
    if (request.tailLines && static_cast<std::size_t>(*request.tailLines) < selected.size()) {
        selected.erase(selected.begin(),
                       selected.end() - static_cast<std::ptrdiff_t>(*request.tailLines));
    }
    LogStream stream;
    for (const Line *line : selected) {
        stream.text += render(*line, request.timestamps);
    }
    std::optional<std::int64_t> remaining = request.limitBytes;
    if (remaining) {
        if (static_cast<std::int64_t>(stream.text.size()) >= *remaining) {
            stream.text.resize(static_cast<std::size_t>(*remaining));
            remaining = 0;
        } else {
            *remaining -= static_cast<std::int64_t>(stream.text.size());
        }
    }
    const bool followable = request.follow && !request.previous && run && run->running &&
                            (!remaining || *remaining > 0);
    if (followable) {
        const LogSubscriptionId id = m_impl->nextId++;
        m_impl->subscriptions.emplace(id,
                                      Subscription{uid, container, request.timestamps, remaining,
                                                   std::move(onData), std::move(onEnd)});
        stream.ended = false;
        stream.subscription = id;
    }
    return stream;
}

void PodLogs::close(LogSubscriptionId id) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->subscriptions.erase(id);
}

std::size_t PodLogs::lineCount(std::string_view podUid, std::string_view container,
                               bool previous) const {
    std::lock_guard lock(m_impl->mutex);
    ContainerLogs *logs = m_impl->find(podUid, container);
    if (!logs) {
        return 0;
    }
    const auto &run = previous ? logs->previous : logs->current;
    return run ? run->lines.size() : 0;
}

} // namespace sandbox
