// The HTTPS transport on its own: TLS with a generated CA, keep-alive, limits, handler
// failures, and chunked streams (client leaving, server shutdown).

#include "api/http_server.h"
#include "cli/certificates.h"

#include "http_test_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace sandbox;
using namespace std::chrono_literals;

namespace {

template <class F> bool pollUntil(F condition, std::chrono::milliseconds timeout = 20s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

class TickSource : public StreamSource {
public:
    std::atomic<int> stops{0};
    std::atomic<int> ticks{0};
    int finishAfter = -1;
    std::shared_ptr<StreamSink> sink;

    void start(std::shared_ptr<StreamSink> s) override {
        sink = std::move(s);
        sink->push("hello\n");
    }
    std::chrono::milliseconds tickInterval() const override { return 20ms; }
    void onTick() override {
        int n = ++ticks;
        sink->push("tick " + std::to_string(n) + "\n");
        if (n == finishAfter) {
            sink->finish();
        }
    }
    void stop() override { ++stops; }
};

struct ServerFixture : ::testing::Test {
    TlsMaterial tls;
    std::unique_ptr<HttpServer> server;
    std::shared_ptr<TickSource> source = std::make_shared<TickSource>();
    std::atomic<int> requests{0};

    void startServer(HttpServerConfig config = {}) {
        auto material = generateTlsMaterial();
        ASSERT_TRUE(material.ok()) << material.message();
        tls = material.value();
        config.certificateChainPem = tls.serverCertificatePem;
        config.privateKeyPem = tls.serverKeyPem;
        server = std::make_unique<HttpServer>(config, [this](HttpRequest &request) {
            ++requests;
            HttpResponse response;
            if (request.path == "/throw") {
                throw std::runtime_error("boom");
            }
            if (request.path == "/stream") {
                response.stream = source;
                response.contentType = "text/plain";
                return response;
            }
            response.body = R"({"path":")" + request.path + R"(","body":")" + request.body +
                            R"(","q":")" + request.param("q").value_or("") + R"("})";
            return response;
        });
        auto started = server->start();
        ASSERT_TRUE(started.ok()) << started.message();
        ASSERT_NE(server->port(), 0);
    }
};

} // namespace

TEST_F(ServerFixture, ServesTlsVerifiedAgainstItsCaAndKeepsConnectionsAlive) {
    startServer();
    testing_http::Client client(server->port(), tls.caCertificatePem);
    auto first = client.request("GET", "/a%2Fb?q=x%20y");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.body, R"({"path":"/a/b","body":"","q":"x y"})");
    EXPECT_EQ(first.header("content-type"), "application/json");
    auto second = client.request("POST", "/echo", "payload");
    EXPECT_EQ(second.status, 200);
    EXPECT_NE(second.body.find("payload"), std::string::npos);
    EXPECT_EQ(server->openConnections(), 1u); // both on one kept-alive connection
}

TEST_F(ServerFixture, RejectsBodiesOverTheLimitWith413) {
    HttpServerConfig config;
    config.bodyLimit = 1024;
    startServer(config);
    testing_http::Client client(server->port(), tls.caCertificatePem);
    auto response = client.request("POST", "/big", std::string(4096, 'x'));
    EXPECT_EQ(response.status, 413);
    EXPECT_NE(response.body.find("\"kind\":\"Status\""), std::string::npos);
    EXPECT_EQ(requests.load(), 0);
}

TEST_F(ServerFixture, AnswersAThrowingHandlerWith500AndStaysUp) {
    startServer();
    testing_http::Client client(server->port(), tls.caCertificatePem);
    auto failed = client.request("GET", "/throw");
    EXPECT_EQ(failed.status, 500);
    EXPECT_NE(failed.body.find("\"reason\":\"InternalError\""), std::string::npos);
    EXPECT_NE(failed.body.find("boom"), std::string::npos);
    auto after = client.request("GET", "/ok");
    EXPECT_EQ(after.status, 200);
}

TEST_F(ServerFixture, StreamsChunksUntilTheSourceFinishes) {
    startServer();
    source->finishAfter = 3;
    testing_http::Client client(server->port(), tls.caCertificatePem);
    auto head = client.startStream("/stream");
    EXPECT_EQ(head.status, 200);
    EXPECT_NE(head.header("transfer-encoding").find("chunked"), std::string::npos);
    bool ended = false;
    std::string text = client.readStreamUntil("<never>", 20s, &ended);
    EXPECT_TRUE(ended);
    EXPECT_EQ(text, "hello\ntick 1\ntick 2\ntick 3\n");
    EXPECT_TRUE(pollUntil([&] { return source->stops.load() == 1; }));
}

TEST_F(ServerFixture, ReleasesTheSourceWhenTheClientLeaves) {
    startServer();
    {
        testing_http::Client client(server->port(), tls.caCertificatePem);
        client.startStream("/stream");
        EXPECT_NE(client.readStreamUntil("tick 1", 20s).find("hello"), std::string::npos);
    }
    EXPECT_TRUE(pollUntil([&] { return source->stops.load() == 1; }));
    EXPECT_TRUE(pollUntil([&] { return server->openConnections() == 0; }));
}

TEST_F(ServerFixture, ShutdownEndsOpenStreamsCleanly) {
    startServer();
    testing_http::Client client(server->port(), tls.caCertificatePem);
    client.startStream("/stream");
    client.readStreamUntil("tick 1", 20s);
    std::thread stopper([&] { server->stop(); });
    bool ended = false;
    client.readStreamUntil("<never>", 20s, &ended);
    stopper.join();
    EXPECT_TRUE(ended);
    EXPECT_EQ(source->stops.load(), 1);
}

TEST_F(ServerFixture, RefusesToStartWithABadKey) {
    HttpServerConfig config;
    config.certificateChainPem = "not a certificate";
    config.privateKeyPem = "not a key";
    HttpServer bad(config, [](HttpRequest &) { return HttpResponse{}; });
    auto started = bad.start();
    EXPECT_FALSE(started.ok());
    EXPECT_NE(started.message().find("certificate"), std::string::npos);
}

namespace {

// Produces far more than a client that never reads can take.
class FloodSource : public StreamSource {
public:
    std::atomic<bool> overflowed{false};
    std::atomic<int> stops{0};
    std::shared_ptr<StreamSink> sink;

    void start(std::shared_ptr<StreamSink> s) override { sink = std::move(s); }
    std::chrono::milliseconds tickInterval() const override { return 5ms; }
    void onTick() override {
        if (overflowed) {
            return;
        }
        if (!sink->push(std::string(256 * 1024, 'x'))) {
            overflowed = true;
            sink->abort("{\"type\":\"ERROR\"}\n");
        }
    }
    void stop() override { ++stops; }
};

} // namespace

TEST(HttpServerSlowClient, AQueueThatOverflowsEndsTheStreamInsteadOfGrowing) {
    auto material = generateTlsMaterial();
    ASSERT_TRUE(material.ok());
    auto flood = std::make_shared<FloodSource>();
    HttpServerConfig config;
    config.certificateChainPem = material->serverCertificatePem;
    config.privateKeyPem = material->serverKeyPem;
    config.streamQueueLimit = 1024 * 1024;
    config.writeTimeout = std::chrono::seconds(2);
    HttpServer server(config, [&](HttpRequest &) {
        HttpResponse response;
        response.stream = flood;
        return response;
    });
    ASSERT_TRUE(server.start().ok());
    testing_http::Client client(server.port(), material->caCertificatePem);
    client.startStream("/flood"); // and never read the body
    EXPECT_TRUE(pollUntil([&] { return flood->overflowed.load(); }, 60s));
    // The stuck write times out, the stream ends and its source is released.
    EXPECT_TRUE(pollUntil([&] { return flood->stops.load() == 1; }, 60s));
    server.stop();
}
