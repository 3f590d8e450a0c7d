#include "api/hpa_conversion.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sandbox::hpa_conversion {

namespace {

using Object = boost::json::object;
using Array = boost::json::array;
using Value = boost::json::value;

void copyIf(const Object &from, std::string_view fromKey, Object &to, std::string_view toKey) {
    if (const Value *v = from.if_contains(fromKey)) {
        to[toKey] = *v;
    }
}

bool isCpuUtilization(const Object &metric) {
    return json::stringAt(metric, {"type"}) == "Resource" &&
           json::stringAt(metric, {"resource", "name"}) == "cpu" &&
           json::intAt(metric, {"resource", "target", "averageUtilization"}).has_value();
}

// v2 MetricTarget -> v1 target fields, e.g. {averageUtilization} -> targetAverageUtilization.
void targetToV1(const Object *target, Object &out) {
    if (target == nullptr) {
        return;
    }
    copyIf(*target, "averageUtilization", out, "targetAverageUtilization");
    copyIf(*target, "averageValue", out, "targetAverageValue");
    copyIf(*target, "value", out, "targetValue");
}

Object targetToV2(const Object &v1) {
    Object target;
    if (v1.contains("targetAverageUtilization")) {
        target["type"] = "Utilization";
        target["averageUtilization"] = v1.at("targetAverageUtilization");
    } else if (v1.contains("targetAverageValue")) {
        target["type"] = "AverageValue";
        target["averageValue"] = v1.at("targetAverageValue");
    } else if (v1.contains("targetValue")) {
        target["type"] = "Value";
        target["value"] = v1.at("targetValue");
    }
    return target;
}

void currentToV1(const Object *current, Object &out) {
    if (current == nullptr) {
        return;
    }
    copyIf(*current, "averageUtilization", out, "currentAverageUtilization");
    copyIf(*current, "averageValue", out, "currentAverageValue");
    copyIf(*current, "value", out, "currentValue");
}

Object currentToV2(const Object &v1) {
    Object current;
    copyIf(v1, "currentAverageUtilization", current, "averageUtilization");
    copyIf(v1, "currentAverageValue", current, "averageValue");
    copyIf(v1, "currentValue", current, "value");
    return current;
}

// One metric spec (status = false) or status (status = true) from v2 to v1's form.
Object metricToV1(const Object &metric, bool status) {
    const std::string type = json::stringAt(metric, {"type"});
    Object out{{"type", type}};
    auto convert = [&](std::string_view field) {
        const Object *source = json::objectAt(metric, {field});
        if (source == nullptr) {
            return;
        }
        Object v1;
        copyIf(*source, "name", v1, "name");
        copyIf(*source, "container", v1, "container");
        if (const Object *m = json::objectAt(*source, {"metric"})) {
            copyIf(*m, "name", v1, "metricName");
            copyIf(*m, "selector", v1, field == "external" ? "metricSelector" : "selector");
        }
        copyIf(*source, "describedObject", v1, "target");
        if (status) {
            currentToV1(json::objectAt(*source, {"current"}), v1);
        } else {
            targetToV1(json::objectAt(*source, {"target"}), v1);
        }
        out[field] = std::move(v1);
    };
    for (const char *field : {"resource", "containerResource", "pods", "object", "external"}) {
        convert(field);
    }
    return out;
}

Object metricToV2(const Object &metric, bool status) {
    const std::string type = json::stringAt(metric, {"type"});
    Object out{{"type", type}};
    for (const char *field : {"resource", "containerResource", "pods", "object", "external"}) {
        const Object *source = json::objectAt(metric, {field});
        if (source == nullptr) {
            continue;
        }
        Object v2;
        copyIf(*source, "name", v2, "name");
        copyIf(*source, "container", v2, "container");
        if (source->contains("metricName")) {
            Object m{{"name", source->at("metricName")}};
            copyIf(*source, std::string_view(field) == "external" ? "metricSelector" : "selector",
                   m, "selector");
            v2["metric"] = std::move(m);
        }
        copyIf(*source, "target", v2, "describedObject");
        if (status) {
            v2["current"] = currentToV2(*source);
        } else {
            v2["target"] = targetToV2(*source);
        }
        out[field] = std::move(v2);
    }
    return out;
}

Array parseArrayAnnotation(const Object &annotations, const char *key) {
    const Value *v = annotations.if_contains(key);
    if (v == nullptr || !v->is_string()) {
        return {};
    }
    boost::system::error_code ec;
    Value parsed = boost::json::parse(v->get_string(), ec);
    return !ec && parsed.is_array() ? parsed.get_array() : Array{};
}

} // namespace

Object toV1(const Object &v2) {
    Object out{{"kind", "HorizontalPodAutoscaler"}, {"apiVersion", "autoscaling/v1"}};
    Object metadata;
    if (const Object *meta = json::objectAt(v2, {"metadata"})) {
        metadata = *meta;
    }
    Object annotations;
    if (const Object *a = json::objectAt(metadata, {"annotations"})) {
        annotations = *a;
    }

    const Object *spec = json::objectAt(v2, {"spec"});
    Object v1Spec;
    if (spec != nullptr) {
        copyIf(*spec, "scaleTargetRef", v1Spec, "scaleTargetRef");
        copyIf(*spec, "minReplicas", v1Spec, "minReplicas");
        copyIf(*spec, "maxReplicas", v1Spec, "maxReplicas");
        Array others;
        bool cpuTaken = false;
        if (const Array *metrics = json::arrayAt(*spec, {"metrics"})) {
            for (const Value &m : *metrics) {
                const Object *metric = m.if_object();
                if (metric == nullptr) {
                    continue;
                }
                if (!cpuTaken && isCpuUtilization(*metric)) {
                    v1Spec["targetCPUUtilizationPercentage"] =
                        *json::intAt(*metric, {"resource", "target", "averageUtilization"});
                    cpuTaken = true;
                } else {
                    others.push_back(metricToV1(*metric, false));
                }
            }
        }
        if (!others.empty()) {
            annotations[kMetricsAnnotation] = boost::json::serialize(others);
        }
        if (const Object *behavior = json::objectAt(*spec, {"behavior"})) {
            annotations[kBehaviorAnnotation] = boost::json::serialize(*behavior);
        }
    }

    Object v1Status;
    if (const Object *status = json::objectAt(v2, {"status"})) {
        copyIf(*status, "observedGeneration", v1Status, "observedGeneration");
        copyIf(*status, "lastScaleTime", v1Status, "lastScaleTime");
        v1Status["currentReplicas"] = json::intAt(*status, {"currentReplicas"}).value_or(0);
        v1Status["desiredReplicas"] = json::intAt(*status, {"desiredReplicas"}).value_or(0);
        Array others;
        bool cpuTaken = false;
        if (const Array *current = json::arrayAt(*status, {"currentMetrics"})) {
            for (const Value &m : *current) {
                const Object *metric = m.if_object();
                if (metric == nullptr) {
                    continue;
                }
                const auto util =
                    json::intAt(*metric, {"resource", "current", "averageUtilization"});
                if (!cpuTaken && json::stringAt(*metric, {"type"}) == "Resource" &&
                    json::stringAt(*metric, {"resource", "name"}) == "cpu" && util) {
                    v1Status["currentCPUUtilizationPercentage"] = *util;
                    cpuTaken = true;
                } else {
                    others.push_back(metricToV1(*metric, true));
                }
            }
        }
        if (!others.empty()) {
            annotations[kCurrentMetricsAnnotation] = boost::json::serialize(others);
        }
        if (const Array *conditions = json::arrayAt(*status, {"conditions"})) {
            if (!conditions->empty()) {
                annotations[kConditionsAnnotation] = boost::json::serialize(*conditions);
            }
        }
    }
    if (!annotations.empty()) {
        metadata["annotations"] = std::move(annotations);
    }
    out["metadata"] = std::move(metadata);
    out["spec"] = std::move(v1Spec);
    out["status"] = std::move(v1Status);
    return out;
}

Object toV2(const Object &v1) {
    Object out{{"kind", "HorizontalPodAutoscaler"}, {"apiVersion", "autoscaling/v2"}};
    Object metadata;
    if (const Object *meta = json::objectAt(v1, {"metadata"})) {
        metadata = *meta;
    }
    Object annotations;
    if (const Object *a = json::objectAt(metadata, {"annotations"})) {
        annotations = *a;
    }

    Object spec;
    if (const Object *v1Spec = json::objectAt(v1, {"spec"})) {
        copyIf(*v1Spec, "scaleTargetRef", spec, "scaleTargetRef");
        copyIf(*v1Spec, "minReplicas", spec, "minReplicas");
        copyIf(*v1Spec, "maxReplicas", spec, "maxReplicas");
        Array metrics;
        if (const Value *cpu = v1Spec->if_contains("targetCPUUtilizationPercentage");
            cpu != nullptr && !cpu->is_null()) {
            metrics.push_back(
                Object{{"type", "Resource"},
                       {"resource", Object{{"name", "cpu"},
                                           {"target", Object{{"type", "Utilization"},
                                                             {"averageUtilization", *cpu}}}}}});
        }
        for (const Value &m : parseArrayAnnotation(annotations, kMetricsAnnotation)) {
            if (m.is_object()) {
                metrics.push_back(metricToV2(m.get_object(), false));
            }
        }
        if (!metrics.empty()) {
            spec["metrics"] = std::move(metrics);
        }
        if (const Value *b = annotations.if_contains(kBehaviorAnnotation); b && b->is_string()) {
            boost::system::error_code ec;
            Value behavior = boost::json::parse(b->get_string(), ec);
            if (!ec && behavior.is_object()) {
                spec["behavior"] = std::move(behavior);
            }
        }
    }

    Object status;
    if (const Object *v1Status = json::objectAt(v1, {"status"})) {
        copyIf(*v1Status, "observedGeneration", status, "observedGeneration");
        copyIf(*v1Status, "lastScaleTime", status, "lastScaleTime");
        copyIf(*v1Status, "currentReplicas", status, "currentReplicas");
        status["desiredReplicas"] = json::intAt(*v1Status, {"desiredReplicas"}).value_or(0);
        Array current;
        if (auto cpu = json::intAt(*v1Status, {"currentCPUUtilizationPercentage"})) {
            current.push_back(
                Object{{"type", "Resource"},
                       {"resource", Object{{"name", "cpu"},
                                           {"current", Object{{"averageUtilization", *cpu}}}}}});
        }
        for (const Value &m : parseArrayAnnotation(annotations, kCurrentMetricsAnnotation)) {
            if (m.is_object()) {
                current.push_back(metricToV2(m.get_object(), true));
            }
        }
        if (!current.empty()) {
            status["currentMetrics"] = std::move(current);
        }
        Array conditions = parseArrayAnnotation(annotations, kConditionsAnnotation);
        if (!conditions.empty()) {
            status["conditions"] = std::move(conditions);
        }
    }
    for (const char *key : {kMetricsAnnotation, kCurrentMetricsAnnotation, kConditionsAnnotation,
                            kBehaviorAnnotation}) {
        annotations.erase(key);
    }
    if (annotations.empty()) {
        metadata.erase("annotations");
    } else {
        metadata["annotations"] = std::move(annotations);
    }
    out["metadata"] = std::move(metadata);
    out["spec"] = std::move(spec);
    if (!status.empty()) {
        out["status"] = std::move(status);
    }
    return out;
}

} // namespace sandbox::hpa_conversion
