// forecast-api over a real socket: every endpoint, every error answer, keep-alive, and
// timeouts for slow and idle clients. The binary runs as a child process on a free port.

#include "api_test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace apitest;
namespace bj = boost::json;

namespace {

class ApiServer : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server = new RunningServer(Env{{"REQUEST_TIMEOUT_SECONDS", "3"},
                                       {"KEEPALIVE_TIMEOUT_SECONDS", "3"},
                                       {"WORKERS", "1"},
                                       {"APP_VERSION", "9.9.9-test"}});
    }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    void TearDown() override {
        // Whatever a test did, the server must still answer.
        HttpClient client(server->port);
        EXPECT_EQ(client.get("/health").status, 200);
    }

    static RunningServer *server;
};

RunningServer *ApiServer::server = nullptr;

} // namespace

TEST_F(ApiServer, Liveness) {
    HttpClient client(server->port);
    const auto r = client.get("/health");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.json().at("status"), "ok");
    EXPECT_EQ(r.json().at("app_version"), "9.9.9-test");
}

TEST_F(ApiServer, ReadinessOnceTheModelIsLoaded) {
    HttpClient client(server->port);
    const auto r = client.get("/ready");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("model_version"), "test-v1");
}

TEST_F(ApiServer, Predict) {
    HttpClient client(server->port);
    const auto r = client.post("/predict", R"({"store":3,"item":17,"horizon":5})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto v = r.json();
    EXPECT_EQ(v.at("store"), "3");
    EXPECT_EQ(v.at("item"), "17");
    EXPECT_EQ(v.at("model_version"), "test-v1");
    const auto &days = v.at("forecast").as_array();
    ASSERT_EQ(days.size(), 5u);
    for (const auto &day : days) {
        const auto &q = day.at("quantiles").as_object();
        EXPECT_LE(bj::value_to<double>(q.at("0.1")), bj::value_to<double>(day.at("mean")));
        EXPECT_GE(bj::value_to<double>(q.at("0.9")), bj::value_to<double>(day.at("mean")));
    }
    const auto named = client.post("/predict", R"({"store":"north","item":"widget"})");
    ASSERT_EQ(named.status, 200);
    EXPECT_EQ(named.json().at("forecast").as_array().size(), 28u);
}

TEST_F(ApiServer, PredictBatch) {
    HttpClient client(server->port);
    std::string body = R"({"requests":[)";
    for (int i = 0; i < 1000; ++i) {
        body += (i ? "," : "") + std::string(i % 2 ? R"({"store":1,"item":2,"horizon":1})"
                                                   : R"({"store":1,"item":99})");
    }
    body += "]}";
    const auto r = client.post("/predict/batch", body);
    ASSERT_EQ(r.status, 200);
    const auto v = r.json();
    EXPECT_EQ(v.at("results").as_array().size(), 1000u);
    EXPECT_EQ(v.at("succeeded"), 500);
    EXPECT_EQ(v.at("results").at(0).at("status"), 404);
    EXPECT_EQ(v.at("results").at(1).at("status"), 200);
}

TEST_F(ApiServer, ModelMetadata) {
    HttpClient client(server->port);
    const auto r = client.get("/model");
    ASSERT_EQ(r.status, 200);
    const auto v = r.json();
    EXPECT_EQ(v.at("version"), "test-v1");
    EXPECT_EQ(v.at("series_count"), 8);
    EXPECT_EQ(v.at("app_version"), "9.9.9-test");
    EXPECT_EQ(v.at("training_window").at("end"), "2025-12-31");
    EXPECT_EQ(v.at("trained_at"), "2026-01-01T00:00:00Z");
    EXPECT_TRUE(v.at("holdout_accuracy").as_object().contains("coverage80"));
}

TEST_F(ApiServer, MetricsCountRequestsByRouteTemplate) {
    HttpClient client(server->port);
    client.post("/predict", R"({"store":3,"item":17})");
    client.get("/no/such/path/12345");
    const auto r = client.get("/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);
    EXPECT_NE(r.body.find("http_requests_total{code=\"200\",handler=\"/predict\",method=\"POST\"}"),
              std::string::npos);
    EXPECT_NE(r.body.find("handler=\"other\""), std::string::npos);
    EXPECT_EQ(r.body.find("12345"), std::string::npos) << "raw paths must not become labels";
    EXPECT_NE(r.body.find("model_info{version=\"test-v1\"} 1"), std::string::npos);
    EXPECT_NE(r.body.find("model_loaded 1"), std::string::npos);
    EXPECT_NE(r.body.find("process_resident_memory_bytes"), std::string::npos);
}

TEST_F(ApiServer, MetricsPassPromtoolLint) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "promtool (Debian package prometheus) is not installed";
    }
    HttpClient client(server->port);
    client.post("/predict", R"({"store":3,"item":17})");
    const auto text = client.get("/metrics").body;
    std::FILE *promtool = popen("promtool check metrics", "w");
    ASSERT_NE(promtool, nullptr);
    std::fwrite(text.data(), 1, text.size(), promtool);
    EXPECT_EQ(pclose(promtool), 0) << text;
}

struct ErrorCase {
    const char *name;
    const char *method;
    const char *target;
    const char *body;
    const char *contentType;
    int status;
    const char *code;
};

class ApiServerErrors : public ApiServer, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ApiServerErrors, AnswerJsonAndKeepServing) {
    const auto &c = GetParam();
    HttpClient client(server->port);
    const auto r = client.request(c.method, c.target, c.body, c.contentType);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.errorCode(), c.code);
    EXPECT_FALSE(r.json().at("error").at("message").as_string().empty());
    // The same connection keeps working after an error answered in-protocol.
    EXPECT_EQ(client.get("/health").status, 200);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ApiServerErrors,
    ::testing::Values(
        ErrorCase{"malformed_json", "POST", "/predict", "{\"store\":", "application/json", 400,
                  "invalid_json"},
        ErrorCase{"missing_field", "POST", "/predict", R"({"item":1})", "application/json", 422,
                  "invalid_field"},
        ErrorCase{"wrong_type", "POST", "/predict", R"({"store":[1],"item":1})", "application/json",
                  422, "invalid_field"},
        ErrorCase{"unknown_series", "POST", "/predict", R"({"store":77,"item":1})",
                  "application/json", 404, "unknown_series"},
        ErrorCase{"horizon_high", "POST", "/predict", R"({"store":1,"item":1,"horizon":366})",
                  "application/json", 422, "horizon_out_of_range"},
        ErrorCase{"horizon_zero", "POST", "/predict", R"({"store":1,"item":1,"horizon":0})",
                  "application/json", 422, "horizon_out_of_range"},
        ErrorCase{"content_type", "POST", "/predict", R"({"store":1,"item":1})", "text/plain", 415,
                  "unsupported_media_type"},
        ErrorCase{"batch_content_type", "POST", "/predict/batch", R"({"requests":[]})",
                  "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
        ErrorCase{"unknown_path", "GET", "/v2/predict", "", "", 404, "not_found"},
        ErrorCase{"batch_malformed", "POST", "/predict/batch", "[", "application/json", 400,
                  "invalid_json"},
        ErrorCase{"batch_not_array", "POST", "/predict/batch", R"({"requests":1})",
                  "application/json", 422, "invalid_field"}),
    [](const auto &info) { return std::string(info.param.name); });

TEST_F(ApiServer, WrongMethodIs405WithAllow) {
    HttpClient client(server->port);
    auto r = client.get("/predict");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow"), "POST");
    EXPECT_EQ(r.errorCode(), "method_not_allowed");
    r = client.request("POST", "/health", "{}");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow"), "GET");
    r = client.request("PUT", "/model", "{}");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow"), "GET");
}

TEST_F(ApiServer, BodyOver1MiBIs413) {
    HttpClient client(server->port);
    const std::string big = "{\"store\":\"" + std::string(1024 * 1024 + 10, 'x') + "\"}";
    const auto r = client.post("/predict", big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.errorCode(), "payload_too_large");
    EXPECT_EQ(r.header("connection"), "close");
    // A body just under the limit is read and decoded (and rejected for its content).
    HttpClient other(server->port);
    const std::string under = "{\"store\":\"" + std::string(1024 * 1000, 'x') + "\",\"item\":1}";
    EXPECT_EQ(other.post("/predict", under).status, 422);
}

TEST_F(ApiServer, Expect100ContinueWithAnOversizedLengthIs413WithoutReadingTheBody) {
    HttpClient client(server->port);
    client.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(client.readResponse().status, 413);
}

TEST_F(ApiServer, Expect100Continue) {
    HttpClient client(server->port);
    const std::string body = R"({"store":3,"item":17,"horizon":2})";
    client.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(client.readResponse().status, 100);
    client.sendRaw(body);
    EXPECT_EQ(client.readResponse().status, 200);
}

TEST_F(ApiServer, KeepAliveServesManyRequestsOnOneConnection) {
    HttpClient client(server->port);
    for (int i = 0; i < 50; ++i) {
        const auto r = client.post("/predict", predictBody("1", "1", 1 + i % 30));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.header("connection").empty());
    }
    // Pipelined requests are answered in order.
    client.sendRaw(HttpClient::format("GET", "/health", "", "") +
                   HttpClient::format("GET", "/model", "", ""));
    EXPECT_EQ(client.readResponse().json().at("status"), "ok");
    EXPECT_EQ(client.readResponse().json().at("version"), "test-v1");
}

TEST_F(ApiServer, RequestsSplitAcrossReadsArePiecedTogether) {
    // A client (or a proxy) may deliver a request in arbitrary pieces: mid-method, mid-header,
    // between header and body, mid-body. Each piece arrives as its own read.
    HttpClient client(server->port);
    const std::string body = R"({"store":3,"item":17,"horizon":3})";
    const std::string request = HttpClient::format("POST", "/predict", body, "application/json");
    for (const std::size_t cut : {std::size_t{2}, request.find("Content-Type") + 5,
                                  request.find("\r\n\r\n") + 2, request.size() - 5}) {
        client.sendRaw(request.substr(0, cut));
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        client.sendRaw(request.substr(cut));
        const auto r = client.readResponse();
        ASSERT_EQ(r.status, 200) << "cut at " << cut << ": " << r.body;
        EXPECT_EQ(r.json().at("forecast").as_array().size(), 3U);
    }
}

TEST_F(ApiServer, ChunkedRequestBodyIsAccepted) {
    HttpClient client(server->port);
    const std::string body = R"({"store":3,"item":17,"horizon":4})";
    std::string chunked;
    for (std::size_t at = 0; at < body.size(); at += 10) {
        const auto piece = body.substr(at, 10);
        char size[16];
        std::snprintf(size, sizeof size, "%zx", piece.size());
        chunked += std::string(size) + "\r\n" + piece + "\r\n";
    }
    chunked += "0\r\n\r\n";
    client.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n" +
                   chunked);
    const auto r = client.readResponse();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("forecast").as_array().size(), 4U);
    EXPECT_EQ(client.get("/health").status, 200); // the connection stays usable
}

TEST_F(ApiServer, EndlessChunkLineIs400NotUnboundedMemory) {
    // The header limit bounds the request line and headers; a chunk-size line (or a trailer)
    // that never ends must be bounded too, not buffered for as long as the client sends.
    HttpClient client(server->port);
    client.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n1;ext=" +
                   std::string(64 * 1024, 'x'));
    const auto r = client.readResponse();
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.errorCode(), "bad_request");
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ApiServer, ChunkedTrailersDoNotOverrideHeaders) {
    HttpClient client(server->port);
    client.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"
                   "21\r\n{\"store\":3,\"item\":17,\"horizon\":2}\r\n"
                   "0\r\nContent-Type: text/plain\r\n\r\n");
    EXPECT_EQ(client.readResponse().status, 200);
}

TEST_F(ApiServer, ManyPipelinedRequestsWithBodiesAreAnsweredInOrder) {
    HttpClient client(server->port);
    std::string burst;
    for (int i = 1; i <= 120; ++i) {
        burst += HttpClient::format("POST", "/predict", predictBody("1", "1", i % 40 + 1),
                                    "application/json");
    }
    client.sendRaw(burst); // far more than one read's worth
    for (int i = 1; i <= 120; ++i) {
        const auto r = client.readResponse();
        ASSERT_EQ(r.status, 200) << "request " << i;
        ASSERT_EQ(r.json().at("forecast").as_array().size(), static_cast<std::size_t>(i % 40 + 1))
            << "request " << i << " answered out of order";
    }
}

TEST_F(ApiServer, LargeHeadersUnderTheLimitAreServed) {
    // 12 KiB of headers: more than a connection's first read buffer, less than the 16 KiB limit.
    HttpClient client(server->port);
    const auto r =
        client.request("GET", "/health", "", "", {"X-Trace: " + std::string(12 * 1024, 't')});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(client.get("/model").status, 200);
}

TEST_F(ApiServer, Http10KeepAliveIsConfirmed) {
    HttpClient client(server->port);
    client.sendRaw("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const auto r = client.readResponse();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("connection"), "keep-alive");
    EXPECT_EQ(client.get("/model").status, 200);
    // Plain HTTP/1.0 means one request per connection.
    HttpClient once(server->port);
    once.sendRaw("GET /health HTTP/1.0\r\n\r\n");
    EXPECT_EQ(once.readResponse().header("connection"), "close");
    EXPECT_TRUE(once.closedByServer());
}

TEST_F(ApiServer, ConnectionCloseIsHonoured) {
    HttpClient client(server->port);
    const auto r = client.request("GET", "/health", "", "", {"Connection: close"});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ApiServer, MalformedHttpIs400AndClosed) {
    HttpClient client(server->port);
    client.sendRaw("THIS IS NOT HTTP\r\n\r\n");
    const auto r = client.readResponse();
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.errorCode(), "bad_request");
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ApiServer, OversizedHeadersAre431) {
    HttpClient client(server->port);
    client.sendRaw("GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') +
                   "\r\n\r\n");
    EXPECT_EQ(client.readResponse().status, 431);
}

TEST_F(ApiServer, SlowClientTimesOutWithoutBlockingOthers) {
    // WORKERS=1: if the slow client held the only thread, the fast one would never be served.
    HttpClient slow(server->port);
    slow.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: 100\r\n\r\n{\"store\":");
    HttpClient fast(server->port);
    EXPECT_EQ(fast.get("/health").status, 200);
    // REQUEST_TIMEOUT_SECONDS=3: the whole request must arrive within three seconds.
    EXPECT_TRUE(slow.closedByServer());
}

TEST_F(ApiServer, IdleKeepAliveConnectionIsClosed) {
    HttpClient idle(server->port);
    EXPECT_EQ(idle.get("/health").status, 200);
    EXPECT_TRUE(idle.closedByServer()); // KEEPALIVE_TIMEOUT_SECONDS=3
}

TEST_F(ApiServer, ConnectionWithoutARequestIsClosedQuietly) {
    HttpClient silent(server->port);
    EXPECT_TRUE(silent.closedByServer());
}
