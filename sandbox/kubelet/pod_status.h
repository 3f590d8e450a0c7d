#pragma once
// Pod status as the kubelet writes it (k8s-api-notes §6): phase, the five conditions in the
// kubelet's order, hostIP/podIP, startTime, qosClass and container statuses. Pure, so a
// table of container states tests it without a runtime.

#include "util/clock.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace sandbox {

struct PodStatusInput {
    boost::json::array containerStatuses;
    boost::json::array initContainerStatuses;
    std::string podIP;
    std::string hostIP = "127.0.0.1";
    bool terminating = false;
};

// `pod` is the stored pod (its current status supplies startTime, qosClass and the
// lastTransitionTime of conditions whose status does not change).
boost::json::object buildPodStatus(const boost::json::object &pod, const PodStatusInput &input,
                                   TimePoint now);

// Guaranteed / Burstable / BestEffort from the containers' requests and limits.
std::string podQosClass(const boost::json::object &pod);

} // namespace sandbox
