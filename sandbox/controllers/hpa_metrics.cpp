#include "api/quantity.h"
#include "controllers/hpa_internal.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

namespace sandbox::hpa_detail {

namespace {

using Object = boost::json::object;

std::optional<TimePoint> timeAt(const Object &object, json::Path path) {
    const std::string text = json::stringAt(object, path);
    TimePoint t;
    if (text.empty() || !parseRfc3339(text, t)) {
        return std::nullopt;
    }
    return t;
}

// A container's sample in milli-units: CPU in millicores, memory in milli-bytes (upstream
// computes with Quantity.MilliValue() for every resource).
std::int64_t sampleMilli(const ContainerUsage &usage, const std::string &resource) {
    return resource == "cpu" ? usage.cpuMillicores : usage.memoryBytes * 1000;
}

std::optional<hpa::MetricSample> sampleOf(const PodUsage &usage, const std::string &resource,
                                          const std::string &container) {
    hpa::MetricSample sample;
    sample.timestamp = usage.timestamp;
    sample.window = usage.window;
    bool found = container.empty();
    for (const ContainerUsage &c : usage.containers) {
        if (container.empty() || c.name == container) {
            sample.milliValue += sampleMilli(c, resource);
            found = true;
        }
    }
    if (!found) {
        return std::nullopt;
    }
    return sample;
}

MetricResult failed(std::string reason, std::string error) {
    MetricResult out;
    out.status = Object{{"type", ""}};
    out.conditionReason = std::move(reason);
    out.error = std::move(error);
    return out;
}

MetricResult wrap(MetricResult result, const std::string &prefix) {
    if (!result.ok) {
        result.wrappedError = prefix + result.error;
    }
    return result;
}

// Resource and ContainerResource metrics (computeStatusForResourceMetricGeneric).
MetricResult resourceMetric(const Object &spec, bool perContainer, std::int32_t specReplicas,
                            const std::vector<Object> &pods, const PodMetricsStore &metrics,
                            TimePoint now, const hpa::CalculatorSettings &settings) {
    const std::string field = perContainer ? "containerResource" : "resource";
    const std::string type = perContainer ? "ContainerResource" : "Resource";
    const std::string reason =
        perContainer ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    const std::string resource = json::stringAt(spec, {field, "name"});
    const std::string container =
        perContainer ? json::stringAt(spec, {field, "container"}) : std::string();
    const Object *target = json::objectAt(spec, {field, "target"});
    if (resource != "cpu" && resource != "memory") {
        return failed(reason, "failed to get " + resource +
                                  " utilization: unable to get "
                                  "metrics for resource " +
                                  resource + ": no metrics returned from resource metrics API");
    }
    const auto facts = podFacts(pods, metrics, resource, container);
    Object current;
    MetricResult out;
    if (const boost::json::value *average =
            target ? target->if_contains("averageValue") : nullptr) {
        const auto targetMilli = average->is_string() ? quantity::parseMilli(average->get_string())
                                                      : std::optional<std::int64_t>();
        if (!targetMilli) {
            return failed(reason, "failed to get " + resource + " usage: invalid averageValue");
        }
        const auto proposal =
            hpa::averageValueReplicas(specReplicas, *targetMilli, facts, resource, now, settings);
        if (!proposal.ok()) {
            return failed(reason, "failed to get " + resource + " usage: " + proposal.error);
        }
        out.replicas = proposal.replicas;
        out.metricName = resource + (perContainer ? " container resource" : " resource");
        current["averageValue"] = quantity::formatDecimalMilli(proposal.rawAverage);
    } else {
        const auto utilization =
            target ? json::intAt(*target, {"averageUtilization"}) : std::optional<std::int64_t>();
        if (!utilization) {
            return failed(reason, "invalid resource metric source: neither an average "
                                  "utilization target nor an average value (usage) target "
                                  "was set");
        }
        const auto proposal = hpa::utilizationReplicas(
            specReplicas, static_cast<std::int32_t>(*utilization), facts, resource, now, settings);
        if (!proposal.ok()) {
            return failed(reason, "failed to get " + resource + " utilization: " + proposal.error);
        }
        out.replicas = proposal.replicas;
        out.metricName = resource + (perContainer ? " container resource utilization "
                                                    "(percentage of request)"
                                                  : " resource utilization (percentage of "
                                                    "request)");
        current["averageValue"] = quantity::formatDecimalMilli(proposal.rawAverage);
        current["averageUtilization"] = proposal.utilization;
    }
    Object source{{"name", resource}};
    if (perContainer) {
        source["container"] = container;
    }
    source["current"] = std::move(current);
    out.ok = true;
    out.status = Object{{"type", type}, {field, std::move(source)}};
    return out;
}

hpa::ScalingRules parseRules(const Object *rules, hpa::ScalingRules fallback) {
    if (rules == nullptr) {
        return fallback;
    }
    hpa::ScalingRules out = fallback;
    if (auto window = json::intAt(*rules, {"stabilizationWindowSeconds"})) {
        out.stabilizationWindowSeconds = static_cast<std::int32_t>(*window);
    }
    const std::string select = json::stringAt(*rules, {"selectPolicy"}, "Max");
    out.select = select == "Min"        ? hpa::ScalingRules::Select::Min
                 : select == "Disabled" ? hpa::ScalingRules::Select::Disabled
                                        : hpa::ScalingRules::Select::Max;
    if (const boost::json::array *policies = json::arrayAt(*rules, {"policies"})) {
        out.policies.clear();
        for (const boost::json::value &p : *policies) {
            const Object *policy = p.if_object();
            if (policy == nullptr) {
                continue;
            }
            hpa::ScalingPolicy parsed;
            parsed.type = json::stringAt(*policy, {"type"}) == "Percent"
                              ? hpa::ScalingPolicy::Type::Percent
                              : hpa::ScalingPolicy::Type::Pods;
            parsed.value = static_cast<std::int32_t>(json::intAt(*policy, {"value"}).value_or(0));
            parsed.periodSeconds =
                static_cast<std::int32_t>(json::intAt(*policy, {"periodSeconds"}).value_or(0));
            out.policies.push_back(parsed);
        }
    }
    return out;
}

} // namespace

std::vector<hpa::PodFacts> podFacts(const std::vector<Object> &pods, const PodMetricsStore &metrics,
                                    const std::string &resource, const std::string &container) {
    std::vector<hpa::PodFacts> out;
    out.reserve(pods.size());
    for (const Object &pod : pods) {
        hpa::PodFacts facts;
        facts.name = json::name(pod);
        facts.deleting = json::valueAt(pod, {"metadata", "deletionTimestamp"}) != nullptr;
        facts.phase = json::stringAt(pod, {"status", "phase"});
        facts.startTime = timeAt(pod, {"status", "startTime"});
        if (const boost::json::array *conditions = json::arrayAt(pod, {"status", "conditions"})) {
            for (const boost::json::value &c : *conditions) {
                const Object *condition = c.if_object();
                if (condition && json::stringAt(*condition, {"type"}) == "Ready") {
                    facts.ready = json::stringAt(*condition, {"status"}) == "True";
                    facts.readyTransition =
                        timeAt(*condition, {"lastTransitionTime"}).value_or(TimePoint{});
                }
            }
        }
        // A sample counts only for this very pod (a recreated pod of the same name has a
        // new uid and no sample yet).
        if (auto usage = metrics.pod(json::namespaceOf(pod), facts.name)) {
            const std::string uid = json::stringAt(pod, {"metadata", "uid"});
            if (usage->uid.empty() || usage->uid == uid) {
                facts.metric = sampleOf(*usage, resource, container);
            }
        }
        std::int64_t request = 0;
        bool complete = true;
        if (const boost::json::array *containers = json::arrayAt(pod, {"spec", "containers"})) {
            for (const boost::json::value &c : *containers) {
                const Object *spec = c.if_object();
                if (spec == nullptr) {
                    continue;
                }
                const std::string name = json::stringAt(*spec, {"name"});
                if (!container.empty() && name != container) {
                    continue;
                }
                const std::string text = json::stringAt(*spec, {"resources", "requests", resource});
                const auto milli = text.empty() ? std::nullopt : quantity::parseMilli(text);
                if (!milli) {
                    complete = false;
                    facts.missingRequestContainer = name;
                    break;
                }
                request += *milli;
            }
        }
        if (complete) {
            facts.request = request;
        }
        out.push_back(std::move(facts));
    }
    return out;
}

MetricResult computeMetric(const Object &spec, std::int32_t specReplicas,
                           const std::vector<Object> &pods, const PodMetricsStore &metrics,
                           TimePoint now, const hpa::CalculatorSettings &settings) {
    const std::string type = json::stringAt(spec, {"type"});
    if (type == "Resource") {
        return wrap(resourceMetric(spec, false, specReplicas, pods, metrics, now, settings),
                    "failed to get " + json::stringAt(spec, {"resource", "name"}) +
                        " resource metric value: ");
    }
    if (type == "ContainerResource") {
        return wrap(resourceMetric(spec, true, specReplicas, pods, metrics, now, settings),
                    "failed to get " + json::stringAt(spec, {"containerResource", "container"}) +
                        " container metric value: ");
    }
    // The sandbox serves no custom.metrics.k8s.io or external.metrics.k8s.io API: these
    // metrics fail as they do on a cluster without a metrics adapter.
    const std::string noCustom = "no custom metrics API (custom.metrics.k8s.io) registered";
    const std::string noExternal = "no external metrics API (external.metrics.k8s.io) registered";
    if (type == "Pods") {
        const std::string metric = json::stringAt(spec, {"pods", "metric", "name"});
        return wrap(failed("FailedGetPodsMetric", "unable to get metric " + metric +
                                                      ": unable to fetch metrics from custom "
                                                      "metrics API: " +
                                                      noCustom),
                    "failed to get pods metric value: ");
    }
    if (type == "Object") {
        const std::string metric = json::stringAt(spec, {"object", "metric", "name"});
        return wrap(failed("FailedGetObjectMetric", "unable to get metric " + metric +
                                                        ": unable to fetch metrics from custom "
                                                        "metrics API: " +
                                                        noCustom),
                    "failed to get object metric value: ");
    }
    if (type == "External") {
        const std::string metric = json::stringAt(spec, {"external", "metric", "name"});
        return wrap(failed("FailedGetExternalMetric",
                           "unable to get external metric " + metric + ": " + noExternal),
                    "failed to get " + metric + " external metric value: ");
    }
    return wrap(failed("InvalidMetricSourceType", "unknown metric source type \"" + type + "\""),
                "");
}

hpa::Behavior parseBehavior(const Object &behavior) {
    return {parseRules(json::objectAt(behavior, {"scaleUp"}), hpa::defaultScaleUp()),
            parseRules(json::objectAt(behavior, {"scaleDown"}), hpa::defaultScaleDown())};
}

} // namespace sandbox::hpa_detail
