#pragma once
// Plain HTTP/1.1 for end-to-end tests: one request, and a bounded keep-alive load generator
// that counts every request and every failure. Behaves like a careful production client: it
// keeps connections open, reconnects when the server answers "Connection: close", and never
// retries; a request that gets no complete 2xx answer is a failure, whatever the cause.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace e2e {

struct HttpResponse {
    int status = 0;    // 0: no answer (see error)
    std::string error; // what went wrong before an answer arrived
    std::string body;
    bool keepAlive = false; // the server left the connection open
    bool ok() const { return status >= 200 && status < 300; }
};

// One request on a fresh connection; `body` is sent as application/json when not empty.
HttpResponse httpRequest(const std::string &host, std::uint16_t port, const std::string &method,
                         const std::string &target, const std::string &body = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

struct LoadStats {
    std::uint64_t requests = 0; // answered or failed
    std::uint64_t failures = 0;
    std::uint64_t connections = 0; // connections opened
    std::map<std::string, std::uint64_t> failureReasons;
    std::string summary() const; // "N requests, F failed (reasons), C connections"
};

class LoadGenerator {
public:
    struct Options {
        std::string host;
        std::uint16_t port = 0;
        std::string method = "POST";
        std::string target = "/predict";
        std::string body;
        int connections = 4;
        // Pause after each answer on a connection; zero runs flat out.
        std::chrono::microseconds pause{0};
        // A request with no complete answer after this long is a failure.
        std::chrono::milliseconds requestTimeout = std::chrono::seconds(10);
    };

    explicit LoadGenerator(Options options);
    ~LoadGenerator(); // stops
    LoadGenerator(const LoadGenerator &) = delete;
    LoadGenerator &operator=(const LoadGenerator &) = delete;

    void start();
    // Lets every request in flight finish (or time out), then returns the totals.
    LoadStats stop();
    LoadStats snapshot() const;

private:
    struct Shared;
    void worker();

    Options m_options;
    std::shared_ptr<Shared> m_shared;
};

} // namespace e2e
