// The API server's proxy subresource: /api/v1/namespaces/{ns}/services/{name}[:port]/proxy/
// {path} (and pods/{name}[:port]/proxy) forwards the request to a ready endpoint and returns
// its answer; without endpoints it answers 503 as Kubernetes does. Driven through the
// router (no TLS), with a small HTTP backend on an address of a claimed block.
#include "proxy_test_support.h"

#include "api/resource_service.h"
#include "api/router.h"
#include "network/address_plan.h"
#include "network/proxy_upstream.h"
#include "store/object_store.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

using namespace sandbox;
namespace fs = std::filesystem;

namespace {

constexpr const char *kToken = "proxy-test-token-0123456789";

const ResourceType &resource(std::string_view name) {
    return *ResourceRegistry::builtin().byResource("", "v1", name);
}

class ApiProxyTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        m_stateDir = fs::temp_directory_path() / ("rf-api-proxy-" + std::to_string(random()));
        fs::create_directories(m_stateDir);
        auto claimed = AddressPlan::claim(m_stateDir);
        ASSERT_TRUE(claimed.ok()) << claimed.message();
        plan.emplace(std::move(claimed.value()));
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        service->setServiceCidr(plan->serviceCidr());
        ApiRouterConfig config;
        config.service = service.get();
        config.registry = &ResourceRegistry::builtin();
        config.clock = &clock;
        config.token = kToken;
        router = std::make_unique<ApiRouter>(config);
    }

    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_stateDir, ec);
    }

    std::string podIp(int host) const {
        return "127." + std::to_string(plan->block()) + ".0." + std::to_string(host);
    }

    HttpResponse call(const std::string &method, const std::string &target, std::string body = {}) {
        HttpRequest request;
        request.method = method;
        request.target = target;
        request.headers = {{"authorization", std::string("Bearer ") + kToken},
                           {"accept", "application/json"},
                           {"user-agent", "dashboard-test"}};
        request.body = std::move(body);
        request.remoteAddress = "127.0.0.1:40000";
        EXPECT_TRUE(request.parseTarget());
        return router->handle(request);
    }

    void create(const char *resourceName, const std::string &json) {
        auto created = service->create(resource(resourceName), "default",
                                       boost::json::parse(json).as_object(), WriteOptions{});
        ASSERT_TRUE(created.ok()) << created.error().message;
    }

    void createWebService() {
        create("services", R"({"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},
            "ports":[{"name":"http","port":8080,"targetPort":"http"}]}})");
    }

    void writeEndpoints(const std::string &subsets) {
        create("endpoints", R"({"metadata":{"name":"web"},"subsets":)" + subsets + "}");
    }

    fs::path m_stateDir;
    std::optional<AddressPlan> plan;
    SystemClock clock;
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    std::unique_ptr<ApiRouter> router;
};

std::string statusMessage(const HttpResponse &response) {
    return json::stringAt(boost::json::parse(response.body).as_object(), {"message"});
}

} // namespace

TEST_F(ApiProxyTest, ServiceProxyReturnsTheEndpointsAnswer) {
    proxytest::Backend backend("prometheus", podIp(10));
    ASSERT_TRUE(backend.ok());
    createWebService();
    writeEndpoints(R"([{"addresses":[{"ip":")" + podIp(10) + R"("}],
        "ports":[{"name":"http","port":)" +
                   std::to_string(backend.port()) + "}]}]");

    for (const std::string name : {"web", "web:8080", "web:http", "http:web:8080"}) { // NOLINT
        const HttpResponse response =
            call("GET", "/api/v1/namespaces/default/services/" + name +
                            "/proxy/api/v1/query?query=up%7Bjob%3D%22x%22%7D");
        ASSERT_EQ(response.status, 200) << name << ": " << response.body;
        EXPECT_EQ(response.contentType, "text/plain");
        EXPECT_EQ(response.body.substr(0, response.body.find('\n')), "prometheus");
        const std::string head = backend.lastRequest();
        EXPECT_NE(head.find("GET /api/v1/query?query=up%7Bjob%3D%22x%22%7D HTTP/1.1"),
                  std::string::npos)
            << head;
        EXPECT_EQ(head.find(kToken), std::string::npos) << "the API token must not leak: " << head;
        EXPECT_NE(head.find("X-Forwarded-For: 127.0.0.1"), std::string::npos) << head;
    }
    bool backendHeader = false;
    for (const auto &[name, value] :
         call("GET", "/api/v1/namespaces/default/services/web/proxy/").headers) {
        backendHeader = backendHeader || (name == "X-Backend" && value == "prometheus");
    }
    EXPECT_TRUE(backendHeader);

    // A POST body goes through too (PromQL queries may be posted).
    const HttpResponse posted = call("POST",
                                     "/api/v1/namespaces/default/services/web:8080/proxy/"
                                     "api/v1/query",
                                     "query=up");
    EXPECT_EQ(posted.status, 200);
    EXPECT_NE(backend.lastRequest().find("POST /api/v1/query"), std::string::npos);
}

TEST_F(ApiProxyTest, WithoutEndpointsTheAnswerIs503LikeKubernetes) {
    createWebService();
    HttpResponse response = call("GET", "/api/v1/namespaces/default/services/web:8080/proxy/");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(statusMessage(response), "no endpoints available for service \"web\"");

    // Only not-ready endpoints: still none available.
    writeEndpoints(R"([{"notReadyAddresses":[{"ip":")" + podIp(11) + R"("}],
        "ports":[{"name":"http","port":8080}]}])");
    response = call("GET", "/api/v1/namespaces/default/services/web/proxy/metrics");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(statusMessage(response), "no endpoints available for service \"web\"");

    response = call("GET", "/api/v1/namespaces/default/services/web:9999/proxy/");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(statusMessage(response), "no service port 9999 found for service \"web\"");

    response = call("GET", "/api/v1/namespaces/default/services/nothere/proxy/");
    EXPECT_EQ(response.status, 404);
    response = call("GET", "/api/v1/namespaces/default/services/ftp:web:80/proxy/");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(statusMessage(response), "invalid service request \"ftp:web:80\"");
}

TEST_F(ApiProxyTest, AnEndpointThatRefusesIsSkipped) {
    proxytest::Backend backend("api", podIp(20));
    ASSERT_TRUE(backend.ok());
    unsigned short deadPort = 0;
    const int dead = proxytest::listenOn(podIp(21), 0, deadPort);
    ASSERT_GE(dead, 0);
    ::close(dead);
    createWebService();
    writeEndpoints(R"([{"addresses":[{"ip":")" + podIp(20) +
                   R"("}],"ports":[{"name":"http","port":)" + std::to_string(backend.port()) +
                   R"(}]},{"addresses":[{"ip":")" + podIp(21) +
                   R"("}],"ports":[{"name":"http","port":)" + std::to_string(deadPort) + "}]}]");
    for (int i = 0; i < 8; ++i) {
        const HttpResponse response =
            call("GET", "/api/v1/namespaces/default/services/web/proxy/x");
        EXPECT_EQ(response.status, 200) << response.body;
    }
}

TEST_F(ApiProxyTest, PodProxyGoesToThePodIpAndPort) {
    proxytest::Backend backend("pod", podIp(30));
    ASSERT_TRUE(backend.ok());
    create("pods", R"({"metadata":{"name":"api-0"},"spec":{"containers":[{"name":"api",
        "image":"retail-forecast:v1","ports":[{"name":"http","containerPort":)" +
                       std::to_string(backend.port()) + "}]}]}}");
    auto pod = service->get(resource("pods"), "default", "api-0");
    ASSERT_TRUE(pod.ok());
    boost::json::object withIp = *pod;
    withIp["status"].as_object()["podIP"] = podIp(30);
    ASSERT_TRUE(service
                    ->update(resource("pods"), "default", "api-0", withIp, WriteOptions{},
                             Subresource::Status)
                    .ok());
    const std::vector<std::string> names = {"api-0", "api-0:http",
                                            "api-0:" + std::to_string(backend.port())};
    for (const std::string &name : names) {
        const HttpResponse response =
            call("GET", "/api/v1/namespaces/default/pods/" + name + "/proxy/health");
        ASSERT_EQ(response.status, 200) << name << ": " << response.body;
        EXPECT_NE(backend.lastRequest().find("GET /health HTTP/1.1"), std::string::npos);
    }
    // ".../proxy" without a slash redirects, as the API server does, so relative links work.
    const HttpResponse redirect = call("GET", "/api/v1/namespaces/default/pods/api-0/proxy");
    EXPECT_EQ(redirect.status, 301);
}

TEST(ProxyUpstream, NamesAndPortsAreParsedAsKubernetesDoes) {
    auto plain = proxy::splitSchemeNamePort("web");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->name, "web");
    EXPECT_EQ(plain->port, "");
    auto full = proxy::splitSchemeNamePort("https:web:metrics");
    ASSERT_TRUE(full);
    EXPECT_EQ(full->scheme, "https");
    EXPECT_EQ(full->port, "metrics");
    EXPECT_FALSE(proxy::splitSchemeNamePort("a:b:c:d"));
    EXPECT_FALSE(proxy::splitSchemeNamePort(":80"));
    EXPECT_EQ(proxy::proxyTail("/api/v1/namespaces/ns/services/web:80/proxy/graph/?g0.expr=up"),
              "/graph/");
    EXPECT_EQ(proxy::proxyTail("/api/v1/namespaces/ns/services/web/proxy"), "");
}
