#include "api/content_field_validation.h"

#include <boost/json/array.hpp>

#include <map>
#include <memory>
#include <string_view>

namespace sandbox {

namespace {

namespace bj = boost::json;

// A schema node: known fields of an object, each with the node of its value (nullptr:
// not checked further). `element` makes the node describe a list of such objects.
struct Node {
    std::map<std::string, const Node *, std::less<>> fields;
    const Node *element = nullptr;
};

class Schemas {
public:
    static const Schemas &get() {
        static const Schemas schemas;
        return schemas;
    }

    const Node *topLevel(const ResourceType &type) const {
        auto it = m_topLevel.find(type.apiVersion() + "/" + type.kind);
        return it == m_topLevel.end() ? nullptr : it->second;
    }

private:
    std::vector<std::unique_ptr<Node>> m_nodes;
    std::map<std::string, const Node *> m_topLevel;

    Node *node(std::initializer_list<std::pair<const char *, const Node *>> fields) {
        auto n = std::make_unique<Node>();
        for (const auto &[name, child] : fields) {
            n->fields.emplace(name, child);
        }
        m_nodes.push_back(std::move(n));
        return m_nodes.back().get();
    }
    Node *names(std::initializer_list<const char *> fields) {
        auto n = std::make_unique<Node>();
        for (const char *name : fields) {
            n->fields.emplace(name, nullptr);
        }
        m_nodes.push_back(std::move(n));
        return m_nodes.back().get();
    }
    const Node *listOf(const Node *element) {
        auto n = std::make_unique<Node>();
        n->element = element;
        m_nodes.push_back(std::move(n));
        return m_nodes.back().get();
    }
    void top(const std::string &apiVersion, const std::string &kind, const Node *n) {
        m_topLevel[apiVersion + "/" + kind] = n;
    }

    Schemas() {
        const Node *meta = names({"name", "generateName", "namespace", "selfLink", "uid",
                                  "resourceVersion", "generation", "creationTimestamp",
                                  "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                                  "annotations", "ownerReferences", "finalizers", "managedFields"});
        const Node *probe = names({"exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds",
                                   "timeoutSeconds", "periodSeconds", "successThreshold",
                                   "failureThreshold", "terminationGracePeriodSeconds"});
        const Node *port = names({"containerPort", "hostPort", "name", "protocol", "hostIP"});
        const Node *env = names({"name", "value", "valueFrom"});
        const Node *resources = names({"limits", "requests", "claims"});
        const Node *mount = names({"name", "readOnly", "recursiveReadOnly", "mountPath", "subPath",
                                   "mountPropagation", "subPathExpr"});
        const Node *container = node({{"name", nullptr},
                                      {"image", nullptr},
                                      {"command", nullptr},
                                      {"args", nullptr},
                                      {"workingDir", nullptr},
                                      {"ports", listOf(port)},
                                      {"envFrom", nullptr},
                                      {"env", listOf(env)},
                                      {"resources", resources},
                                      {"resizePolicy", nullptr},
                                      {"restartPolicy", nullptr},
                                      {"volumeMounts", listOf(mount)},
                                      {"volumeDevices", nullptr},
                                      {"livenessProbe", probe},
                                      {"readinessProbe", probe},
                                      {"startupProbe", probe},
                                      {"lifecycle", nullptr},
                                      {"terminationMessagePath", nullptr},
                                      {"terminationMessagePolicy", nullptr},
                                      {"imagePullPolicy", nullptr},
                                      {"securityContext", nullptr},
                                      {"stdin", nullptr},
                                      {"stdinOnce", nullptr},
                                      {"tty", nullptr}});
        const Node *containers = listOf(container);
        Node *podSpec = names({"volumes",
                               "ephemeralContainers",
                               "restartPolicy",
                               "terminationGracePeriodSeconds",
                               "activeDeadlineSeconds",
                               "dnsPolicy",
                               "nodeSelector",
                               "serviceAccountName",
                               "serviceAccount",
                               "automountServiceAccountToken",
                               "nodeName",
                               "hostNetwork",
                               "hostPID",
                               "hostIPC",
                               "shareProcessNamespace",
                               "securityContext",
                               "imagePullSecrets",
                               "hostname",
                               "subdomain",
                               "affinity",
                               "schedulerName",
                               "tolerations",
                               "hostAliases",
                               "priorityClassName",
                               "priority",
                               "dnsConfig",
                               "readinessGates",
                               "runtimeClassName",
                               "enableServiceLinks",
                               "preemptionPolicy",
                               "overhead",
                               "topologySpreadConstraints",
                               "setHostnameAsFQDN",
                               "os",
                               "hostUsers",
                               "schedulingGates",
                               "resourceClaims",
                               "resources"});
        podSpec->fields["containers"] = containers;
        podSpec->fields["initContainers"] = containers;
        const Node *podTemplate = node({{"metadata", meta}, {"spec", podSpec}});
        const Node *selector = names({"matchLabels", "matchExpressions"});

        auto object = [&](const Node *spec) {
            return node({{"apiVersion", nullptr},
                         {"kind", nullptr},
                         {"metadata", meta},
                         {"spec", spec},
                         {"status", nullptr}});
        };

        top("v1", "Pod", object(podSpec));
        top("v1", "PodTemplate",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"template", podTemplate}}));
        top("apps/v1", "Deployment",
            object(node({{"replicas", nullptr},
                         {"selector", selector},
                         {"template", podTemplate},
                         {"strategy", names({"type", "rollingUpdate"})},
                         {"minReadySeconds", nullptr},
                         {"revisionHistoryLimit", nullptr},
                         {"paused", nullptr},
                         {"progressDeadlineSeconds", nullptr}})));
        top("apps/v1", "ReplicaSet",
            object(node({{"replicas", nullptr},
                         {"minReadySeconds", nullptr},
                         {"selector", selector},
                         {"template", podTemplate}})));
        const Node *servicePort =
            names({"name", "protocol", "appProtocol", "port", "targetPort", "nodePort"});
        top("v1", "Service",
            object(node({{"ports", listOf(servicePort)},
                         {"selector", nullptr},
                         {"clusterIP", nullptr},
                         {"clusterIPs", nullptr},
                         {"type", nullptr},
                         {"externalIPs", nullptr},
                         {"sessionAffinity", nullptr},
                         {"loadBalancerIP", nullptr},
                         {"loadBalancerSourceRanges", nullptr},
                         {"externalName", nullptr},
                         {"externalTrafficPolicy", nullptr},
                         {"healthCheckNodePort", nullptr},
                         {"publishNotReadyAddresses", nullptr},
                         {"sessionAffinityConfig", nullptr},
                         {"ipFamilies", nullptr},
                         {"ipFamilyPolicy", nullptr},
                         {"allocateLoadBalancerNodePorts", nullptr},
                         {"loadBalancerClass", nullptr},
                         {"internalTrafficPolicy", nullptr},
                         {"trafficDistribution", nullptr}})));
        top("v1", "ConfigMap",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"data", nullptr},
                  {"binaryData", nullptr},
                  {"immutable", nullptr}}));
        top("v1", "Secret",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"data", nullptr},
                  {"stringData", nullptr},
                  {"type", nullptr},
                  {"immutable", nullptr}}));
        top("v1", "ServiceAccount",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"secrets", nullptr},
                  {"imagePullSecrets", nullptr},
                  {"automountServiceAccountToken", nullptr}}));
        top("v1", "Endpoints",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"subsets", nullptr}}));
        top("v1", "Event",
            node({{"apiVersion", nullptr},
                  {"kind", nullptr},
                  {"metadata", meta},
                  {"involvedObject", nullptr},
                  {"reason", nullptr},
                  {"message", nullptr},
                  {"source", nullptr},
                  {"firstTimestamp", nullptr},
                  {"lastTimestamp", nullptr},
                  {"count", nullptr},
                  {"type", nullptr},
                  {"eventTime", nullptr},
                  {"series", nullptr},
                  {"action", nullptr},
                  {"related", nullptr},
                  {"reportingComponent", nullptr},
                  {"reportingInstance", nullptr}}));
        top("v1", "Namespace", object(names({"finalizers"})));
        top("v1", "Node", object(nullptr));
        top("autoscaling/v2", "HorizontalPodAutoscaler",
            object(names({"scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"})));
        top("networking.k8s.io/v1", "Ingress",
            object(names({"ingressClassName", "defaultBackend", "tls", "rules"})));
        top("policy/v1", "PodDisruptionBudget",
            object(node({{"minAvailable", nullptr},
                         {"selector", selector},
                         {"maxUnavailable", nullptr},
                         {"unhealthyPodEvictionPolicy", nullptr}})));
        top("authorization.k8s.io/v1", "SelfSubjectAccessReview",
            object(names({"resourceAttributes", "nonResourceAttributes"})));
        top("apiextensions.k8s.io/v1", "CustomResourceDefinition", object(nullptr));
    }
};

void walk(const Node *schema, const bj::value &value, const std::string &path,
          std::vector<std::string> &out) {
    if (!schema) {
        return;
    }
    if (schema->element) {
        if (const auto *array = value.if_array()) {
            for (std::size_t i = 0; i < array->size(); ++i) {
                walk(schema->element, (*array)[i], path + "[" + std::to_string(i) + "]", out);
            }
        }
        return;
    }
    const auto *object = value.if_object();
    if (!object) {
        return; // type errors are the service's to report
    }
    for (const auto &entry : *object) {
        std::string childPath =
            path.empty() ? std::string(entry.key()) : path + "." + std::string(entry.key());
        auto it = schema->fields.find(std::string_view(entry.key()));
        if (it == schema->fields.end()) {
            // Server-side apply and strategic merge directives are not fields.
            if (!entry.key().starts_with("$setElementOrder/") &&
                !entry.key().starts_with("$deleteFromPrimitiveList/") && entry.key() != "$patch" &&
                entry.key() != "$retainKeys") {
                out.push_back(std::move(childPath));
            }
            continue;
        }
        walk(it->second, entry.value(), childPath, out);
    }
}

} // namespace

bool isCustomResource(const ResourceType &type) {
    const std::string &g = type.group;
    if (g.empty() || g.find('.') == std::string::npos) {
        return false;
    }
    return !(g.ends_with(".k8s.io") || g == "k8s.io");
}

std::vector<std::string> unknownFields(const ResourceType &type,
                                       const boost::json::object &object) {
    std::vector<std::string> out;
    if (isCustomResource(type)) {
        return out;
    }
    walk(Schemas::get().topLevel(type), bj::value(object), "", out);
    return out;
}

ApiError strictDecodingError(const ResourceType &type, const std::vector<std::string> &fields) {
    std::string message = type.kind + " in version \"" + type.version +
                          "\" cannot be handled as a " + type.kind + ": strict decoding error: ";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            message += ", ";
        }
        message += "unknown field \"" + fields[i] + "\"";
    }
    return ApiError::badRequest(message);
}

} // namespace sandbox
