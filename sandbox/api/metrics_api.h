#pragma once
// metrics.k8s.io/v1beta1 objects built from PodMetricsStore, as metrics-server serves them:
// PodMetrics per pod with a sample (usage per container: cpu in nanocores, "12345678n" or
// "5m"; memory in bytes, BinarySI "12345Ki"), NodeMetrics per node. A node's usage is the
// sum of its pods' samples (every pod runs on the sandbox's one node): what the workloads
// use, not the host's whole load, which would drown the pods in everything else the machine
// runs.

#include "kubelet/pod_metrics_store.h"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace sandbox::metrics_api {

// Go's time.Duration text for a sample window: "15s", "15.002s", "1m0s".
std::string durationText(std::chrono::milliseconds window);

// The PodMetrics of `pod` (a core/v1 Pod) from its sample; `now` is its creationTimestamp
// (metrics objects are made on each request).
boost::json::object podMetrics(const boost::json::object &pod, const PodUsage &usage,
                               TimePoint now);

// The NodeMetrics of `node` from the samples of the pods on it.
boost::json::object nodeMetrics(const boost::json::object &node, const std::vector<PodUsage> &pods,
                                TimePoint now);

} // namespace sandbox::metrics_api
