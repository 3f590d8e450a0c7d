// ResourceService: what the API server's registry does between HTTP and storage.
#include "api/resource_service.h"

#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

using namespace sandbox;
using boost::json::object;

namespace {

const ResourceRegistry &registry() {
    return ResourceRegistry::builtin();
}
const ResourceType &T(std::string_view group, std::string_view version, std::string_view resource) {
    return *registry().byResource(group, version, resource);
}
const ResourceType &deployments() {
    return T("apps", "v1", "deployments");
}
const ResourceType &replicasets() {
    return T("apps", "v1", "replicasets");
}
const ResourceType &pods() {
    return T("", "v1", "pods");
}
const ResourceType &services() {
    return T("", "v1", "services");
}
const ResourceType &namespaces() {
    return T("", "v1", "namespaces");
}
const ResourceType &secrets() {
    return T("", "v1", "secrets");
}
const ResourceType &configmaps() {
    return T("", "v1", "configmaps");
}

object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

object deployment(const std::string &name = "web", int replicas = 2) {
    object d = parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","labels":{"app":"web"}},
      "spec":{"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}})");
    d["metadata"].as_object()["name"] = name;
    d["spec"].as_object()["replicas"] = replicas;
    return d;
}

object configmap(const std::string &name, const std::string &app = "web") {
    return object{{"apiVersion", "v1"},
                  {"kind", "ConfigMap"},
                  {"metadata", object{{"name", name}, {"labels", object{{"app", app}}}}},
                  {"data", object{{"k", "v"}}}};
}

std::string S(const object &o, json::Path path) {
    return json::stringAt(o, path);
}
std::int64_t I(const object &o, json::Path path) {
    return json::intAt(o, path).value_or(-999);
}

struct Events {
    std::mutex mutex;
    std::vector<std::pair<WatchEventType, std::string>> seen;
    WatchCallback callback() {
        return [this](const WatchEvent &e) {
            std::lock_guard lock(mutex);
            seen.emplace_back(e.type, json::name(e.object));
        };
    }
    std::vector<std::pair<WatchEventType, std::string>> get() {
        std::lock_guard lock(mutex);
        return seen;
    }
};

class ServiceTest : public ::testing::Test {
protected:
    ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    ObjectStore store{{}, registry(), clock};
    std::unique_ptr<ResourceService> service;
    WriteOptions write;

    void SetUp() override {
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, registry(), clock);
        write.fieldManager = "kubectl-client-side-apply";
        ASSERT_TRUE(
            service->create(namespaces(), "", parse(R"({"metadata":{"name":"demo"}})"), write)
                .ok());
    }

    object mustCreate(const ResourceType &type, object body, const std::string &ns = "demo") {
        auto created = service->create(type, ns, std::move(body), write);
        EXPECT_TRUE(created.ok()) << created.message();
        return created.ok() ? created.value() : object();
    }
};

} // namespace

TEST_F(ServiceTest, SystemNamespacesExistFromTheStart) {
    for (const char *name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        auto ns = service->get(namespaces(), "", name);
        ASSERT_TRUE(ns.ok()) << name;
        EXPECT_EQ(S(*ns, {"status", "phase"}), "Active");
        EXPECT_EQ(S(*ns, {"metadata", "labels", "kubernetes.io/metadata.name"}), name);
    }
    // A second service on the same store does not duplicate them.
    const auto rv = store.resourceVersion();
    ResourceService again(store, registry(), clock);
    EXPECT_EQ(store.resourceVersion(), rv);
}

TEST_F(ServiceTest, DeploymentCreateAppliesDefaultsAndGeneration) {
    object d = deployment();
    d["spec"].as_object().erase("replicas");
    const object created = mustCreate(deployments(), d);
    EXPECT_EQ(I(created, {"spec", "replicas"}), 1);
    EXPECT_EQ(I(created, {"spec", "revisionHistoryLimit"}), 10);
    EXPECT_EQ(I(created, {"spec", "progressDeadlineSeconds"}), 600);
    EXPECT_EQ(S(created, {"spec", "strategy", "type"}), "RollingUpdate");
    EXPECT_EQ(S(created, {"spec", "strategy", "rollingUpdate", "maxSurge"}), "25%");
    EXPECT_EQ(S(created, {"spec", "strategy", "rollingUpdate", "maxUnavailable"}), "25%");
    EXPECT_EQ(S(created, {"spec", "template", "spec", "restartPolicy"}), "Always");
    EXPECT_EQ(I(created, {"spec", "template", "spec", "terminationGracePeriodSeconds"}), 30);
    EXPECT_EQ(S(created, {"spec", "template", "spec", "dnsPolicy"}), "ClusterFirst");
    EXPECT_EQ(S(created, {"spec", "template", "spec", "schedulerName"}), "default-scheduler");
    const object &container =
        json::arrayAt(created, {"spec", "template", "spec", "containers"})->at(0).as_object();
    EXPECT_EQ(S(container, {"imagePullPolicy"}), "IfNotPresent");
    EXPECT_EQ(S(container, {"terminationMessagePath"}), "/dev/termination-log");
    EXPECT_EQ(S(container, {"terminationMessagePolicy"}), "File");
    EXPECT_EQ(S(container.at("ports").as_array()[0].as_object(), {"protocol"}), "TCP");
    EXPECT_EQ(I(created, {"metadata", "generation"}), 1);
    EXPECT_EQ(S(created, {"metadata", "namespace"}), "demo");
    EXPECT_TRUE(json::objectAt(created, {"status"})->empty());
    EXPECT_FALSE(S(created, {"metadata", "uid"}).empty());
}

namespace {
struct PullCase {
    const char *image;
    const char *policy;
};
class ImagePullPolicy : public ServiceTest, public ::testing::WithParamInterface<PullCase> {};
} // namespace

TEST_P(ImagePullPolicy, DefaultsFromTheTag) {
    object pod = parse(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]}})");
    pod["spec"].as_object()["containers"].as_array()[0].as_object()["image"] = GetParam().image;
    const object created = mustCreate(pods(), pod);
    EXPECT_EQ(
        S(json::arrayAt(created, {"spec", "containers"})->at(0).as_object(), {"imagePullPolicy"}),
        GetParam().policy);
}

INSTANTIATE_TEST_SUITE_P(Tags, ImagePullPolicy,
                         ::testing::Values(PullCase{"nginx", "Always"},
                                           PullCase{"nginx:latest", "Always"},
                                           PullCase{"nginx:1.27", "IfNotPresent"},
                                           PullCase{"localhost:5000/app", "Always"},
                                           PullCase{"localhost:5000/app:v1", "IfNotPresent"},
                                           PullCase{"busybox@sha256:abc", "IfNotPresent"}));

TEST_F(ServiceTest, PodCreateStartsPendingWithAdmissionDefaults) {
    const object pod = mustCreate(
        pods(), parse(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx",
          "resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]},"status":{"phase":"Running"}})"));
    EXPECT_EQ(S(pod, {"status", "phase"}), "Pending");
    EXPECT_EQ(S(pod, {"status", "qosClass"}), "Guaranteed");
    EXPECT_EQ(S(pod, {"spec", "serviceAccountName"}), "default");
    EXPECT_EQ(json::arrayAt(pod, {"spec", "tolerations"})->size(), 2u);
    EXPECT_EQ(json::valueAt(pod, {"metadata", "generation"}), nullptr);
}

TEST_F(ServiceTest, ServiceGetsClusterIpPortsAndNodePorts) {
    const object svc = mustCreate(services(), parse(R"({"metadata":{"name":"web"},
        "spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"port":80}]}})"));
    const std::string ip = S(svc, {"spec", "clusterIP"});
    EXPECT_TRUE(ip.starts_with("10.96.")) << ip;
    EXPECT_EQ(S(svc, {"spec", "clusterIPs"}), "");
    EXPECT_EQ(json::arrayAt(svc, {"spec", "clusterIPs"})->at(0).as_string(), ip);
    const object &port = json::arrayAt(svc, {"spec", "ports"})->at(0).as_object();
    EXPECT_EQ(S(port, {"protocol"}), "TCP");
    EXPECT_EQ(I(port, {"targetPort"}), 80);
    const auto nodePort = I(port, {"nodePort"});
    EXPECT_GE(nodePort, 30000);
    EXPECT_LE(nodePort, 32767);
    EXPECT_EQ(S(svc, {"spec", "sessionAffinity"}), "None");
    EXPECT_EQ(S(svc, {"spec", "externalTrafficPolicy"}), "Cluster");

    // A PUT without the allocated values keeps them.
    object body = parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
        "spec":{"type":"NodePort","selector":{"app":"api"},"ports":[{"port":80}]}})");
    auto updated = service->update(services(), "demo", "web", body, write);
    ASSERT_TRUE(updated.ok()) << updated.message();
    EXPECT_EQ(S(*updated, {"spec", "clusterIP"}), ip);
    EXPECT_EQ(I(json::arrayAt(*updated, {"spec", "ports"})->at(0).as_object(), {"nodePort"}),
              nodePort);

    // Taking an allocated node port is refused.
    object clash =
        parse(R"({"metadata":{"name":"other"},"spec":{"type":"NodePort","ports":[{"port":81}]}})");
    clash["spec"].as_object()["ports"].as_array()[0].as_object()["nodePort"] = nodePort;
    auto refused = service->create(services(), "demo", clash, write);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, 422);
    EXPECT_NE(refused.message().find("provided port is already allocated"), std::string::npos);
}

TEST_F(ServiceTest, CreateErrors) {
    auto missingNs = service->create(configmaps(), "nope", configmap("c"), write);
    ASSERT_FALSE(missingNs.ok());
    EXPECT_EQ(missingNs.error().code, 404);
    EXPECT_EQ(missingNs.message(), "namespaces \"nope\" not found");

    object wrongNs = configmap("c");
    wrongNs["metadata"].as_object()["namespace"] = "other";
    auto mismatch = service->create(configmaps(), "demo", wrongNs, write);
    EXPECT_EQ(mismatch.error().code, 400);
    EXPECT_EQ(
        mismatch.message(),
        "the namespace of the provided object does not match the namespace sent on the request");

    object wrongVersion = deployment();
    wrongVersion["apiVersion"] = "apps/v1beta1";
    auto version = service->create(deployments(), "demo", wrongVersion, write);
    EXPECT_EQ(version.error().code, 400);
    EXPECT_EQ(version.message(), "the API version in the data (apps/v1beta1) does not match the "
                                 "expected API version (apps/v1)");

    object invalid = deployment("web", -1);
    invalid["spec"].as_object()["template"].as_object()["spec"].as_object()["containers"] =
        boost::json::array();
    auto rejected = service->create(deployments(), "demo", invalid, write);
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().code, 422);
    EXPECT_EQ(rejected.message(),
              "Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be "
              "greater than or equal to 0, spec.template.spec.containers: Required value]");
    EXPECT_FALSE(service->get(deployments(), "demo", "web").ok()) << "nothing stored";

    mustCreate(configmaps(), configmap("c"));
    auto duplicate = service->create(configmaps(), "demo", configmap("c"), write);
    EXPECT_EQ(duplicate.message(), "configmaps \"c\" already exists");
}

TEST_F(ServiceTest, SecretStringDataIsFoldedIntoDataOnEveryWrite) {
    // "admin" and "s3cret" in base64; stringData wins over the same data key.
    const object created =
        mustCreate(secrets(), parse(R"({"metadata":{"name":"db"},"data":{"USER":"cm9vdA=="},)"
                                    R"("stringData":{"USER":"admin","PASSWORD":"s3cret"}})"));
    EXPECT_EQ(S(created, {"data", "USER"}), "YWRtaW4=");
    EXPECT_EQ(S(created, {"data", "PASSWORD"}), "czNjcmV0");
    EXPECT_FALSE(created.contains("stringData"));
    EXPECT_EQ(S(created, {"type"}), "Opaque");

    object update = created;
    update["stringData"] = parse(R"({"TOKEN":"t"})");
    auto updated = service->update(secrets(), "demo", "db", update, write);
    ASSERT_TRUE(updated.ok()) << updated.message();
    EXPECT_EQ(S(*updated, {"data", "TOKEN"}), "dA==");
    EXPECT_EQ(S(*updated, {"data", "USER"}), "YWRtaW4=");
    EXPECT_FALSE(updated->contains("stringData"));
}

TEST_F(ServiceTest, GenerateName) {
    object body = configmap("");
    body["metadata"].as_object().erase("name");
    body["metadata"].as_object()["generateName"] = "cfg-";
    const object created = mustCreate(configmaps(), body);
    EXPECT_TRUE(S(created, {"metadata", "name"}).starts_with("cfg-"));
    EXPECT_EQ(S(created, {"metadata", "name"}).size(), 9u);
}

TEST_F(ServiceTest, GenerationFollowsSpecAndAnnotationsNotStatus) {
    const object created = mustCreate(deployments(), deployment());
    object body = created;
    body["metadata"].as_object()["labels"].as_object()["tier"] = "fe";
    auto labelsOnly = service->update(deployments(), "demo", "web", body, write);
    ASSERT_TRUE(labelsOnly.ok()) << labelsOnly.message();
    EXPECT_EQ(I(*labelsOnly, {"metadata", "generation"}), 1);

    body = *labelsOnly;
    body["spec"].as_object()["replicas"] = 5;
    auto spec = service->update(deployments(), "demo", "web", body, write);
    EXPECT_EQ(I(*spec, {"metadata", "generation"}), 2);

    body = *spec;
    json::ensureObject(body, {"metadata", "annotations"})["deployment.kubernetes.io/revision"] =
        "1";
    auto annotated = service->update(deployments(), "demo", "web", body, write);
    EXPECT_EQ(I(*annotated, {"metadata", "generation"}), 3)
        << "Deployments count annotation changes";

    body = *annotated;
    body["status"] = object{{"observedGeneration", 3}, {"replicas", 5}};
    body["spec"].as_object()["replicas"] = 7;
    auto status = service->update(deployments(), "demo", "web", body, write, Subresource::Status);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(I(*status, {"metadata", "generation"}), 3);
    EXPECT_EQ(I(*status, {"status", "replicas"}), 5);
    EXPECT_EQ(I(*status, {"spec", "replicas"}), 5) << "status writes do not touch spec";

    body = *status;
    json::ensureObject(body, {"metadata", "annotations"})["deployment.kubernetes.io/revision"] =
        "2";
    body["metadata"].as_object()["labels"].as_object()["tier"] = "changed";
    auto revision = service->update(deployments(), "demo", "web", body, write, Subresource::Status);
    ASSERT_TRUE(revision.ok()) << revision.message();
    EXPECT_EQ(S(*revision, {"metadata", "annotations", "deployment.kubernetes.io/revision"}), "2")
        << "annotations pass through status writes, as the real status strategy lets them";
    EXPECT_EQ(S(*revision, {"metadata", "labels", "tier"}), "fe") << "labels do not";
    EXPECT_EQ(I(*revision, {"metadata", "generation"}), 3);
    status = revision;

    body = *status;
    body["status"] = object{{"replicas", 99}};
    auto main = service->update(deployments(), "demo", "web", body, write);
    EXPECT_EQ(I(*main, {"status", "replicas"}), 5) << "main writes keep the old status";
}

TEST_F(ServiceTest, UpdateConflictsOnStaleResourceVersion) {
    const object created = mustCreate(configmaps(), configmap("c"));
    object first = created;
    first["data"].as_object()["k"] = "v2";
    ASSERT_TRUE(service->update(configmaps(), "demo", "c", first, write).ok());
    object stale = created;
    stale["data"].as_object()["k"] = "v3";
    auto conflict = service->update(configmaps(), "demo", "c", stale, write);
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().code, 409);
    EXPECT_EQ(conflict.message(),
              "Operation cannot be fulfilled on configmaps \"c\": the object has been "
              "modified; please apply your changes to the latest version and try again");
    stale["metadata"].as_object().erase("resourceVersion");
    EXPECT_TRUE(service->update(configmaps(), "demo", "c", stale, write).ok())
        << "no RV: unconditional";

    object renamed = configmap("d");
    auto wrongName = service->update(configmaps(), "demo", "c", renamed, write);
    EXPECT_EQ(wrongName.message(),
              "the name of the object (d) does not match the name on the URL (c)");
    EXPECT_EQ(service->update(configmaps(), "demo", "zz", configmap("zz"), write).error().code,
              404);
}

TEST_F(ServiceTest, ScaleSubresource) {
    mustCreate(deployments(), deployment());
    auto scale = service->get(deployments(), "demo", "web", Subresource::Scale);
    ASSERT_TRUE(scale.ok());
    EXPECT_EQ(S(*scale, {"kind"}), "Scale");
    EXPECT_EQ(S(*scale, {"apiVersion"}), "autoscaling/v1");
    EXPECT_EQ(I(*scale, {"spec", "replicas"}), 2);
    EXPECT_EQ(S(*scale, {"status", "selector"}), "app=web");
    EXPECT_EQ(I(*scale, {"status", "replicas"}), 0);

    object body = *scale;
    body["spec"].as_object()["replicas"] = 4;
    auto scaled = service->update(deployments(), "demo", "web", body, write, Subresource::Scale);
    ASSERT_TRUE(scaled.ok()) << scaled.message();
    EXPECT_EQ(S(*scaled, {"kind"}), "Scale");
    EXPECT_EQ(I(*scaled, {"spec", "replicas"}), 4);
    auto d = service->get(deployments(), "demo", "web");
    EXPECT_EQ(I(*d, {"spec", "replicas"}), 4);
    EXPECT_EQ(I(*d, {"metadata", "generation"}), 2);

    auto stale = service->update(deployments(), "demo", "web", body, write, Subresource::Scale);
    EXPECT_EQ(stale.error().code, 409) << "the old Scale's resourceVersion is a precondition";

    body = *scaled;
    body["spec"].as_object()["replicas"] = -1;
    auto negative = service->update(deployments(), "demo", "web", body, write, Subresource::Scale);
    EXPECT_EQ(negative.error().code, 422);
    EXPECT_EQ(negative.message(), "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid "
                                  "value: -1: must be greater than or equal to 0");

    auto patched = service->patch(deployments(), "demo", "web", PatchType::Merge,
                                  R"({"spec":{"replicas":3}})", write, Subresource::Scale);
    ASSERT_TRUE(patched.ok()) << patched.message();
    EXPECT_EQ(I(*patched, {"spec", "replicas"}), 3);
    EXPECT_EQ(I(*service->get(deployments(), "demo", "web"), {"spec", "replicas"}), 3);
}

TEST_F(ServiceTest, PatchTypes) {
    mustCreate(deployments(), deployment());
    auto merge =
        service->patch(deployments(), "demo", "web", PatchType::Merge,
                       R"({"metadata":{"labels":{"tier":"fe"}},"spec":{"paused":true}})", write);
    ASSERT_TRUE(merge.ok()) << merge.message();
    EXPECT_EQ(S(*merge, {"metadata", "labels", "tier"}), "fe");
    EXPECT_EQ(json::boolAt(*merge, {"spec", "paused"}), true);

    auto json = service->patch(
        deployments(), "demo", "web", PatchType::Json,
        R"([{"op":"replace","path":"/spec/replicas","value":6},{"op":"remove","path":"/spec/paused"}])",
        write);
    ASSERT_TRUE(json.ok()) << json.message();
    EXPECT_EQ(I(*json, {"spec", "replicas"}), 6);
    EXPECT_EQ(json::valueAt(*json, {"spec", "paused"}), nullptr);

    WriteOptions set = write;
    set.fieldManager = "kubectl-set";
    auto strategic = service->patch(
        deployments(), "demo", "web", PatchType::StrategicMerge,
        R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"image":"nginx:1.28","name":"app"}]}}}})",
        set);
    ASSERT_TRUE(strategic.ok()) << strategic.message();
    const auto *containers = json::arrayAt(*strategic, {"spec", "template", "spec", "containers"});
    ASSERT_EQ(containers->size(), 1u);
    EXPECT_EQ(S(containers->at(0).as_object(), {"image"}), "nginx:1.28");
    EXPECT_EQ(json::arrayAt(containers->at(0).as_object(), {"ports"})->size(), 1u)
        << "merged by name, ports kept";
    EXPECT_EQ(I(*strategic, {"metadata", "generation"}), 4) << "1 + merge + JSON + strategic";

    auto stale =
        service->patch(deployments(), "demo", "web", PatchType::Merge,
                       R"({"metadata":{"resourceVersion":"1"},"spec":{"replicas":1}})", write);
    EXPECT_EQ(stale.error().code, 409) << "a resourceVersion in the patch is a precondition";

    auto invalid = service->patch(deployments(), "demo", "web", PatchType::Merge,
                                  R"({"spec":{"replicas":-2}})", write);
    EXPECT_EQ(invalid.error().code, 422);
    auto malformed =
        service->patch(deployments(), "demo", "web", PatchType::Merge, R"({"spec":)", write);
    EXPECT_EQ(malformed.error().code, 400);
    auto missing = service->patch(deployments(), "demo", "nope", PatchType::Merge, "{}", write);
    EXPECT_EQ(missing.error().code, 404);
    EXPECT_EQ(missing.message(), "deployments.apps \"nope\" not found");
}

TEST_F(ServiceTest, ServerSideApply) {
    WriteOptions noManager;
    auto refused = service->patch(deployments(), "demo", "web", PatchType::Apply,
                                  boost::json::serialize(deployment()), noManager);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, 422);
    EXPECT_EQ(refused.message(), "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
                                 "value: is required for apply patch");

    WriteOptions kubectl;
    kubectl.fieldManager = "kubectl";
    bool created = false;
    auto first = service->patch(deployments(), "demo", "web", PatchType::Apply,
                                boost::json::serialize(deployment("web", 2)), kubectl,
                                Subresource::Main, &created);
    ASSERT_TRUE(first.ok()) << first.message();
    EXPECT_TRUE(created);
    EXPECT_EQ(I(*first, {"metadata", "generation"}), 1);
    EXPECT_EQ(I(*first, {"spec", "revisionHistoryLimit"}), 10)
        << "defaults apply to applied objects";

    auto second = service->patch(deployments(), "demo", "web", PatchType::Apply,
                                 boost::json::serialize(deployment("web", 3)), kubectl,
                                 Subresource::Main, &created);
    ASSERT_TRUE(second.ok()) << second.message();
    EXPECT_FALSE(created);
    EXPECT_EQ(I(*second, {"spec", "replicas"}), 3);

    WriteOptions other;
    other.fieldManager = "dashboard";
    auto conflict = service->patch(deployments(), "demo", "web", PatchType::Apply,
                                   boost::json::serialize(deployment("web", 5)), other);
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().code, 409);
    EXPECT_NE(conflict.message().find(".spec.replicas"), std::string::npos) << conflict.message();
    other.force = true;
    auto forced = service->patch(deployments(), "demo", "web", PatchType::Apply,
                                 boost::json::serialize(deployment("web", 5)), other);
    ASSERT_TRUE(forced.ok()) << forced.message();
    EXPECT_EQ(I(*forced, {"spec", "replicas"}), 5);

    WriteOptions forceMerge = write;
    forceMerge.force = true;
    EXPECT_EQ(service->patch(deployments(), "demo", "web", PatchType::Merge, "{}", forceMerge)
                  .error()
                  .code,
              422);
}

TEST_F(ServiceTest, DryRunStoresNothing) {
    WriteOptions dry = write;
    dry.dryRun = true;
    const auto rv = store.resourceVersion();
    auto created = service->create(deployments(), "demo", deployment(), dry);
    ASSERT_TRUE(created.ok()) << created.message();
    EXPECT_EQ(I(*created, {"spec", "revisionHistoryLimit"}), 10);
    EXPECT_FALSE(S(*created, {"metadata", "uid"}).empty());
    EXPECT_EQ(store.resourceVersion(), rv);
    EXPECT_FALSE(service->get(deployments(), "demo", "web").ok());

    mustCreate(deployments(), deployment());
    const auto rv2 = store.resourceVersion();
    auto patched = service->patch(deployments(), "demo", "web", PatchType::Merge,
                                  R"({"spec":{"replicas":9}})", dry);
    ASSERT_TRUE(patched.ok());
    EXPECT_EQ(I(*patched, {"spec", "replicas"}), 9);
    EXPECT_EQ(I(*service->get(deployments(), "demo", "web"), {"spec", "replicas"}), 2);
    DeleteOptions dryDelete;
    dryDelete.dryRun = true;
    ASSERT_TRUE(service->remove(deployments(), "demo", "web", dryDelete).ok());
    EXPECT_TRUE(service->get(deployments(), "demo", "web").ok());
    EXPECT_EQ(store.resourceVersion(), rv2);
    EXPECT_EQ(service->create(deployments(), "demo", deployment("web", -1), dry).error().code, 422)
        << "dry runs validate";
}

TEST_F(ServiceTest, ListWithSelectorsAndPaging) {
    for (int i = 0; i < 5; ++i) {
        mustCreate(configmaps(), configmap("c" + std::to_string(i), i % 2 == 0 ? "web" : "db"));
    }
    ListOptions options;
    options.labelSelector = "app=web";
    auto web = service->list(configmaps(), "demo", options);
    ASSERT_TRUE(web.ok());
    EXPECT_EQ(web->items.size(), 3u);
    EXPECT_EQ(web->resourceVersion, std::to_string(store.resourceVersion()));

    options = {};
    options.fieldSelector = "metadata.name=c3";
    EXPECT_EQ(service->list(configmaps(), "", options)->items.size(), 1u);
    options.fieldSelector = "data.k=v";
    EXPECT_EQ(service->list(configmaps(), "", options).message(),
              "field label not supported: data.k");
    options = {};
    options.labelSelector = "app in (";
    EXPECT_EQ(service->list(configmaps(), "", options).error().code, 400);

    options = {};
    options.limit = 2;
    std::vector<std::string> names;
    std::string listRv;
    std::vector<std::int64_t> remaining;
    do {
        auto page = service->list(configmaps(), "demo", options);
        ASSERT_TRUE(page.ok()) << page.message();
        for (const object &item : page->items) {
            names.push_back(json::name(item));
        }
        if (listRv.empty()) {
            listRv = page->resourceVersion;
        }
        EXPECT_EQ(page->resourceVersion, listRv) << "pages share the first page's version";
        remaining.push_back(page->remainingItemCount.value_or(-1));
        options.continueToken = page->continueToken;
    } while (!options.continueToken.empty());
    EXPECT_EQ(names, (std::vector<std::string>{"c0", "c1", "c2", "c3", "c4"}));
    EXPECT_EQ(remaining, (std::vector<std::int64_t>{3, 1, -1}));

    options.continueToken = "not-a-token!";
    EXPECT_EQ(service->list(configmaps(), "demo", options).error().code, 400);

    options = {};
    options.resourceVersion = "999999";
    EXPECT_EQ(service->list(configmaps(), "demo", options).error().code, 504);
    options.resourceVersion = "abc";
    EXPECT_EQ(service->list(configmaps(), "demo", options).error().code, 400);
}

TEST(ServiceListExpiry, ContinueTokenExpiresWithHistory) {
    ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    ObjectStore store{{}, registry(), clock};
    store.setHistoryLimit(5);
    ASSERT_TRUE(store.load().ok());
    ResourceService service(store, registry(), clock);
    WriteOptions write;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(
            service.create(configmaps(), "default", configmap("c" + std::to_string(i)), write)
                .ok());
    }
    ListOptions options;
    options.limit = 1;
    auto page = service.list(configmaps(), "default", options);
    ASSERT_FALSE(page->continueToken.empty());
    for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(
            service.create(configmaps(), "default", configmap("x" + std::to_string(i)), write)
                .ok());
    }
    options.continueToken = page->continueToken;
    auto expired = service.list(configmaps(), "default", options);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, 410);
    EXPECT_EQ(expired.error().reason, "Expired");
    EXPECT_EQ(expired.message(),
              "The provided continue parameter is too old to display a consistent list result. "
              "You can start a new list without the continue parameter.");
}

TEST_F(ServiceTest, WatchFromZeroSendsCurrentStateThenChanges) {
    mustCreate(configmaps(), configmap("a"));
    mustCreate(configmaps(), configmap("b", "db"));
    Events events;
    ListOptions options;
    options.labelSelector = "app=web";
    auto id = service->watch(configmaps(), "demo", options, events.callback());
    ASSERT_TRUE(id.ok());
    mustCreate(configmaps(), configmap("c"));
    // b starts matching, a stops matching.
    ASSERT_TRUE(service
                    ->patch(configmaps(), "demo", "b", PatchType::Merge,
                            R"({"metadata":{"labels":{"app":"web"}}})", write)
                    .ok());
    ASSERT_TRUE(service
                    ->patch(configmaps(), "demo", "a", PatchType::Merge,
                            R"({"metadata":{"labels":{"app":"db"}}})", write)
                    .ok());
    ASSERT_TRUE(
        service->patch(configmaps(), "demo", "a", PatchType::Merge, R"({"data":{"x":"y"}})", write)
            .ok());
    ASSERT_TRUE(service->remove(configmaps(), "demo", "c", {}).ok());
    using E = WatchEventType;
    EXPECT_EQ(events.get(), (std::vector<std::pair<E, std::string>>{{E::Added, "a"},
                                                                    {E::Added, "c"},
                                                                    {E::Added, "b"},
                                                                    {E::Deleted, "a"},
                                                                    {E::Deleted, "c"}}));
    service->unwatch(*id);
}

TEST_F(ServiceTest, WatchFromVersionAndTooOld) {
    const object a = mustCreate(configmaps(), configmap("a"));
    mustCreate(configmaps(), configmap("b"));
    Events events;
    ListOptions options;
    options.resourceVersion = S(a, {"metadata", "resourceVersion"});
    ASSERT_TRUE(service->watch(configmaps(), "", options, events.callback()).ok());
    using E = WatchEventType;
    EXPECT_EQ(events.get(), (std::vector<std::pair<E, std::string>>{{E::Added, "b"}}));
    options.fieldSelector = "spec.x=1";
    EXPECT_EQ(service->watch(configmaps(), "", options, events.callback()).error().code, 400);
}

TEST_F(ServiceTest, FinalizersHoldDeletionUntilCleared) {
    object body = configmap("c");
    body["metadata"].as_object()["finalizers"] = boost::json::array{"example.com/hold"};
    mustCreate(configmaps(), body);
    auto marked = service->remove(configmaps(), "demo", "c", {});
    ASSERT_TRUE(marked.ok());
    EXPECT_FALSE(S(*marked, {"metadata", "deletionTimestamp"}).empty());
    ASSERT_TRUE(service->get(configmaps(), "demo", "c").ok());
    ASSERT_TRUE(service
                    ->patch(configmaps(), "demo", "c", PatchType::Merge,
                            R"({"metadata":{"finalizers":null}})", write)
                    .ok());
    EXPECT_EQ(service->get(configmaps(), "demo", "c").error().code, 404);
}

TEST_F(ServiceTest, PropagationPolicies) {
    const object d = mustCreate(deployments(), deployment());
    object rs = parse(
        R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-abc","labels":{"app":"web"}},
      "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"app","image":"nginx"}]}}}})");
    rs["metadata"].as_object()["ownerReferences"] =
        boost::json::array{object{{"apiVersion", "apps/v1"},
                                  {"kind", "Deployment"},
                                  {"name", "web"},
                                  {"uid", S(d, {"metadata", "uid"})},
                                  {"controller", true},
                                  {"blockOwnerDeletion", true}}};
    mustCreate(replicasets(), rs);

    DeleteOptions foreground;
    foreground.propagation = PropagationPolicy::Foreground;
    auto marked = service->remove(deployments(), "demo", "web", foreground);
    ASSERT_TRUE(marked.ok());
    EXPECT_FALSE(S(*marked, {"metadata", "deletionTimestamp"}).empty());
    EXPECT_EQ(json::arrayAt(*marked, {"metadata", "finalizers"})->at(0).as_string(),
              "foregroundDeletion");
    ASSERT_TRUE(service->get(deployments(), "demo", "web").ok()) << "waits for its dependents";

    DeleteOptions orphan;
    orphan.propagation = PropagationPolicy::Orphan;
    mustCreate(deployments(), deployment("api"));
    const object api = *service->get(deployments(), "demo", "api");
    object rs2 = rs;
    rs2["metadata"].as_object()["name"] = "api-abc";
    rs2["metadata"].as_object()["ownerReferences"].as_array()[0].as_object()["uid"] =
        S(api, {"metadata", "uid"});
    rs2["metadata"].as_object()["ownerReferences"].as_array()[0].as_object()["name"] = "api";
    mustCreate(replicasets(), rs2);
    ASSERT_TRUE(service->remove(deployments(), "demo", "api", orphan).ok());
    EXPECT_FALSE(service->get(deployments(), "demo", "api").ok());
    auto orphaned = service->get(replicasets(), "demo", "api-abc");
    ASSERT_TRUE(orphaned.ok());
    EXPECT_EQ(json::arrayAt(*orphaned, {"metadata", "ownerReferences"}), nullptr);

    DeleteOptions precondition;
    precondition.preconditionUid = "other";
    EXPECT_EQ(service->remove(replicasets(), "demo", "api-abc", precondition).error().code, 409);
}

TEST_F(ServiceTest, PodGracefulDeletion) {
    object body = parse(
        R"({"metadata":{"name":"p"},"spec":{"nodeName":"sandbox","containers":[{"name":"a","image":"nginx"}]}})");
    mustCreate(pods(), body);
    ASSERT_TRUE(service
                    ->patch(pods(), "demo", "p", PatchType::Merge,
                            R"({"status":{"phase":"Running"}})", write, Subresource::Status)
                    .ok());
    auto graceful = service->remove(pods(), "demo", "p", {});
    ASSERT_TRUE(graceful.ok());
    EXPECT_EQ(I(*graceful, {"metadata", "deletionGracePeriodSeconds"}), 30);
    EXPECT_EQ(S(*graceful, {"metadata", "deletionTimestamp"}), "2027-01-15T08:00:30Z");
    ASSERT_TRUE(service->get(pods(), "demo", "p").ok())
        << "the kubelet finishes graceful deletions";
    // Status updates during termination keep it.
    ASSERT_TRUE(service
                    ->patch(pods(), "demo", "p", PatchType::Merge,
                            R"({"status":{"phase":"Running","reason":"x"}})", write,
                            Subresource::Status)
                    .ok());
    ASSERT_TRUE(service->get(pods(), "demo", "p").ok());
    DeleteOptions now;
    now.gracePeriodSeconds = 0;
    ASSERT_TRUE(service->remove(pods(), "demo", "p", now).ok());
    EXPECT_FALSE(service->get(pods(), "demo", "p").ok());

    body["spec"].as_object().erase("nodeName");
    mustCreate(pods(), body);
    ASSERT_TRUE(service->remove(pods(), "demo", "p", {}).ok());
    EXPECT_FALSE(service->get(pods(), "demo", "p").ok()) << "unscheduled pods go at once";
}

TEST_F(ServiceTest, NamespaceDeletionRemovesContents) {
    mustCreate(configmaps(), configmap("c"));
    mustCreate(deployments(), deployment());
    auto removed = service->remove(namespaces(), "", "demo", {});
    ASSERT_TRUE(removed.ok()) << removed.message();
    EXPECT_EQ(S(*removed, {"status", "phase"}), "Terminating");
    EXPECT_FALSE(service->get(namespaces(), "", "demo").ok());
    EXPECT_FALSE(service->get(configmaps(), "demo", "c").ok());
    EXPECT_FALSE(service->get(deployments(), "demo", "web").ok());
}

TEST_F(ServiceTest, TerminatingNamespaceRefusesNewContent) {
    object body = configmap("held");
    body["metadata"].as_object()["finalizers"] = boost::json::array{"example.com/hold"};
    mustCreate(configmaps(), body);
    auto removed = service->remove(namespaces(), "", "demo", {});
    ASSERT_TRUE(removed.ok());
    auto ns = service->get(namespaces(), "", "demo");
    ASSERT_TRUE(ns.ok()) << "held by the finalizer";
    EXPECT_EQ(S(*ns, {"status", "phase"}), "Terminating");
    auto refused = service->create(configmaps(), "demo", configmap("new"), write);
    EXPECT_EQ(refused.error().code, 403);
    EXPECT_EQ(refused.message(),
              "configmaps \"new\" is forbidden: unable to create new content in namespace demo "
              "because it is being terminated");
    ASSERT_TRUE(service
                    ->patch(configmaps(), "demo", "held", PatchType::Merge,
                            R"({"metadata":{"finalizers":null}})", write)
                    .ok());
    EXPECT_TRUE(service->finishNamespaceDeletion("demo"));
    EXPECT_FALSE(service->get(namespaces(), "", "demo").ok());
}

TEST_F(ServiceTest, SharedListItemsCarryTheirJson) {
    mustCreate(configmaps(), configmap("a"));
    mustCreate(configmaps(), configmap("b", "db"));
    ListOptions options;
    options.sharedItems = true;
    options.labelSelector = "app=web";
    auto list = service->list(configmaps(), "demo", options);
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->items.empty());
    ASSERT_EQ(list->stored.size(), 1u);
    EXPECT_EQ(boost::json::parse(list->stored[0]->json).as_object(), list->stored[0]->object);
    EXPECT_EQ(json::name(list->stored[0]->object), "a");

    std::vector<std::string> texts;
    ListOptions watchOptions;
    auto id = service->watch(configmaps(), "demo", watchOptions, [&](const WatchEvent &e) {
        ASSERT_NE(e.stored, nullptr);
        texts.push_back(e.stored->json);
    });
    ASSERT_TRUE(id.ok());
    mustCreate(configmaps(), configmap("c"));
    ASSERT_EQ(texts.size(), 3u);
    EXPECT_EQ(boost::json::parse(texts[2]).as_object(), *service->get(configmaps(), "demo", "c"));
    service->unwatch(*id);
}

TEST_F(ServiceTest, ResourceVersionZeroListIgnoresLimit) {
    for (int i = 0; i < 3; ++i) {
        mustCreate(configmaps(), configmap("c" + std::to_string(i)));
    }
    ListOptions options;
    options.limit = 1;
    options.resourceVersion = "0";
    auto list = service->list(configmaps(), "demo", options);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->items.size(), 3u);
    EXPECT_TRUE(list->continueToken.empty());
}

TEST_F(ServiceTest, ConcurrentPatchesAreAllApplied) {
    mustCreate(configmaps(), configmap("shared"));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([this, t] {
            for (int i = 0; i < 25; ++i) {
                const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
                auto patched = service->patch(configmaps(), "demo", "shared", PatchType::Merge,
                                              R"({"data":{")" + key + R"(":"v"}})", write);
                EXPECT_TRUE(patched.ok()) << patched.message();
            }
        });
    }
    for (auto &thread : threads) {
        thread.join();
    }
    auto result = service->get(configmaps(), "demo", "shared");
    EXPECT_EQ(json::objectAt(*result, {"data"})->size(), 101u) << "no lost update";
}

TEST_F(ServiceTest, SystemNamespacesCannotBeDeleted) {
    auto refused = service->remove(namespaces(), "", "default", {});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, 403);
    EXPECT_EQ(refused.message(),
              "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

TEST_F(ServiceTest, PodSpecIsMostlyImmutable) {
    mustCreate(
        pods(),
        parse(
            R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:1"}]}})"));
    auto image =
        service->patch(pods(), "demo", "p", PatchType::StrategicMerge,
                       R"({"spec":{"containers":[{"name":"a","image":"nginx:2"}]}})", write);
    ASSERT_TRUE(image.ok()) << image.message();
    auto ports = service->patch(
        pods(), "demo", "p", PatchType::StrategicMerge,
        R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":81}]}]}})", write);
    ASSERT_FALSE(ports.ok());
    EXPECT_EQ(ports.error().code, 422);
    EXPECT_TRUE(ports.message().starts_with(
        "Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields "
        "other than `spec.containers[*].image`"))
        << ports.message();
}
