#include "api/defaults.h"

#include "util/base64.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

namespace sandbox::defaults {

namespace {

using Object = boost::json::object;

void setIfAbsent(Object &object, std::string_view key, boost::json::value value) {
    const boost::json::value *existing = object.if_contains(key);
    if (existing == nullptr || existing->is_null()) {
        object[key] = std::move(value);
    }
}

Object *objectField(Object &object, std::string_view key) {
    boost::json::value *v = object.if_contains(key);
    return v != nullptr ? v->if_object() : nullptr;
}

boost::json::array *arrayField(Object &object, std::string_view key) {
    boost::json::value *v = object.if_contains(key);
    return v != nullptr ? v->if_array() : nullptr;
}

void probe(Object &container, std::string_view key) {
    Object *p = objectField(container, key);
    if (p == nullptr) {
        return;
    }
    setIfAbsent(*p, "timeoutSeconds", 1);
    setIfAbsent(*p, "periodSeconds", 10);
    setIfAbsent(*p, "successThreshold", 1);
    setIfAbsent(*p, "failureThreshold", 3);
    if (Object *http = objectField(*p, "httpGet")) {
        setIfAbsent(*http, "scheme", "HTTP");
    }
}

void container(Object &c) {
    setIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    setIfAbsent(c, "terminationMessagePolicy", "File");
    setIfAbsent(c, "imagePullPolicy", imagePullPolicyFor(json::stringAt(c, {"image"})));
    setIfAbsent(c, "resources", Object());
    if (boost::json::array *ports = arrayField(c, "ports")) {
        for (boost::json::value &port : *ports) {
            if (Object *p = port.if_object()) {
                setIfAbsent(*p, "protocol", "TCP");
            }
        }
    }
    if (boost::json::array *env = arrayField(c, "env")) {
        for (boost::json::value &var : *env) {
            Object *v = var.if_object();
            Object *from = v != nullptr ? objectField(*v, "valueFrom") : nullptr;
            Object *field = from != nullptr ? objectField(*from, "fieldRef") : nullptr;
            if (field != nullptr) {
                setIfAbsent(*field, "apiVersion", "v1");
            }
        }
    }
    probe(c, "livenessProbe");
    probe(c, "readinessProbe");
    probe(c, "startupProbe");
}

void podTemplate(Object &spec) {
    if (Object *tmpl = objectField(spec, "template")) {
        if (Object *podSpecObject = objectField(*tmpl, "spec")) {
            podSpec(*podSpecObject);
        }
    }
}

void deployment(Object &object, bool) {
    Object &spec = json::ensureObject(object, {"spec"});
    setIfAbsent(spec, "replicas", 1);
    setIfAbsent(spec, "revisionHistoryLimit", 10);
    setIfAbsent(spec, "progressDeadlineSeconds", 600);
    Object &strategy = json::ensureObject(spec, {"strategy"});
    setIfAbsent(strategy, "type", "RollingUpdate");
    if (json::stringAt(strategy, {"type"}) == "RollingUpdate") {
        Object &rolling = json::ensureObject(strategy, {"rollingUpdate"});
        setIfAbsent(rolling, "maxUnavailable", "25%");
        setIfAbsent(rolling, "maxSurge", "25%");
    }
    podTemplate(spec);
}

void replicaSet(Object &object, bool) {
    Object &spec = json::ensureObject(object, {"spec"});
    setIfAbsent(spec, "replicas", 1);
    podTemplate(spec);
}

void pod(Object &object, bool creating) {
    Object &spec = json::ensureObject(object, {"spec"});
    podSpec(spec);
    if (!creating) {
        return;
    }
    // Admission plugins of a default cluster.
    setIfAbsent(spec, "serviceAccountName", "default");
    setIfAbsent(spec, "serviceAccount",
                boost::json::string(json::stringAt(spec, {"serviceAccountName"})));
    setIfAbsent(spec, "priority", 0);
    setIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    setIfAbsent(spec, "enableServiceLinks", true);
    boost::json::array *tolerations = arrayField(spec, "tolerations");
    if (tolerations == nullptr) {
        spec["tolerations"] = boost::json::array();
        tolerations = arrayField(spec, "tolerations");
    }
    for (const char *key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
        bool present = false;
        for (const boost::json::value &t : *tolerations) {
            if (const Object *o = t.if_object()) {
                present = present || json::stringAt(*o, {"key"}) == key;
            }
        }
        if (!present) {
            tolerations->push_back(Object{{"key", key},
                                          {"operator", "Exists"},
                                          {"effect", "NoExecute"},
                                          {"tolerationSeconds", 300}});
        }
    }
}

void service(Object &object, bool) {
    Object &spec = json::ensureObject(object, {"spec"});
    setIfAbsent(spec, "type", "ClusterIP");
    const std::string type = json::stringAt(spec, {"type"});
    if (type == "ExternalName") {
        return;
    }
    setIfAbsent(spec, "sessionAffinity", "None");
    setIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    setIfAbsent(spec, "ipFamilies", boost::json::array{"IPv4"});
    setIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
    if (type == "NodePort" || type == "LoadBalancer") {
        setIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type == "LoadBalancer") {
        setIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
    }
    if (boost::json::array *ports = arrayField(spec, "ports")) {
        for (boost::json::value &port : *ports) {
            if (Object *p = port.if_object()) {
                setIfAbsent(*p, "protocol", "TCP");
                if (const boost::json::value *number = p->if_contains("port")) {
                    setIfAbsent(*p, "targetPort", *number);
                }
            }
        }
    }
}

void hpaRules(Object &behavior, std::string_view key, bool up) {
    Object &rules = json::ensureObject(behavior, {key});
    setIfAbsent(rules, "stabilizationWindowSeconds", up ? 0 : 300);
    setIfAbsent(rules, "selectPolicy", "Max");
    if (!rules.contains("policies")) {
        boost::json::array policies;
        if (up) {
            policies.push_back(Object{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}});
        }
        policies.push_back(Object{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}});
        rules["policies"] = std::move(policies);
    }
}

void hpa(Object &object, bool) {
    Object &spec = json::ensureObject(object, {"spec"});
    setIfAbsent(spec, "minReplicas", 1);
    const boost::json::array *metrics = arrayField(spec, "metrics");
    if (metrics == nullptr || metrics->empty()) {
        spec["metrics"] = boost::json::array{Object{
            {"type", "Resource"},
            {"resource",
             Object{{"name", "cpu"},
                    {"target", Object{{"type", "Utilization"}, {"averageUtilization", 80}}}}}}};
    }
    // Behavior is defaulted only when given (autoscaling/v2
    // SetDefaults_HorizontalPodAutoscalerBehavior).
    if (Object *behavior = objectField(spec, "behavior")) {
        hpaRules(*behavior, "scaleUp", true);
        hpaRules(*behavior, "scaleDown", false);
    }
}

void namespaceObject(Object &object, bool) {
    const std::string name = json::name(object);
    json::ensureObject(object, {"metadata", "labels"})["kubernetes.io/metadata.name"] = name;
    Object &spec = json::ensureObject(object, {"spec"});
    setIfAbsent(spec, "finalizers", boost::json::array{"kubernetes"});
    Object &status = json::ensureObject(object, {"status"});
    setIfAbsent(status, "phase", "Active");
}

// stringData is write-only: the API server folds it into data (base64) on every write, a
// stringData key winning over the same data key, and never stores or returns it.
void secret(Object &object, bool) {
    setIfAbsent(object, "type", "Opaque");
    auto it = object.find("stringData");
    if (it == object.end()) {
        return;
    }
    if (it->value().is_object()) {
        Object &data = json::ensureObject(object, {"data"});
        for (const auto &[key, value] : it->value().as_object()) {
            if (value.is_string()) {
                data[key] = base64Encode(value.as_string());
            }
        }
    }
    object.erase("stringData");
}

void endpoints(Object &object, bool) {
    if (boost::json::array *subsets = arrayField(object, "subsets")) {
        for (boost::json::value &subset : *subsets) {
            Object *s = subset.if_object();
            boost::json::array *ports = s != nullptr ? arrayField(*s, "ports") : nullptr;
            for (std::size_t i = 0; ports != nullptr && i < ports->size(); ++i) {
                if (Object *p = (*ports)[i].if_object()) {
                    setIfAbsent(*p, "protocol", "TCP");
                }
            }
        }
    }
}

void ingress(Object &object, bool) {
    Object *spec = objectField(object, "spec");
    boost::json::array *rules = spec != nullptr ? arrayField(*spec, "rules") : nullptr;
    for (std::size_t i = 0; rules != nullptr && i < rules->size(); ++i) {
        Object *rule = (*rules)[i].if_object();
        Object *http = rule != nullptr ? objectField(*rule, "http") : nullptr;
        boost::json::array *paths = http != nullptr ? arrayField(*http, "paths") : nullptr;
        for (std::size_t j = 0; paths != nullptr && j < paths->size(); ++j) {
            if (Object *p = (*paths)[j].if_object()) {
                setIfAbsent(*p, "pathType", "ImplementationSpecific");
            }
        }
    }
}

struct KindDefaults {
    std::string_view kind;
    void (*apply)(Object &, bool);
};

constexpr KindDefaults kDefaults[] = {
    {"Deployment", deployment}, {"ReplicaSet", replicaSet},       {"Pod", pod},
    {"Service", service},       {"HorizontalPodAutoscaler", hpa}, {"Namespace", namespaceObject},
    {"Secret", secret},         {"Endpoints", endpoints},         {"Ingress", ingress},
};

} // namespace

const char *imagePullPolicyFor(std::string_view image) {
    // The tag is after the last ':' that follows the last '/', and a digest pins the image.
    if (image.find('@') != std::string_view::npos) {
        return "IfNotPresent";
    }
    const std::size_t slash = image.rfind('/');
    const std::size_t colon = image.rfind(':');
    const bool tagged =
        colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
    if (!tagged || image.substr(colon + 1) == "latest") {
        return "Always";
    }
    return "IfNotPresent";
}

void podSpec(Object &spec) {
    setIfAbsent(spec, "restartPolicy", "Always");
    setIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    setIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    setIfAbsent(spec, "securityContext", Object());
    setIfAbsent(spec, "schedulerName", "default-scheduler");
    for (const char *list : {"containers", "initContainers"}) {
        if (boost::json::array *containers = arrayField(spec, list)) {
            for (boost::json::value &c : *containers) {
                if (Object *o = c.if_object()) {
                    container(*o);
                }
            }
        }
    }
}

void apply(const ResourceType &type, Object &object, bool creating) {
    for (const KindDefaults &d : kDefaults) {
        if (d.kind == type.kind) {
            d.apply(object, creating);
            return;
        }
    }
}

} // namespace sandbox::defaults
