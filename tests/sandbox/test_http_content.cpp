// Accept / Content-Type negotiation and request-body decoding, as kubectl exercises them.

#include "api/content_field_validation.h"
#include "api/content_negotiation.h"
#include "api/resource_registry.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

using namespace sandbox;

TEST(HttpContent, KubectlGetAcceptGetsTableV1) {
    auto format = negotiateResponse("application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                                    "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
                                    true);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(format.value(), ResponseFormat::TableV1);
    EXPECT_EQ(contentTypeFor(format.value()), "application/json;as=Table;v=v1;g=meta.k8s.io");
}

TEST(HttpContent, ParameterOrderDoesNotMatterAndV1beta1IsServed) {
    auto format = negotiateResponse("application/json;g=meta.k8s.io;v=v1beta1;as=Table", true);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(format.value(), ResponseFormat::TableV1beta1);
}

TEST(HttpContent, ProtobufFirstFallsBackToJson) {
    auto format = negotiateResponse("application/vnd.kubernetes.protobuf,application/json", true);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(format.value(), ResponseFormat::Json);
}

TEST(HttpContent, ProtobufOnlyIs406) {
    auto format = negotiateResponse("application/vnd.kubernetes.protobuf", true);
    ASSERT_FALSE(format.ok());
    EXPECT_EQ(format.error().code, 406);
}

TEST(HttpContent, TableIsNotOfferedForWrites) {
    auto format =
        negotiateResponse("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", false);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(format.value(), ResponseFormat::Json);
}

TEST(HttpContent, YamlAndWildcards) {
    EXPECT_EQ(negotiateResponse("application/yaml", true).value(), ResponseFormat::Yaml);
    EXPECT_EQ(negotiateResponse("*/*", true).value(), ResponseFormat::Json);
    EXPECT_EQ(negotiateResponse("", true).value(), ResponseFormat::Json);
    EXPECT_EQ(negotiateResponse("application/yaml;q=0.5,application/json", true).value(),
              ResponseFormat::Json);
}

TEST(HttpContent, MalformedJsonBodyGetsGoStyleMessage) {
    auto bad = decodeObjectBody("application/json", R"({"kind": "Pod",})");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, 400);
    EXPECT_EQ(bad.error().message, "couldn't get version/kind; json parse error: invalid "
                                   "character '}' looking for beginning of object key string");
    auto truncated = decodeObjectBody("application/json", R"({"kind": "Pod")");
    EXPECT_EQ(truncated.error().message,
              "couldn't get version/kind; json parse error: unexpected end of JSON input");
    auto garbage = decodeObjectBody("", "hello");
    EXPECT_EQ(garbage.error().message, "couldn't get version/kind; json parse error: invalid "
                                       "character 'h' looking for beginning of value");
}

TEST(HttpContent, YamlBodiesAndTheirErrors) {
    auto ok = decodeObjectBody("application/yaml",
                               "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"1\"\n");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(boost::json::serialize(ok.value()),
              R"({"apiVersion":"v1","kind":"ConfigMap","data":{"a":"1"}})");
    auto bad = decodeObjectBody("application/yaml", "a: [1\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, 400);
    EXPECT_EQ(bad.error().message.rfind("error converting YAML to JSON: yaml: line", 0), 0u);
}

namespace {

std::string lengthDelimited(int field, const std::string &payload) {
    return std::string(1, static_cast<char>(field << 3 | 2)) +
           std::string(1, static_cast<char>(payload.size())) + payload;
}

// "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, as client-go writes it.
std::string protobufEnvelope(const std::string &apiVersion, const std::string &kind,
                             const std::string &raw) {
    std::string typeMeta = lengthDelimited(1, apiVersion) + lengthDelimited(2, kind);
    return std::string("k8s\0", 4) + lengthDelimited(1, typeMeta) + lengthDelimited(2, raw);
}

} // namespace

TEST(HttpContent, ProtobufConfigMapFromKubectlCreateIsDecoded) {
    std::string meta = lengthDelimited(1, "settings") + lengthDelimited(3, "demo");
    std::string raw = lengthDelimited(1, meta) +
                      lengthDelimited(2, lengthDelimited(1, "a") + lengthDelimited(2, "b"));
    auto body = decodeObjectBody("application/vnd.kubernetes.protobuf",
                                 protobufEnvelope("v1", "ConfigMap", raw));
    ASSERT_TRUE(body.ok()) << body.error().message;
    EXPECT_EQ(
        boost::json::serialize(body.value()),
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"demo"},"data":{"a":"b"}})");
}

TEST(HttpContent, ProtobufOfOtherKindsIs415AndGarbageIs400) {
    // Kinds without a protobuf schema (protobuf_schema_*.cpp) are refused, not guessed.
    auto job = decodeObjectBody("application/vnd.kubernetes.protobuf",
                                protobufEnvelope("batch/v1", "Job", ""));
    ASSERT_FALSE(job.ok());
    EXPECT_EQ(job.error().code, 415);
    auto garbage = decodeObjectBody("application/vnd.kubernetes.protobuf", "not protobuf");
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, 400);
}

TEST(HttpContent, PatchTypes) {
    EXPECT_EQ(patchTypeFor("application/strategic-merge-patch+json", true).value(),
              PatchType::StrategicMerge);
    EXPECT_EQ(patchTypeFor("application/merge-patch+json; charset=utf-8", true).value(),
              PatchType::Merge);
    EXPECT_EQ(patchTypeFor("application/json-patch+json", true).value(), PatchType::Json);
    EXPECT_EQ(patchTypeFor("application/apply-patch+yaml", true).value(), PatchType::Apply);
    // Custom resources have no strategic merge; kubectl then falls back to a merge patch.
    auto crd = patchTypeFor("application/strategic-merge-patch+json", false);
    ASSERT_FALSE(crd.ok());
    EXPECT_EQ(crd.error().code, 415);
    EXPECT_EQ(patchTypeFor("application/json", true).error().code, 415);
}

TEST(HttpContent, StrictFieldValidationFindsUnknownFieldsWithGoPaths) {
    const auto &registry = ResourceRegistry::builtin();
    const ResourceType *deployments = registry.byResource("apps", "v1", "deployments");
    ASSERT_NE(deployments, nullptr);
    auto body = boost::json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
        "metadata":{"name":"web","labelz":{}},
        "spec":{"replica":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
            "spec":{"containers":[{"name":"app","image":"nginx","imagePullPolicyy":"Always"}]}}}})")
                    .as_object();
    auto unknown = unknownFields(*deployments, body);
    ASSERT_EQ(unknown.size(), 3u);
    EXPECT_EQ(unknown[0], "metadata.labelz");
    EXPECT_EQ(unknown[1], "spec.replica");
    EXPECT_EQ(unknown[2], "spec.template.spec.containers[0].imagePullPolicyy");
    EXPECT_EQ(strictDecodingError(*deployments, {"spec.replica"}).message,
              "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
              "error: unknown field \"spec.replica\"");
}

TEST(HttpContent, CustomResourcesAreNotSchemaChecked) {
    const ResourceType *rules =
        ResourceRegistry::builtin().byResource("monitoring.coreos.com", "v1", "prometheusrules");
    ASSERT_NE(rules, nullptr);
    EXPECT_TRUE(isCustomResource(*rules));
    auto body = boost::json::parse(R"({"spec":{"anything":1},"extra":true})").as_object();
    EXPECT_TRUE(unknownFields(*rules, body).empty());
}
