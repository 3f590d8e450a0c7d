#include "controllers/event_recorder.h"

#include "api/http_log.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <cstdio>

namespace sandbox {

namespace {

constexpr std::size_t kMaxRemembered = 4096;

std::string hexNanos(TimePoint t) {
    const auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%llx", static_cast<unsigned long long>(nanos));
    return buffer;
}

} // namespace

EventRecorder::EventRecorder(ResourceService &service, std::string component, std::string host)
    : m_service(service)
    , m_component(std::move(component))
    , m_host(std::move(host)) {}

void EventRecorder::event(const boost::json::object &involved, std::string_view type,
                          std::string_view reason, const std::string &message,
                          std::string_view fieldPath) {
    const ResourceType *eventType = m_service.registry().byResource("", "v1", "events");
    if (eventType == nullptr) {
        return;
    }
    const std::string uid = json::stringAt(involved, {"metadata", "uid"});
    std::string ns = json::namespaceOf(involved);
    if (ns.empty()) {
        ns = "default"; // events about cluster-scoped objects live in "default"
    }
    const std::string key = uid + "\x1f" + std::string(type) + "\x1f" + std::string(reason) +
                            "\x1f" + message + "\x1f" + std::string(fieldPath);
    const TimePoint now = m_service.clock().now();
    const std::string nowText = formatRfc3339(now);

    std::lock_guard lock(m_mutex);
    if (auto it = m_seen.find(key); it != m_seen.end()) {
        auto stored = m_service.get(*eventType, it->second.ns, it->second.name);
        if (stored) {
            boost::json::object updated = *stored;
            const std::int64_t count = json::intAt(updated, {"count"}).value_or(1) + 1;
            updated["count"] = count;
            updated["lastTimestamp"] = nowText;
            if (m_service.update(*eventType, it->second.ns, it->second.name, std::move(updated),
                                 WriteOptions{})) {
                it->second.count = count;
                return;
            }
        }
        m_seen.erase(it); // expired or deleted: record a fresh one
    }

    boost::json::object involvedRef{
        {"kind", json::stringAt(involved, {"kind"})},
        {"namespace", json::namespaceOf(involved)},
        {"name", json::name(involved)},
        {"uid", uid},
        {"apiVersion", json::stringAt(involved, {"apiVersion"})},
        {"resourceVersion", json::stringAt(involved, {"metadata", "resourceVersion"})},
    };
    if (json::namespaceOf(involved).empty()) {
        involvedRef.erase("namespace");
    }
    if (!fieldPath.empty()) {
        involvedRef["fieldPath"] = fieldPath;
    }
    boost::json::object source{{"component", m_component}};
    if (!m_host.empty()) {
        source["host"] = m_host;
    }
    const std::string name = json::name(involved) + "." + hexNanos(now);
    boost::json::object event{
        {"apiVersion", "v1"},
        {"kind", "Event"},
        {"metadata", boost::json::object{{"name", name}, {"namespace", ns}}},
        {"involvedObject", std::move(involvedRef)},
        {"reason", reason},
        {"message", message},
        {"source", std::move(source)},
        {"firstTimestamp", nowText},
        {"lastTimestamp", nowText},
        {"count", 1},
        {"type", type},
        {"eventTime", nullptr},
        {"reportingComponent", m_component},
        {"reportingInstance", m_host},
    };
    auto created = m_service.create(*eventType, ns, std::move(event), WriteOptions{});
    if (!created) {
        logLine(
            LogLevel::Warn, "event not recorded",
            {{"component", m_component}, {"reason", reason}, {"error", created.error().message}});
        return;
    }
    if (m_seen.size() >= kMaxRemembered) {
        m_seen.clear(); // bounded memory; a repeat after this starts a new Event
    }
    m_seen[key] = Seen{name, ns, 1};
}

} // namespace sandbox
