#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// libcurl helpers for the sandbox benchmark: one synchronous client for lists, a paced
// parallel runner for creates and patches, and a set of watch streams that record when each
// benchmark update arrives. Everything talks HTTPS/1.1 to 127.0.0.1 with the kubeconfig's
// CA and bearer token.
namespace rf::bench {

using SteadyClock = std::chrono::steady_clock;

inline std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               SteadyClock::now().time_since_epoch())
        .count();
}

struct Endpoint {
    std::string server; // https://127.0.0.1:PORT
    std::string caPem;
    std::string token;
};

struct Response {
    long status = 0;
    std::string body;
    std::string error; // transport error, empty when a status was received
    double seconds = 0;
};

class SyncClient {
public:
    explicit SyncClient(const Endpoint &endpoint);
    ~SyncClient();
    SyncClient(const SyncClient &) = delete;
    SyncClient &operator=(const SyncClient &) = delete;

    Response request(const std::string &method, const std::string &path,
                     const std::string &body = {}, const std::string &contentType = {},
                     const std::string &accept = "application/json");

private:
    const Endpoint &m_endpoint;
    void *m_easy;
};

struct RequestSpec {
    std::string method;
    std::string path;
    std::string body;
    std::string contentType;
};

struct ParallelResult {
    std::vector<double> latencyMs; // successful requests only
    std::size_t failures = 0;
    std::string firstFailure;
    double seconds = 0;
    std::size_t started = 0;
};

// Runs `total` requests on up to `concurrency` connections. With intervalNs > 0 request i is
// not started before start + i * intervalNs (an open-loop schedule: a slow server makes the
// achieved rate fall short instead of hiding it). makeRequest gets the index and may stamp the
// body with the current time just before the request starts. With stopAfterNs > 0 no request
// starts after that much time, so a server that cannot keep up does not stretch the run.
ParallelResult runParallel(const Endpoint &endpoint, std::size_t total, int concurrency,
                           std::int64_t intervalNs, std::int64_t stopAfterNs,
                           const std::function<RequestSpec(std::size_t)> &makeRequest);

// Watch streams started together; each records the first arrival time of every update
// sequence number found in the annotation `seqKey` ("<seq>:<sendNs>").
class WatchSet {
public:
    WatchSet(const Endpoint &endpoint, int watchers, const std::string &path, std::string seqKey,
             std::size_t maxSeq);
    ~WatchSet();
    WatchSet(const WatchSet &) = delete;
    WatchSet &operator=(const WatchSet &) = delete;

    // Waits until every stream has its response headers (true) or the timeout passes.
    bool waitEstablished(std::chrono::milliseconds timeout);
    // Waits until every stream has seen every sequence number in `expected`.
    bool waitDelivered(const std::vector<std::uint8_t> &expected,
                       std::chrono::milliseconds timeout);
    void stop();

    struct Summary {
        std::vector<double> deliveryMs; // receive - send, per watcher and update
        std::size_t lost = 0;           // expected (watcher, update) pairs never seen
        std::size_t events = 0;         // every event line received, kubelet updates included
        std::size_t errors = 0;         // ERROR events, non-200 answers, streams that ended
        std::string firstError;
    };
    Summary summarize(const std::vector<std::uint8_t> &expected) const;

private:
    struct Impl;
    Impl *m_impl;
};

double percentile(std::vector<double> values, double p);

} // namespace rf::bench
