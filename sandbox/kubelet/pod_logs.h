#pragma once
// Container logs as the kubelet keeps them: per pod (by UID) and container, the current
// run and the previous (last terminated) run, each line with the time it was written.
// Runtimes write (the simulated one a few plausible lines, the process runtime of issue 4
// the real stdout/stderr); the HTTP layer serves GET pods/{name}/log from here, with the
// exact validation and error messages of k8s-api-notes §7.
//
// Thread safety: every method may be called from any thread. Follow callbacks run on the
// writing thread while an internal lock is held, in write order: they must be quick
// (copy/post the chunk and return) and must not call back into PodLogs.

#include "api/api_error.h"
#include "util/clock.h"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// The query of GET /api/v1/namespaces/{ns}/pods/{name}/log, already parsed from the URL.
struct LogRequest {
    std::string container; // empty: the pod's only container (400 when it has several)
    bool follow = false;
    bool previous = false;
    bool timestamps = false; // prefix each line with RFC3339Nano time and a space
    std::optional<std::int64_t> tailLines;
    std::optional<std::int64_t> limitBytes;
    std::optional<std::int64_t> sinceSeconds;
    std::optional<TimePoint> sinceTime;
};

using LogSubscriptionId = std::uint64_t;

// What open() answers: the text available now and, for follow, the subscription that
// delivers later lines. `ended` is true when no more data will come (not following, the
// container is not running, or limitBytes is used up): the HTTP layer then finishes the
// response after `text` and must not wait for onEnd.
struct LogStream {
    std::string text;
    bool ended = true;
    LogSubscriptionId subscription = 0; // 0 when ended
};

// onData gets whole lines (with '\n', timestamp-prefixed when asked). onEnd is called once
// when the followed container stops, the pod's logs are removed, or limitBytes is reached;
// after it no callback of this subscription runs again.
using LogDataCallback = std::function<void(std::string_view chunk)>;
using LogEndCallback = std::function<void()>;

class PodLogs final {
public:
    // maxBytesPerRun bounds each container run's buffer (oldest lines dropped first), as
    // the kubelet's log rotation does.
    explicit PodLogs(const Clock &clock, std::size_t maxBytesPerRun = 4 * 1024 * 1024);
    ~PodLogs();
    PodLogs(const PodLogs &) = delete;
    PodLogs &operator=(const PodLogs &) = delete;

    // --- Writer side (runtimes) ---------------------------------------------------------
    // A new run of `container` starts: the current run (if any) becomes the previous one.
    void containerStarted(std::string_view podUid, std::string_view container);
    // Appends one line (a trailing '\n' is added when missing; embedded newlines split
    // into several lines with the same time).
    void append(std::string_view podUid, std::string_view container, std::string_view line);
    // The current run ended: followers get onEnd; the run stays readable as "current"
    // until the next containerStarted() turns it into "previous".
    void containerStopped(std::string_view podUid, std::string_view container);
    // The pod is gone: its logs are dropped and its followers ended.
    void removePod(std::string_view podUid);

    // --- Reader side (HTTP pods/log) ----------------------------------------------------
    // Validates `request` against the pod object (container choice, waiting containers,
    // previous runs) and returns the text, as the API server + kubelet would:
    //   400 `a container name must be specified for pod X, choose one of: [a b]`
    //   400 `container "x" in pod "y" is not available`
    //   400 `container "app" in pod "x" is waiting to start: ContainerCreating`
    //   400 `previous terminated container "app" in pod "x" not found`
    //   422 for tailLines < 0, limitBytes < 1, sinceSeconds < 1, both since forms.
    // With follow and a running container, onData/onEnd deliver what comes next.
    ApiResult<LogStream> open(const boost::json::object &pod, const LogRequest &request,
                              LogDataCallback onData = {}, LogEndCallback onEnd = {});
    // Stops a follow subscription (the client left). Safe to call after onEnd.
    void close(LogSubscriptionId id);

    // Number of lines currently kept for a run (tests and metrics).
    std::size_t lineCount(std::string_view podUid, std::string_view container,
                          bool previous = false) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
