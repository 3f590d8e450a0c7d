// Service address allocation: a ClusterIP from the service range (ResourceService::
// serviceCidr: the sandbox's block 127.(64+N).0.0/16, 10.96.0.0/16 by default as kubeadm's)
// and NodePorts from 30000-32767, unique across all Services, kept across updates
// (pkg/registry/core/service: patchAllocatedValues, dropTypeDependentFields). The first
// address of the range is reserved, as the `kubernetes` Service's in a real cluster.
#include "api/service_internal.h"
#include "api/validation.h"
#include "network/address_plan.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <random>
#include <set>

namespace sandbox::service {

namespace {

constexpr int kNodePortMin = 30000;
constexpr int kNodePortMax = 32767;

std::mt19937 &rng() {
    static thread_local std::mt19937 engine{std::random_device{}()};
    return engine;
}

struct InUse {
    std::set<std::string> ips;
    std::set<std::int64_t> nodePorts;
};

// The usable addresses of a CIDR: without the network and broadcast addresses and the
// reserved first host. A malformed setting falls back to kubeadm's range.
Ipv4Range serviceRange(const std::string &cidr) {
    const auto slash = cidr.find('/');
    std::uint32_t base = 0;
    int bits = -1;
    if (slash != std::string::npos && parseIpv4(cidr.substr(0, slash), base)) {
        try {
            bits = std::stoi(cidr.substr(slash + 1));
        } catch (const std::exception &) {
            bits = -1;
        }
    }
    if (bits < 8 || bits > 29) {
        parseIpv4("10.96.0.0", base);
        bits = 16;
    }
    const std::uint32_t size = 1u << (32 - bits);
    base &= ~(size - 1);
    return {base + 2, base + size - 2};
}

InUse inUse(ResourceService &service, const ResourceType &type, const Object &self) {
    InUse used;
    const std::string ns = json::namespaceOf(self);
    const std::string name = json::name(self);
    for (const ObjectPtr &svc : service.store().listShared(type, "", nullptr)) {
        if (json::namespaceOf(*svc) == ns && json::name(*svc) == name) {
            continue;
        }
        const std::string ip = json::stringAt(*svc, {"spec", "clusterIP"});
        if (!ip.empty() && ip != "None") {
            used.ips.insert(ip);
        }
        if (const boost::json::array *ports = json::arrayAt(*svc, {"spec", "ports"})) {
            for (const boost::json::value &p : *ports) {
                if (const Object *port = p.if_object()) {
                    if (auto nodePort = json::intAt(*port, {"nodePort"})) {
                        used.nodePorts.insert(*nodePort);
                    }
                }
            }
        }
    }
    return used;
}

std::string randomIp(const InUse &used, Ipv4Range range) {
    std::uniform_int_distribution<std::uint32_t> pick(range.first, range.last);
    for (int attempt = 0; attempt < 100000; ++attempt) {
        const std::uint32_t candidate = pick(rng());
        const std::uint32_t last = candidate & 0xffu;
        if (last == 0 || last == 255) {
            continue; // valid, but looks like a network address to people reading it
        }
        std::string ip = formatIpv4(candidate);
        if (!used.ips.contains(ip)) {
            return ip;
        }
    }
    return {};
}

std::int64_t randomNodePort(const InUse &used) {
    std::uniform_int_distribution<int> pick(kNodePortMin, kNodePortMax);
    for (int attempt = 0; attempt < 100000; ++attempt) {
        const std::int64_t port = pick(rng());
        if (!used.nodePorts.contains(port)) {
            return port;
        }
    }
    return 0;
}

const Object *matchingOldPort(const Object *old, const Object &port) {
    const boost::json::array *ports =
        old != nullptr ? json::arrayAt(*old, {"spec", "ports"}) : nullptr;
    if (ports == nullptr) {
        return nullptr;
    }
    for (const boost::json::value &p : *ports) {
        const Object *candidate = p.if_object();
        if (candidate != nullptr &&
            json::intAt(*candidate, {"port"}) == json::intAt(port, {"port"}) &&
            json::stringAt(*candidate, {"protocol"}, "TCP") ==
                json::stringAt(port, {"protocol"}, "TCP")) {
            return candidate;
        }
    }
    return nullptr;
}

bool needsNodePorts(const std::string &type) {
    return type == "NodePort" || type == "LoadBalancer";
}

} // namespace

std::unique_lock<std::mutex> allocationLock() {
    static std::mutex mutex;
    return std::unique_lock<std::mutex>(mutex);
}

std::optional<ApiError> allocateServiceAddresses(ResourceService &service, const ResourceType &type,
                                                 Object &object, const Object *old) {
    Object &spec = json::ensureObject(object, {"spec"});
    const std::string svcType = json::stringAt(spec, {"type"}, "ClusterIP");
    const std::string name = json::name(object);
    if (svcType == "ExternalName") {
        spec.erase("clusterIP");
        spec.erase("clusterIPs");
        return std::nullopt;
    }
    InUse used = inUse(service, type, object);
    const std::string &cidr = service.serviceCidr();
    const Ipv4Range range = serviceRange(cidr);
    used.ips.insert(formatIpv4(range.first - 1)); // reserved, as `kubernetes`'s address
    std::vector<StatusCause> causes;
    const std::string oldIp = old != nullptr ? json::stringAt(*old, {"spec", "clusterIP"}) : "";
    std::string ip = json::stringAt(spec, {"clusterIP"});
    if (ip.empty() && !oldIp.empty()) {
        ip = oldIp;
    } else if (!ip.empty() && !oldIp.empty() && ip != oldIp) {
        causes.push_back(validation::invalid("spec.clusterIPs[0]",
                                             "[]string{" + validation::goQuote(ip) + "}",
                                             "may not change once set"));
    } else if (ip.empty()) {
        ip = randomIp(used, range);
        if (ip.empty()) {
            causes.push_back(validation::invalid("spec.clusterIPs", "[]string{}",
                                                 "failed to allocate a serviceIP: range is full"));
        }
    } else if (ip != "None" && old == nullptr) {
        std::uint32_t value = 0;
        if (parseIpv4(ip, value) && !(value >= range.first - 1 && value <= range.last)) {
            causes.push_back(validation::invalid(
                "spec.clusterIPs", "[]string{" + validation::goQuote(ip) + "}",
                "failed to allocate IP " + ip + ": the provided IP (" + ip +
                    ") is not in the valid range. The range of valid IPs is " + cidr));
        } else if (used.ips.contains(ip)) {
            causes.push_back(validation::invalid(
                "spec.clusterIPs", "[]string{" + validation::goQuote(ip) + "}",
                "failed to allocate IP " + ip + ": provided IP is already allocated"));
        }
    }
    spec["clusterIP"] = ip;
    spec["clusterIPs"] = boost::json::array{boost::json::string(ip)};

    const std::string oldType =
        old != nullptr ? json::stringAt(*old, {"spec", "type"}, "ClusterIP") : "";
    std::set<std::int64_t> taken = used.nodePorts;
    if (boost::json::value *ports = spec.if_contains("ports");
        ports != nullptr && ports->is_array()) {
        auto &list = ports->get_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            Object *port = list[i].if_object();
            if (port == nullptr) {
                continue;
            }
            const Object *previous = matchingOldPort(old, *port);
            const std::int64_t oldNodePort =
                previous != nullptr ? json::intAt(*previous, {"nodePort"}).value_or(0) : 0;
            std::int64_t nodePort = json::intAt(*port, {"nodePort"}).value_or(0);
            if (!needsNodePorts(svcType)) {
                // Switching away from NodePort drops the ports the server had allocated.
                if (nodePort != 0 && needsNodePorts(oldType) && nodePort == oldNodePort) {
                    port->erase("nodePort");
                }
                continue;
            }
            if (nodePort == 0) {
                nodePort = oldNodePort != 0 ? oldNodePort : randomNodePort(InUse{{}, taken});
            } else if (taken.contains(nodePort) && nodePort != oldNodePort) {
                causes.push_back(validation::invalid(
                    "spec.ports[" + std::to_string(i) + "].nodePort", std::to_string(nodePort),
                    "provided port is already allocated"));
            }
            taken.insert(nodePort);
            (*port)["nodePort"] = nodePort;
        }
    }
    if (!causes.empty()) {
        return ApiError::invalid(type, name, std::move(causes));
    }
    return std::nullopt;
}

} // namespace sandbox::service
