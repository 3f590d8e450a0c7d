#pragma once
// Internal to the HPA controller: turning pods, PodMetricsStore samples and metric specs
// into the algorithm's inputs and the status entries the API shows (hpa_metrics.cpp).

#include "controllers/hpa_algorithm.h"
#include "kubelet/pod_metrics_store.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sandbox::hpa_detail {

// One metric spec's outcome, as computeReplicasForMetric reports it.
struct MetricResult {
    bool ok = false;
    std::int32_t replicas = 0;
    std::string metricName;      // "cpu resource utilization (percentage of request)"
    boost::json::object status;  // a MetricStatus; {"type": ""} when the metric failed
    std::string conditionReason; // failed: FailedGetResourceMetric, ...
    std::string error;           // failed: the error text (events, ScalingActive message)
    std::string wrappedError;    // failed: as computeReplicasForMetric returns it
};

// The facts the calculator needs about each pod, with samples of `resource` ("cpu" or
// "memory") summed over the pod's containers, or of one container when `container` is set.
std::vector<hpa::PodFacts> podFacts(const std::vector<boost::json::object> &pods,
                                    const PodMetricsStore &metrics, const std::string &resource,
                                    const std::string &container);

MetricResult computeMetric(const boost::json::object &spec, std::int32_t specReplicas,
                           const std::vector<boost::json::object> &pods,
                           const PodMetricsStore &metrics, TimePoint now,
                           const hpa::CalculatorSettings &settings);

// spec.behavior with the API defaults for anything missing.
hpa::Behavior parseBehavior(const boost::json::object &behavior);

} // namespace sandbox::hpa_detail
