// The API server over real TLS, end to end inside one process: authentication, discovery,
// CRUD round trips with the status codes kubectl expects, dryRun, YAML bodies, field
// validation, error Status objects, watch streams and pod logs.

#include "api/http_server.h"
#include "api/resource_registry.h"
#include "api/resource_service.h"
#include "api/router.h"
#include "cli/certificates.h"
#include "kubelet/pod_logs.h"
#include "store/object_store.h"
#include "util/clock.h"

#include "http_test_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

using namespace sandbox;
using namespace std::chrono_literals;
namespace bj = boost::json;

namespace {

const std::string kToken = "0123456789abcdef0123456789abcdef";
const std::string kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                                 "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

bj::object parse(const std::string &text) {
    bj::error_code ec;
    auto value = bj::parse(text, ec);
    EXPECT_FALSE(ec) << text;
    return value.is_object() ? value.get_object() : bj::object();
}

std::string str(const bj::object &o, std::initializer_list<const char *> path) {
    const bj::value *v = nullptr;
    const bj::object *cur = &o;
    for (const char *key : path) {
        if (!cur) {
            return {};
        }
        v = cur->if_contains(key);
        if (!v) {
            return {};
        }
        cur = v->if_object();
    }
    if (!v) {
        return {};
    }
    return v->is_string() ? std::string(v->get_string()) : bj::serialize(*v);
}

struct ApiFixture : ::testing::Test {
    const ResourceRegistry &registry = ResourceRegistry::builtin();
    SystemClock clock;
    ObjectStore store{"", registry, clock};
    ResourceService service{store, registry, clock};
    PodLogs logs{clock};
    std::unique_ptr<ApiRouter> router;
    std::unique_ptr<HttpServer> server;
    TlsMaterial tls;
    std::unique_ptr<testing_http::Client> client;

    void SetUp() override {
        ApiRouterConfig config;
        config.service = &service;
        config.registry = &registry;
        config.clock = &clock;
        config.podLogs = &logs;
        config.token = kToken;
        config.bookmarkPeriod = 50ms;
        router = std::make_unique<ApiRouter>(config);
        auto material = generateTlsMaterial();
        ASSERT_TRUE(material.ok());
        tls = material.value();
        HttpServerConfig serverConfig;
        serverConfig.certificateChainPem = tls.serverCertificatePem;
        serverConfig.privateKeyPem = tls.serverKeyPem;
        server = std::make_unique<HttpServer>(
            serverConfig, [this](HttpRequest &request) { return router->handle(request); });
        ASSERT_TRUE(server->start().ok());
        client =
            std::make_unique<testing_http::Client>(server->port(), tls.caCertificatePem, kToken);
        auto ns =
            client->request("POST", "/api/v1/namespaces",
                            R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}})",
                            {{"Content-Type", "application/json"}});
        ASSERT_EQ(ns.status, 201) << ns.body;
    }

    void TearDown() override {
        client.reset();
        if (server) {
            server->stop();
        }
    }

    testing_http::Response post(const std::string &target, const std::string &body,
                                const std::string &type = "application/json") {
        return client->request("POST", target, body, {{"Content-Type", type}});
    }
    testing_http::Response patch(const std::string &target, const std::string &body,
                                 const std::string &type) {
        return client->request("PATCH", target, body, {{"Content-Type", type}});
    }
    std::unique_ptr<testing_http::Client> newClient() {
        return std::make_unique<testing_http::Client>(server->port(), tls.caCertificatePem, kToken);
    }
};

const char *kConfigMap =
    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","labels":{"app":"web"}},"data":{"a":"1"}})";

} // namespace

TEST_F(ApiFixture, RequestsWithoutTheTokenGet401Status) {
    testing_http::Client anonymous(server->port(), tls.caCertificatePem);
    auto response = anonymous.request("GET", "/api/v1/namespaces");
    EXPECT_EQ(response.status, 401);
    auto status = parse(response.body);
    EXPECT_EQ(str(status, {"kind"}), "Status");
    EXPECT_EQ(str(status, {"reason"}), "Unauthorized");
    EXPECT_EQ(str(status, {"message"}), "Unauthorized");
    EXPECT_EQ(str(status, {"code"}), "401");
    anonymous.setToken(std::string(kToken.size(), 'x'));
    EXPECT_EQ(anonymous.request("GET", "/version").status, 401);
}

TEST_F(ApiFixture, HealthChecksNeedNoToken) {
    testing_http::Client anonymous(server->port(), tls.caCertificatePem);
    for (const char *path : {"/healthz", "/livez", "/readyz"}) {
        auto response = anonymous.request("GET", path);
        EXPECT_EQ(response.status, 200) << path;
        EXPECT_EQ(response.body, "ok");
    }
    auto verbose = anonymous.request("GET", "/readyz?verbose");
    EXPECT_NE(verbose.body.find("readyz check passed"), std::string::npos);
}

TEST_F(ApiFixture, VersionSaysKubernetes132AndSandbox) {
    auto response = client->request("GET", "/version?timeout=5s");
    ASSERT_EQ(response.status, 200);
    auto version = parse(response.body);
    EXPECT_EQ(str(version, {"major"}), "1");
    EXPECT_EQ(str(version, {"minor"}), "32");
    EXPECT_NE(str(version, {"gitVersion"}).find("forecast-sandbox"), std::string::npos);
    EXPECT_EQ(str(version, {"platform"}), "linux/amd64");
}

TEST_F(ApiFixture, DiscoveryIsNegotiatedOnAccept) {
    const std::string aggregated =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/"
        "json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    auto apis = client->request("GET", "/apis?timeout=32s", {}, {{"Accept", aggregated}});
    ASSERT_EQ(apis.status, 200);
    EXPECT_NE(apis.header("content-type").find("v=v2"), std::string::npos);
    EXPECT_NE(apis.header("content-type").find("as=APIGroupDiscoveryList"), std::string::npos);
    EXPECT_EQ(str(parse(apis.body), {"kind"}), "APIGroupDiscoveryList");
    auto legacy = client->request("GET", "/api");
    EXPECT_EQ(str(parse(legacy.body), {"kind"}), "APIVersions");
    auto groupVersion = client->request("GET", "/apis/apps/v1");
    EXPECT_EQ(str(parse(groupVersion.body), {"kind"}), "APIResourceList");
    EXPECT_EQ(client->request("GET", "/apis/nosuch.group/v1").status, 404);
    auto openapi = client->request("GET", "/openapi/v3");
    EXPECT_EQ(openapi.status, 200);
    EXPECT_NE(openapi.body.find("apis/apps/v1"), std::string::npos);
    EXPECT_EQ(client->request("GET", "/openapi/v2").status, 404);
}

TEST_F(ApiFixture, CreateGetListPatchDeleteRoundTrip) {
    auto created =
        post("/api/v1/namespaces/demo/configmaps?fieldManager=kubectl-create", kConfigMap);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("content-type"), "application/json");
    auto object = parse(created.body);
    EXPECT_FALSE(str(object, {"metadata", "uid"}).empty());
    EXPECT_FALSE(str(object, {"metadata", "resourceVersion"}).empty());

    auto again = post("/api/v1/namespaces/demo/configmaps", kConfigMap);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(str(parse(again.body), {"reason"}), "AlreadyExists");

    auto got = client->request("GET", "/api/v1/namespaces/demo/configmaps/settings");
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(str(parse(got.body), {"data", "a"}), "1");

    auto list =
        client->request("GET", "/api/v1/namespaces/demo/configmaps?labelSelector=app%3Dweb");
    auto listObject = parse(list.body);
    EXPECT_EQ(str(listObject, {"kind"}), "ConfigMapList");
    EXPECT_EQ(listObject["items"].as_array().size(), 1u);

    auto table = client->request("GET", "/api/v1/namespaces/demo/configmaps?limit=500", {},
                                 {{"Accept", kTableAccept}});
    EXPECT_EQ(table.header("content-type"), "application/json;as=Table;v=v1;g=meta.k8s.io");
    auto tableObject = parse(table.body);
    EXPECT_EQ(str(tableObject, {"kind"}), "Table");
    ASSERT_EQ(tableObject["rows"].as_array().size(), 1u);

    auto patched = patch("/api/v1/namespaces/demo/configmaps/settings", R"({"data":{"b":"2"}})",
                         "application/merge-patch+json");
    EXPECT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(str(parse(patched.body), {"data", "b"}), "2");

    auto removed = client->request("DELETE", "/api/v1/namespaces/demo/configmaps/settings",
                                   R"({"propagationPolicy":"Background"})",
                                   {{"Content-Type", "application/json"}});
    EXPECT_EQ(removed.status, 200) << removed.body;
    auto gone = client->request("GET", "/api/v1/namespaces/demo/configmaps/settings");
    EXPECT_EQ(gone.status, 404);
    auto status = parse(gone.body);
    EXPECT_EQ(str(status, {"message"}), "configmaps \"settings\" not found");
    EXPECT_EQ(str(status, {"reason"}), "NotFound");
}

TEST_F(ApiFixture, YamlBodiesAreAccepted) {
    auto created = post("/api/v1/namespaces/demo/configmaps",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  "
                        "port: \"8080\"\n",
                        "application/yaml");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(str(parse(created.body), {"data", "port"}), "8080");
}

TEST_F(ApiFixture, DryRunStoresNothingAndUnknownValuesAreRejected) {
    auto dry = post("/api/v1/namespaces/demo/configmaps?dryRun=All", kConfigMap);
    EXPECT_EQ(dry.status, 201) << dry.body;
    EXPECT_EQ(client->request("GET", "/api/v1/namespaces/demo/configmaps/settings").status, 404);
    auto bad = post("/api/v1/namespaces/demo/configmaps?dryRun=Maybe", kConfigMap);
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(str(parse(bad.body), {"message"}).find("dryRun"), std::string::npos);
}

TEST_F(ApiFixture, ServerSideApplyCreatesThenUpdates) {
    const std::string target = "/api/v1/namespaces/demo/configmaps/"
                               "applied?fieldManager=kubectl&fieldValidation=Strict&force=false";
    const std::string body =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n";
    auto first = patch(target, body, "application/apply-patch+yaml");
    EXPECT_EQ(first.status, 201) << first.body;
    auto second = patch(target, body, "application/apply-patch+yaml");
    EXPECT_EQ(second.status, 200) << second.body;
    auto missingManager =
        patch("/api/v1/namespaces/demo/configmaps/applied", body, "application/apply-patch+yaml");
    EXPECT_EQ(missingManager.status, 422);
    EXPECT_NE(str(parse(missingManager.body), {"message"})
                  .find("fieldManager: Required value: is required for apply patch"),
              std::string::npos);
}

TEST_F(ApiFixture, StrictFieldValidationRejectsUnknownFields) {
    const std::string deployment = R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web"},"spec":{"replica":2,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}})";
    auto strict =
        post("/apis/apps/v1/namespaces/demo/deployments?fieldValidation=Strict", deployment);
    EXPECT_EQ(strict.status, 400) << strict.body;
    EXPECT_EQ(str(parse(strict.body), {"message"}),
              "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
              "error: unknown field \"spec.replica\"");
    auto warn = post("/apis/apps/v1/namespaces/demo/deployments?fieldValidation=Warn", deployment);
    EXPECT_EQ(warn.status, 201) << warn.body;
    EXPECT_EQ(warn.header("warning"), "299 - \"unknown field \\\"spec.replica\\\"\"");
}

TEST_F(ApiFixture, ErrorsCarryTheRealServersCodes) {
    auto malformed = post("/api/v1/namespaces/demo/configmaps", R"({"kind": )");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(str(parse(malformed.body), {"message"}),
              "couldn't get version/kind; json parse error: unexpected end of JSON input");
    auto unknown = client->request("GET", "/api/v1/namespaces/demo/widgets");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(str(parse(unknown.body), {"message"}),
              "the server could not find the requested resource");
    EXPECT_EQ(client->request("GET", "/nonsense").status, 404);
    auto wrongMethod = client->request("POST", "/api/v1/namespaces/demo/configmaps/x", "{}",
                                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(wrongMethod.status, 405);
    EXPECT_EQ(str(parse(wrongMethod.body), {"reason"}), "MethodNotAllowed");
    ASSERT_EQ(post("/api/v1/namespaces/demo/configmaps", kConfigMap).status, 201);
    auto badPatch = patch("/api/v1/namespaces/demo/configmaps/settings", "{}", "text/plain");
    EXPECT_EQ(badPatch.status, 415);
    auto notAcceptable = client->request("GET", "/api/v1/namespaces/demo/configmaps", {},
                                         {{"Accept", "application/vnd.kubernetes.protobuf"}});
    EXPECT_EQ(notAcceptable.status, 406);
}

TEST_F(ApiFixture, SelfSubjectAccessReviewAllowsEverything) {
    auto review = post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                           "spec":{"resourceAttributes":{"verb":"patch","group":"apps","resource":"deployments","namespace":"demo"}}})");
    ASSERT_EQ(review.status, 201) << review.body;
    auto object = parse(review.body);
    EXPECT_EQ(str(object, {"status", "allowed"}), "true");
    EXPECT_EQ(str(object, {"status", "reason"}),
              "forecast-sandbox grants every verb to its token holder");
}

TEST_F(ApiFixture, DeleteCollectionAnswersStatusSuccess) {
    ASSERT_EQ(post("/api/v1/namespaces/demo/configmaps", kConfigMap).status, 201);
    auto removed =
        client->request("DELETE", "/api/v1/namespaces/demo/configmaps?labelSelector=app%3Dweb");
    EXPECT_EQ(removed.status, 200) << removed.body;
    EXPECT_EQ(str(parse(removed.body), {"status"}), "Success");
    auto list = parse(client->request("GET", "/api/v1/namespaces/demo/configmaps").body);
    EXPECT_TRUE(list["items"].as_array().empty());
}

TEST_F(ApiFixture, WatchStreamsEventsAfterTheListVersion) {
    auto list = parse(client->request("GET", "/api/v1/namespaces/demo/configmaps").body);
    std::string rv = str(list, {"metadata", "resourceVersion"});
    auto watcher = newClient();
    auto head =
        watcher->startStream("/api/v1/namespaces/demo/configmaps?watch=true&resourceVersion=" + rv);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-type"), "application/json");
    ASSERT_EQ(post("/api/v1/namespaces/demo/configmaps", kConfigMap).status, 201);
    std::string events = watcher->readStreamUntil("\n", 20s);
    auto event = parse(events.substr(0, events.find('\n')));
    EXPECT_EQ(str(event, {"type"}), "ADDED");
    EXPECT_EQ(str(event, {"object", "metadata", "name"}), "settings");
}

TEST_F(ApiFixture, WatchOfOneObjectAsTablesLikeKubectlGetW) {
    ASSERT_EQ(post("/api/v1/namespaces/demo/configmaps", kConfigMap).status, 201);
    auto watcher = newClient();
    watcher->startStream("/api/v1/namespaces/demo/configmaps?fieldSelector=metadata.name%3Dsettings"
                         "&resourceVersion=0&watch=true",
                         {{"Accept", kTableAccept}});
    std::string first = watcher->readStreamUntil("\n", 20s);
    auto added = parse(first.substr(0, first.find('\n')));
    EXPECT_EQ(str(added, {"type"}), "ADDED");
    EXPECT_EQ(str(added, {"object", "kind"}), "Table");
    EXPECT_FALSE(added["object"].as_object()["columnDefinitions"].as_array().empty());
    ASSERT_EQ(patch("/api/v1/namespaces/demo/configmaps/settings", R"({"data":{"b":"2"}})",
                    "application/merge-patch+json")
                  .status,
              200);
    std::string second = watcher->readStreamUntil("\n", 20s);
    auto modified = parse(second.substr(0, second.find('\n')));
    EXPECT_EQ(str(modified, {"type"}), "MODIFIED");
    EXPECT_EQ(modified["object"].as_object()["rows"].as_array().size(), 1u);
}

TEST_F(ApiFixture, WatchSendsBookmarksAndHonoursTimeoutSeconds) {
    auto watcher = newClient();
    watcher->startStream("/api/v1/namespaces/demo/configmaps?watch=true&allowWatchBookmarks=true"
                         "&timeoutSeconds=2");
    bool ended = false;
    std::string text = watcher->readStreamUntil("<never>", 30s, &ended);
    EXPECT_TRUE(ended);
    EXPECT_NE(text.find(R"("type":"BOOKMARK")"), std::string::npos) << text;
}

TEST_F(ApiFixture, BadSelectorsAreAnHttpErrorNotAStream) {
    auto response = client->request(
        "GET", "/api/v1/namespaces/demo/configmaps?watch=true&fieldSelector=spec.foo%3Dx");
    EXPECT_EQ(response.status, 400) << response.body;
}

TEST_F(ApiFixture, PodLogsFollowTheNotesErrorTable) {
    auto missing = client->request("GET", "/api/v1/namespaces/demo/pods/nope/log");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(str(parse(missing.body), {"message"}), "pods \"nope\" not found");

    auto pod = post("/api/v1/namespaces/demo/pods",
                    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                        "spec":{"containers":[{"name":"app","image":"nginx"}]}})");
    ASSERT_EQ(pod.status, 201) << pod.body;
    auto podObject = parse(pod.body);
    std::string uid = str(podObject, {"metadata", "uid"});
    podObject["status"] = bj::parse(R"({"phase":"Running","containerStatuses":[{"name":"app",
        "ready":true,"restartCount":0,"image":"nginx","imageID":"","state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]})");
    auto status = client->request("PUT", "/api/v1/namespaces/demo/pods/p/status",
                                  bj::serialize(podObject), {{"Content-Type", "application/json"}});
    ASSERT_EQ(status.status, 200) << status.body;
    logs.containerStarted(uid, "app");
    logs.append(uid, "app", "first line");
    logs.append(uid, "app", "second line");

    auto text =
        client->request("GET", "/api/v1/namespaces/demo/pods/p/log?container=app&tailLines=1");
    EXPECT_EQ(text.status, 200);
    EXPECT_EQ(text.header("content-type"), "text/plain");
    EXPECT_EQ(text.body, "second line\n");

    auto unknown = client->request("GET", "/api/v1/namespaces/demo/pods/p/log?container=x");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(str(parse(unknown.body), {"message"}),
              "container \"x\" in pod \"p\" is not available");
    EXPECT_EQ(client->request("GET", "/api/v1/namespaces/demo/pods/p/log?tailLines=-1").status,
              422);

    auto follower = newClient();
    follower->startStream("/api/v1/namespaces/demo/pods/p/log?follow=true");
    EXPECT_NE(follower->readStreamUntil("second line\n", 20s).find("first line"),
              std::string::npos);
    logs.append(uid, "app", "third line");
    EXPECT_NE(follower->readStreamUntil("third line\n", 20s).find("third line"), std::string::npos);
    logs.containerStopped(uid, "app");
    bool ended = false;
    follower->readStreamUntil("<never>", 20s, &ended);
    EXPECT_TRUE(ended);
}

TEST_F(ApiFixture, MetadataWithWrongTypesIsRejectedNotStored) {
    ASSERT_EQ(post("/api/v1/namespaces/demo/configmaps", kConfigMap).status, 201);
    auto put =
        client->request("PUT", "/api/v1/namespaces/demo/configmaps/settings",
                        R"({"metadata":{"name":7}})", {{"Content-Type", "application/json"}});
    EXPECT_EQ(put.status, 400) << put.body;
    EXPECT_EQ(
        str(parse(put.body), {"message"}),
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal "
        "number into Go struct field ObjectMeta.metadata.name of type string");
    auto labels = post("/api/v1/namespaces/demo/configmaps",
                       R"({"metadata":{"name":"other","labels":{"replicas":3}}})");
    EXPECT_EQ(labels.status, 400) << labels.body;
    auto kept = parse(client->request("GET", "/api/v1/namespaces/demo/configmaps/settings").body);
    EXPECT_EQ(str(kept, {"data", "a"}), "1");
}
