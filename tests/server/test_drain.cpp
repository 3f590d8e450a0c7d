// Graceful shutdown: on SIGTERM readiness turns 503 at once, requests in flight and requests
// still arriving are answered (with Connection: close), then the process exits 0.

#include "api_test_support.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace apitest;

TEST(Drain, InFlightRequestsCompleteAndExitIsZero) {
    RunningServer server(Env{{"SHUTDOWN_DRAIN_SECONDS", "20"},
                             {"SHUTDOWN_QUIET_MS", "500"},
                             {"REQUEST_TIMEOUT_SECONDS", "60"}});

    // A request in flight when the signal arrives: headers and half the body sent.
    const std::string body = predictBody("3", "17", 14);
    HttpClient inFlight(server.port);
    inFlight.sendRaw("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     "Content-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));

    // Keep-alive clients hammering until the server tells them to go away.
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::atomic<int> toldToClose{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
        clients.emplace_back([&] {
            try {
                HttpClient client(server.port);
                for (;;) {
                    const auto r = client.post("/predict", predictBody("1", "2"));
                    (r.status == 200 ? ok : failed)++;
                    if (r.header("connection") == "close") {
                        toldToClose++; // draining: go elsewhere after this answer
                        return;
                    }
                }
            } catch (const std::exception &) {
                failed++;
            }
        });
    }
    ASSERT_TRUE(waitUntil([&] { return ok.load() > 50; }));

    server.process->signal(SIGTERM);
    // Readiness is 503 at once, while the listener still accepts (probes keep working).
    ASSERT_TRUE(waitUntil(
        [&] {
            HttpClient probe(server.port);
            const auto r = probe.get("/ready");
            return r.status == 503 && r.errorCode() == "draining";
        },
        std::chrono::seconds(5)));
    HttpClient probe(server.port);
    EXPECT_EQ(probe.get("/health").status, 200);

    for (auto &c : clients) {
        c.join();
    }
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(toldToClose.load(), 4); // every keep-alive client was told, none was cut off

    // The half-sent request is still in flight: the server must wait for it.
    EXPECT_FALSE(server.process->waitExit(std::chrono::milliseconds(300)).has_value());
    inFlight.sendRaw(body.substr(10));
    const auto r = inFlight.readResponse();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_EQ(r.json().at("forecast").as_array().size(), 14u);

    const auto code = server.process->waitExit(std::chrono::seconds(60));
    ASSERT_TRUE(code.has_value()) << server.process->output();
    EXPECT_EQ(*code, 0) << server.process->output();
    EXPECT_TRUE(server.process->waitForMessage("stopped", std::chrono::seconds(1)));
}

TEST(Drain, IdleServerStopsAfterTheQuietPeriod) {
    RunningServer server(Env{{"SHUTDOWN_DRAIN_SECONDS", "60"}, {"SHUTDOWN_QUIET_MS", "200"}});
    HttpClient idleKeepAlive(server.port);
    EXPECT_EQ(idleKeepAlive.get("/health").status, 200);
    server.process->signal(SIGTERM);
    // Far sooner than the 60 s drain period: nothing is in flight.
    const auto code = server.process->waitExit(std::chrono::seconds(30));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0);
    EXPECT_TRUE(idleKeepAlive.closedByServer(std::chrono::seconds(5)));
    EXPECT_TRUE(server.process->waitForLog([](const boost::json::object &line) {
        const auto *reason = line.if_contains("reason");
        return reason != nullptr && *reason == "idle";
    }));
}

TEST(Drain, SigintAlsoDrains) {
    RunningServer server(Env{{"SHUTDOWN_QUIET_MS", "100"}});
    server.process->signal(SIGINT);
    const auto code = server.process->waitExit();
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0);
    EXPECT_TRUE(server.process->waitForLog([](const boost::json::object &line) {
        const auto *sig = line.if_contains("signal");
        return sig != nullptr && *sig == "SIGINT";
    }));
}

TEST(Drain, DrainPeriodBoundsAStreamOfRequests) {
    // Requests never stop, so only SHUTDOWN_DRAIN_SECONDS ends the drain.
    RunningServer server(Env{{"SHUTDOWN_DRAIN_SECONDS", "2"}, {"SHUTDOWN_QUIET_MS", "60000"}});
    std::atomic<bool> stop{false};
    std::atomic<int> failed{0};
    std::thread client([&] {
        while (!stop) {
            try {
                HttpClient c(server.port);
                if (c.get("/health").status != 200) {
                    failed++;
                }
            } catch (const std::exception &) {
                // Connection refused once the listener closed: expected at the end.
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    server.process->signal(SIGTERM);
    const auto code = server.process->waitExit(std::chrono::seconds(60));
    stop = true;
    client.join();
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_TRUE(server.process->waitForLog([](const boost::json::object &line) {
        const auto *reason = line.if_contains("reason");
        return reason != nullptr && *reason == "drain period elapsed";
    }));
}
