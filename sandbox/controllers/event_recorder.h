#pragma once
// Records core/v1 Events the way client-go's recorder does for kube-controller-manager and
// the kubelet: name "<object>.<unix nanos in hex>", source component (and host for the
// kubelet), reportingController/reportingInstance, and aggregation of repeats (same object,
// type, reason, message and source) into one Event whose count and lastTimestamp grow.

#include "api/resource_service.h"

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sandbox {

class EventRecorder final {
public:
    // host is empty for controllers, the node name for the kubelet.
    EventRecorder(ResourceService &service, std::string component, std::string host = {});

    static constexpr std::string_view Normal = "Normal";
    static constexpr std::string_view Warning = "Warning";

    // involved is the full object the event is about; fieldPath e.g. "spec.containers{app}".
    void event(const boost::json::object &involved, std::string_view type, std::string_view reason,
               const std::string &message, std::string_view fieldPath = {});

    const std::string &component() const { return m_component; }

private:
    struct Seen {
        std::string name;
        std::string ns;
        std::int64_t count = 0;
    };

    ResourceService &m_service;
    std::string m_component;
    std::string m_host;
    std::mutex m_mutex;
    std::map<std::string, Seen> m_seen; // aggregation key -> stored event
};

} // namespace sandbox
