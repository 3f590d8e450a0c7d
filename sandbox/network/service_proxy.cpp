#include "network/service_proxy.h"

#include "api/http_log.h"
#include "network/address_plan.h"
#include "network/service_table.h"
#include "network/tcp_forwarder.h"
#include "util/json_util.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace sandbox {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct ServiceProxy::Impl {
    using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

    ResourceService &service;
    ServiceProxyOptions options;
    std::vector<std::unique_ptr<asio::io_context>> contexts; // [0] also runs the control state
    std::vector<WorkGuard> guards;
    std::vector<std::thread> threads;
    std::atomic<std::size_t> nextContext{0};
    std::shared_ptr<net::ForwarderCounters> counters = std::make_shared<net::ForwarderCounters>();
    std::vector<WatchId> watches;
    const ResourceType *servicesType = nullptr;
    bool running = false;

    // Control state: touched only on contexts[0]'s thread.
    std::map<std::string, ServiceSpec> services; // proxied Services by "ns/name"
    std::map<std::string, std::map<std::string, std::vector<Backend>>> endpoints;
    std::map<std::string, std::shared_ptr<net::TcpForwarder>> forwarders; // by "ip:port"
    std::map<std::string, std::vector<std::string>> listenerKeys;         // by Service

    mutable std::mutex snapshotMutex;
    std::vector<ServiceListenerStatus> snapshot;

    Impl(ResourceService &s, ServiceProxyOptions o)
        : service(s)
        , options(std::move(o)) {}

    asio::io_context &control() { return *contexts.front(); }

    asio::io_context &pickContext() {
        return *contexts[nextContext.fetch_add(1, std::memory_order_relaxed) % contexts.size()];
    }

    static std::string keyOf(const boost::json::object &object) {
        return json::namespaceOf(object) + "/" + json::name(object);
    }

    // Watch callbacks run on the store's writing thread: copy and hand over, nothing more.
    void onServiceEvent(const WatchEvent &event) {
        asio::post(control(), [this, type = event.type, object = event.object] {
            const std::string key = keyOf(object);
            std::optional<ServiceSpec> spec;
            if (type != WatchEventType::Deleted) {
                spec = serviceSpecOf(object);
            }
            if (spec) {
                services[key] = std::move(*spec);
            } else {
                services.erase(key);
            }
            reconcile(key);
            if (type != WatchEventType::Deleted) {
                syncLoadBalancerStatus(object);
            }
        });
    }

    // A LoadBalancer Service is provisioned on the node IP: status.loadBalancer.ingress says
    // so (what `kubectl get svc` shows as EXTERNAL-IP). A Service that is no longer of that
    // type loses the ingress this proxy set. The write comes back as a watch event, which
    // then finds nothing to do.
    void syncLoadBalancerStatus(const boost::json::object &svc) {
        if (!running || servicesType == nullptr) {
            return;
        }
        const bool wanted = json::stringAt(svc, {"spec", "type"}) == "LoadBalancer" &&
                            serviceSpecOf(svc).has_value();
        const auto *ingress = json::arrayAt(svc, {"status", "loadBalancer", "ingress"});
        const bool ours = ingress != nullptr && ingress->size() == 1 &&
                          ingress->front().is_object() &&
                          json::stringAt(ingress->front().get_object(), {"ip"}) == options.nodeIp;
        if (wanted == ours) {
            return; // in place, or not ours to remove
        }
        boost::json::object updated = svc;
        auto &loadBalancer = json::ensureObject(updated, {"status", "loadBalancer"});
        if (wanted) {
            loadBalancer["ingress"] =
                boost::json::array{boost::json::object{{"ip", options.nodeIp}}};
        } else {
            loadBalancer.erase("ingress");
        }
        WriteOptions write;
        write.fieldManager = "forecast-sandbox-service-proxy";
        auto written = service.update(*servicesType, json::namespaceOf(svc), json::name(svc),
                                      std::move(updated), write, Subresource::Status);
        if (!written) {
            // A conflict means a newer version is on its way as an event: it is tried then.
            logLine(LogLevel::Debug, "service proxy cannot write the load balancer status",
                    {{"service", keyOf(svc)}, {"error", written.error().message}});
        }
    }

    void onEndpointsEvent(const WatchEvent &event) {
        asio::post(control(), [this, type = event.type, object = event.object] {
            const std::string key = keyOf(object);
            if (type == WatchEventType::Deleted) {
                endpoints.erase(key);
            } else {
                endpoints[key] = readyBackends(object);
            }
            reconcile(key);
        });
    }

    net::BackendList backendsFor(const std::string &serviceKey, const std::string &portName) {
        auto list = std::make_shared<std::vector<tcp::endpoint>>();
        auto byService = endpoints.find(serviceKey);
        if (byService != endpoints.end()) {
            auto byPort = byService->second.find(portName);
            if (byPort != byService->second.end()) {
                for (const Backend &backend : byPort->second) {
                    boost::system::error_code ec;
                    const auto address = asio::ip::make_address(backend.ip, ec);
                    if (!ec) {
                        list->emplace_back(address, backend.port);
                    }
                }
            }
        }
        return list;
    }

    static bool sameRole(const ListenerSpec &a, const ListenerSpec &b) {
        return a.service == b.service && a.portName == b.portName && a.nodePort == b.nodePort &&
               a.loadBalancer == b.loadBalancer;
    }

    // Brings the listeners of one Service in line with its spec and endpoints.
    void reconcile(const std::string &serviceKey) {
        if (!running) {
            return;
        }
        std::vector<ListenerSpec> desired;
        if (auto it = services.find(serviceKey); it != services.end()) {
            desired = listenersOf(serviceKey, it->second, options.nodeIp);
        }
        auto owned = [&](const std::string &key) {
            auto it = forwarders.find(key);
            return it != forwarders.end() && it->second->spec().service == serviceKey;
        };
        // Close what is no longer wanted first, so a port that moves can be bound again.
        std::vector<std::string> &current = listenerKeys[serviceKey];
        for (const std::string &key : current) {
            const bool wanted = std::any_of(desired.begin(), desired.end(), [&](const auto &d) {
                return d.key() == key && owned(key) && sameRole(d, forwarders[key]->spec());
            });
            if (!wanted && owned(key)) {
                forwarders[key]->close();
                forwarders.erase(key);
            }
        }
        current.clear();
        for (const ListenerSpec &spec : desired) {
            auto it = forwarders.find(spec.key());
            if (it != forwarders.end() && it->second->spec().service != serviceKey) {
                // Allocation keeps ClusterIPs and NodePorts unique; this only happens with
                // state restored from another address block. First come, first served.
                logLine(LogLevel::Warn, "service proxy address already used by another Service",
                        {{"service", serviceKey},
                         {"address", spec.key()},
                         {"usedBy", it->second->spec().service}});
                continue;
            }
            if (it == forwarders.end()) {
                net::ForwarderOptions forwarderOptions;
                forwarderOptions.bindRetry = options.bindRetry;
                forwarderOptions.connectTimeout = options.connectTimeout;
                auto forwarder = std::make_shared<net::TcpForwarder>(
                    control(), [this]() -> asio::io_context & { return pickContext(); }, spec,
                    forwarderOptions, counters, [this] { publishSnapshot(); });
                it = forwarders.emplace(spec.key(), std::move(forwarder)).first;
                it->second->setBackends(backendsFor(serviceKey, spec.portName));
                it->second->open();
            } else {
                it->second->setBackends(backendsFor(serviceKey, spec.portName));
            }
            current.push_back(spec.key());
        }
        if (current.empty()) {
            listenerKeys.erase(serviceKey);
        }
        publishSnapshot();
    }

    void publishSnapshot() {
        std::vector<ServiceListenerStatus> next;
        next.reserve(forwarders.size());
        for (const auto &[key, forwarder] : forwarders) {
            const ListenerSpec &spec = forwarder->spec();
            next.push_back({spec.service, spec.portName, spec.address, spec.port, spec.nodePort,
                            spec.loadBalancer, forwarder->listening(), forwarder->backendCount(),
                            forwarder->lastError()});
        }
        std::sort(next.begin(), next.end(), [](const auto &a, const auto &b) {
            return std::tie(a.service, a.address, a.port) < std::tie(b.service, b.address, b.port);
        });
        std::lock_guard lock(snapshotMutex);
        snapshot = std::move(next);
    }

    void closeAll() {
        for (auto &[key, forwarder] : forwarders) {
            forwarder->close();
        }
        forwarders.clear();
        listenerKeys.clear();
        services.clear();
        endpoints.clear();
        running = false;
        std::lock_guard lock(snapshotMutex);
        snapshot.clear();
    }
};

ServiceProxy::ServiceProxy(ResourceService &service, ServiceProxyOptions options)
    : m_impl(std::make_unique<Impl>(service, std::move(options))) {}

ServiceProxy::~ServiceProxy() {
    stop();
}

rf::Status ServiceProxy::start() {
    Impl &d = *m_impl;
    if (d.running) {
        return rf::ok();
    }
    std::uint32_t parsed = 0;
    if (!parseIpv4(d.options.nodeIp, parsed)) {
        return rf::fail("invalid node IP \"" + d.options.nodeIp + "\": want an IPv4 address");
    }
    const ResourceType *services = d.service.registry().byResource("", "v1", "services");
    const ResourceType *endpoints = d.service.registry().byResource("", "v1", "endpoints");
    if (services == nullptr || endpoints == nullptr) {
        return rf::fail("the registry has no services or endpoints resource");
    }
    d.servicesType = services;
    const int threads = std::max(1, d.options.threads);
    for (int i = 0; i < threads; ++i) {
        d.contexts.push_back(std::make_unique<asio::io_context>(1));
        d.guards.emplace_back(d.contexts.back()->get_executor());
    }
    d.running = true;
    for (int i = 0; i < threads; ++i) {
        d.threads.emplace_back([context = d.contexts[static_cast<std::size_t>(i)].get()] {
            for (;;) {
                try {
                    context->run();
                    return;
                } catch (const std::exception &e) {
                    logLine(LogLevel::Error, "service proxy handler failed", {{"error", e.what()}});
                }
            }
        });
    }
    auto serviceWatch =
        d.service.watch(*services, "", ListOptions{},
                        [impl = &d](const WatchEvent &e) { impl->onServiceEvent(e); });
    auto endpointsWatch =
        d.service.watch(*endpoints, "", ListOptions{},
                        [impl = &d](const WatchEvent &e) { impl->onEndpointsEvent(e); });
    if (serviceWatch) {
        d.watches.push_back(*serviceWatch);
    }
    if (endpointsWatch) {
        d.watches.push_back(*endpointsWatch);
    }
    if (!serviceWatch || !endpointsWatch) {
        const std::string message =
            (!serviceWatch ? serviceWatch.error() : endpointsWatch.error()).message;
        stop();
        return rf::fail("service proxy cannot watch Services and Endpoints: " + message);
    }
    logLine(LogLevel::Info, "service proxy started",
            {{"nodeIp", d.options.nodeIp}, {"threads", threads}});
    return rf::ok();
}

void ServiceProxy::stop() {
    Impl &d = *m_impl;
    for (WatchId id : d.watches) {
        d.service.unwatch(id);
    }
    d.watches.clear();
    if (d.contexts.empty()) {
        return;
    }
    // Listeners close on their own thread; then every thread stops and pending handlers
    // (open connections) are dropped with their io_contexts.
    std::promise<void> closed;
    asio::post(d.control(), [&d, &closed] {
        d.closeAll();
        closed.set_value();
    });
    closed.get_future().wait();
    for (auto &guard : d.guards) {
        guard.reset();
    }
    for (auto &context : d.contexts) {
        context->stop();
    }
    for (auto &thread : d.threads) {
        thread.join();
    }
    d.threads.clear();
    d.guards.clear();
    // contexts[0] first: its pending accepts hold sockets made for the others.
    for (auto &context : d.contexts) {
        context.reset();
    }
    d.contexts.clear();
    d.running = false;
}

std::vector<ServiceListenerStatus> ServiceProxy::listeners() const {
    std::lock_guard lock(m_impl->snapshotMutex);
    return m_impl->snapshot;
}

ServiceProxyCounters ServiceProxy::counters() const {
    const auto &c = *m_impl->counters;
    return {c.accepted.load(), c.forwarded.load(), c.rejected.load(), c.connectRetries.load()};
}

const std::string &ServiceProxy::nodeIp() const {
    return m_impl->options.nodeIp;
}

} // namespace sandbox
