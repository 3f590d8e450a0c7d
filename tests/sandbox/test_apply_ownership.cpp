// Ownership recorded by ordinary writes (operation Update), the FieldsV1 encoding, and the
// sequence kubectl drives when moving from client-side to server-side apply.

#include "api/field_set.h"
#include "api/managed_fields.h"
#include "api/patch.h"
#include "api/server_side_apply.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using boost::json::object;
using boost::json::parse;
using namespace std::chrono_literals;

sandbox::ResourceType deploymentType() {
    sandbox::ResourceType t;
    t.group = "apps";
    t.version = "v1";
    t.kind = "Deployment";
    t.resource = "deployments";
    t.hasStatus = true;
    return t;
}

const sandbox::TimePoint kT0 = sandbox::TimePoint{} + std::chrono::hours(24 * 365 * 56);
const sandbox::TimePoint kT1 = kT0 + 60s;
const sandbox::TimePoint kT2 = kT0 + 120s;

const char *kManifest = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
    "labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app",
    "image":"nginx:1.25"}]}}}})";

struct RoundTripCase {
    std::string name;
    std::string fieldsV1;
};

class FieldsV1RoundTrip : public testing::TestWithParam<RoundTripCase> {};

TEST_P(FieldsV1RoundTrip, DecodesAndEncodesUnchanged) {
    const auto input = parse(GetParam().fieldsV1);
    auto set = sandbox::FieldSet::fromFieldsV1(input);
    ASSERT_TRUE(set.has_value());
    EXPECT_TRUE(sandbox::jsonEquals(set->toFieldsV1(), input))
        << boost::json::serialize(set->toFieldsV1());
}

const RoundTripCase kRoundTrips[] = {
    {"Leaves", R"({"f:spec":{"f:replicas":{},"f:paused":{}}})"},
    {"MapWithItself", R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}}})"},
    {"KeyedItems", R"({"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},
        "f:name":{}},"k:{\"name\":\"b\"}":{}}}})"},
    {"MultiKeyItems", R"({"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},
        "f:port":{},"f:targetPort":{}}}}})"},
    {"SetItems", R"({"f:metadata":{"f:finalizers":{".":{},"v:\"a\"":{},"v:\"b\"":{}}}})"},
    {"AnnotationWithDots", R"({"f:metadata":{"f:annotations":{".":{},
        "f:kubectl.kubernetes.io/last-applied-configuration":{}}}})"},
};

INSTANTIATE_TEST_SUITE_P(Encoding, FieldsV1RoundTrip, testing::ValuesIn(kRoundTrips),
                         [](const auto &info) { return info.param.name; });

TEST(FieldsV1, RejectsUnknownElementPrefixes) {
    EXPECT_FALSE(sandbox::FieldSet::fromFieldsV1(parse(R"({"x:spec":{}})")).has_value());
    EXPECT_FALSE(sandbox::FieldSet::fromFieldsV1(parse(R"(["f:spec"])")).has_value());
}

TEST(FieldPaths, PrintLikeStructuredMergeDiff) {
    EXPECT_EQ(sandbox::fieldPathString({"f:spec", "f:replicas"}), ".spec.replicas");
    EXPECT_EQ(sandbox::fieldPathString(
                  {"f:spec", "f:ports", R"(k:{"port":80,"protocol":"TCP"})", "f:targetPort"}),
              R"(.spec.ports[port=80,protocol="TCP"].targetPort)");
    EXPECT_EQ(sandbox::fieldPathString({"f:metadata", "f:finalizers", R"(v:"x")"}),
              R"(.metadata.finalizers[="x"])");
}

TEST(UpdateOwnership, CreateOwnsEverythingItWrote) {
    object created = parse(kManifest).as_object();
    created["metadata"].as_object()["annotations"] =
        parse(R"({"kubectl.kubernetes.io/last-applied-configuration":"{}"})");
    sandbox::recordUpdateOwnership(created, nullptr, "kubectl-client-side-apply", deploymentType(),
                                   kT0);
    const auto &entries = created.at("metadata").at("managedFields").as_array();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].at("manager"), "kubectl-client-side-apply");
    EXPECT_EQ(entries[0].at("operation"), "Update");
    EXPECT_EQ(entries[0].at("apiVersion"), "apps/v1");
    const auto &fields = entries[0].at("fieldsV1");
    // Maps that appear are owned themselves ("."), as on a real server.
    EXPECT_TRUE(fields.at("f:metadata").at("f:labels").as_object().contains("."));
    EXPECT_TRUE(fields.at("f:metadata")
                    .at("f:annotations")
                    .as_object()
                    .contains("f:kubectl.kubernetes.io/last-applied-configuration"));
    EXPECT_TRUE(fields.at("f:spec").at("f:replicas").as_object().empty());
    EXPECT_FALSE(fields.at("f:metadata").as_object().contains("f:name"));
}

TEST(UpdateOwnership, ChangedFieldsMoveToTheWriter) {
    object v1 = parse(kManifest).as_object();
    sandbox::recordUpdateOwnership(v1, nullptr, "creator", deploymentType(), kT0);
    object v2 = v1;
    v2["spec"].as_object()["replicas"] = 4;
    sandbox::recordUpdateOwnership(v2, &v1, "scaler", deploymentType(), kT1);
    auto entries = sandbox::decodeManagedFields(v2);
    ASSERT_TRUE(entries.has_value());
    ASSERT_EQ(entries->size(), 2u);
    const auto &creator = (*entries)[0];
    const auto &scaler = (*entries)[1];
    EXPECT_EQ(creator.manager, "creator");
    EXPECT_FALSE(creator.fields.contains({"f:spec", "f:replicas"}));
    EXPECT_TRUE(creator.fields.contains({"f:spec", "f:selector"}));
    EXPECT_EQ(scaler.manager, "scaler");
    EXPECT_EQ(scaler.time, sandbox::formatRfc3339(kT1));
    EXPECT_EQ(scaler.fields.paths(), (std::vector<sandbox::FieldPath>{{"f:spec", "f:replicas"}}));
}

TEST(UpdateOwnership, TimeFollowsTheLastChange) {
    object v1 = parse(kManifest).as_object();
    sandbox::recordUpdateOwnership(v1, nullptr, "a", deploymentType(), kT0);
    object v2 = v1;
    v2["spec"].as_object()["replicas"] = 3;
    sandbox::recordUpdateOwnership(v2, &v1, "b", deploymentType(), kT1);
    object v3 = v2;
    v3["spec"].as_object()["replicas"] = 4;
    sandbox::recordUpdateOwnership(v3, &v2, "b", deploymentType(), kT2);
    EXPECT_EQ(sandbox::decodeManagedFields(v3)->back().time, sandbox::formatRfc3339(kT2));
    object v4 = v3; // a write that changes nothing keeps the stamp
    sandbox::recordUpdateOwnership(v4, &v3, "b", deploymentType(), kT2 + 60s);
    EXPECT_EQ(sandbox::decodeManagedFields(v4)->back().time, sandbox::formatRfc3339(kT2));
}

TEST(UpdateOwnership, RemovedFieldsLeaveEveryOwner) {
    object v1 = parse(kManifest).as_object();
    v1["spec"].as_object()["paused"] = true;
    sandbox::recordUpdateOwnership(v1, nullptr, "a", deploymentType(), kT0);
    object v2 = v1;
    v2["spec"].as_object().erase("paused");
    sandbox::recordUpdateOwnership(v2, &v1, "kubectl-rollout", deploymentType(), kT1);
    auto entries = sandbox::decodeManagedFields(v2);
    ASSERT_TRUE(entries.has_value());
    ASSERT_EQ(entries->size(), 1u); // the resume changed nothing it could own
    EXPECT_FALSE((*entries)[0].fields.contains({"f:spec", "f:paused"}));
}

TEST(UpdateOwnership, ClientOmittingManagedFieldsKeepsThem) {
    object v1 = parse(kManifest).as_object();
    sandbox::recordUpdateOwnership(v1, nullptr, "a", deploymentType(), kT0);
    object v2 = parse(kManifest).as_object(); // a PUT body without managedFields
    sandbox::recordUpdateOwnership(v2, &v1, "b", deploymentType(), kT1);
    EXPECT_TRUE(sandbox::jsonEquals(v2.at("metadata").at("managedFields"),
                                    v1.at("metadata").at("managedFields")));
}

TEST(UpdateOwnership, StatusWritesRecordTheSubresource) {
    object v1 = parse(kManifest).as_object();
    sandbox::recordUpdateOwnership(v1, nullptr, "kubectl", deploymentType(), kT0);
    object v2 = v1;
    v2["status"] = parse(R"({"replicas":2,"observedGeneration":1})");
    sandbox::recordUpdateOwnership(v2, &v1, "kube-controller-manager", deploymentType(), kT1,
                                   "status");
    auto entries = sandbox::decodeManagedFields(v2);
    ASSERT_TRUE(entries.has_value());
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[1].subresource, "status");
    EXPECT_TRUE((*entries)[1].fields.contains({"f:status", "f:replicas"}));
    EXPECT_EQ(v2.at("metadata").at("managedFields").at(1).at("subresource"), "status");
}

// kubectl apply (client-side), then kubectl apply --server-side: the SSA patch, the
// "kubectl-last-applied" annotation apply, and the JSON patch that migrates managedFields.
TEST(KubectlMigration, ClientSideThenServerSideApply) {
    object created = parse(kManifest).as_object();
    created["metadata"].as_object()["annotations"] = parse(
        R"({"kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Deployment\"}"})");
    sandbox::recordUpdateOwnership(created, nullptr, "kubectl-client-side-apply", deploymentType(),
                                   kT0);

    // 1. Same manifest server-side: values agree, so no conflict.
    auto ssa = sandbox::serverSideApply(&created, parse(kManifest).as_object(), "kubectl", false,
                                        deploymentType(), kT1);
    ASSERT_TRUE(ssa.ok()) << ssa.error().message;
    EXPECT_TRUE(ssa->at("metadata")
                    .at("annotations")
                    .as_object()
                    .contains("kubectl.kubernetes.io/last-applied-configuration"));

    // 2. kubectl re-applies just the annotation as "kubectl-last-applied".
    object annotationOnly = parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{
        "name":"web","annotations":{"kubectl.kubernetes.io/last-applied-configuration":
        "{\"kind\":\"Deployment\"}"}}})")
                                .as_object();
    auto annotated = sandbox::serverSideApply(&ssa.value(), annotationOnly, "kubectl-last-applied",
                                              false, deploymentType(), kT1);
    ASSERT_TRUE(annotated.ok()) << annotated.error().message;

    // 3. The migration: a JSON patch replacing managedFields (csaupgrade moves the
    // client-side manager's fields into the "kubectl" applier).
    auto entries = sandbox::decodeManagedFields(annotated.value());
    ASSERT_TRUE(entries.has_value());
    sandbox::FieldSet merged;
    sandbox::ManagedFields migrated;
    for (const auto &e : *entries) {
        if (e.manager == "kubectl-client-side-apply" || e.manager == "kubectl") {
            merged = merged.unionWith(e.fields);
        } else {
            migrated.push_back(e);
        }
    }
    sandbox::ManagedFieldsEntry kubectl;
    kubectl.manager = "kubectl";
    kubectl.operation = "Apply";
    kubectl.apiVersion = "apps/v1";
    kubectl.time = sandbox::formatRfc3339(kT1);
    kubectl.fields = merged;
    migrated.push_back(kubectl);
    object withNewFields = annotated.value();
    sandbox::encodeManagedFields(withNewFields, migrated);
    auto patch = boost::json::array{
        boost::json::object{{"op", "replace"},
                            {"path", "/metadata/managedFields"},
                            {"value", withNewFields.at("metadata").at("managedFields")}}};
    auto patched = sandbox::applyJsonPatch(annotated.value(), patch);
    ASSERT_TRUE(patched.ok());
    object result = patched.value().as_object();
    sandbox::recordUpdateOwnership(result, &annotated.value(), "kubectl", deploymentType(), kT2);
    auto after = sandbox::decodeManagedFields(result);
    ASSERT_TRUE(after.has_value());
    for (const auto &e : *after) {
        EXPECT_NE(e.manager, "kubectl-client-side-apply");
    }

    // 4. From now on a different replicas value applies cleanly (kubectl owns it).
    object next = parse(kManifest).as_object();
    next["spec"].as_object()["replicas"] = 5;
    auto reapplied =
        sandbox::serverSideApply(&result, next, "kubectl", false, deploymentType(), kT2);
    ASSERT_TRUE(reapplied.ok()) << reapplied.error().message;
    EXPECT_EQ(reapplied->at("spec").at("replicas"), 5);
}

TEST(KubectlMigration, WithoutMigrationTheClientSideManagerConflicts) {
    object created = parse(kManifest).as_object();
    sandbox::recordUpdateOwnership(created, nullptr, "kubectl-client-side-apply", deploymentType(),
                                   kT0);
    object next = parse(kManifest).as_object();
    next["spec"].as_object()["replicas"] = 5;
    auto result = sandbox::serverSideApply(&created, next, "kubectl", false, deploymentType(), kT1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
              "apps/v1: .spec.replicas");
}

} // namespace
