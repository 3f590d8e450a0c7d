#include "controllers/event_ttl_controller.h"

#include "controllers/controller_utils.h"
#include "util/json_util.h"

namespace sandbox {

namespace {
constexpr const char *kSweepKey = "sweep";
}

EventTtlController::EventTtlController(ResourceService &service, std::chrono::seconds ttl)
    : Controller("event-ttl", service, 1)
    , m_eventType(type("", "events"))
    , m_ttl(ttl) {}

EventTtlController::~EventTtlController() {
    stop();
}

void EventTtlController::startSweeping() {
    start();
    enqueue(kSweepKey);
}

SyncResult EventTtlController::sync(const std::string &) {
    // Events keep wall-clock times, so the TTL is wall-clock too (not time-scaled).
    const TimePoint cutoff = clock().now() - m_ttl;
    ListOptions options;
    options.sharedItems = true;
    auto listed = service().list(m_eventType, "", options);
    if (listed) {
        for (const StoredPtr &stored : listed->stored) {
            const auto &event = stored->object;
            std::string last = json::stringAt(event, {"lastTimestamp"});
            if (last.empty()) {
                last = json::stringAt(event, {"metadata", "creationTimestamp"});
            }
            TimePoint at{};
            if (!last.empty() && parseRfc3339(last, at) && at < cutoff) {
                DeleteOptions now;
                now.preconditionUid = uidOf(event);
                (void)service().remove(m_eventType, json::namespaceOf(event), json::name(event),
                                       now);
            }
        }
    }
    return SyncResult::doneRequeueAfter(std::chrono::minutes(1));
}

} // namespace sandbox
