// Validation causes with the API server's wording, one named row per rule, and the
// combined Invalid error as kubectl shows it.
#include "api/validation.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

using namespace sandbox;

namespace {

const ResourceType &typeOf(std::string_view group, std::string_view version,
                           std::string_view resource) {
    return *ResourceRegistry::builtin().byResource(group, version, resource);
}

const char *kDeployment = R"({"apiVersion":"apps/v1","kind":"Deployment",
 "metadata":{"name":"web","namespace":"demo"},
 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
   "template":{"metadata":{"labels":{"app":"web"}},
     "spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}})";

struct Case {
    const char *name;
    const char *group;
    const char *version;
    const char *resource;
    const char *object;
    // Patch applied to `object` as a merge (RFC 7386-like, objects only) before validating.
    const char *change;
    std::vector<std::string> expected; // "field: message" per cause, in order
};

void merge(boost::json::object &target, const boost::json::object &patch) {
    for (const auto &[key, value] : patch) {
        if (value.is_null()) {
            target.erase(key);
        } else if (value.is_object() && target.contains(key) && target[key].is_object()) {
            merge(target[key].as_object(), value.as_object());
        } else {
            target[key] = value;
        }
    }
}

class ValidationMessages : public ::testing::TestWithParam<Case> {};

} // namespace

TEST_P(ValidationMessages, Causes) {
    const Case &c = GetParam();
    boost::json::object object = boost::json::parse(c.object).as_object();
    merge(object, boost::json::parse(c.change).as_object());
    const auto causes =
        validation::validateObject(typeOf(c.group, c.version, c.resource), object, nullptr);
    std::vector<std::string> actual;
    for (const StatusCause &cause : causes) {
        actual.push_back(cause.field + ": " + cause.message);
    }
    EXPECT_EQ(actual, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidationMessages,
    ::testing::Values(
        Case{"valid_deployment", "apps", "v1", "deployments", kDeployment, "{}", {}},
        Case{"name_not_subdomain",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"metadata":{"name":"Web_1"}})",
             {"metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must "
              "consist of lower case "
              "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
              "character (e.g. "
              "'example.com', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"}},
        Case{"name_missing",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"metadata":{"name":null}})",
             {"metadata.name: Required value: name or generateName is required"}},
        Case{"negative_replicas",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"replicas":-1}})",
             {"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
        Case{"selector_mismatch",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"template":{"metadata":{"labels":{"app":"x"}}}}})",
             {"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: "
              "`selector` does not match template `labels`"}},
        Case{"selector_missing",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"selector":null}})",
             {"spec.selector: Required value",
              "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
              "`selector` does not match template `labels`"}},
        Case{"selector_empty",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"selector":{"matchLabels":null}}})",
             {"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
              "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
              "deployment"}},
        Case{"no_containers",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"template":{"spec":{"containers":[]}}}})",
             {"spec.template.spec.containers: Required value"}},
        Case{"container_name_and_image_required",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"template":{"spec":{"containers":[{"ports":[]}]}}}})",
             {"spec.template.spec.containers[0].name: Required value",
              "spec.template.spec.containers[0].image: Required value"}},
        Case{"container_name_not_label",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"template":{"spec":{"containers":[{"name":"App","image":"x"}]}}}})",
             {"spec.template.spec.containers[0].name: Invalid value: \"App\": a lowercase RFC 1123 "
              "label must consist of "
              "lower case alphanumeric characters or '-', and must start and end with an "
              "alphanumeric character (e.g. "
              "'my-name',  or '123-abc', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}},
        Case{
            "duplicate_container",
            "apps",
            "v1",
            "deployments",
            kDeployment,
            R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}}}})",
            {"spec.template.spec.containers[1].name: Duplicate value: \"a\""}},
        Case{
            "container_port_range",
            "apps",
            "v1",
            "deployments",
            kDeployment,
            R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","ports":[{"containerPort":70000}]}]}}}})",
            {"spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must "
             "be between 1 and 65535, inclusive"}},
        Case{"workload_restart_policy",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"template":{"spec":{"restartPolicy":"Never"}}}})",
             {"spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
              "\"Always\""}},
        Case{
            "strategy_both_zero",
            "apps",
            "v1",
            "deployments",
            kDeployment,
            R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}})",
            {"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
             "`maxSurge` is 0"}},
        Case{"strategy_bad_percent",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":"abc"}}}})",
             {"spec.strategy.rollingUpdate.maxSurge: Invalid value: \"abc\": a valid percent "
              "string must be a numeric "
              "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
              "is '[0-9]+%')"}},
        Case{"recreate_with_rolling",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"spec":{"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}}})",
             {"spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` "
              "is 'Recreate'"}},
        Case{"bad_label_value",
             "apps",
             "v1",
             "deployments",
             kDeployment,
             R"({"metadata":{"labels":{"team":"a b"}}})",
             {"metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or "
              "consist of alphanumeric "
              "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
              "(e.g. 'MyValue',  or "
              "'my_value',  or '12345', regex used for validation is "
              "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"}},
        Case{"service_name_dns1035",
             "",
             "v1",
             "services",
             R"({"metadata":{"name":"1web","namespace":"demo"},"spec":{"ports":[{"port":80}]}})",
             "{}",
             {"metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case "
              "alphanumeric characters "
              "or '-', start with an alphabetic character, and end with an alphanumeric character "
              "(e.g. 'my-name',  or "
              "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"}},
        Case{"service_ports_required",
             "",
             "v1",
             "services",
             R"({"metadata":{"name":"web","namespace":"demo"},"spec":{}})",
             "{}",
             {"spec.ports: Required value"}},
        Case{
            "service_port_range_and_names",
            "",
            "v1",
            "services",
            R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"ports":[{"port":0},{"port":81,"name":"b"}]}})",
            "{}",
            {"spec.ports[0].name: Required value",
             "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"}},
        Case{
            "service_type",
            "",
            "v1",
            "services",
            R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"type":"Magic","ports":[{"port":80}]}})",
            "{}",
            {"spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", "
             "\"ExternalName\", \"LoadBalancer\", \"NodePort\""}},
        Case{
            "service_node_port_range",
            "",
            "v1",
            "services",
            R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":80}]}})",
            "{}",
            {"spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
             "The range of valid ports is 30000-32767"}},
        Case{"namespace_name_label",
             "",
             "v1",
             "namespaces",
             R"({"metadata":{"name":"a.b"}})",
             "{}",
             {"metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of "
              "lower case alphanumeric "
              "characters or '-', and must start and end with an alphanumeric character (e.g. "
              "'my-name',  or '123-abc', "
              "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}},
        Case{
            "hpa_min_max",
            "autoscaling",
            "v2",
            "horizontalpodautoscalers",
            R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":5,"maxReplicas":2}})",
            "{}",
            {"spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"}},
        Case{
            "hpa_zero",
            "autoscaling",
            "v2",
            "horizontalpodautoscalers",
            R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"scaleTargetRef":{},"minReplicas":0,"maxReplicas":0}})",
            "{}",
            {"spec.scaleTargetRef.kind: Required value", "spec.scaleTargetRef.name: Required value",
             "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
             "spec.maxReplicas: Invalid value: 0: must be greater than 0"}},
        Case{"configmap_key",
             "",
             "v1",
             "configmaps",
             R"({"metadata":{"name":"c","namespace":"demo"},"data":{"a b":"x"}})",
             "{}",
             {"data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric "
              "characters, '-', '_' or "
              "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
              "'[-._a-zA-Z0-9]+')"}},
        Case{"namespace_required",
             "",
             "v1",
             "configmaps",
             R"({"metadata":{"name":"c"}})",
             "{}",
             {"metadata.namespace: Required value"}}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(ValidationMessages, InvalidErrorCombinesCausesLikeTheServer) {
    const ResourceType &deployments = typeOf("apps", "v1", "deployments");
    ApiError one = ApiError::invalid(
        deployments, "web",
        {validation::invalid("spec.replicas", "-1", "must be greater than or equal to 0")});
    EXPECT_EQ(one.code, 422);
    EXPECT_EQ(one.reason, "Invalid");
    EXPECT_EQ(one.message, "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: "
                           "must be greater than or equal to 0");
    ApiError two = ApiError::invalid(
        deployments, "web",
        {validation::invalid("spec.replicas", "-1", "must be greater than or equal to 0"),
         validation::required("spec.template.spec.containers")});
    EXPECT_EQ(two.message, "Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: "
                           "must be greater than "
                           "or equal to 0, spec.template.spec.containers: Required value]");
    const auto status = two.toStatus();
    EXPECT_EQ(status.at("code").as_int64(), 422);
    EXPECT_EQ(status.at("details").at("kind").as_string(), "Deployment");
    EXPECT_EQ(status.at("details").at("group").as_string(), "apps");
    EXPECT_EQ(status.at("details").at("causes").as_array().size(), 2u);
    EXPECT_EQ(status.at("details").at("causes").as_array()[0].at("reason").as_string(),
              "FieldValueInvalid");
    EXPECT_EQ(status.at("details").at("causes").as_array()[1].at("field").as_string(),
              "spec.template.spec.containers");

    ApiError pod =
        ApiError::invalid(typeOf("", "v1", "pods"), "p", {validation::required("spec.containers")});
    EXPECT_EQ(pod.message, "Pod \"p\" is invalid: spec.containers: Required value");
}

TEST(ValidationMessages, SelectorIsImmutableOnUpdate) {
    const ResourceType &deployments = typeOf("apps", "v1", "deployments");
    boost::json::object old = boost::json::parse(kDeployment).as_object();
    boost::json::object updated = old;
    updated["spec"].as_object()["selector"] =
        boost::json::parse(R"({"matchLabels":{"app":"web2"}})");
    updated["spec"].as_object()["template"].as_object()["metadata"] =
        boost::json::parse(R"({"labels":{"app":"web2"}})");
    const auto causes = validation::validateObject(deployments, updated, &old);
    ASSERT_EQ(causes.size(), 1u);
    EXPECT_EQ(causes[0].field + ": " + causes[0].message,
              "spec.selector: Invalid value: "
              "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, "
              "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
}

TEST(ValidationMessages, StatusErrorsForResources) {
    const ResourceType &deployments = typeOf("apps", "v1", "deployments");
    auto status = ApiError::notFound(deployments, "web").toStatus();
    EXPECT_EQ(status.at("message").as_string(), "deployments.apps \"web\" not found");
    EXPECT_EQ(status.at("details").at("kind").as_string(), "deployments");
    EXPECT_EQ(status.at("kind").as_string(), "Status");
    EXPECT_EQ(status.at("status").as_string(), "Failure");
    EXPECT_EQ(ApiError::expired("x").code, 410);
    EXPECT_EQ(ApiError::internal("boom").message, "Internal error occurred: boom");
}
