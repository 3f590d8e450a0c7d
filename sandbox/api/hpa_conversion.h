#pragma once
// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion, as the API server
// does it (pkg/apis/autoscaling/v1/conversion.go): v1 has only
// targetCPUUtilizationPercentage / currentCPUUtilizationPercentage; every other metric,
// the behavior and the conditions travel in the autoscaling.alpha.kubernetes.io/*
// annotations (metrics in v1's MetricSpec form), so a v1 round trip loses nothing.
// HPAs are stored as v2; the sandbox serves v1 by converting on the way in and out.

#include <boost/json/object.hpp>

namespace sandbox::hpa_conversion {

inline constexpr const char *kMetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
inline constexpr const char *kCurrentMetricsAnnotation =
    "autoscaling.alpha.kubernetes.io/current-metrics";
inline constexpr const char *kConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
inline constexpr const char *kBehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

boost::json::object toV1(const boost::json::object &v2);
boost::json::object toV2(const boost::json::object &v1);

} // namespace sandbox::hpa_conversion
