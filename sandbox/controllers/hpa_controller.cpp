#include "controllers/hpa_controller.h"

#include "api/http_log.h"
#include "controllers/controller_utils.h"
#include "controllers/hpa_internal.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

namespace sandbox {

namespace {

using Object = boost::json::object;

constexpr std::string_view kFieldManager = "kube-controller-manager";
constexpr int kStatusWriteAttempts = 5;

std::string groupOf(const std::string &apiVersion) {
    const auto slash = apiVersion.find('/');
    return slash == std::string::npos ? std::string() : apiVersion.substr(0, slash);
}

std::int32_t toInt32(std::int64_t value) {
    return static_cast<std::int32_t>(value);
}

} // namespace

// One reconcileAutoscaler pass.
struct HpaController::Pass {
    std::string key;
    std::string ns;
    Object hpa;
    Object originalStatus;
    Object status; // being rebuilt; conditions carried over
    const ResourceType *targetType = nullptr;
    Object scale;
    std::int32_t currentReplicas = 0;
    // computeReplicasForMetrics
    boost::json::array metricStatuses;
    std::int32_t metricReplicas = -1;
    std::string metricName;
    std::string metricError; // a partial or total failure
};

HpaController::HpaController(ResourceService &service, PodMetricsStore &metrics, int workers)
    : Controller("horizontal-pod-autoscaler", service, workers)
    , m_metrics(metrics)
    , m_events(service, "horizontal-pod-autoscaler")
    , m_hpaType(type("autoscaling", "horizontalpodautoscalers"))
    , m_podType(type("", "pods")) {
    watch(m_hpaType, [this](const WatchEvent &event) {
        // New HPAs are looked at now; changes (our own status writes included) wait for the
        // next period, as upstream queues every update with its resync delay.
        const std::string key = objectKey(event.object);
        if (event.type == WatchEventType::Modified) {
            enqueueAfter(key, clock().scaled(kSyncPeriod));
        } else {
            enqueue(key);
        }
    });
}

HpaController::~HpaController() {
    stop();
}

hpa::History &HpaController::history(const std::string &key) {
    std::lock_guard lock(m_historyMutex);
    return m_history[key];
}

SyncResult HpaController::sync(const std::string &key) {
    const auto [ns, name] = splitKey(key);
    auto found = service().get(m_hpaType, ns, name);
    if (!found) {
        if (isNotFound(found.error())) {
            std::lock_guard lock(m_historyMutex);
            m_history.erase(key);
            return SyncResult::done();
        }
        return SyncResult::error(found.error().message);
    }
    Pass pass;
    pass.key = key;
    pass.ns = ns;
    pass.hpa = std::move(*found);
    if (const Object *status = json::objectAt(pass.hpa, {"status"})) {
        pass.originalStatus = *status;
    }
    pass.status = pass.originalStatus;
    SyncResult result = reconcile(pass);
    if (result.kind == SyncResult::Kind::Retry) {
        return result;
    }
    SyncResult written = writeStatus(pass);
    if (written.kind != SyncResult::Kind::Done) {
        return written;
    }
    if (result.kind == SyncResult::Kind::Error) {
        logLine(LogLevel::Debug, "hpa sync", {{"hpa", key}, {"error", result.message}});
    }
    // Every HPA is looked at again one period later, whatever happened.
    return SyncResult::doneRequeueAfter(clock().scaled(kSyncPeriod));
}

void HpaController::setCondition(Pass &pass, std::string_view type, bool status,
                                 std::string_view reason, const std::string &message) {
    boost::json::array &conditions = [&]() -> boost::json::array & {
        boost::json::value &v = pass.status["conditions"];
        if (!v.is_array()) {
            v = boost::json::array();
        }
        return v.as_array();
    }();
    Object *existing = nullptr;
    for (boost::json::value &c : conditions) {
        if (c.is_object() && json::stringAt(c.as_object(), {"type"}) == type) {
            existing = &c.as_object();
            break;
        }
    }
    if (existing == nullptr) {
        conditions.push_back(Object{{"type", type}});
        existing = &conditions.back().as_object();
    }
    const std::string statusText = status ? "True" : "False";
    if (json::stringAt(*existing, {"status"}) != statusText) {
        (*existing)["lastTransitionTime"] = formatRfc3339(clock().now());
    }
    (*existing)["status"] = statusText;
    (*existing)["reason"] = reason;
    (*existing)["message"] = message;
}

SyncResult HpaController::reconcile(Pass &pass) {
    static const Object kNoSpec;
    const Object *specPtr = json::objectAt(pass.hpa, {"spec"});
    const Object &spec = specPtr != nullptr ? *specPtr : kNoSpec;
    const std::string apiVersion = json::stringAt(spec, {"scaleTargetRef", "apiVersion"});
    const std::string kind = json::stringAt(spec, {"scaleTargetRef", "kind"});
    const std::string targetName = json::stringAt(spec, {"scaleTargetRef", "name"});
    const std::string reference = kind + "/" + pass.ns + "/" + targetName;

    auto failGetScale = [&](const std::string &error) {
        m_events.event(pass.hpa, EventRecorder::Warning, "FailedGetScale", error);
        setCondition(pass, "AbleToScale", false, "FailedGetScale",
                     "the HPA controller was unable to get the target's current scale: " + error);
        return SyncResult::error("failed to query scale subresource for " + reference + ": " +
                                 error);
    };
    // RESTMappings(group, kind): any served version of the kind that has /scale.
    const std::string group = groupOf(apiVersion);
    for (const ResourceType &t : service().registry().all()) {
        if (t.group == group && t.kind == kind && t.subresource("scale") != nullptr) {
            pass.targetType = &t;
            break;
        }
    }
    if (pass.targetType == nullptr) {
        return failGetScale("no matches for kind \"" + kind + "\" in group \"" + group + "\"");
    }
    auto scale = service().get(*pass.targetType, pass.ns, targetName, Subresource::Scale);
    if (!scale) {
        return failGetScale(scale.error().message);
    }
    pass.scale = std::move(*scale);
    setCondition(pass, "AbleToScale", true, "SucceededGetScale",
                 "the HPA controller was able to get the target's current scale");
    pass.currentReplicas = toInt32(json::intAt(pass.scale, {"spec", "replicas"}).value_or(0));
    {
        hpa::History &h = history(pass.key);
        if (h.recommendations.empty()) {
            h.recommendations.push_back({pass.currentReplicas, clock().now()});
        }
    }

    const std::int32_t minReplicas = toInt32(json::intAt(spec, {"minReplicas"}).value_or(1));
    const std::int32_t maxReplicas = toInt32(json::intAt(spec, {"maxReplicas"}).value_or(0));
    std::int32_t desired = 0;
    std::string rescaleReason;
    bool rescale = true;
    SyncResult outcome = SyncResult::done();
    if (pass.currentReplicas == 0 && minReplicas != 0) {
        rescale = false;
        setCondition(pass, "ScalingActive", false, "ScalingDisabled",
                     "scaling is disabled since the replica count of the target is zero");
    } else if (pass.currentReplicas > maxReplicas) {
        rescaleReason = "Current number of replicas above Spec.MaxReplicas";
        desired = maxReplicas;
    } else if (pass.currentReplicas < minReplicas) {
        rescaleReason = "Current number of replicas below Spec.MinReplicas";
        desired = minReplicas;
    } else {
        const bool usable = computeMetrics(pass);
        if (!usable) {
            pass.status["currentReplicas"] = pass.currentReplicas;
            pass.status["currentMetrics"] = pass.metricStatuses;
            m_events.event(pass.hpa, EventRecorder::Warning, "FailedComputeMetricsReplicas",
                           pass.metricError);
            return SyncResult::error("failed to compute desired number of replicas based on "
                                     "listed metrics for " +
                                     reference + ": " + pass.metricError);
        }
        if (!pass.metricError.empty()) {
            outcome = SyncResult::error(pass.metricError); // scale on the metrics that work
        }
        desired = std::max(desired, pass.metricReplicas);
        if (desired > pass.currentReplicas) {
            rescaleReason = pass.metricName + " above target";
        } else if (desired < pass.currentReplicas) {
            rescaleReason = "All metrics below target";
        }
        desired = normalize(pass, desired);
        rescale = desired != pass.currentReplicas;
    }

    if (rescale) {
        Object body = pass.scale;
        json::ensureObject(body, {"spec"})["replicas"] = desired;
        auto updated = service().update(*pass.targetType, pass.ns, targetName, std::move(body),
                                        managerOptions(kFieldManager), Subresource::Scale);
        if (!updated) {
            if (isConflict(updated.error())) {
                return SyncResult::retry(); // the target moved under us: look again
            }
            m_events.event(pass.hpa, EventRecorder::Warning, "FailedRescale",
                           "New size: " + std::to_string(desired) + "; reason: " + rescaleReason +
                               "; error: " + updated.error().message);
            setCondition(pass, "AbleToScale", false, "FailedUpdateScale",
                         "the HPA controller was unable to update the target scale: " +
                             updated.error().message);
            pass.status["currentReplicas"] = pass.currentReplicas;
            pass.status["currentMetrics"] = pass.metricStatuses;
            return SyncResult::error("failed to rescale " + reference + ": " +
                                     updated.error().message);
        }
        setCondition(pass, "AbleToScale", true, "SucceededRescale",
                     "the HPA controller was able to update the target scale to " +
                         std::to_string(desired));
        m_events.event(pass.hpa, EventRecorder::Normal, "SuccessfulRescale",
                       "New size: " + std::to_string(desired) + "; reason: " + rescaleReason);
        if (const Object *behavior = json::objectAt(spec, {"behavior"})) {
            hpa::recordScaleEvent(history(pass.key), hpa_detail::parseBehavior(*behavior),
                                  pass.currentReplicas, desired, clock());
        }
        logLine(LogLevel::Info, "hpa rescaled",
                {{"hpa", pass.key},
                 {"from", pass.currentReplicas},
                 {"to", desired},
                 {"reason", rescaleReason}});
        pass.status["lastScaleTime"] = formatRfc3339(clock().now());
    } else {
        desired = pass.currentReplicas;
    }
    pass.status["currentReplicas"] = pass.currentReplicas;
    pass.status["desiredReplicas"] = desired;
    pass.status["currentMetrics"] = pass.metricStatuses;
    return outcome;
}

// computeReplicasForMetrics: the highest proposal of the metrics that work. False when no
// proposal may be used: every metric failed, or some failed and the rest would scale down.
bool HpaController::computeMetrics(Pass &pass) {
    const std::string selectorText = json::stringAt(pass.scale, {"status", "selector"});
    if (selectorText.empty()) {
        m_events.event(pass.hpa, EventRecorder::Warning, "SelectorRequired",
                       "selector is required");
        setCondition(pass, "ScalingActive", false, "InvalidSelector",
                     "the HPA target's scale is missing a selector");
        pass.metricError = "selector is required";
        return false;
    }
    ListOptions options;
    options.labelSelector = selectorText;
    auto pods = service().list(m_podType, pass.ns, options);
    if (!pods) {
        const std::string error = "couldn't convert selector into a corresponding internal "
                                  "selector object: " +
                                  pods.error().message;
        m_events.event(pass.hpa, EventRecorder::Warning, "InvalidSelector", error);
        setCondition(pass, "ScalingActive", false, "InvalidSelector", error);
        pass.metricError = error;
        return false;
    }
    const std::int32_t specReplicas = pass.currentReplicas;
    hpa::CalculatorSettings settings;
    settings.cpuInitializationPeriod =
        hpa::scaledSeconds(clock(), hpa::kCpuInitializationPeriod.count());
    settings.initialReadinessDelay =
        hpa::scaledSeconds(clock(), hpa::kInitialReadinessDelay.count());

    const boost::json::array *specs = json::arrayAt(pass.hpa, {"spec", "metrics"});
    std::size_t invalid = 0;
    std::size_t total = specs ? specs->size() : 0;
    std::string firstReason;
    std::string firstError;
    std::string firstWrapped;
    std::int32_t replicas = 0;
    for (std::size_t i = 0; i < total; ++i) {
        const Object *metric = (*specs)[i].if_object();
        static const Object kEmpty;
        auto result = hpa_detail::computeMetric(metric ? *metric : kEmpty, specReplicas,
                                                pods->items, m_metrics, clock().now(), settings);
        pass.metricStatuses.push_back(std::move(result.status));
        if (!result.ok) {
            // getUnableComputeReplicaCountCondition records an event per failing metric.
            m_events.event(pass.hpa, EventRecorder::Warning, result.conditionReason, result.error);
            if (invalid == 0) {
                firstReason = result.conditionReason;
                firstError = result.error;
                firstWrapped = result.wrappedError;
            }
            ++invalid;
            continue;
        }
        if (replicas == 0 || result.replicas > replicas) {
            replicas = result.replicas;
            pass.metricName = result.metricName;
        }
    }
    if (invalid > 0) {
        pass.metricError = "invalid metrics (" + std::to_string(invalid) + " invalid out of " +
                           std::to_string(total) + "), first error is: " + firstWrapped;
    }
    if (invalid >= total || (invalid > 0 && replicas < specReplicas)) {
        if (invalid > 0) {
            setCondition(pass, "ScalingActive", false, firstReason,
                         "the HPA was unable to compute the replica count: " + firstError);
        }
        if (pass.metricError.empty()) {
            pass.metricError = "no metrics to compute the replica count from";
        }
        return false;
    }
    setCondition(pass, "ScalingActive", true, "ValidMetricFound",
                 "the HPA was able to successfully calculate a replica count from " +
                     pass.metricName);
    pass.metricReplicas = replicas;
    return true;
}

std::int32_t HpaController::normalize(Pass &pass, std::int32_t desired) {
    static const Object kNoSpec;
    const Object *specPtr = json::objectAt(pass.hpa, {"spec"});
    const Object &spec = specPtr != nullptr ? *specPtr : kNoSpec;
    const std::int32_t minReplicas = toInt32(json::intAt(spec, {"minReplicas"}).value_or(1));
    const std::int32_t maxReplicas = toInt32(json::intAt(spec, {"maxReplicas"}).value_or(0));
    hpa::History &h = history(pass.key);
    hpa::Normalized normalized;
    if (const Object *behavior = json::objectAt(spec, {"behavior"})) {
        normalized =
            hpa::normalizeWithBehavior(h, hpa_detail::parseBehavior(*behavior), minReplicas,
                                       maxReplicas, pass.currentReplicas, desired, clock());
    } else {
        normalized = hpa::normalizeWithoutBehavior(
            h, hpa::scaledSeconds(clock(), hpa::kDownscaleStabilization.count()), minReplicas,
            maxReplicas, pass.currentReplicas, desired, clock().now());
    }
    setCondition(pass, "AbleToScale", true, normalized.ableReason, normalized.ableMessage);
    setCondition(pass, "ScalingLimited", normalized.limited, normalized.limitedReason,
                 normalized.limitedMessage);
    return normalized.replicas;
}

// updateStatusIfNeeded: Go's omitempty drops a zero currentReplicas and empty lists.
SyncResult HpaController::writeStatus(Pass &pass) {
    Object &status = pass.status;
    if (json::intAt(status, {"currentReplicas"}).value_or(0) == 0) {
        status.erase("currentReplicas");
    }
    if (!status.contains("desiredReplicas")) {
        status["desiredReplicas"] = 0;
    }
    for (const char *list : {"currentMetrics", "conditions"}) {
        const boost::json::value *v = status.if_contains(list);
        if (v != nullptr && (!v->is_array() || v->get_array().empty())) {
            status.erase(list);
        }
    }
    if (json::canonical(status) == json::canonical(pass.originalStatus)) {
        return SyncResult::done();
    }
    Object body = pass.hpa;
    for (int attempt = 0; attempt < kStatusWriteAttempts; ++attempt) {
        body["status"] = status;
        auto written = service().update(m_hpaType, pass.ns, json::name(pass.hpa), body,
                                        managerOptions(kFieldManager), Subresource::Status);
        if (written) {
            return SyncResult::done();
        }
        if (isNotFound(written.error())) {
            return SyncResult::done();
        }
        if (!isConflict(written.error())) {
            m_events.event(pass.hpa, EventRecorder::Warning, "FailedUpdateStatus",
                           written.error().message);
            return SyncResult::error("failed to update status for " + json::name(pass.hpa) + ": " +
                                     written.error().message);
        }
        // Someone edited the spec meanwhile: our status still stands, on the new version.
        auto latest = service().get(m_hpaType, pass.ns, json::name(pass.hpa));
        if (!latest) {
            return isNotFound(latest.error()) ? SyncResult::done()
                                              : SyncResult::error(latest.error().message);
        }
        body = std::move(*latest);
    }
    return SyncResult::retry();
}

} // namespace sandbox
