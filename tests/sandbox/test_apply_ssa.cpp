// Server-side apply: create, update, field removal, conflicts (messages and causes as the
// real API server writes them), force, several managers, keyed list items, atomic values,
// and ownership moved by ordinary writes (kubectl scale, client-side apply).

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
    t.singular = "deployment";
    t.hasStatus = true;
    return t;
}

sandbox::ResourceType serviceType() {
    sandbox::ResourceType t;
    t.version = "v1";
    t.kind = "Service";
    t.resource = "services";
    t.hasStatus = true;
    return t;
}

const sandbox::TimePoint kT0 = sandbox::TimePoint{} + std::chrono::hours(24 * 365 * 56);
const sandbox::TimePoint kT1 = kT0 + 60s;
const sandbox::TimePoint kT2 = kT0 + 120s;

object obj(const std::string &text) {
    return parse(text).as_object();
}

// The web Deployment as a manifest, with replicas and image as parameters.
object manifest(int replicas, const std::string &image = "nginx:1.25") {
    return obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
        "namespace":"demo","labels":{"app":"web"}},"spec":{"replicas":)" +
               std::to_string(replicas) +
               R"(,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":
        {"app":"web"}},"spec":{"containers":[{"name":"app","image":")" +
               image + R"(","ports":[{"containerPort":80}]}]}}}})");
}

object apply(const object *live, const object &applied, std::string_view manager,
             sandbox::TimePoint now = kT0, bool force = false) {
    auto result = sandbox::serverSideApply(live, applied, manager, force, deploymentType(), now);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? result.value() : object();
}

const boost::json::array &managedFields(const object &o) {
    return o.at("metadata").at("managedFields").as_array();
}

TEST(ServerSideApply, CreateOwnsExactlyTheAppliedFields) {
    object created = apply(nullptr, manifest(2), "kubectl");
    EXPECT_EQ(created.at("spec").at("replicas"), 2);
    const auto &entries = managedFields(created);
    ASSERT_EQ(entries.size(), 1u);
    const object &entry = entries[0].as_object();
    EXPECT_EQ(entry.at("manager"), "kubectl");
    EXPECT_EQ(entry.at("operation"), "Apply");
    EXPECT_EQ(entry.at("apiVersion"), "apps/v1");
    EXPECT_EQ(entry.at("time").as_string(), sandbox::formatRfc3339(kT0));
    EXPECT_EQ(entry.at("fieldsType"), "FieldsV1");
    // The FieldsV1 a real API server writes for this manifest.
    const auto expected = parse(R"({"f:metadata":{"f:labels":{"f:app":{}}},
        "f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":
        {"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},
        "f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},
        "f:containerPort":{}}}}}}}}})");
    EXPECT_TRUE(sandbox::jsonEquals(entry.at("fieldsV1"), expected))
        << boost::json::serialize(entry.at("fieldsV1"));
}

TEST(ServerSideApply, ReapplyingTheSameConfigChangesNothing) {
    object first = apply(nullptr, manifest(2), "kubectl", kT0);
    object second = apply(&first, manifest(2), "kubectl", kT1);
    EXPECT_TRUE(sandbox::jsonEquals(first, second)) << boost::json::serialize(second);
}

TEST(ServerSideApply, SameManagerChangesItsOwnFields) {
    object first = apply(nullptr, manifest(2), "kubectl", kT0);
    object second = apply(&first, manifest(3, "nginx:1.27"), "kubectl", kT1);
    EXPECT_EQ(second.at("spec").at("replicas"), 3);
    EXPECT_EQ(second.at("spec").at("template").at("spec").at("containers").at(0).at("image"),
              "nginx:1.27");
    EXPECT_EQ(managedFields(second)[0].at("time").as_string(), sandbox::formatRfc3339(kT1));
}

TEST(ServerSideApply, FieldsDroppedFromTheConfigAreRemoved) {
    object config = manifest(2);
    config["metadata"].as_object()["labels"].as_object()["tier"] = "frontend";
    auto &containers =
        config["spec"].as_object()["template"].as_object()["spec"].as_object()["containers"];
    containers.as_array().push_back(parse(R"({"name":"sidecar","image":"busybox"})"));
    object first = apply(nullptr, config, "kubectl");
    ASSERT_EQ(first.at("spec").at("template").at("spec").at("containers").as_array().size(), 2u);

    object second = apply(&first, manifest(2), "kubectl", kT1);
    EXPECT_FALSE(second.at("metadata").at("labels").as_object().contains("tier"));
    const auto &after = second.at("spec").at("template").at("spec").at("containers").as_array();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].at("name"), "app");
}

TEST(ServerSideApply, FieldsNotOwnedByTheApplierSurviveItsRemovals) {
    object first = apply(nullptr, manifest(2), "kubectl");
    // A controller adds an annotation through an ordinary update.
    object updated = first;
    updated["metadata"].as_object()["annotations"] =
        parse(R"({"deployment.kubernetes.io/revision":"1"})");
    sandbox::recordUpdateOwnership(updated, &first, "kube-controller-manager", deploymentType(),
                                   kT1);
    object config = manifest(2);
    config["metadata"].as_object().erase("labels");
    object second = apply(&updated, config, "kubectl", kT2);
    EXPECT_EQ(second.at("metadata").at("annotations").at("deployment.kubernetes.io/revision"), "1");
    EXPECT_FALSE(second.at("metadata").as_object().contains("labels"));
}

TEST(ServerSideApply, ConflictWithKubectlScale) {
    object applied = apply(nullptr, manifest(2), "kubectl");
    // kubectl scale: merge patch on /scale, no fieldManager: the server names the manager
    // after the user agent ("kubectl") and records the scale subresource.
    object scaled = applied;
    scaled["spec"].as_object()["replicas"] = 5;
    sandbox::recordUpdateOwnership(scaled, &applied, "kubectl", deploymentType(), kT1, "scale");

    auto result =
        sandbox::serverSideApply(&scaled, manifest(2), "kubectl", false, deploymentType(), kT2);
    ASSERT_FALSE(result.ok());
    const sandbox::ApiError &error = result.error();
    EXPECT_EQ(error.code, 409);
    EXPECT_EQ(error.reason, "Conflict");
    EXPECT_EQ(error.message, "Apply failed with 1 conflict: conflict with \"kubectl\" with "
                             "subresource \"scale\" using apps/v1: .spec.replicas");
    ASSERT_EQ(error.causes.size(), 1u);
    EXPECT_EQ(error.causes[0].reason, "FieldManagerConflict");
    EXPECT_EQ(error.causes[0].message,
              "conflict with \"kubectl\" with subresource \"scale\" using apps/v1");
    EXPECT_EQ(error.causes[0].field, ".spec.replicas");
}

TEST(ServerSideApply, ForceTakesOwnership) {
    object applied = apply(nullptr, manifest(2), "kubectl");
    object scaled = applied;
    scaled["spec"].as_object()["replicas"] = 5;
    sandbox::recordUpdateOwnership(scaled, &applied, "kubectl", deploymentType(), kT1, "scale");

    object forced = apply(&scaled, manifest(2), "kubectl", kT2, /*force=*/true);
    EXPECT_EQ(forced.at("spec").at("replicas"), 2);
    // The scale entry owned only spec.replicas: it is gone.
    const auto &entries = managedFields(forced);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].at("operation"), "Apply");
    // And now applying again is conflict-free.
    EXPECT_TRUE(
        sandbox::serverSideApply(&forced, manifest(4), "kubectl", false, deploymentType(), kT2)
            .ok());
}

TEST(ServerSideApply, ConflictBetweenAppliersNamesTheOtherApplier) {
    object first = apply(nullptr, manifest(2), "argocd");
    auto result =
        sandbox::serverSideApply(&first, manifest(3), "kubectl", false, deploymentType(), kT1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "Apply failed with 1 conflict: conflict with \"argocd\": .spec.replicas");
    EXPECT_EQ(result.error().causes.at(0).message, "conflict with \"argocd\"");
}

TEST(ServerSideApply, SameValueIsSharedAndSurvivesOneOwnerLeaving) {
    object first = apply(nullptr, manifest(2), "a");
    object second = apply(&first, manifest(2), "b", kT1); // same values: no conflict
    EXPECT_EQ(managedFields(second).size(), 2u);
    object config = manifest(2);
    config["spec"].as_object().erase("replicas");
    object third = apply(&second, config, "a", kT2);
    EXPECT_EQ(third.at("spec").at("replicas"), 2); // still owned by b
}

TEST(ServerSideApply, MultipleConflictsAreGroupedByManager) {
    object first = apply(nullptr, manifest(2), "a");
    object updated = first;
    updated["spec"].as_object()["minReadySeconds"] = 5;
    updated["spec"].as_object()["paused"] = true;
    sandbox::recordUpdateOwnership(updated, &first, "b", deploymentType(), kT1);
    object config = manifest(3);
    config["spec"].as_object()["minReadySeconds"] = 10;
    config["spec"].as_object()["paused"] = false;
    auto result = sandbox::serverSideApply(&updated, config, "c", false, deploymentType(), kT2);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message, "Apply failed with 3 conflicts: conflicts with \"a\":\n"
                                      "- .spec.replicas\n"
                                      "conflicts with \"b\" using apps/v1:\n"
                                      "- .spec.minReadySeconds\n"
                                      "- .spec.paused");
    ASSERT_EQ(result.error().causes.size(), 3u);
    for (const auto &cause : result.error().causes) {
        EXPECT_EQ(cause.reason, "FieldManagerConflict");
    }
}

TEST(ServerSideApply, KeyedListItemsBelongToTheirAppliers) {
    object first = apply(nullptr, manifest(2), "a");
    object sidecar = obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
        "spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}})");
    object second = apply(&first, sidecar, "b", kT1);
    const auto &containers =
        second.at("spec").at("template").at("spec").at("containers").as_array();
    ASSERT_EQ(containers.size(), 2u);
    EXPECT_EQ(containers[0].at("name"), "app");
    EXPECT_EQ(containers[1].at("name"), "sidecar");
    // a re-applies without the sidecar: b's item stays.
    object third = apply(&second, manifest(2), "a", kT2);
    EXPECT_EQ(third.at("spec").at("template").at("spec").at("containers").as_array().size(), 2u);
    // b changing a's container image conflicts on that field only.
    object hijack = obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
        "spec":{"template":{"spec":{"containers":[{"name":"app","image":"evil"}]}}}})");
    auto result = sandbox::serverSideApply(&third, hijack, "b", false, deploymentType(), kT2);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().causes.at(0).field,
              ".spec.template.spec.containers[name=\"app\"].image");
}

TEST(ServerSideApply, AtomicListsAreOwnedWhole) {
    object config = manifest(2);
    auto &container = config["spec"]
                          .as_object()["template"]
                          .as_object()["spec"]
                          .as_object()["containers"]
                          .as_array()[0]
                          .as_object();
    container["args"] = parse(R"(["--a","--b"])");
    object first = apply(nullptr, config, "a");
    container["args"] = parse(R"(["--c"])");
    auto result = sandbox::serverSideApply(&first, config, "b", false, deploymentType(), kT1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().causes.at(0).field,
              ".spec.template.spec.containers[name=\"app\"].args");
    object forced = apply(&first, config, "b", kT1, true);
    EXPECT_TRUE(sandbox::jsonEquals(
        forced.at("spec").at("template").at("spec").at("containers").at(0).at("args"),
        parse(R"(["--c"])")));
}

TEST(ServerSideApply, SelectorIsAtomic) {
    object first = apply(nullptr, manifest(2), "a");
    const auto &entry = managedFields(first)[0].at("fieldsV1");
    EXPECT_TRUE(entry.at("f:spec").at("f:selector").as_object().empty());
}

TEST(ServerSideApply, StatusInTheConfigIsNotOwned) {
    object config = manifest(2);
    config["status"] = parse(R"({"replicas":7})");
    object created = apply(nullptr, config, "kubectl");
    EXPECT_FALSE(managedFields(created)[0].at("fieldsV1").as_object().contains("f:status"));
}

TEST(ServerSideApply, ServicePortsKeyOnPortAndDefaultProtocol) {
    auto svc = [](const std::string &ports) {
        return obj(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
            "spec":{"ports":)" +
                   ports + "}}");
    };
    auto first = sandbox::serverSideApply(
        nullptr, svc(R"([{"port":80,"targetPort":8080},{"port":53,"protocol":"UDP"}])"), "kubectl",
        false, serviceType(), kT0);
    ASSERT_TRUE(first.ok());
    object live = first.value();
    // The API server defaults protocol; the next apply still matches the same items.
    for (auto &port : live["spec"].as_object()["ports"].as_array()) {
        if (!port.as_object().contains("protocol")) {
            port.as_object()["protocol"] = "TCP";
        }
    }
    auto second = sandbox::serverSideApply(
        &live, svc(R"([{"port":80,"targetPort":9090},{"port":53,"protocol":"UDP"}])"), "kubectl",
        false, serviceType(), kT1);
    ASSERT_TRUE(second.ok()) << second.error().message;
    const auto &ports = second.value().at("spec").at("ports").as_array();
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[0].at("targetPort"), 9090);
    EXPECT_EQ(ports[0].at("protocol"), "TCP");
    const auto &fields = second.value().at("metadata").at("managedFields").at(0).at("fieldsV1");
    EXPECT_TRUE(fields.at("f:spec").at("f:ports").as_object().contains(
        R"(k:{"port":53,"protocol":"UDP"})"));
}

TEST(ServerSideApply, UnknownKindsTreatListsAsAtomic) {
    sandbox::ResourceType rule;
    rule.group = "monitoring.coreos.com";
    rule.version = "v1";
    rule.kind = "PrometheusRule";
    rule.resource = "prometheusrules";
    auto created = sandbox::serverSideApply(
        nullptr, obj(R"({"apiVersion":"monitoring.coreos.com/v1","kind":"PrometheusRule",
            "metadata":{"name":"r"},"spec":{"groups":[{"name":"g","rules":[]}]}})"),
        "kubectl", false, rule, kT0);
    ASSERT_TRUE(created.ok());
    const auto &fields = created.value().at("metadata").at("managedFields").at(0).at("fieldsV1");
    EXPECT_TRUE(fields.at("f:spec").at("f:groups").as_object().empty());
}

TEST(ServerSideApplyErrors, MissingFieldManager) {
    auto result = sandbox::serverSideApply(nullptr, manifest(1), "", false, deploymentType(), kT0);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 422);
    EXPECT_EQ(result.error().message, "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                      "Required value: is required for apply patch");
}

TEST(ServerSideApplyErrors, ManagedFieldsInTheConfig) {
    object config = manifest(1);
    config["metadata"].as_object()["managedFields"] = parse("[]");
    auto result =
        sandbox::serverSideApply(nullptr, config, "kubectl", false, deploymentType(), kT0);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 400);
    EXPECT_EQ(result.error().message, "metadata.managedFields must be nil");
}

TEST(ServerSideApplyErrors, KeyedItemWithoutKey) {
    object config = obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
        "namespace":"demo"},"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}})");
    auto result =
        sandbox::serverSideApply(nullptr, config, "kubectl", false, deploymentType(), kT0);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, 400);
    EXPECT_EQ(result.error().message,
              "failed to create typed patch object (demo/web; apps/v1, Kind=Deployment): "
              ".spec.template.spec.containers: element 0: associative list with keys has an "
              "element that omits key field \"name\" (and doesn't have default value)");
}

TEST(ServerSideApplyErrors, DuplicateKeysInTheConfig) {
    object config = obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
        "namespace":"demo"},"spec":{"template":{"spec":{"containers":[{"name":"app"},
        {"name":"app"}]}}}})");
    auto result =
        sandbox::serverSideApply(nullptr, config, "kubectl", false, deploymentType(), kT0);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "failed to create typed patch object (demo/web; apps/v1, Kind=Deployment): "
              ".spec.template.spec.containers: duplicate entries for key [name=\"app\"]");
}

TEST(ServerSideApply, LiveDuplicatesAreTolerated) {
    object live = manifest(1);
    auto &container = live["spec"]
                          .as_object()["template"]
                          .as_object()["spec"]
                          .as_object()["containers"]
                          .as_array()[0]
                          .as_object();
    container["env"] = parse(R"([{"name":"A","value":"1"},{"name":"A","value":"2"}])");
    object updated = apply(&live, manifest(3), "kubectl");
    EXPECT_EQ(updated.at("spec").at("replicas"), 3);
}

} // namespace
