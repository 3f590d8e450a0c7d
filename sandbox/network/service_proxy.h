#pragma once
// The sandbox's kube-proxy: every Service of type ClusterIP, NodePort or LoadBalancer with
// a clusterIP is served as local TCP listeners — clusterIP:port for each TCP port, for
// NodePort and LoadBalancer also nodeIP:nodePort, and for LoadBalancer nodeIP:port, which
// it then reports as status.loadBalancer.ingress (the node is the load balancer) — that forward
// each connection to a ready endpoint of the Service (its Endpoints object, followed live through
// watches), round- robin, trying the next ready endpoint when one refuses. Listeners come and go as
// Services are created, changed and deleted; established connections are left alone, as kube-proxy
// leaves conntrack entries. A port someone else holds is logged and retried, never fatal.
//
// Plain TCP splicing with Boost.Asio on a few threads (network/tcp_forwarder.h); this
// header keeps Asio out of its includers.

#include "api/resource_service.h"

#include <rf/result.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sandbox {

struct ServiceProxyOptions {
    std::string nodeIp = "127.0.0.1"; // where NodePorts listen
    int threads = 2;                  // io threads, each with its own connections
    std::chrono::milliseconds bindRetry{2000};
    std::chrono::milliseconds connectTimeout{5000};
};

// One listening address as the proxy sees it (tests, diagnostics).
struct ServiceListenerStatus {
    std::string service;  // "namespace/name"
    std::string portName; // the Service port's name
    std::string address;
    std::uint16_t port = 0;
    bool nodePort = false;
    bool loadBalancer = false;
    bool listening = false;    // false while a bind fails (see error) and is retried
    std::size_t endpoints = 0; // ready endpoints connections go to
    std::string error;
};

struct ServiceProxyCounters {
    std::uint64_t accepted = 0;
    std::uint64_t forwarded = 0;
    std::uint64_t rejected = 0;       // no ready endpoint took the connection
    std::uint64_t connectRetries = 0; // an endpoint refused and the next one was tried
};

class ServiceProxy final {
public:
    ServiceProxy(ResourceService &service, ServiceProxyOptions options);
    ~ServiceProxy();
    ServiceProxy(const ServiceProxy &) = delete;
    ServiceProxy &operator=(const ServiceProxy &) = delete;

    // Starts the io threads and the Service/Endpoints watches. Fails only on a bad nodeIp.
    rf::Status start();
    // Closes every listener and connection and joins the threads. Idempotent.
    void stop();

    // The current listeners, sorted by service and address (a snapshot).
    std::vector<ServiceListenerStatus> listeners() const;
    ServiceProxyCounters counters() const;
    const std::string &nodeIp() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
