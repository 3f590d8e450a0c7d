// The service proxy (kube-proxy of the sandbox): Services become TCP listeners on their
// ClusterIP and NodePort that forward each connection to a ready endpoint. Endpoints are
// written directly here (no controllers), and the backends are small local servers on the
// addresses of an address block claimed for the test, so parallel tests never collide.
#include "proxy_test_support.h"

#include "api/resource_service.h"
#include "network/address_plan.h"
#include "network/service_proxy.h"
#include "network/service_table.h"
#include "store/object_store.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <set>

using namespace sandbox;
using TestBackend = proxytest::Backend;
namespace fs = std::filesystem;

namespace {

bool waitUntil(const std::function<bool()> &done,
               std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

const ResourceType &resource(std::string_view name) {
    return *ResourceRegistry::builtin().byResource("", "v1", name);
}

// True when nothing accepts connections at ip:port any more.
bool refused(const std::string &ip, std::uint16_t port) {
    const int fd = proxytest::connectTo(ip, port);
    if (fd >= 0) {
        ::close(fd);
    }
    return fd < 0;
}

std::string firstLine(const std::string &text) {
    return text.substr(0, text.find('\n'));
}

class ServiceProxyTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        m_stateDir = fs::temp_directory_path() / ("rf-service-proxy-" + std::to_string(random()));
        fs::create_directories(m_stateDir);
        // The real lock directory: the block is then also kept from sandboxes of other tests.
        auto claimed = AddressPlan::claim(m_stateDir);
        ASSERT_TRUE(claimed.ok()) << claimed.message();
        plan.emplace(std::move(claimed.value()));
        ASSERT_TRUE(store.load().ok());
        service = std::make_unique<ResourceService>(store, ResourceRegistry::builtin(), clock);
        service->setServiceCidr(plan->serviceCidr());
        ServiceProxyOptions options;
        options.nodeIp = plan->blockNodeIp();
        options.bindRetry = std::chrono::milliseconds(100);
        proxy = std::make_unique<ServiceProxy>(*service, options);
        ASSERT_TRUE(proxy->start().ok());
    }

    void TearDown() override {
        if (proxy) {
            proxy->stop();
        }
        std::error_code ec;
        fs::remove_all(m_stateDir, ec);
    }

    // An address of the test's pod range.
    std::string podIp(int host) const {
        return "127." + std::to_string(plan->block()) + ".0." + std::to_string(host);
    }

    boost::json::object createService(const std::string &json) {
        auto created = service->create(resource("services"), "default",
                                       boost::json::parse(json).as_object(), WriteOptions{});
        EXPECT_TRUE(created.ok()) << created.error().message;
        return created.ok() ? *created : boost::json::object{};
    }

    // Writes Endpoints "web": ready and not-ready backends, each its own subset.
    void writeEndpoints(const std::vector<std::pair<std::string, unsigned short>> &ready,
                        const std::vector<std::pair<std::string, unsigned short>> &notReady = {}) {
        boost::json::array subsets;
        auto add = [&](const auto &list, const char *field) {
            for (const auto &[ip, port] : list) {
                subsets.push_back(boost::json::object{
                    {field, boost::json::array{boost::json::object{{"ip", ip}}}},
                    {"ports", boost::json::array{boost::json::object{
                                  {"name", "http"}, {"port", port}, {"protocol", "TCP"}}}}});
            }
        };
        add(ready, "addresses");
        add(notReady, "notReadyAddresses");
        boost::json::object endpoints{{"apiVersion", "v1"},
                                      {"kind", "Endpoints"},
                                      {"metadata", boost::json::object{{"name", "web"}}},
                                      {"subsets", subsets}};
        const ResourceType &type = resource("endpoints");
        auto existing = service->get(type, "default", "web");
        auto written =
            existing ? service->update(type, "default", "web", std::move(endpoints), WriteOptions{})
                     : service->create(type, "default", std::move(endpoints), WriteOptions{});
        ASSERT_TRUE(written.ok()) << written.error().message;
    }

    std::optional<ServiceListenerStatus> listener(const std::string &address,
                                                  std::uint16_t port) const {
        for (const auto &l : proxy->listeners()) {
            if (l.address == address && l.port == port) {
                return l;
            }
        }
        return std::nullopt;
    }

    bool serving(const std::string &address, std::uint16_t port, std::size_t endpoints) const {
        auto l = listener(address, port);
        return l && l->listening && l->endpoints == endpoints;
    }

    fs::path m_stateDir;
    std::optional<AddressPlan> plan;
    SystemClock clock;
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    std::unique_ptr<ResourceService> service;
    std::unique_ptr<ServiceProxy> proxy;
};

constexpr const char *kWeb = R"({"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},
    "ports":[{"name":"http","port":18080,"targetPort":"http"}]}})";

} // namespace

TEST_F(ServiceProxyTest, BalancesOverReadyEndpointsAndFollowsReadiness) {
    TestBackend a("pod-a", podIp(10));
    TestBackend b("pod-b", podIp(11));
    ASSERT_TRUE(a.ok() && b.ok());
    const std::string clusterIp = json::stringAt(createService(kWeb), {"spec", "clusterIP"});
    ASSERT_TRUE(clusterIp.starts_with("127." + std::to_string(64 + plan->block()) + "."));
    writeEndpoints({{podIp(10), a.port()}, {podIp(11), b.port()}});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 2); }));

    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
        auto answer = proxytest::httpGet(clusterIp, 18080, "/predict");
        ASSERT_TRUE(answer) << "request " << i;
        EXPECT_NE(answer->find("200 OK"), std::string::npos);
        seen.insert(firstLine(proxytest::bodyOf(*answer)));
    }
    EXPECT_EQ(seen, (std::set<std::string>{"pod-a", "pod-b"}));

    // pod-b turns not ready: new connections only go to pod-a.
    writeEndpoints({{podIp(10), a.port()}}, {{podIp(11), b.port()}});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 1); }));
    const int servedByB = b.served();
    for (int i = 0; i < 10; ++i) {
        auto answer = proxytest::httpGet(clusterIp, 18080);
        ASSERT_TRUE(answer);
        EXPECT_EQ(firstLine(proxytest::bodyOf(*answer)), "pod-a");
    }
    EXPECT_EQ(b.served(), servedByB);
}

TEST_F(ServiceProxyTest, NodePortListensOnTheNodeIp) {
    TestBackend a("pod-a", podIp(20));
    ASSERT_TRUE(a.ok());
    auto created = createService(R"({"metadata":{"name":"web"},"spec":{"type":"NodePort",
        "selector":{"app":"web"},"ports":[{"name":"http","port":18080}]}})");
    const auto nodePort =
        json::intAt(json::arrayAt(created, {"spec", "ports"})->at(0).as_object(), {"nodePort"});
    ASSERT_TRUE(nodePort);
    writeEndpoints({{podIp(20), a.port()}});
    const std::string nodeIp = plan->blockNodeIp();
    ASSERT_TRUE(
        waitUntil([&] { return serving(nodeIp, static_cast<std::uint16_t>(*nodePort), 1); }));
    auto l = listener(nodeIp, static_cast<std::uint16_t>(*nodePort));
    EXPECT_TRUE(l->nodePort);
    EXPECT_EQ(l->service, "default/web");
    auto answer = proxytest::httpGet(nodeIp, static_cast<std::uint16_t>(*nodePort), "/health");
    ASSERT_TRUE(answer);
    EXPECT_EQ(firstLine(proxytest::bodyOf(*answer)), "pod-a");
    EXPECT_NE(a.lastRequest().find("GET /health HTTP/1.1"), std::string::npos);
}

TEST_F(ServiceProxyTest, DeletingOrChangingTheServiceClosesItsListeners) {
    TestBackend a("pod-a", podIp(30));
    ASSERT_TRUE(a.ok());
    auto created = createService(R"({"metadata":{"name":"web"},"spec":{"type":"NodePort",
        "selector":{"app":"web"},"ports":[{"name":"http","port":18080}]}})");
    const std::string clusterIp = json::stringAt(created, {"spec", "clusterIP"});
    const auto nodePort = static_cast<std::uint16_t>(
        *json::intAt(json::arrayAt(created, {"spec", "ports"})->at(0).as_object(), {"nodePort"}));
    writeEndpoints({{podIp(30), a.port()}});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 1); }));
    ASSERT_TRUE(waitUntil([&] { return serving(plan->blockNodeIp(), nodePort, 1); }));

    // A new port number: the old listener goes, a new one comes.
    auto patched = service->patch(resource("services"), "default", "web", PatchType::Json,
                                  R"([{"op":"replace","path":"/spec/ports/0/port","value":18082}])",
                                  WriteOptions{});
    ASSERT_TRUE(patched.ok()) << patched.error().message;
    ASSERT_TRUE(
        waitUntil([&] { return serving(clusterIp, 18082, 1) && !listener(clusterIp, 18080); }));
    EXPECT_TRUE(waitUntil([&] { return refused(clusterIp, 18080); }));
    auto answer = proxytest::httpGet(clusterIp, 18082);
    ASSERT_TRUE(answer);

    auto removed = service->remove(resource("services"), "default", "web", DeleteOptions{});
    ASSERT_TRUE(removed.ok());
    ASSERT_TRUE(waitUntil([&] { return proxy->listeners().empty(); }));
    EXPECT_TRUE(waitUntil([&] { return refused(clusterIp, 18082); }));
    EXPECT_TRUE(waitUntil([&] { return refused(plan->blockNodeIp(), nodePort); }));
}

TEST_F(ServiceProxyTest, AnEndpointThatRefusesCostsNoRequest) {
    TestBackend a("pod-a", podIp(40));
    ASSERT_TRUE(a.ok());
    const std::string clusterIp = json::stringAt(createService(kWeb), {"spec", "clusterIP"});
    // pod-dead is still listed ready, but nothing listens there any more (it just stopped).
    unsigned short deadPort = 0;
    const int dead = proxytest::listenOn(podIp(41), 0, deadPort);
    ASSERT_GE(dead, 0);
    ::close(dead);
    writeEndpoints({{podIp(40), a.port()}, {podIp(41), deadPort}});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 2); }));
    for (int i = 0; i < 10; ++i) {
        auto answer = proxytest::httpGet(clusterIp, 18080);
        ASSERT_TRUE(answer) << "request " << i;
        EXPECT_EQ(firstLine(proxytest::bodyOf(*answer)), "pod-a");
    }
    EXPECT_GT(proxy->counters().connectRetries, 0u);
}

TEST_F(ServiceProxyTest, WithoutEndpointsConnectionsAreRefused) {
    const std::string clusterIp = json::stringAt(createService(kWeb), {"spec", "clusterIP"});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 0); }));
    EXPECT_FALSE(proxytest::httpGet(clusterIp, 18080));
    EXPECT_TRUE(waitUntil([&] { return proxy->counters().rejected > 0; }));
}

TEST_F(ServiceProxyTest, LargeTransfersAndHalfCloseArriveIntact) {
    TestBackend echo("echo", podIp(50), TestBackend::Mode::Echo);
    ASSERT_TRUE(echo.ok());
    const std::string clusterIp = json::stringAt(createService(kWeb), {"spec", "clusterIP"});
    writeEndpoints({{podIp(50), echo.port()}});
    ASSERT_TRUE(waitUntil([&] { return serving(clusterIp, 18080, 1); }));
    std::string payload(4 * 1024 * 1024 + 7, '\0');
    for (std::size_t i = 0; i < payload.size(); ++i) {
        payload[i] = static_cast<char>((i * 131) % 251);
    }
    const int fd = proxytest::connectTo(clusterIp, 18080);
    ASSERT_GE(fd, 0);
    // The echo backend answers once it has read everything: send from a second thread so
    // neither side blocks on full buffers, then half-close.
    std::thread sender([&] {
        proxytest::sendAll(fd, payload);
        ::shutdown(fd, SHUT_WR);
    });
    const std::string back = proxytest::readAll(fd);
    sender.join();
    ::close(fd);
    EXPECT_EQ(back.size(), payload.size());
    EXPECT_TRUE(back == payload);
}

TEST_F(ServiceProxyTest, APortInUseIsRetriedUntilItIsFree) {
    TestBackend a("pod-a", podIp(60));
    ASSERT_TRUE(a.ok());
    const std::string fixedIp = "127." + std::to_string(64 + plan->block()) + ".9.9";
    unsigned short held = 0;
    const int blocker = proxytest::listenOn(fixedIp, 18090, held);
    ASSERT_GE(blocker, 0);
    createService(R"({"metadata":{"name":"web"},"spec":{"clusterIP":")" + fixedIp +
                  R"(","ports":[{"name":"http","port":18090}]}})");
    writeEndpoints({{podIp(60), a.port()}});
    ASSERT_TRUE(waitUntil([&] {
        auto l = listener(fixedIp, 18090);
        return l && !l->listening && !l->error.empty();
    }));
    EXPECT_NE(listener(fixedIp, 18090)->error.find("in use"), std::string::npos)
        << listener(fixedIp, 18090)->error;
    ::close(blocker);
    ASSERT_TRUE(waitUntil([&] { return serving(fixedIp, 18090, 1); }));
    auto answer = proxytest::httpGet(fixedIp, 18090);
    ASSERT_TRUE(answer);
    EXPECT_EQ(firstLine(proxytest::bodyOf(*answer)), "pod-a");
}

TEST(ServiceTable, WhichServicesGetWhichListeners) {
    auto parse = [](const char *text) { return boost::json::parse(text).as_object(); };
    EXPECT_FALSE(serviceSpecOf(parse(R"({"spec":{"clusterIP":"None","ports":[{"port":80}]}})")));
    EXPECT_FALSE(serviceSpecOf(parse(R"({"spec":{"type":"ExternalName","externalName":"x"}})")));
    EXPECT_FALSE(serviceSpecOf(parse(R"({"spec":{"ports":[{"port":80}]}})"))) << "no clusterIP";

    auto spec = serviceSpecOf(parse(R"({"spec":{"type":"LoadBalancer","clusterIP":"127.65.0.9",
        "ports":[{"name":"http","port":80,"nodePort":30080},
                 {"name":"dns","port":53,"protocol":"UDP","nodePort":30053}]}})"));
    ASSERT_TRUE(spec);
    const auto listeners = listenersOf("ns/web", *spec, "127.0.0.1");
    ASSERT_EQ(listeners.size(), 3u) << "UDP ports are not proxied";
    EXPECT_EQ(listeners[0].key(), "127.65.0.9:80");
    EXPECT_FALSE(listeners[0].nodePort);
    EXPECT_EQ(listeners[1].key(), "127.0.0.1:30080");
    EXPECT_TRUE(listeners[1].nodePort);
    EXPECT_EQ(listeners[1].portName, "http");
    EXPECT_EQ(listeners[2].key(), "127.0.0.1:80") << "the node is the load balancer";
    EXPECT_TRUE(listeners[2].loadBalancer);

    spec->type = "ClusterIP";
    EXPECT_EQ(listenersOf("ns/web", *spec, "127.0.0.1").size(), 1u) << "no NodePort listener";
}

TEST(ServiceTable, OnlyReadyTcpEndpointsAreBackends) {
    const auto backends = readyBackends(boost::json::parse(R"({"subsets":[
        {"addresses":[{"ip":"127.1.0.3"},{"ip":"127.1.0.2"}],"notReadyAddresses":[{"ip":"127.1.0.4"}],
         "ports":[{"name":"http","port":5000},{"name":"dns","port":53,"protocol":"UDP"}]},
        {"notReadyAddresses":[{"ip":"127.1.0.5"}],"ports":[{"name":"http","port":5000}]}]})")
                                            .as_object());
    ASSERT_EQ(backends.size(), 1u);
    EXPECT_EQ(backends.at("http"),
              (std::vector<Backend>{{"127.1.0.2", 5000}, {"127.1.0.3", 5000}}));
}

TEST_F(ServiceProxyTest, ALoadBalancerServiceIsServedOnTheNodeIp) {
    TestBackend a("pod-a", podIp(70));
    ASSERT_TRUE(a.ok());
    createService(R"({"metadata":{"name":"web"},"spec":{"type":"LoadBalancer",
        "selector":{"app":"web"},"ports":[{"name":"http","port":18095}]}})");
    writeEndpoints({{podIp(70), a.port()}});
    const std::string nodeIp = plan->blockNodeIp();
    ASSERT_TRUE(waitUntil([&] { return serving(nodeIp, 18095, 1); }));
    EXPECT_TRUE(listener(nodeIp, 18095)->loadBalancer);
    auto answer = proxytest::httpGet(nodeIp, 18095);
    ASSERT_TRUE(answer);
    EXPECT_EQ(firstLine(proxytest::bodyOf(*answer)), "pod-a");
    auto ingressIp = [&] {
        auto svc = service->get(resource("services"), "default", "web");
        const auto *ingress =
            svc ? json::arrayAt(*svc, {"status", "loadBalancer", "ingress"}) : nullptr;
        return ingress != nullptr && !ingress->empty()
                   ? json::stringAt(ingress->front().as_object(), {"ip"})
                   : std::string();
    };
    ASSERT_TRUE(waitUntil([&] { return ingressIp() == nodeIp; })) << "EXTERNAL-IP is the node";

    // No longer a LoadBalancer: its node address and its ingress go.
    auto patched = service->patch(resource("services"), "default", "web", PatchType::Merge,
                                  R"({"spec":{"type":"ClusterIP"}})", WriteOptions{});
    ASSERT_TRUE(patched.ok()) << patched.error().message;
    ASSERT_TRUE(waitUntil([&] { return !listener(nodeIp, 18095) && ingressIp().empty(); }));
    EXPECT_TRUE(waitUntil([&] { return refused(nodeIp, 18095); }));
}
