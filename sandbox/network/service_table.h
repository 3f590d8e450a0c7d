#pragma once
// What the service proxy reads from Services and Endpoints, as plain values (pure, no
// sockets, so it is tested alone): which addresses a Service is reachable at, and which
// ready endpoints serve each of its ports. kube-proxy's rules, as far as a single node
// with loopback addresses needs them: ClusterIP, NodePort and LoadBalancer Services with
// an allocated clusterIP get TCP listeners; headless and ExternalName Services get none;
// a Service port is matched to endpoint ports by name (the endpoints controller already
// resolved numeric and named targetPorts per pod).

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sandbox {

struct Backend {
    std::string ip;
    std::uint16_t port = 0;

    bool operator==(const Backend &) const = default;
    auto operator<=>(const Backend &) const = default;
};

struct ServicePortSpec {
    std::string name;
    std::string protocol = "TCP";
    std::uint16_t port = 0;
    std::uint16_t nodePort = 0; // 0: none
};

struct ServiceSpec {
    std::string type = "ClusterIP";
    std::string clusterIP;
    std::vector<ServicePortSpec> ports;
};

// One address the proxy listens on for one Service port.
struct ListenerSpec {
    std::string address;
    std::uint16_t port = 0;
    std::string service;  // "namespace/name"
    std::string portName; // the Service port's name ("" for a single unnamed port)
    bool nodePort = false;
    bool loadBalancer = false; // the LoadBalancer address (node IP, Service port)

    std::string key() const { return address + ":" + std::to_string(port); }
};

// nullopt for Services the proxy does not serve (ExternalName, headless, no clusterIP yet).
std::optional<ServiceSpec> serviceSpecOf(const boost::json::object &service);

// The listeners of a Service: clusterIP:port for every TCP port, plus nodeIp:nodePort for
// NodePort and LoadBalancer Services, plus nodeIp:port for LoadBalancer Services (the node
// is their load balancer, as with k3s's servicelb or Docker Desktop).
std::vector<ListenerSpec> listenersOf(const std::string &serviceKey, const ServiceSpec &spec,
                                      const std::string &nodeIp);

// Ready endpoints (subsets[].addresses, never notReadyAddresses) per endpoint port name,
// TCP only, sorted and without duplicates.
std::map<std::string, std::vector<Backend>> readyBackends(const boost::json::object &endpoints);

} // namespace sandbox
