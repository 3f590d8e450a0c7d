// Schemas of meta.k8s.io/v1 and core/v1 messages (field numbers from the v1.32
// generated.proto files). Emit modes follow the Go fields: `Always` for fields without
// omitempty, `IfPresent` for pointers; everything else omits its zero value.
#include "api/protobuf_schema_util.h"

namespace sandbox::protobuf {

namespace {

// ---- meta.k8s.io/v1 -----------------------------------------------------------------

constexpr FieldSchema kOwnerReferenceFields[] = {
    text(5, "apiVersion", Emit::Always),    text(1, "kind", Emit::Always),
    text(3, "name", Emit::Always),          text(4, "uid", Emit::Always),
    flag(6, "controller", Emit::IfPresent), flag(7, "blockOwnerDeletion", Emit::IfPresent),
};
constexpr MessageSchema kOwnerReference{"OwnerReference", kOwnerReferenceFields};

constexpr FieldSchema kManagedFieldsEntryFields[] = {
    text(1, "manager"),     text(2, "operation"),
    text(3, "apiVersion"),  scalar(4, "time", ValueKind::Time),
    text(6, "fieldsType"),  scalar(7, "fieldsV1", ValueKind::RawJson),
    text(8, "subresource"),
};
constexpr MessageSchema kManagedFieldsEntry{"ManagedFieldsEntry", kManagedFieldsEntryFields};

constexpr FieldSchema kObjectMetaFields[] = {
    text(1, "name"),
    text(2, "generateName"),
    text(3, "namespace"),
    text(4, "selfLink"),
    text(5, "uid"),
    text(6, "resourceVersion"),
    scalar(7, "generation", ValueKind::Int64),
    scalar(8, "creationTimestamp", ValueKind::Time),
    scalar(9, "deletionTimestamp", ValueKind::Time),
    scalar(10, "deletionGracePeriodSeconds", ValueKind::Int64, Emit::IfPresent),
    scalar(11, "labels", ValueKind::MapString),
    scalar(12, "annotations", ValueKind::MapString),
    messages(13, "ownerReferences", kOwnerReference),
    texts(14, "finalizers"),
    messages(17, "managedFields", kManagedFieldsEntry),
};

constexpr FieldSchema kLabelSelectorRequirementFields[] = {
    text(1, "key", Emit::Always),
    text(2, "operator", Emit::Always),
    texts(3, "values"),
};

// ---- core/v1: references and small pieces ------------------------------------------------

constexpr FieldSchema kObjectReferenceFields[] = {
    text(1, "kind"),       text(2, "namespace"),       text(3, "name"),      text(4, "uid"),
    text(5, "apiVersion"), text(6, "resourceVersion"), text(7, "fieldPath"),
};
constexpr MessageSchema kObjectReference{"ObjectReference", kObjectReferenceFields};

constexpr FieldSchema kLocalObjectReferenceFields[] = {text(1, "name")};
constexpr FieldSchema kTypedLocalObjectReferenceFields[] = {
    text(1, "apiGroup", Emit::IfPresent),
    text(2, "kind", Emit::Always),
    text(3, "name", Emit::Always),
};

// ---- core/v1: containers -----------------------------------------------------------------

constexpr FieldSchema kContainerPortFields[] = {
    text(1, "name"),
    scalar(2, "hostPort", ValueKind::Int32),
    scalar(3, "containerPort", ValueKind::Int32, Emit::Always),
    text(4, "protocol"),
    text(5, "hostIP"),
};
constexpr MessageSchema kContainerPort{"ContainerPort", kContainerPortFields};

constexpr FieldSchema kObjectFieldSelectorFields[] = {
    text(1, "apiVersion"),
    text(2, "fieldPath", Emit::Always),
};
constexpr MessageSchema kObjectFieldSelector{"ObjectFieldSelector", kObjectFieldSelectorFields};

constexpr FieldSchema kResourceFieldSelectorFields[] = {
    text(1, "containerName"),
    text(2, "resource", Emit::Always),
    scalar(3, "divisor", ValueKind::Quantity),
};
constexpr MessageSchema kResourceFieldSelector{"ResourceFieldSelector",
                                               kResourceFieldSelectorFields};

// ConfigMapKeySelector and SecretKeySelector share their shape.
constexpr FieldSchema kKeySelectorFields[] = {
    inlined(1, kLocalObjectReference),
    text(2, "key", Emit::Always),
    flag(3, "optional", Emit::IfPresent),
};
constexpr MessageSchema kKeySelector{"KeySelector", kKeySelectorFields};

constexpr FieldSchema kEnvVarSourceFields[] = {
    message(1, "fieldRef", kObjectFieldSelector),
    message(2, "resourceFieldRef", kResourceFieldSelector),
    message(3, "configMapKeyRef", kKeySelector),
    message(4, "secretKeyRef", kKeySelector),
};
constexpr MessageSchema kEnvVarSource{"EnvVarSource", kEnvVarSourceFields};

constexpr FieldSchema kEnvVarFields[] = {
    text(1, "name", Emit::Always),
    text(2, "value"),
    message(3, "valueFrom", kEnvVarSource),
};
constexpr MessageSchema kEnvVar{"EnvVar", kEnvVarFields};

// ConfigMapEnvSource and SecretEnvSource share their shape.
constexpr FieldSchema kEnvSourceFields[] = {
    inlined(1, kLocalObjectReference),
    flag(2, "optional", Emit::IfPresent),
};
constexpr MessageSchema kEnvSource{"EnvSource", kEnvSourceFields};

constexpr FieldSchema kEnvFromSourceFields[] = {
    text(1, "prefix"),
    message(2, "configMapRef", kEnvSource),
    message(3, "secretRef", kEnvSource),
};
constexpr MessageSchema kEnvFromSource{"EnvFromSource", kEnvFromSourceFields};

constexpr FieldSchema kResourceClaimFields[] = {
    text(1, "name", Emit::Always),
    text(2, "request"),
};
constexpr MessageSchema kResourceClaim{"ResourceClaim", kResourceClaimFields};

constexpr FieldSchema kResourceRequirementsFields[] = {
    scalar(1, "limits", ValueKind::MapQuantity),
    scalar(2, "requests", ValueKind::MapQuantity),
    messages(3, "claims", kResourceClaim),
};
constexpr MessageSchema kResourceRequirements{"ResourceRequirements", kResourceRequirementsFields};

constexpr FieldSchema kContainerResizePolicyFields[] = {
    text(1, "resourceName", Emit::Always),
    text(2, "restartPolicy", Emit::Always),
};
constexpr MessageSchema kContainerResizePolicy{"ContainerResizePolicy",
                                               kContainerResizePolicyFields};

constexpr FieldSchema kVolumeMountFields[] = {
    text(1, "name", Emit::Always),
    flag(2, "readOnly"),
    text(7, "recursiveReadOnly", Emit::IfPresent),
    text(3, "mountPath", Emit::Always),
    text(4, "subPath"),
    text(5, "mountPropagation", Emit::IfPresent),
    text(6, "subPathExpr"),
};
constexpr MessageSchema kVolumeMount{"VolumeMount", kVolumeMountFields};

constexpr FieldSchema kExecActionFields[] = {texts(1, "command")};
constexpr MessageSchema kExecAction{"ExecAction", kExecActionFields};

constexpr FieldSchema kHttpHeaderFields[] = {
    text(1, "name", Emit::Always),
    text(2, "value", Emit::Always),
};
constexpr MessageSchema kHttpHeader{"HTTPHeader", kHttpHeaderFields};

constexpr FieldSchema kHttpGetActionFields[] = {
    text(1, "path"),   scalar(2, "port", ValueKind::IntOrString), text(3, "host"),
    text(4, "scheme"), messages(5, "httpHeaders", kHttpHeader),
};
constexpr MessageSchema kHttpGetAction{"HTTPGetAction", kHttpGetActionFields};

constexpr FieldSchema kTcpSocketActionFields[] = {
    scalar(1, "port", ValueKind::IntOrString),
    text(2, "host"),
};
constexpr MessageSchema kTcpSocketAction{"TCPSocketAction", kTcpSocketActionFields};

constexpr FieldSchema kGrpcActionFields[] = {
    scalar(1, "port", ValueKind::Int32, Emit::Always),
    text(2, "service", Emit::IfPresent),
};
constexpr MessageSchema kGrpcAction{"GRPCAction", kGrpcActionFields};

constexpr FieldSchema kSleepActionFields[] = {
    scalar(1, "seconds", ValueKind::Int64, Emit::Always),
};
constexpr MessageSchema kSleepAction{"SleepAction", kSleepActionFields};

constexpr FieldSchema kProbeHandlerFields[] = {
    message(1, "exec", kExecAction),
    message(2, "httpGet", kHttpGetAction),
    message(3, "tcpSocket", kTcpSocketAction),
    message(4, "grpc", kGrpcAction),
};
constexpr MessageSchema kProbeHandler{"ProbeHandler", kProbeHandlerFields};

constexpr FieldSchema kProbeFields[] = {
    inlined(1, kProbeHandler),
    scalar(2, "initialDelaySeconds", ValueKind::Int32),
    scalar(3, "timeoutSeconds", ValueKind::Int32),
    scalar(4, "periodSeconds", ValueKind::Int32),
    scalar(5, "successThreshold", ValueKind::Int32),
    scalar(6, "failureThreshold", ValueKind::Int32),
    scalar(7, "terminationGracePeriodSeconds", ValueKind::Int64, Emit::IfPresent),
};
constexpr MessageSchema kProbe{"Probe", kProbeFields};

constexpr FieldSchema kLifecycleHandlerFields[] = {
    message(1, "exec", kExecAction),
    message(2, "httpGet", kHttpGetAction),
    message(3, "tcpSocket", kTcpSocketAction),
    message(4, "sleep", kSleepAction),
};
constexpr MessageSchema kLifecycleHandler{"LifecycleHandler", kLifecycleHandlerFields};

constexpr FieldSchema kLifecycleFields[] = {
    message(1, "postStart", kLifecycleHandler),
    message(2, "preStop", kLifecycleHandler),
};
constexpr MessageSchema kLifecycle{"Lifecycle", kLifecycleFields};

constexpr FieldSchema kCapabilitiesFields[] = {texts(1, "add"), texts(2, "drop")};
constexpr MessageSchema kCapabilities{"Capabilities", kCapabilitiesFields};

constexpr FieldSchema kSeccompProfileFields[] = {
    text(1, "type", Emit::Always),
    text(2, "localhostProfile", Emit::IfPresent),
};
constexpr MessageSchema kSeccompProfile{"SeccompProfile", kSeccompProfileFields};

constexpr FieldSchema kSecurityContextFields[] = {
    message(1, "capabilities", kCapabilities),
    flag(2, "privileged", Emit::IfPresent),
    scalar(4, "runAsUser", ValueKind::Int64, Emit::IfPresent),
    scalar(8, "runAsGroup", ValueKind::Int64, Emit::IfPresent),
    flag(5, "runAsNonRoot", Emit::IfPresent),
    flag(6, "readOnlyRootFilesystem", Emit::IfPresent),
    flag(7, "allowPrivilegeEscalation", Emit::IfPresent),
    text(9, "procMount", Emit::IfPresent),
    message(11, "seccompProfile", kSeccompProfile),
};
constexpr MessageSchema kSecurityContext{"SecurityContext", kSecurityContextFields};

constexpr FieldSchema kContainerFields[] = {
    text(1, "name", Emit::Always),
    text(2, "image"),
    texts(3, "command"),
    texts(4, "args"),
    text(5, "workingDir"),
    messages(6, "ports", kContainerPort),
    messages(19, "envFrom", kEnvFromSource),
    messages(7, "env", kEnvVar),
    message(8, "resources", kResourceRequirements),
    messages(23, "resizePolicy", kContainerResizePolicy),
    text(24, "restartPolicy", Emit::IfPresent),
    messages(9, "volumeMounts", kVolumeMount),
    message(10, "livenessProbe", kProbe),
    message(11, "readinessProbe", kProbe),
    message(22, "startupProbe", kProbe),
    message(12, "lifecycle", kLifecycle),
    text(13, "terminationMessagePath"),
    text(20, "terminationMessagePolicy"),
    text(14, "imagePullPolicy"),
    message(15, "securityContext", kSecurityContext),
    flag(16, "stdin"),
    flag(17, "stdinOnce"),
    flag(18, "tty"),
};
constexpr MessageSchema kContainer{"Container", kContainerFields};

// ---- core/v1: volumes and the pod spec ---------------------------------------------------

constexpr FieldSchema kKeyToPathFields[] = {
    text(1, "key", Emit::Always),
    text(2, "path", Emit::Always),
    scalar(3, "mode", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kKeyToPath{"KeyToPath", kKeyToPathFields};

constexpr FieldSchema kHostPathFields[] = {
    text(1, "path", Emit::Always),
    text(2, "type", Emit::IfPresent),
};
constexpr MessageSchema kHostPath{"HostPathVolumeSource", kHostPathFields};

constexpr FieldSchema kEmptyDirFields[] = {
    text(1, "medium"),
    scalar(2, "sizeLimit", ValueKind::Quantity),
};
constexpr MessageSchema kEmptyDir{"EmptyDirVolumeSource", kEmptyDirFields};

constexpr FieldSchema kSecretVolumeFields[] = {
    text(1, "secretName"),
    messages(2, "items", kKeyToPath),
    scalar(3, "defaultMode", ValueKind::Int32, Emit::IfPresent),
    flag(4, "optional", Emit::IfPresent),
};
constexpr MessageSchema kSecretVolume{"SecretVolumeSource", kSecretVolumeFields};

constexpr FieldSchema kConfigMapVolumeFields[] = {
    inlined(1, kLocalObjectReference),
    messages(2, "items", kKeyToPath),
    scalar(3, "defaultMode", ValueKind::Int32, Emit::IfPresent),
    flag(4, "optional", Emit::IfPresent),
};
constexpr MessageSchema kConfigMapVolume{"ConfigMapVolumeSource", kConfigMapVolumeFields};

constexpr FieldSchema kClaimVolumeFields[] = {
    text(1, "claimName", Emit::Always),
    flag(2, "readOnly"),
};
constexpr MessageSchema kClaimVolume{"PersistentVolumeClaimVolumeSource", kClaimVolumeFields};

constexpr FieldSchema kVolumeSourceFields[] = {
    message(1, "hostPath", kHostPath),          message(2, "emptyDir", kEmptyDir),
    message(6, "secret", kSecretVolume),        message(10, "persistentVolumeClaim", kClaimVolume),
    message(19, "configMap", kConfigMapVolume),
};
constexpr MessageSchema kVolumeSource{"VolumeSource", kVolumeSourceFields};

constexpr FieldSchema kVolumeFields[] = {
    text(1, "name", Emit::Always),
    inlined(2, kVolumeSource),
};
constexpr MessageSchema kVolume{"Volume", kVolumeFields};

constexpr FieldSchema kPodSecurityContextFields[] = {
    scalar(2, "runAsUser", ValueKind::Int64, Emit::IfPresent),
    scalar(6, "runAsGroup", ValueKind::Int64, Emit::IfPresent),
    flag(3, "runAsNonRoot", Emit::IfPresent),
    list(4, "supplementalGroups", ValueKind::Int64),
    text(12, "supplementalGroupsPolicy", Emit::IfPresent),
    scalar(5, "fsGroup", ValueKind::Int64, Emit::IfPresent),
    text(9, "fsGroupChangePolicy", Emit::IfPresent),
    message(10, "seccompProfile", kSeccompProfile),
    text(13, "seLinuxChangePolicy", Emit::IfPresent),
};
constexpr MessageSchema kPodSecurityContext{"PodSecurityContext", kPodSecurityContextFields};

constexpr FieldSchema kTolerationFields[] = {
    text(1, "key"),
    text(2, "operator"),
    text(3, "value"),
    text(4, "effect"),
    scalar(5, "tolerationSeconds", ValueKind::Int64, Emit::IfPresent),
};
constexpr MessageSchema kToleration{"Toleration", kTolerationFields};

constexpr FieldSchema kHostAliasFields[] = {text(1, "ip", Emit::Always), texts(2, "hostnames")};
constexpr MessageSchema kHostAlias{"HostAlias", kHostAliasFields};

constexpr FieldSchema kReadinessGateFields[] = {text(1, "conditionType", Emit::Always)};
constexpr MessageSchema kReadinessGate{"PodReadinessGate", kReadinessGateFields};

constexpr FieldSchema kPodSpecFields[] = {
    messages(1, "volumes", kVolume),
    messages(20, "initContainers", kContainer),
    messages(2, "containers", kContainer),
    text(3, "restartPolicy"),
    scalar(4, "terminationGracePeriodSeconds", ValueKind::Int64, Emit::IfPresent),
    scalar(5, "activeDeadlineSeconds", ValueKind::Int64, Emit::IfPresent),
    text(6, "dnsPolicy"),
    scalar(7, "nodeSelector", ValueKind::MapString),
    text(8, "serviceAccountName"),
    text(9, "serviceAccount"),
    flag(21, "automountServiceAccountToken", Emit::IfPresent),
    text(10, "nodeName"),
    flag(11, "hostNetwork"),
    flag(12, "hostPID"),
    flag(13, "hostIPC"),
    flag(27, "shareProcessNamespace", Emit::IfPresent),
    message(14, "securityContext", kPodSecurityContext),
    messages(15, "imagePullSecrets", kLocalObjectReference),
    text(16, "hostname"),
    text(17, "subdomain"),
    text(19, "schedulerName"),
    messages(22, "tolerations", kToleration),
    messages(23, "hostAliases", kHostAlias),
    text(24, "priorityClassName"),
    scalar(25, "priority", ValueKind::Int32, Emit::IfPresent),
    messages(28, "readinessGates", kReadinessGate),
    text(29, "runtimeClassName", Emit::IfPresent),
    flag(30, "enableServiceLinks", Emit::IfPresent),
    text(31, "preemptionPolicy", Emit::IfPresent),
    scalar(32, "overhead", ValueKind::MapQuantity),
    flag(35, "setHostnameAsFQDN", Emit::IfPresent),
    flag(37, "hostUsers", Emit::IfPresent),
    message(40, "resources", kResourceRequirements),
};
constexpr MessageSchema kPodSpec{"PodSpec", kPodSpecFields};

constexpr FieldSchema kPodTemplateSpecFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kPodSpec),
};

} // namespace

constinit const MessageSchema kObjectMeta{"ObjectMeta", kObjectMetaFields};
constinit const MessageSchema kLabelSelectorRequirement{"LabelSelectorRequirement",
                                                        kLabelSelectorRequirementFields};
constinit const MessageSchema kLocalObjectReference{"LocalObjectReference",
                                                    kLocalObjectReferenceFields};
constinit const MessageSchema kTypedLocalObjectReference{"TypedLocalObjectReference",
                                                         kTypedLocalObjectReferenceFields};
constinit const MessageSchema kPodTemplateSpec{"PodTemplateSpec", kPodTemplateSpecFields};
constinit const MessageSchema kEmptyMessage{"status", {}};

namespace {

constexpr FieldSchema kLabelSelectorFields[] = {
    scalar(1, "matchLabels", ValueKind::MapString),
    messages(2, "matchExpressions", kLabelSelectorRequirement),
};

} // namespace

constinit const MessageSchema kLabelSelector{"LabelSelector", kLabelSelectorFields};

namespace {

// ---- core/v1 top-level kinds ---------------------------------------------------------------

constexpr FieldSchema kConfigMapFields[] = {
    message(1, "metadata", kObjectMeta),
    flag(4, "immutable", Emit::IfPresent),
    scalar(2, "data", ValueKind::MapString),
    scalar(3, "binaryData", ValueKind::MapBytes),
};

constexpr FieldSchema kSecretFields[] = {
    message(1, "metadata", kObjectMeta),
    flag(5, "immutable", Emit::IfPresent),
    scalar(2, "data", ValueKind::MapBytes),
    scalar(4, "stringData", ValueKind::MapString),
    text(3, "type"),
};

constexpr FieldSchema kNamespaceSpecFields[] = {texts(1, "finalizers")};
constexpr MessageSchema kNamespaceSpec{"NamespaceSpec", kNamespaceSpecFields};
constexpr FieldSchema kNamespaceStatusFields[] = {text(1, "phase")};
constexpr MessageSchema kNamespaceStatus{"NamespaceStatus", kNamespaceStatusFields};
constexpr FieldSchema kNamespaceFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kNamespaceSpec),
    message(3, "status", kNamespaceStatus),
};

constexpr FieldSchema kServiceAccountFields[] = {
    message(1, "metadata", kObjectMeta),
    messages(2, "secrets", kObjectReference),
    messages(3, "imagePullSecrets", kLocalObjectReference),
    flag(4, "automountServiceAccountToken", Emit::IfPresent),
};

constexpr FieldSchema kServicePortFields[] = {
    text(1, "name"),
    text(2, "protocol"),
    text(6, "appProtocol", Emit::IfPresent),
    scalar(3, "port", ValueKind::Int32, Emit::Always),
    scalar(4, "targetPort", ValueKind::IntOrString),
    scalar(5, "nodePort", ValueKind::Int32),
};
constexpr MessageSchema kServicePort{"ServicePort", kServicePortFields};

constexpr FieldSchema kClientIpConfigFields[] = {
    scalar(1, "timeoutSeconds", ValueKind::Int32, Emit::IfPresent),
};
constexpr MessageSchema kClientIpConfig{"ClientIPConfig", kClientIpConfigFields};
constexpr FieldSchema kSessionAffinityConfigFields[] = {message(1, "clientIP", kClientIpConfig)};
constexpr MessageSchema kSessionAffinityConfig{"SessionAffinityConfig",
                                               kSessionAffinityConfigFields};

constexpr FieldSchema kServiceSpecFields[] = {
    messages(1, "ports", kServicePort),
    scalar(2, "selector", ValueKind::MapString),
    text(3, "clusterIP"),
    texts(18, "clusterIPs"),
    text(4, "type"),
    texts(5, "externalIPs"),
    text(7, "sessionAffinity"),
    text(8, "loadBalancerIP"),
    texts(9, "loadBalancerSourceRanges"),
    text(10, "externalName"),
    text(11, "externalTrafficPolicy"),
    scalar(12, "healthCheckNodePort", ValueKind::Int32),
    flag(13, "publishNotReadyAddresses"),
    message(14, "sessionAffinityConfig", kSessionAffinityConfig),
    texts(19, "ipFamilies"),
    text(17, "ipFamilyPolicy", Emit::IfPresent),
    flag(20, "allocateLoadBalancerNodePorts", Emit::IfPresent),
    text(21, "loadBalancerClass", Emit::IfPresent),
    text(22, "internalTrafficPolicy", Emit::IfPresent),
    text(23, "trafficDistribution", Emit::IfPresent),
};
constexpr MessageSchema kServiceSpec{"ServiceSpec", kServiceSpecFields};

constexpr FieldSchema kLoadBalancerIngressFields[] = {
    text(1, "ip"),
    text(2, "hostname"),
    text(3, "ipMode", Emit::IfPresent),
};
constexpr MessageSchema kLoadBalancerIngress{"LoadBalancerIngress", kLoadBalancerIngressFields};
constexpr FieldSchema kLoadBalancerStatusFields[] = {messages(1, "ingress", kLoadBalancerIngress)};
constexpr MessageSchema kLoadBalancerStatus{"LoadBalancerStatus", kLoadBalancerStatusFields};
constexpr FieldSchema kServiceStatusFields[] = {message(1, "loadBalancer", kLoadBalancerStatus)};
constexpr MessageSchema kServiceStatus{"ServiceStatus", kServiceStatusFields};

constexpr FieldSchema kServiceFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kServiceSpec),
    message(3, "status", kServiceStatus),
};

constexpr FieldSchema kPodFields[] = {
    message(1, "metadata", kObjectMeta),
    message(2, "spec", kPodSpec),
    message(3, "status", kEmptyMessage),
};

} // namespace

constinit const MessageSchema kConfigMap{"ConfigMap", kConfigMapFields};
constinit const MessageSchema kSecret{"Secret", kSecretFields};
constinit const MessageSchema kNamespace{"Namespace", kNamespaceFields};
constinit const MessageSchema kServiceAccount{"ServiceAccount", kServiceAccountFields};
constinit const MessageSchema kService{"Service", kServiceFields};
constinit const MessageSchema kPod{"Pod", kPodFields};

} // namespace sandbox::protobuf
