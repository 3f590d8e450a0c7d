// The kubelet prober: httpGet/tcpSocket/exec probes against a real local HTTP server and
// real processes, thresholds, startup gating, the kubelet's event texts, and the callback
// contract of remove(). Time scale 20 (a 1 s period is 50 ms); no timing assertions.

#include "kubelet/probe_runner.h"

#include "cli/certificates.h"
#include "util/clock.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sandbox {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool waitUntil(const std::function<bool()> &done,
               std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
}

// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral>: /slow answers after 30 s, /redirect
// sends 302 to /health, /loop redirects to itself, every other path answers `status`.
class TestServer {
public:
    TestServer()
        : m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        accept();
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~TestServer() {
        m_io.stop();
        m_thread.join();
    }
    int port() const { return m_acceptor.local_endpoint().port(); }
    int hits(const std::string &path) {
        std::lock_guard lock(m_mutex);
        return m_hits[path];
    }
    std::string lastRequest() {
        std::lock_guard lock(m_mutex);
        return m_lastRequest;
    }
    std::atomic<int> status{200};

private:
    struct Connection : std::enable_shared_from_this<Connection> {
        Connection(tcp::socket s, TestServer &owner)
            : socket(std::move(s))
            , timer(socket.get_executor())
            , server(owner) {}
        void start() {
            asio::async_read_until(
                socket, buffer, "\r\n\r\n",
                [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                    if (!ec) {
                        self->onRequest();
                    }
                });
        }
        void onRequest() {
            std::string request(asio::buffers_begin(buffer.data()),
                                asio::buffers_end(buffer.data()));
            const auto space = request.find(' ');
            const std::string path =
                request.substr(space + 1, request.find(' ', space + 1) - space - 1);
            {
                std::lock_guard lock(server.m_mutex);
                ++server.m_hits[path];
                server.m_lastRequest = request;
            }
            if (path == "/slow") {
                timer.expires_after(std::chrono::seconds(30));
                timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                    if (!ec) {
                        self->respond("200 OK", "");
                    }
                });
            } else if (path == "/redirect") {
                respond("302 Found", "Location: /health\r\n");
            } else if (path == "/loop") {
                respond("302 Found", "Location: /loop\r\n");
            } else {
                const int code = server.status.load();
                respond(std::to_string(code) + (code < 400 ? " OK" : " Service Unavailable"), "");
            }
        }
        void respond(const std::string &status, const std::string &headers) {
            response = "HTTP/1.1 " + status + "\r\n" + headers +
                       "Content-Length: 2\r\nConnection: close\r\n\r\nok";
            asio::async_write(socket, asio::buffer(response),
                              [self = shared_from_this()](boost::system::error_code, std::size_t) {
                                  boost::system::error_code ignored;
                                  self->socket.shutdown(tcp::socket::shutdown_both, ignored);
                              });
        }
        tcp::socket socket;
        asio::steady_timer timer;
        asio::streambuf buffer;
        std::string response;
        TestServer &server;
    };

    void accept() {
        m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (!ec) {
                std::make_shared<Connection>(std::move(socket), *this)->start();
            }
            accept();
        });
    }

    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    std::thread m_thread;
    std::mutex m_mutex;
    std::map<std::string, int> m_hits;
    std::string m_lastRequest;
};

// HTTPS on 127.0.0.1:<ephemeral> with a certificate the prober cannot verify (it must not
// try): every request gets 200.
class TlsTestServer {
public:
    TlsTestServer()
        : m_tls(asio::ssl::context::tls_server)
        , m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        auto material = generateTlsMaterial();
        if (!material.ok()) {
            throw std::runtime_error(material.message());
        }
        m_tls.use_certificate_chain(asio::buffer(material->serverCertificatePem));
        m_tls.use_private_key(asio::buffer(material->serverKeyPem), asio::ssl::context::pem);
        accept();
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~TlsTestServer() {
        m_io.stop();
        m_thread.join();
    }
    int port() const { return m_acceptor.local_endpoint().port(); }
    std::atomic<int> requests{0};

private:
    struct Connection : std::enable_shared_from_this<Connection> {
        Connection(tcp::socket s, asio::ssl::context &tls, TlsTestServer &owner)
            : stream(std::move(s), tls)
            , server(owner) {}
        void start() {
            stream.async_handshake(asio::ssl::stream_base::server,
                                   [self = shared_from_this()](boost::system::error_code ec) {
                                       if (!ec) {
                                           self->read();
                                       }
                                   });
        }
        void read() {
            asio::async_read_until(
                stream, buffer, "\r\n\r\n",
                [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                    if (ec) {
                        return;
                    }
                    ++self->server.requests;
                    asio::async_write(
                        self->stream,
                        asio::buffer(std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                                      "Connection: close\r\n\r\nok")),
                        [self](boost::system::error_code, std::size_t) {
                            boost::system::error_code ignored;
                            self->stream.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
                        });
                });
        }
        asio::ssl::stream<tcp::socket> stream;
        asio::streambuf buffer;
        TlsTestServer &server;
    };

    void accept() {
        m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (!ec) {
                std::make_shared<Connection>(std::move(socket), m_tls, *this)->start();
            }
            accept();
        });
    }

    asio::io_context m_io;
    asio::ssl::context m_tls;
    tcp::acceptor m_acceptor;
    std::thread m_thread;
};

// A port nothing listens on (bound once, then closed).
int closedPort() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

// Records every callback.
struct Recorder {
    std::mutex mutex;
    std::vector<std::pair<ProbeState, std::string>> calls;

    ProbeRunner::Callback callback() {
        return [this](const ProbeState &state, const std::string &failure) {
            std::lock_guard lock(mutex);
            calls.emplace_back(state, failure);
        };
    }
    std::vector<std::string> failures() {
        std::lock_guard lock(mutex);
        std::vector<std::string> out;
        for (const auto &[state, failure] : calls) {
            if (!failure.empty()) {
                out.push_back(failure);
            }
        }
        return out;
    }
    bool sawFailure(const std::string &text) {
        for (const auto &failure : failures()) {
            if (failure == text) {
                return true;
            }
        }
        return false;
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return calls.size();
    }
};

class ProbeRunnerTest : public testing::Test {
protected:
    ProbeRunnerTest() { clock.setTimeScale(20); }

    ProbeTarget target(std::string_view containerJson) {
        ProbeTarget t;
        t.podKey = "shop/web-0";
        t.containerName = "app";
        t.podIP = "127.0.0.1";
        t.container = boost::json::parse(containerJson).as_object();
        return t;
    }
    std::string url(const std::string &path) const {
        return "http://127.0.0.1:" + std::to_string(server.port()) + path;
    }
    std::string port() const { return std::to_string(server.port()); }

    SystemClock clock;
    TestServer server;
    Recorder recorder;
    ProbeRunner runner{clock};
};

TEST_F(ProbeRunnerTest, ContainerWithoutProbesIsStartedAndReadyAtOnce) {
    const auto id = runner.add(target(R"({"name":"app"})"), recorder.callback());
    const ProbeState state = runner.state(id);
    EXPECT_TRUE(state.started);
    EXPECT_TRUE(state.ready);
    EXPECT_FALSE(state.livenessFailed);
    // The initial state is also reported through the callback.
    EXPECT_TRUE(waitUntil([&] { return recorder.size() >= 1; }));
}

TEST_F(ProbeRunnerTest, ReadinessFollowsTheHttpStatus) {
    const auto id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health","port":)" +
                          port() + R"(},"periodSeconds":1,"failureThreshold":1}})"),
                   recorder.callback());
    EXPECT_FALSE(runner.state(id).ready);
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).ready; }));

    server.status = 503;
    ASSERT_TRUE(waitUntil([&] { return !runner.state(id).ready; }));
    const std::string failure = "Readiness probe failed: HTTP probe failed with statuscode: 503";
    EXPECT_EQ(runner.state(id).lastFailure, failure);
    EXPECT_TRUE(recorder.sawFailure(failure));

    server.status = 204;
    EXPECT_TRUE(waitUntil([&] { return runner.state(id).ready; }));
}

TEST_F(ProbeRunnerTest, NamedPortAndHeadersAreSentAsTheKubeletDoes) {
    const auto id =
        runner.add(target(R"({"name":"app","ports":[{"name":"http","containerPort":)" + port() +
                          R"(}],"readinessProbe":{"httpGet":{"path":"/ready?full=1","port":"http",
               "httpHeaders":[{"name":"x-probe-token","value":"abc"}]},"periodSeconds":1}})"),
                   recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).ready; }));
    const std::string request = server.lastRequest();
    EXPECT_EQ(request.rfind("GET /ready?full=1 HTTP/1.1\r\n", 0), 0u) << request;
    EXPECT_NE(request.find("User-Agent: kube-probe/1.32\r\n"), std::string::npos) << request;
    EXPECT_NE(request.find("X-Probe-Token: abc\r\n"), std::string::npos) << request;
    EXPECT_NE(request.find("Host: 127.0.0.1:" + port() + "\r\n"), std::string::npos) << request;
    EXPECT_NE(request.find("Accept: */*\r\n"), std::string::npos) << request;
}

TEST_F(ProbeRunnerTest, LivenessFailsForGoodAfterFailureThresholdRefusedConnections) {
    const std::string closed = std::to_string(closedPort());
    const auto id =
        runner.add(target(R"({"name":"app","livenessProbe":{"httpGet":{"path":"/health","port":)" +
                          closed + R"(},"periodSeconds":1,"failureThreshold":3}})"),
                   recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).livenessFailed; }));
    const std::string failure = "Liveness probe failed: Get \"http://127.0.0.1:" + closed +
                                "/health\": dial tcp 127.0.0.1:" + closed +
                                ": connect: connection refused";
    EXPECT_EQ(runner.state(id).lastFailure, failure);
    // Exactly failureThreshold failures, then the probe holds (the runtime restarts the
    // container and adds it again).
    std::size_t failuresAtVerdict = 0;
    {
        std::lock_guard lock(recorder.mutex);
        for (const auto &[state, text] : recorder.calls) {
            failuresAtVerdict += text.empty() ? 0 : 1;
            if (state.livenessFailed) {
                break;
            }
        }
    }
    EXPECT_EQ(failuresAtVerdict, 3u);
    EXPECT_EQ(recorder.failures().front(), failure);
    // Liveness does not touch readiness; no readiness probe means ready once started.
    EXPECT_TRUE(runner.state(id).ready);
}

TEST_F(ProbeRunnerTest, SlowEndpointTimesOutLikeGosHttpClient) {
    const auto id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/slow","port":)" +
                          port() + R"(},"periodSeconds":1,"timeoutSeconds":1}})"),
                   recorder.callback());
    const std::string failure = "Readiness probe failed: Get \"" + url("/slow") +
                                "\": context deadline exceeded (Client.Timeout exceeded while "
                                "awaiting headers)";
    EXPECT_TRUE(waitUntil([&] { return recorder.sawFailure(failure); }))
        << runner.state(id).lastFailure;
    EXPECT_FALSE(runner.state(id).ready);
}

TEST_F(ProbeRunnerTest, SuccessThresholdNeedsConsecutiveSuccesses) {
    const auto id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health","port":)" +
                          port() + R"(},"periodSeconds":1,"successThreshold":3}})"),
                   recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).ready; }));
    EXPECT_GE(server.hits("/health"), 3);
}

TEST_F(ProbeRunnerTest, FollowsSameHostRedirectsAndStopsAfterTen) {
    const auto ok = runner.add(
        target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/redirect","port":)" + port() +
               R"(},"periodSeconds":1}})"),
        recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(ok).ready; }));
    EXPECT_GE(server.hits("/health"), 1);

    Recorder loops;
    runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/loop","port":)" +
                      port() + R"(},"periodSeconds":1}})"),
               loops.callback());
    EXPECT_TRUE(waitUntil([&] {
        return loops.sawFailure("Readiness probe failed: Get \"" + url("/loop") +
                                "\": stopped after 10 redirects");
    }));
}

TEST_F(ProbeRunnerTest, HttpsIsSpokenWithoutVerifyingTheCertificate) {
    TlsTestServer tls;
    const auto id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health",
        "scheme":"HTTPS","port":)" +
                          std::to_string(tls.port()) + R"(},"periodSeconds":1}})"),
                   recorder.callback());
    EXPECT_TRUE(waitUntil([&] { return runner.state(id).ready; })) << runner.state(id).lastFailure;
    EXPECT_GE(tls.requests.load(), 1);
    runner.remove(id);

    // HTTPS against a plain HTTP port fails the probe.
    Recorder plain;
    const auto wrong =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health",
        "scheme":"HTTPS","port":)" +
                          port() + R"(},"periodSeconds":1}})"),
                   plain.callback());
    const std::string prefix =
        "Readiness probe failed: Get \"https://127.0.0.1:" + port() + "/health\": ";
    EXPECT_TRUE(waitUntil([&] {
        const auto failures = plain.failures();
        return !failures.empty() && failures.front().rfind(prefix, 0) == 0;
    })) << runner.state(wrong).lastFailure;
    EXPECT_FALSE(runner.state(wrong).ready);
}

TEST_F(ProbeRunnerTest, TcpSocketProbe) {
    const auto open = runner.add(target(R"({"name":"app","readinessProbe":{"tcpSocket":{"port":)" +
                                        port() + R"(},"periodSeconds":1}})"),
                                 recorder.callback());
    EXPECT_TRUE(waitUntil([&] { return runner.state(open).ready; }));

    Recorder refused;
    const std::string closed = std::to_string(closedPort());
    const auto shut = runner.add(target(R"({"name":"app","readinessProbe":{"tcpSocket":{"port":)" +
                                        closed + R"(},"periodSeconds":1}})"),
                                 refused.callback());
    EXPECT_TRUE(waitUntil([&] {
        return refused.sawFailure("Readiness probe failed: dial tcp 127.0.0.1:" + closed +
                                  ": connect: connection refused");
    }));
    EXPECT_FALSE(runner.state(shut).ready);
}

TEST_F(ProbeRunnerTest, ExecProbeRunsWithTheContainersEnvAndWorkingDir) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("probe-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    ProbeTarget t = target(R"({"name":"app","readinessProbe":{"exec":{"command":
        ["sh","-c","test \"$GREETING\" = hello && test -f marker"]},"periodSeconds":1}})");
    t.env = {{"GREETING", "hello"}};
    t.workingDir = dir.string();
    const auto id = runner.add(std::move(t), recorder.callback());
    EXPECT_TRUE(waitUntil([&] { return !recorder.failures().empty(); }));
    EXPECT_FALSE(runner.state(id).ready);
    std::ofstream(dir / "marker") << "x";
    EXPECT_TRUE(waitUntil([&] { return runner.state(id).ready; }));
    runner.remove(id);
    std::filesystem::remove_all(dir);
}

TEST_F(ProbeRunnerTest, ExecFailureCarriesTheCommandsOutput) {
    const auto id = runner.add(target(R"({"name":"app","readinessProbe":{"exec":{"command":
        ["sh","-c","echo 'cat: /tmp/healthy: No such file or directory' >&2; exit 1"]},"periodSeconds":1}})"),
                               recorder.callback());
    const std::string failure =
        "Readiness probe failed: cat: /tmp/healthy: No such file or directory\n";
    EXPECT_TRUE(waitUntil([&] { return recorder.sawFailure(failure); }))
        << runner.state(id).lastFailure;
}

TEST_F(ProbeRunnerTest, ExecTimeoutKillsTheCommand) {
    const auto id = runner.add(target(R"({"name":"app","livenessProbe":{"exec":{"command":
        ["sh","-c","sleep 30"]},"periodSeconds":1,"timeoutSeconds":1,"failureThreshold":1}})"),
                               recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).livenessFailed; }));
    EXPECT_EQ(runner.state(id).lastFailure,
              "Liveness probe failed: command \"sh -c sleep 30\" timed out");
}

TEST_F(ProbeRunnerTest, UnknownExecutableFailsTheProbe) {
    const auto id = runner.add(target(R"({"name":"app","readinessProbe":{"exec":{"command":
        ["no-such-probe-binary"]},"periodSeconds":1}})"),
                               recorder.callback());
    EXPECT_TRUE(waitUntil([&] {
        return recorder.sawFailure("Readiness probe failed: exec: \"no-such-probe-binary\": "
                                   "executable file not found in $PATH");
    })) << runner.state(id).lastFailure;
}

TEST_F(ProbeRunnerTest, StartupProbeGatesReadinessAndLiveness) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("probe-gate-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string started = (dir / "started").string();
    const std::string closed = std::to_string(closedPort());
    const auto id = runner.add(target(R"({"name":"app",
          "startupProbe":{"exec":{"command":["test","-f",")" +
                                      started +
                                      R"("]},"periodSeconds":1,"failureThreshold":1000},
          "readinessProbe":{"httpGet":{"path":"/ready","port":)" +
                                      port() + R"(},"periodSeconds":1},
          "livenessProbe":{"tcpSocket":{"port":)" +
                                      closed + R"(},"periodSeconds":1,"failureThreshold":1}})"),
                               recorder.callback());
    // Several startup failures pass while neither other probe runs.
    ASSERT_TRUE(waitUntil([&] { return recorder.failures().size() >= 3; }));
    EXPECT_FALSE(runner.state(id).started);
    EXPECT_FALSE(runner.state(id).ready);
    EXPECT_FALSE(runner.state(id).livenessFailed);
    EXPECT_EQ(server.hits("/ready"), 0);
    for (const auto &failure : recorder.failures()) {
        EXPECT_EQ(failure.rfind("Startup probe failed: ", 0), 0u) << failure;
    }

    std::ofstream(started) << "x";
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).started; }));
    EXPECT_TRUE(waitUntil([&] { return runner.state(id).ready; }));
    EXPECT_TRUE(waitUntil([&] { return runner.state(id).livenessFailed; }));
    runner.remove(id);
    std::filesystem::remove_all(dir);
}

TEST_F(ProbeRunnerTest, StartupFailureThresholdMarksStartupFailed) {
    const auto id = runner.add(target(R"({"name":"app","startupProbe":{"exec":{"command":["false"]},
        "periodSeconds":1,"failureThreshold":2}})"),
                               recorder.callback());
    ASSERT_TRUE(waitUntil([&] { return runner.state(id).startupFailed; }));
    EXPECT_FALSE(runner.state(id).started);
    EXPECT_EQ(runner.state(id).lastFailure, "Startup probe failed: ");
}

TEST_F(ProbeRunnerTest, UnresolvablePortIsAnErrorNotAFailure) {
    const auto id = runner.add(
        target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/","port":"metrics"},
        "periodSeconds":1,"failureThreshold":1}})"),
        recorder.callback());
    EXPECT_TRUE(waitUntil([&] {
        return recorder.sawFailure(
            "Readiness probe errored: strconv.Atoi: parsing \"metrics\": invalid syntax");
    }));
    EXPECT_FALSE(runner.state(id).ready);
    // Errors are not results: lastFailure records failed results only.
    EXPECT_EQ(runner.state(id).lastFailure, "");
}

TEST_F(ProbeRunnerTest, NoCallbackAfterRemoveReturns) {
    std::atomic<int> calls{0};
    std::atomic<bool> removed{false};
    std::atomic<bool> lateCall{false};
    const auto id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health","port":)" +
                          port() + R"(},"periodSeconds":1}})"),
                   [&](const ProbeState &, const std::string &) {
                       if (removed) {
                           lateCall = true;
                       }
                       // A slow callback: remove() must wait for it.
                       std::this_thread::sleep_for(std::chrono::milliseconds(20));
                       ++calls;
                   });
    server.status = 503; // a failure callback every period
    ASSERT_TRUE(waitUntil([&] { return calls >= 3; }));
    runner.remove(id);
    removed = true;
    const int atRemove = calls;
    // Let several periods pass.
    const int hitsAtRemove = server.hits("/health");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_FALSE(lateCall);
    EXPECT_EQ(calls, atRemove);
    EXPECT_LE(server.hits("/health"), hitsAtRemove + 1); // probing stopped too
    EXPECT_EQ(runner.state(id).ready, false);
}

TEST_F(ProbeRunnerTest, RemoveFromInsideTheCallbackDoesNotDeadlock) {
    std::atomic<ProbeRunner::Id> id{0};
    std::atomic<bool> done{false};
    id =
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/health","port":)" +
                          port() + R"(},"periodSeconds":1}})"),
                   [&](const ProbeState &state, const std::string &) {
                       if (state.ready && id != 0) {
                           runner.remove(id);
                           done = true;
                       }
                   });
    EXPECT_TRUE(waitUntil([&] { return done.load(); }));
}

TEST_F(ProbeRunnerTest, ShutdownEndsProbesInFlight) {
    for (int i = 0; i < 5; ++i) {
        runner.add(target(R"({"name":"app","livenessProbe":{"exec":{"command":["sleep","30"]},
            "periodSeconds":1,"timeoutSeconds":30}})"),
                   recorder.callback());
        runner.add(target(R"({"name":"app","readinessProbe":{"httpGet":{"path":"/slow","port":)" +
                          port() + R"(},"periodSeconds":1,"timeoutSeconds":30}})"),
                   recorder.callback());
    }
    ASSERT_TRUE(waitUntil([&] { return server.hits("/slow") >= 5; }));
    runner.shutdown(); // returns without waiting out the 30 s timeouts
    const auto count = recorder.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(recorder.size(), count);
}

} // namespace
} // namespace sandbox
