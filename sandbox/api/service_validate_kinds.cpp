// The per-kind validation rules (pkg/apis/{core,apps,autoscaling,policy}/validation), as a
// table: kind -> name rule + spec rules. Metadata rules are common to all kinds.
#include "api/resource_service.h"
#include "api/validation.h"
#include "util/json_util.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace sandbox::validation {

namespace {

using Causes = std::vector<StatusCause>;
using Object = boost::json::object;

std::string valueText(const Object &root, json::Path path) {
    const boost::json::value *v = json::valueAt(root, path);
    return v == nullptr ? "null" : boost::json::serialize(*v);
}

std::string at(const std::string &path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

void nonNegative(const Object &root, json::Path path, const std::string &field, Causes &causes) {
    const auto value = json::intAt(root, path);
    if (value && *value < 0) {
        causes.push_back(
            invalid(field, std::to_string(*value), "must be greater than or equal to 0"));
    }
}

// Go's %#v of a metav1.LabelSelector, as messages about selectors print it.
std::string goLabelSelector(const Object *selector) {
    const Object *labels =
        selector != nullptr ? json::objectAt(*selector, {"matchLabels"}) : nullptr;
    const boost::json::array *exprs =
        selector != nullptr ? json::arrayAt(*selector, {"matchExpressions"}) : nullptr;
    std::string text =
        "v1.LabelSelector{MatchLabels:" + goStringMap(labels) + ", MatchExpressions:";
    if (exprs == nullptr) {
        text += "[]v1.LabelSelectorRequirement(nil)";
    } else {
        text += "[]v1.LabelSelectorRequirement{";
        for (std::size_t i = 0; i < exprs->size(); ++i) {
            const Object *e = (*exprs)[i].if_object();
            if (e == nullptr) {
                continue;
            }
            text += (i > 0 ? ", " : "");
            text += "v1.LabelSelectorRequirement{Key:" + goQuote(json::stringAt(*e, {"key"})) +
                    ", Operator:" + goQuote(json::stringAt(*e, {"operator"})) + ", Values:";
            const boost::json::array *values = json::arrayAt(*e, {"values"});
            if (values == nullptr) {
                text += "[]string(nil)";
            } else {
                text += "[]string{";
                for (std::size_t j = 0; j < values->size(); ++j) {
                    const auto &v = (*values)[j];
                    text += (j > 0 ? ", " : "") +
                            goQuote(v.is_string() ? std::string(v.get_string()) : std::string());
                }
                text += "}";
            }
            text += "}";
        }
        text += "}";
    }
    return text + "}";
}

// An IntOrString that is either a non-negative int or a "N%" string.
void intOrPercent(const Object &spec, json::Path path, const std::string &field, Causes &causes,
                  bool capAt100) {
    const boost::json::value *v = json::valueAt(spec, path);
    if (v == nullptr || v->is_null()) {
        return;
    }
    if (v->is_string()) {
        const std::string text(v->get_string());
        const bool percent =
            text.size() > 1 && text.back() == '%' &&
            std::all_of(text.begin(), text.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
        if (!percent) {
            causes.push_back(invalid(field, goQuote(text),
                                     "a valid percent string must be a numeric string followed by "
                                     "an ending '%' (e.g. '1%',  or '93%', regex used for "
                                     "validation is '[0-9]+%')"));
        } else if (capAt100 && std::stoll(text.substr(0, text.size() - 1)) > 100) {
            causes.push_back(invalid(field, goQuote(text), "must not be greater than 100%"));
        }
        return;
    }
    if (v->is_int64() && v->get_int64() < 0) {
        causes.push_back(
            invalid(field, std::to_string(v->get_int64()), "must be greater than or equal to 0"));
    }
}

bool isZero(const Object &spec, json::Path path) {
    const boost::json::value *v = json::valueAt(spec, path);
    if (v == nullptr || v->is_null()) {
        return false;
    }
    if (v->is_string()) {
        return v->get_string() == "0%" || v->get_string() == "0";
    }
    return v->is_int64() && v->get_int64() == 0;
}

// Shared by Deployment and ReplicaSet: replicas, selector, template.
void validateReplicatedSpec(const Object &object, const Object *old, Causes &causes) {
    const Object *spec = json::objectAt(object, {"spec"});
    static const Object empty;
    const Object &s = spec != nullptr ? *spec : empty;
    nonNegative(s, {"replicas"}, "spec.replicas", causes);
    const Object *selector = json::objectAt(s, {"selector"});
    std::optional<LabelSelector> parsed;
    if (selector == nullptr) {
        causes.push_back(required("spec.selector"));
    } else {
        auto result = LabelSelector::fromObject(*selector);
        if (!result) {
            causes.push_back(invalid("spec.selector", goLabelSelector(selector), result.message()));
        } else {
            parsed = std::move(result.value());
            if (parsed->empty()) {
                causes.push_back(invalid("spec.selector", goLabelSelector(selector),
                                         "empty selector is invalid for deployment"));
            }
        }
    }
    const Object *templateMeta = json::objectAt(s, {"template", "metadata"});
    const Object *templateLabels =
        templateMeta != nullptr ? json::objectAt(*templateMeta, {"labels"}) : nullptr;
    // A missing selector matches nothing, so its template mismatches too (as upstream).
    const bool matches =
        parsed && (parsed->empty() ||
                   parsed->matches(templateLabels != nullptr ? *templateLabels : Object()));
    if (!matches && !(selector != nullptr && !parsed)) {
        causes.push_back(invalid("spec.template.metadata.labels", goStringMap(templateLabels),
                                 "`selector` does not match template `labels`"));
    }
    validateLabelsAndAnnotations(templateMeta, "spec.template.metadata", causes);
    validatePodSpec(json::objectAt(s, {"template", "spec"}), "spec.template.spec", true, causes);
    nonNegative(s, {"minReadySeconds"}, "spec.minReadySeconds", causes);
    if (old != nullptr) {
        const Object *oldSelector = json::objectAt(*old, {"spec", "selector"});
        if (oldSelector != nullptr && selector != nullptr &&
            json::canonical(*oldSelector) != json::canonical(*selector)) {
            causes.push_back(
                invalid("spec.selector", goLabelSelector(selector), "field is immutable"));
        }
    }
}

void validateDeployment(const Object &object, const Object *old, Causes &causes) {
    validateReplicatedSpec(object, old, causes);
    const Object *spec = json::objectAt(object, {"spec"});
    if (spec == nullptr) {
        return;
    }
    const std::string type = json::stringAt(*spec, {"strategy", "type"});
    if (type == "Recreate") {
        if (json::objectAt(*spec, {"strategy", "rollingUpdate"}) != nullptr) {
            causes.push_back(forbidden("spec.strategy.rollingUpdate",
                                       "may not be specified when strategy `type` is 'Recreate'"));
        }
    } else if (type == "RollingUpdate" || type.empty()) {
        const std::string base = "spec.strategy.rollingUpdate.";
        intOrPercent(*spec, {"strategy", "rollingUpdate", "maxUnavailable"},
                     base + "maxUnavailable", causes, true);
        intOrPercent(*spec, {"strategy", "rollingUpdate", "maxSurge"}, base + "maxSurge", causes,
                     false);
        if (isZero(*spec, {"strategy", "rollingUpdate", "maxUnavailable"}) &&
            isZero(*spec, {"strategy", "rollingUpdate", "maxSurge"})) {
            causes.push_back(
                invalid(base + "maxUnavailable",
                        valueText(*spec, {"strategy", "rollingUpdate", "maxUnavailable"}),
                        "may not be 0 when `maxSurge` is 0"));
        }
    } else {
        causes.push_back(
            notSupported("spec.strategy.type", goQuote(type), {"Recreate", "RollingUpdate"}));
    }
    nonNegative(*spec, {"revisionHistoryLimit"}, "spec.revisionHistoryLimit", causes);
    const auto deadline = json::intAt(*spec, {"progressDeadlineSeconds"});
    if (deadline) {
        if (*deadline < 0) {
            causes.push_back(invalid("spec.progressDeadlineSeconds", std::to_string(*deadline),
                                     "must be greater than or equal to 0"));
        } else if (*deadline <= json::intAt(*spec, {"minReadySeconds"}).value_or(0)) {
            causes.push_back(invalid("spec.progressDeadlineSeconds", std::to_string(*deadline),
                                     "must be greater than minReadySeconds"));
        }
    }
}

void validatePod(const Object &object, const Object *, Causes &causes) {
    validatePodSpec(json::objectAt(object, {"spec"}), "spec", false, causes);
}

const std::vector<std::string> kServiceTypes = {"ClusterIP", "ExternalName", "LoadBalancer",
                                                "NodePort"};

void validateService(const Object &object, const Object *, Causes &causes) {
    const Object *spec = json::objectAt(object, {"spec"});
    static const Object empty;
    const Object &s = spec != nullptr ? *spec : empty;
    const std::string type = json::stringAt(s, {"type"}, "ClusterIP");
    if (std::find(kServiceTypes.begin(), kServiceTypes.end(), type) == kServiceTypes.end()) {
        causes.push_back(notSupported("spec.type", goQuote(type), kServiceTypes));
    }
    if (type == "ExternalName" && json::stringAt(s, {"externalName"}).empty()) {
        causes.push_back(required("spec.externalName"));
    }
    const boost::json::array *ports = json::arrayAt(s, {"ports"});
    if ((ports == nullptr || ports->empty()) && type != "ExternalName" &&
        json::stringAt(s, {"clusterIP"}) != "None") {
        causes.push_back(required("spec.ports"));
    }
    std::set<std::string> names;
    const std::size_t count = ports != nullptr ? ports->size() : 0;
    for (std::size_t i = 0; i < count; ++i) {
        const Object *port = (*ports)[i].if_object();
        if (port == nullptr) {
            continue;
        }
        const std::string p = at("spec.ports", i);
        const std::string name = json::stringAt(*port, {"name"});
        if (name.empty() && count > 1) {
            causes.push_back(required(p + ".name"));
        } else if (!name.empty()) {
            for (const std::string &e : dns1123Label(name)) {
                causes.push_back(invalid(p + ".name", goQuote(name), e));
            }
            if (!names.insert(name).second) {
                causes.push_back(duplicate(p + ".name", goQuote(name)));
            }
        }
        const auto number = json::intAt(*port, {"port"});
        if (!number || *number < 1 || *number > 65535) {
            causes.push_back(invalid(p + ".port", std::to_string(number.value_or(0)),
                                     "must be between 1 and 65535, inclusive"));
        }
        const std::string protocol = json::stringAt(*port, {"protocol"}, "TCP");
        if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
            causes.push_back(
                notSupported(p + ".protocol", goQuote(protocol), {"SCTP", "TCP", "UDP"}));
        }
        if (const boost::json::value *target = port->if_contains("targetPort")) {
            if (target->is_int64() && (target->get_int64() < 1 || target->get_int64() > 65535)) {
                causes.push_back(invalid(p + ".targetPort", std::to_string(target->get_int64()),
                                         "must be between 1 and 65535, inclusive"));
            }
        }
        const auto nodePort = json::intAt(*port, {"nodePort"});
        if (nodePort && *nodePort != 0 && type == "ClusterIP") {
            causes.push_back(
                forbidden(p + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
        } else if (nodePort && *nodePort != 0 && (*nodePort < 30000 || *nodePort > 32767)) {
            causes.push_back(invalid(p + ".nodePort", std::to_string(*nodePort),
                                     "provided port is not in the valid range. The range of "
                                     "valid ports is 30000-32767"));
        }
    }
    if (const Object *selector = json::objectAt(s, {"selector"})) {
        for (const auto &[key, value] : *selector) {
            for (const std::string &e : qualifiedName(key)) {
                causes.push_back(invalid("spec.selector", goQuote(key), e));
            }
            const std::string text = value.is_string() ? std::string(value.get_string()) : "";
            for (const std::string &e : labelValue(text)) {
                causes.push_back(invalid("spec.selector", goQuote(text), e));
            }
        }
    }
    const std::string affinity = json::stringAt(s, {"sessionAffinity"}, "None");
    if (affinity != "None" && affinity != "ClientIP") {
        causes.push_back(
            notSupported("spec.sessionAffinity", goQuote(affinity), {"ClientIP", "None"}));
    }
}

void validateHpa(const Object &object, const Object *, Causes &causes) {
    const Object *spec = json::objectAt(object, {"spec"});
    static const Object empty;
    const Object &s = spec != nullptr ? *spec : empty;
    if (json::stringAt(s, {"scaleTargetRef", "kind"}).empty()) {
        causes.push_back(required("spec.scaleTargetRef.kind"));
    }
    if (json::stringAt(s, {"scaleTargetRef", "name"}).empty()) {
        causes.push_back(required("spec.scaleTargetRef.name"));
    }
    const auto minReplicas = json::intAt(s, {"minReplicas"});
    const auto maxReplicas = json::intAt(s, {"maxReplicas"}).value_or(0);
    if (minReplicas && *minReplicas < 1) {
        causes.push_back(invalid("spec.minReplicas", std::to_string(*minReplicas),
                                 "must be greater than or equal to 1"));
    }
    if (maxReplicas < 1) {
        causes.push_back(
            invalid("spec.maxReplicas", std::to_string(maxReplicas), "must be greater than 0"));
    }
    if (minReplicas && maxReplicas < *minReplicas) {
        causes.push_back(invalid("spec.maxReplicas", std::to_string(maxReplicas),
                                 "must be greater than or equal to `minReplicas`"));
    }
    const boost::json::array *metrics = json::arrayAt(s, {"metrics"});
    for (std::size_t i = 0; metrics != nullptr && i < metrics->size(); ++i) {
        const Object *metric = (*metrics)[i].if_object();
        if (metric == nullptr) {
            continue;
        }
        const std::string p = at("spec.metrics", i);
        const std::string type = json::stringAt(*metric, {"type"});
        static const std::vector<std::string> types = {"ContainerResource", "External", "Object",
                                                       "Pods", "Resource"};
        if (type.empty()) {
            causes.push_back(required(p + ".type"));
            continue;
        }
        if (std::find(types.begin(), types.end(), type) == types.end()) {
            causes.push_back(notSupported(p + ".type", goQuote(type), types));
            continue;
        }
        if (type == "Resource") {
            if (json::stringAt(*metric, {"resource", "name"}).empty()) {
                causes.push_back(required(p + ".resource.name"));
            }
            const std::string targetType = json::stringAt(*metric, {"resource", "target", "type"});
            static const std::vector<std::string> targets = {"AverageValue", "Utilization",
                                                             "Value"};
            if (targetType.empty()) {
                causes.push_back(required(p + ".resource.target.type"));
            } else if (std::find(targets.begin(), targets.end(), targetType) == targets.end()) {
                causes.push_back(
                    notSupported(p + ".resource.target.type", goQuote(targetType), targets));
            }
            const auto utilization =
                json::intAt(*metric, {"resource", "target", "averageUtilization"});
            if (utilization && *utilization <= 0) {
                causes.push_back(invalid(p + ".resource.target.averageUtilization",
                                         std::to_string(*utilization), "must be greater than 0"));
            }
        }
    }
}

void validateConfigData(const Object &object, const char *field, Causes &causes) {
    const Object *data = json::objectAt(object, {field});
    if (data == nullptr) {
        return;
    }
    for (const auto &[key, value] : *data) {
        const bool valid = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
        const std::string path = std::string(field) + "[" + std::string(key) + "]";
        if (!valid) {
            causes.push_back(
                invalid(path, goQuote(key),
                        "a valid config key must consist of alphanumeric characters, "
                        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
                        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
        } else if (key == "." || key == "..") {
            causes.push_back(invalid(path, goQuote(key), "must not be '.'"));
        }
    }
}

void validateConfigMap(const Object &object, const Object *, Causes &causes) {
    validateConfigData(object, "data", causes);
    validateConfigData(object, "binaryData", causes);
}

void validateSecret(const Object &object, const Object *old, Causes &causes) {
    validateConfigData(object, "data", causes);
    validateConfigData(object, "stringData", causes);
    if (old != nullptr && json::stringAt(*old, {"type"}) != json::stringAt(object, {"type"})) {
        causes.push_back(
            invalid("type", goQuote(json::stringAt(object, {"type"})), "field is immutable"));
    }
}

void validatePdb(const Object &object, const Object *, Causes &causes) {
    const Object *spec = json::objectAt(object, {"spec"});
    if (spec == nullptr) {
        return;
    }
    if (spec->contains("minAvailable") && spec->contains("maxUnavailable")) {
        causes.push_back(invalid("spec", boost::json::serialize(*spec),
                                 "minAvailable and maxUnavailable cannot be both set"));
    }
    intOrPercent(*spec, {"minAvailable"}, "spec.minAvailable", causes, true);
    intOrPercent(*spec, {"maxUnavailable"}, "spec.maxUnavailable", causes, true);
}

using NameRule = std::vector<std::string> (*)(std::string_view);
using KindRule = void (*)(const Object &, const Object *, Causes &);

struct KindRules {
    std::string_view kind;
    NameRule name;
    KindRule rule;
};

// Kinds not listed use DNS-1123 subdomain names and metadata rules only.
constexpr KindRules kRules[] = {
    {"Namespace", dns1123Label, nullptr},
    {"Service", dns1035Label, validateService},
    {"Deployment", dns1123Subdomain, validateDeployment},
    {"ReplicaSet", dns1123Subdomain, validateReplicatedSpec},
    {"Pod", dns1123Subdomain, validatePod},
    {"HorizontalPodAutoscaler", dns1123Subdomain, validateHpa},
    {"ConfigMap", dns1123Subdomain, validateConfigMap},
    {"Secret", dns1123Subdomain, validateSecret},
    {"PodDisruptionBudget", dns1123Subdomain, validatePdb},
};

} // namespace

std::vector<StatusCause> validateObject(const ResourceType &type, const Object &object,
                                        const Object *old) {
    Causes causes;
    const KindRules *rules = nullptr;
    for (const KindRules &r : kRules) {
        if (r.kind == type.kind) {
            rules = &r;
        }
    }
    const Object *meta = json::objectAt(object, {"metadata"});
    const std::string name = meta != nullptr ? json::stringAt(*meta, {"name"}) : "";
    if (name.empty()) {
        causes.push_back(required("metadata.name", "name or generateName is required"));
    } else {
        for (const std::string &e : (rules != nullptr ? rules->name : dns1123Subdomain)(name)) {
            causes.push_back(invalid("metadata.name", goQuote(name), e));
        }
    }
    if (type.namespaced) {
        const std::string ns = meta != nullptr ? json::stringAt(*meta, {"namespace"}) : "";
        if (ns.empty()) {
            causes.push_back(required("metadata.namespace"));
        } else {
            for (const std::string &e : dns1123Label(ns)) {
                causes.push_back(invalid("metadata.namespace", goQuote(ns), e));
            }
        }
    }
    validateLabelsAndAnnotations(meta, "metadata", causes);
    if (rules != nullptr && rules->rule != nullptr) {
        rules->rule(object, old, causes);
    }
    return causes;
}

} // namespace sandbox::validation
