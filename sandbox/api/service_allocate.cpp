// Service address allocation: a ClusterIP from a fake service range (10.96.0.0/16, as
// kubeadm's default) and NodePorts from 30000-32767, unique across all Services, kept
// across updates (pkg/registry/core/service: patchAllocatedValues, dropTypeDependentFields).
#include "api/service_internal.h"
#include "api/validation.h"
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

InUse inUse(ResourceService &service, const ResourceType &type, const Object &self) {
    InUse used;
    used.ips.insert("10.96.0.1"); // the `kubernetes` service's address in a real cluster
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

std::string randomIp(const InUse &used) {
    std::uniform_int_distribution<int> third(0, 255);
    std::uniform_int_distribution<int> fourth(1, 254);
    for (int attempt = 0; attempt < 100000; ++attempt) {
        const std::string ip =
            "10.96." + std::to_string(third(rng())) + "." + std::to_string(fourth(rng()));
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
    const InUse used = inUse(service, type, object);
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
        ip = randomIp(used);
    } else if (ip != "None" && old == nullptr && used.ips.contains(ip)) {
        causes.push_back(validation::invalid(
            "spec.clusterIPs", "[]string{" + validation::goQuote(ip) + "}",
            "failed to allocate IP " + ip + ": provided IP is already allocated"));
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
