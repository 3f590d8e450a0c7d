#!/usr/bin/env python3
"""Builds hpas-written.json: autoscaling/v2 HorizontalPodAutoscalers written by hand after
k8s-api-notes.md section 8 (the shape the API server returns, defaults applied), for metric
kinds and states a sandbox cannot easily produce. Expected strings: tests/app/test_domain_hpa.cpp
(kubectl 1.32 formatHPAMetrics)."""
import copy, json, os, zlib

HERE = os.path.dirname(os.path.abspath(__file__))

def resource(name, util=None, avg=None):
    target = {"type": "Utilization", "averageUtilization": util} if util is not None else {"type": "AverageValue", "averageValue": avg}
    return {"type": "Resource", "resource": {"name": name, "target": target}}

def resource_status(name, util=None, avg=None):
    current = {}
    if util is not None: current["averageUtilization"] = util
    if avg is not None: current["averageValue"] = avg
    return {"type": "Resource", "resource": {"name": name, "current": current}}

CONDITIONS_OK = [
    {"type": "AbleToScale", "status": "True", "lastTransitionTime": "2026-11-25T17:41:00Z", "reason": "ReadyForNewScale",
     "message": "recommended size matches current size"},
    {"type": "ScalingActive", "status": "True", "lastTransitionTime": "2026-11-25T17:41:00Z", "reason": "ValidMetricFound",
     "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"},
    {"type": "ScalingLimited", "status": "False", "lastTransitionTime": "2026-11-25T17:41:00Z", "reason": "DesiredWithinRange",
     "message": "the desired count is within the acceptable range"},
]

def hpa(name, metrics, current_metrics, current=3, desired=3, conditions=CONDITIONS_OK, min_replicas=2):
    obj = {
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "namespace": "retail-forecast", "uid": "7d4c2b9e-1f0a-4e5b-9c8d-%012d" % zlib.crc32(name.encode()),
                     "resourceVersion": "4242", "creationTimestamp": "2026-11-25T17:40:00Z"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "retail-forecast-api"},
                 "maxReplicas": 10, "metrics": metrics,
                 "behavior": {"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                                          "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                                       {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                              "scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
                                            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
        "status": {"observedGeneration": 1, "currentReplicas": current, "desiredReplicas": desired,
                   "lastScaleTime": "2026-11-25T17:50:00Z", "conditions": copy.deepcopy(conditions)},
    }
    if min_replicas is not None:
        obj["spec"]["minReplicas"] = min_replicas
    if current_metrics is not None:
        obj["status"]["currentMetrics"] = current_metrics
    return obj

def with_condition(type_, status, reason, message):
    out = copy.deepcopy(CONDITIONS_OK)
    for c in out:
        if c["type"] == type_:
            c.update(status=status, reason=reason, message=message)
    return out

cases = {
    "cpu-and-memory": hpa("cpu-and-memory", [resource("cpu", 70), resource("memory", 80)],
                          [resource_status("cpu", 45, "112m"), resource_status("memory", 20, "52Mi")]),
    "no-metrics-yet": hpa("no-metrics-yet", [resource("cpu", 70)], None, current=2, desired=0, conditions=[]),
    "three-metrics-shows-two": hpa("three-metrics-shows-two",
        [resource("cpu", 70), resource("memory", 80),
         {"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"}, "target": {"type": "AverageValue", "averageValue": "50"}}}],
        [resource_status("cpu", 45), resource_status("memory", 20),
         {"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"}, "current": {"averageValue": "37500m"}}}]),
    "average-value-target": hpa("average-value-target", [resource("cpu", avg="0.5")], [resource_status("cpu", 46, "0.23")]),
    "utilization-target-without-current-utilization": hpa("utilization-target-without-current-utilization",
        [resource("cpu", 70)], [resource_status("cpu", avg="230m")]),
    "status-shorter-than-spec": hpa("status-shorter-than-spec", [resource("cpu", 70), resource("memory", 80)],
        [resource_status("cpu", 45)]),
    "pods-metric": hpa("pods-metric",
        [{"type": "Pods", "pods": {"metric": {"name": "queue_depth"}, "target": {"type": "AverageValue", "averageValue": "1k"}}}],
        [{"type": "Pods", "pods": {"metric": {"name": "queue_depth"}, "current": {"averageValue": "1200"}}}]),
    "object-value-and-average": hpa("object-value-and-average",
        [{"type": "Object", "object": {"metric": {"name": "requests_per_second"},
                                       "describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "shop"},
                                       "target": {"type": "Value", "value": "10k"}}},
         {"type": "Object", "object": {"metric": {"name": "latency_seconds"},
                                       "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "shop"},
                                       "target": {"type": "AverageValue", "averageValue": "1"}}}],
        [{"type": "Object", "object": {"metric": {"name": "requests_per_second"}, "current": {"value": "2k"},
                                       "describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "shop"}}},
         {"type": "Object", "object": {"metric": {"name": "latency_seconds"}, "current": {"averageValue": "500m"},
                                       "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "shop"}}}]),
    "external-average-value": hpa("external-average-value",
        [{"type": "External", "external": {"metric": {"name": "queue_messages_ready", "selector": {"matchLabels": {"queue": "orders"}}},
                                           "target": {"type": "AverageValue", "averageValue": "30"}}}],
        [{"type": "External", "external": {"metric": {"name": "queue_messages_ready"}, "current": {"averageValue": "25"}}}]),
    "container-resource": hpa("container-resource",
        [{"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "api",
                                                             "target": {"type": "Utilization", "averageUtilization": 50}}}],
        [{"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "api", "current": {"averageUtilization": 60, "averageValue": "150m"}}}],
        current=4, desired=5),
    "metrics-unavailable": hpa("metrics-unavailable", [resource("cpu", 70)], None,
        conditions=with_condition("ScalingActive", "False", "FailedGetResourceMetric",
                                  "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API")),
    "at-max-replicas": hpa("at-max-replicas", [resource("cpu", 70)], [resource_status("cpu", 180)], current=10, desired=10,
        conditions=with_condition("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count")),
    "cannot-scale": hpa("cannot-scale", [resource("cpu", 70)], [resource_status("cpu", 90)],
        conditions=with_condition("AbleToScale", "False", "FailedGetScale",
                                  "the HPA controller was unable to get the target's current scale: deployments/scale.apps \"retail-forecast-api\" not found")),
    "min-replicas-unset": hpa("min-replicas-unset", [resource("cpu", 70)], [resource_status("cpu", 45)], min_replicas=None),
}
json.dump({"hpas": cases}, open(os.path.join(HERE, "hpas-written.json"), "w"), indent=1)
print(len(cases), "hpas")
