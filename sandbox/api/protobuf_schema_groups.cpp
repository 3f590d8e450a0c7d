// Schemas of the named API groups kubectl's typed commands write: apps/v1 (create
// deployment), networking.k8s.io/v1 (create ingress), policy/v1 (create pdb),
// authorization.k8s.io/v1 (auth can-i), autoscaling/v1 and v2 (autoscale). Field numbers
// from the v1.32 generated.proto files.
#include "api/protobuf_schema_util.h"

#include <array>
#include <string>

namespace sandbox::protobuf {

namespace {

// ---- apps/v1 -------------------------------------------------------------------------------

constexpr FieldSchema kRollingUpdateDeploymentFields[] = {
    scalar(1, "maxUnavailable", ValueKind::IntOrString),
    scalar(2, "maxSurge", ValueKind::IntOrString),
};
constexpr MessageSchema kRollingUpdateDeployment{"RollingUpdateDeployment",
                                                 kRollingUpdateDeploymentFields};

constexpr FieldSchema kDeploymentStrategyFields[] = {
    text(1, "type"),
    message(2, "rollingUpdate", kRollingUpdateDeployment),
};
constexpr MessageSchema kDeploymentStrategy{"DeploymentStrategy", kDeploymentStrategyFields};

constexpr FieldSchema kDeploymentSpecFields[] = {
    scalar(1, "replicas", ValueKind::Int32, Emit::IfPresent),
    message(2, "selector", kLabelSelector),
    message(3, "template", kPodTemplateSpec),
    message(4, "strategy", kDeploymentStrategy),
    scalar(5, "minReadySeconds", ValueKind::Int32),
    scalar(6, "revisionHistoryLimit", ValueKind::Int32, Emit::IfPresent),
    flag(7, "paused"),
    scalar(9, "progressDeadlineSeconds", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kDeploymentSpec{"DeploymentSpec", kDeploymentSpecFields};

constexpr FieldSchema kDeploymentFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kDeploymentSpec),
    message(3, "status", kEmptyMessage),
};

// ---- networking.k8s.io/v1 ------------------------------------------------------------------

constexpr FieldSchema kServiceBackendPortFields[] = {
    text(1, "name"),
    scalar(2, "number", ValueKind::Int32),
};
constexpr MessageSchema kServiceBackendPort{"ServiceBackendPort", kServiceBackendPortFields};

constexpr FieldSchema kIngressServiceBackendFields[] = {
    text(1, "name", Emit::Always),
    message(2, "port", kServiceBackendPort),
};
constexpr MessageSchema kIngressServiceBackend{"IngressServiceBackend",
                                               kIngressServiceBackendFields};

constexpr FieldSchema kIngressBackendFields[] = {
    message(4, "service", kIngressServiceBackend),
    message(3, "resource", kTypedLocalObjectReference),
};
constexpr MessageSchema kIngressBackend{"IngressBackend", kIngressBackendFields};

constexpr FieldSchema kHttpIngressPathFields[] = {
    text(1, "path"),
    text(3, "pathType", Emit::IfPresent),
    message(2, "backend", kIngressBackend),
};
constexpr MessageSchema kHttpIngressPath{"HTTPIngressPath", kHttpIngressPathFields};

constexpr FieldSchema kHttpIngressRuleValueFields[] = {messages(1, "paths", kHttpIngressPath)};
constexpr MessageSchema kHttpIngressRuleValue{"HTTPIngressRuleValue", kHttpIngressRuleValueFields};

constexpr FieldSchema kIngressRuleValueFields[] = {message(1, "http", kHttpIngressRuleValue)};
constexpr MessageSchema kIngressRuleValue{"IngressRuleValue", kIngressRuleValueFields};

constexpr FieldSchema kIngressRuleFields[] = {
    text(1, "host"), inlined(2, kIngressRuleValue), // `json:",inline"`: "http" sits beside "host"
};
constexpr MessageSchema kIngressRule{"IngressRule", kIngressRuleFields};

constexpr FieldSchema kIngressTlsFields[] = {texts(1, "hosts"), text(2, "secretName")};
constexpr MessageSchema kIngressTls{"IngressTLS", kIngressTlsFields};

constexpr FieldSchema kIngressSpecFields[] = {
    text(4, "ingressClassName", Emit::IfPresent),
    message(1, "defaultBackend", kIngressBackend),
    messages(2, "tls", kIngressTls),
    messages(3, "rules", kIngressRule),
};
constexpr MessageSchema kIngressSpec{"IngressSpec", kIngressSpecFields};

// The status of a new object is {} or zeros; the load balancer list is not decoded.
constexpr FieldSchema kIngressStatusFields[] = {message(1, "loadBalancer", kEmptyMessage)};
constexpr MessageSchema kIngressStatus{"IngressStatus", kIngressStatusFields};

constexpr FieldSchema kIngressFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kIngressSpec),
    message(3, "status", kIngressStatus),
};

// ---- policy/v1 -----------------------------------------------------------------------------

constexpr FieldSchema kPodDisruptionBudgetSpecFields[] = {
    scalar(1, "minAvailable", ValueKind::IntOrString),
    message(2, "selector", kLabelSelector),
    scalar(3, "maxUnavailable", ValueKind::IntOrString),
    text(4, "unhealthyPodEvictionPolicy", Emit::IfPresent),
};
constexpr MessageSchema kPodDisruptionBudgetSpec{"PodDisruptionBudgetSpec",
                                                 kPodDisruptionBudgetSpecFields};

constexpr FieldSchema kPodDisruptionBudgetStatusFields[] = {
    scalar(1, "observedGeneration", ValueKind::Int64),
    scalar(3, "disruptionsAllowed", ValueKind::Int32, Emit::Always),
    scalar(4, "currentHealthy", ValueKind::Int32, Emit::Always),
    scalar(5, "desiredHealthy", ValueKind::Int32, Emit::Always),
    scalar(6, "expectedPods", ValueKind::Int32, Emit::Always),
};
constexpr MessageSchema kPodDisruptionBudgetStatus{"PodDisruptionBudgetStatus",
                                                   kPodDisruptionBudgetStatusFields};

constexpr FieldSchema kPodDisruptionBudgetFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kPodDisruptionBudgetSpec),
    message(3, "status", kPodDisruptionBudgetStatus),
};

// ---- authorization.k8s.io/v1 ---------------------------------------------------------------

constexpr FieldSchema kSelectorAttributesFields[] = {
    text(1, "rawSelector"),
    messages(2, "requirements", kLabelSelectorRequirement), // same shape for fields
};
constexpr MessageSchema kSelectorAttributes{"SelectorAttributes", kSelectorAttributesFields};

constexpr FieldSchema kResourceAttributesFields[] = {
    text(1, "namespace"),
    text(2, "verb"),
    text(3, "group"),
    text(4, "version"),
    text(5, "resource"),
    text(6, "subresource"),
    text(7, "name"),
    message(8, "fieldSelector", kSelectorAttributes),
    message(9, "labelSelector", kSelectorAttributes),
};
constexpr MessageSchema kResourceAttributes{"ResourceAttributes", kResourceAttributesFields};

constexpr FieldSchema kNonResourceAttributesFields[] = {text(1, "path"), text(2, "verb")};
constexpr MessageSchema kNonResourceAttributes{"NonResourceAttributes",
                                               kNonResourceAttributesFields};

constexpr FieldSchema kSelfSubjectAccessReviewSpecFields[] = {
    message(1, "resourceAttributes", kResourceAttributes),
    message(2, "nonResourceAttributes", kNonResourceAttributes),
};
constexpr MessageSchema kSelfSubjectAccessReviewSpec{"SelfSubjectAccessReviewSpec",
                                                     kSelfSubjectAccessReviewSpecFields};

constexpr FieldSchema kSubjectAccessReviewStatusFields[] = {
    flag(1, "allowed", Emit::Always),
    flag(4, "denied"),
    text(2, "reason"),
    text(3, "evaluationError"),
};
constexpr MessageSchema kSubjectAccessReviewStatus{"SubjectAccessReviewStatus",
                                                   kSubjectAccessReviewStatusFields};

constexpr FieldSchema kSelfSubjectAccessReviewFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kSelfSubjectAccessReviewSpec),
    message(3, "status", kSubjectAccessReviewStatus),
};

// ---- autoscaling/v1 and v2 -----------------------------------------------------------------

constexpr FieldSchema kCrossVersionObjectReferenceFields[] = {
    text(1, "kind", Emit::Always),
    text(2, "name", Emit::Always),
    text(3, "apiVersion"),
};
constexpr MessageSchema kCrossVersionObjectReference{"CrossVersionObjectReference",
                                                     kCrossVersionObjectReferenceFields};

constexpr FieldSchema kHpaSpecV1Fields[] = {
    message(1, "scaleTargetRef", kCrossVersionObjectReference),
    scalar(2, "minReplicas", ValueKind::Int32, Emit::IfPresent),
    scalar(3, "maxReplicas", ValueKind::Int32, Emit::Always),
    scalar(4, "targetCPUUtilizationPercentage", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kHpaSpecV1{"HorizontalPodAutoscalerSpec", kHpaSpecV1Fields};

constexpr FieldSchema kHpaStatusV1Fields[] = {
    scalar(1, "observedGeneration", ValueKind::Int64, Emit::IfPresent),
    scalar(2, "lastScaleTime", ValueKind::Time),
    scalar(3, "currentReplicas", ValueKind::Int32, Emit::Always),
    scalar(4, "desiredReplicas", ValueKind::Int32, Emit::Always),
    scalar(5, "currentCPUUtilizationPercentage", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kHpaStatusV1{"HorizontalPodAutoscalerStatus", kHpaStatusV1Fields};

constexpr FieldSchema kHpaV1Fields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kHpaSpecV1),
    message(3, "status", kHpaStatusV1),
};

constexpr FieldSchema kMetricTargetFields[] = {
    text(1, "type", Emit::Always),
    scalar(2, "value", ValueKind::Quantity),
    scalar(3, "averageValue", ValueKind::Quantity),
    scalar(4, "averageUtilization", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kMetricTarget{"MetricTarget", kMetricTargetFields};

constexpr FieldSchema kMetricIdentifierFields[] = {
    text(1, "name", Emit::Always),
    message(2, "selector", kLabelSelector),
};
constexpr MessageSchema kMetricIdentifier{"MetricIdentifier", kMetricIdentifierFields};

constexpr FieldSchema kResourceMetricSourceFields[] = {
    text(1, "name", Emit::Always),
    message(2, "target", kMetricTarget),
};
constexpr MessageSchema kResourceMetricSource{"ResourceMetricSource", kResourceMetricSourceFields};

constexpr FieldSchema kContainerResourceMetricSourceFields[] = {
    text(1, "name", Emit::Always),
    message(2, "target", kMetricTarget),
    text(3, "container", Emit::Always),
};
constexpr MessageSchema kContainerResourceMetricSource{"ContainerResourceMetricSource",
                                                       kContainerResourceMetricSourceFields};

// PodsMetricSource and ExternalMetricSource share their shape.
constexpr FieldSchema kIdentifiedMetricSourceFields[] = {
    message(1, "metric", kMetricIdentifier),
    message(2, "target", kMetricTarget),
};
constexpr MessageSchema kIdentifiedMetricSource{"MetricSource", kIdentifiedMetricSourceFields};

constexpr FieldSchema kObjectMetricSourceFields[] = {
    message(1, "describedObject", kCrossVersionObjectReference),
    message(2, "target", kMetricTarget),
    message(3, "metric", kMetricIdentifier),
};
constexpr MessageSchema kObjectMetricSource{"ObjectMetricSource", kObjectMetricSourceFields};

constexpr FieldSchema kMetricSpecFields[] = {
    text(1, "type", Emit::Always),
    message(2, "object", kObjectMetricSource),
    message(3, "pods", kIdentifiedMetricSource),
    message(4, "resource", kResourceMetricSource),
    message(7, "containerResource", kContainerResourceMetricSource),
    message(5, "external", kIdentifiedMetricSource),
};
constexpr MessageSchema kMetricSpec{"MetricSpec", kMetricSpecFields};

constexpr FieldSchema kHpaScalingPolicyFields[] = {
    text(1, "type", Emit::Always),
    scalar(2, "value", ValueKind::Int32, Emit::Always),
    scalar(3, "periodSeconds", ValueKind::Int32, Emit::Always),
};
constexpr MessageSchema kHpaScalingPolicy{"HPAScalingPolicy", kHpaScalingPolicyFields};

constexpr FieldSchema kHpaScalingRulesFields[] = {
    scalar(3, "stabilizationWindowSeconds", ValueKind::Int32, Emit::IfPresent),
    text(1, "selectPolicy", Emit::IfPresent),
    messages(2, "policies", kHpaScalingPolicy),
};
constexpr MessageSchema kHpaScalingRules{"HPAScalingRules", kHpaScalingRulesFields};

constexpr FieldSchema kHpaBehaviorFields[] = {
    message(1, "scaleUp", kHpaScalingRules),
    message(2, "scaleDown", kHpaScalingRules),
};
constexpr MessageSchema kHpaBehavior{"HorizontalPodAutoscalerBehavior", kHpaBehaviorFields};

constexpr FieldSchema kHpaSpecV2Fields[] = {
    message(1, "scaleTargetRef", kCrossVersionObjectReference),
    scalar(2, "minReplicas", ValueKind::Int32, Emit::IfPresent),
    scalar(3, "maxReplicas", ValueKind::Int32, Emit::Always),
    messages(4, "metrics", kMetricSpec),
    message(5, "behavior", kHpaBehavior),
};
constexpr MessageSchema kHpaSpecV2{"HorizontalPodAutoscalerSpec", kHpaSpecV2Fields};

constexpr FieldSchema kHpaV2Fields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kHpaSpecV2),
    message(3, "status", kEmptyMessage),
};

} // namespace

constinit const MessageSchema kDeployment{"Deployment", kDeploymentFields};
constinit const MessageSchema kIngress{"Ingress", kIngressFields};
constinit const MessageSchema kPodDisruptionBudget{"PodDisruptionBudget",
                                                   kPodDisruptionBudgetFields};
constinit const MessageSchema kSelfSubjectAccessReview{"SelfSubjectAccessReview",
                                                       kSelfSubjectAccessReviewFields};
constinit const MessageSchema kHorizontalPodAutoscalerV1{"HorizontalPodAutoscaler", kHpaV1Fields};
constinit const MessageSchema kHorizontalPodAutoscalerV2{"HorizontalPodAutoscaler", kHpaV2Fields};

namespace {

struct KindEntry {
    std::string_view apiVersion;
    std::string_view kind;
    const MessageSchema *schema;
};

constexpr std::array<KindEntry, 12> kKinds{{
    {"v1", "ConfigMap", &kConfigMap},
    {"v1", "Secret", &kSecret},
    {"v1", "Namespace", &kNamespace},
    {"v1", "ServiceAccount", &kServiceAccount},
    {"v1", "Service", &kService},
    {"v1", "Pod", &kPod},
    {"apps/v1", "Deployment", &kDeployment},
    {"networking.k8s.io/v1", "Ingress", &kIngress},
    {"policy/v1", "PodDisruptionBudget", &kPodDisruptionBudget},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", &kSelfSubjectAccessReview},
    {"autoscaling/v1", "HorizontalPodAutoscaler", &kHorizontalPodAutoscalerV1},
    {"autoscaling/v2", "HorizontalPodAutoscaler", &kHorizontalPodAutoscalerV2},
}};

} // namespace

const MessageSchema *schemaForKind(std::string_view apiVersion, std::string_view kind) {
    for (const KindEntry &entry : kKinds) {
        if (entry.apiVersion == apiVersion && entry.kind == kind) {
            return entry.schema;
        }
    }
    return nullptr;
}

std::string_view supportedKindsText() {
    static const std::string text = [] {
        std::string out;
        for (const KindEntry &entry : kKinds) {
            out += out.empty() ? "" : ", ";
            out += std::string(entry.kind) + " (" + std::string(entry.apiVersion) + ")";
        }
        return out;
    }();
    return text;
}

} // namespace sandbox::protobuf
