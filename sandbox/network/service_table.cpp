#include "network/service_table.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sandbox {

namespace {

std::uint16_t portValue(const boost::json::object &object, std::string_view field) {
    const auto value = json::intAt(object, {field});
    return value && *value > 0 && *value <= 65535 ? static_cast<std::uint16_t>(*value) : 0;
}

} // namespace

std::optional<ServiceSpec> serviceSpecOf(const boost::json::object &service) {
    ServiceSpec spec;
    spec.type = json::stringAt(service, {"spec", "type"}, "ClusterIP");
    spec.clusterIP = json::stringAt(service, {"spec", "clusterIP"});
    if (spec.type == "ExternalName" || spec.clusterIP.empty() || spec.clusterIP == "None") {
        return std::nullopt;
    }
    if (const auto *ports = json::arrayAt(service, {"spec", "ports"})) {
        for (const auto &p : *ports) {
            const auto *port = p.if_object();
            if (port == nullptr) {
                continue;
            }
            ServicePortSpec entry;
            entry.name = json::stringAt(*port, {"name"});
            entry.protocol = json::stringAt(*port, {"protocol"}, "TCP");
            entry.port = portValue(*port, "port");
            entry.nodePort = portValue(*port, "nodePort");
            if (entry.port != 0) {
                spec.ports.push_back(std::move(entry));
            }
        }
    }
    return spec;
}

std::vector<ListenerSpec> listenersOf(const std::string &serviceKey, const ServiceSpec &spec,
                                      const std::string &nodeIp) {
    std::vector<ListenerSpec> out;
    const bool withNodePorts = spec.type == "NodePort" || spec.type == "LoadBalancer";
    for (const ServicePortSpec &port : spec.ports) {
        if (port.protocol != "TCP") {
            continue; // UDP and SCTP are not proxied
        }
        out.push_back({spec.clusterIP, port.port, serviceKey, port.name, false, false});
        if (withNodePorts && port.nodePort != 0 && !nodeIp.empty()) {
            out.push_back({nodeIp, port.nodePort, serviceKey, port.name, true, false});
        }
        if (spec.type == "LoadBalancer" && !nodeIp.empty()) {
            out.push_back({nodeIp, port.port, serviceKey, port.name, false, true});
        }
    }
    return out;
}

std::map<std::string, std::vector<Backend>> readyBackends(const boost::json::object &endpoints) {
    std::map<std::string, std::vector<Backend>> out;
    const auto *subsets = json::arrayAt(endpoints, {"subsets"});
    if (subsets == nullptr) {
        return out;
    }
    for (const auto &s : *subsets) {
        const auto *subset = s.if_object();
        if (subset == nullptr) {
            continue;
        }
        const auto *addresses = json::arrayAt(*subset, {"addresses"});
        const auto *ports = json::arrayAt(*subset, {"ports"});
        if (addresses == nullptr || ports == nullptr) {
            continue;
        }
        for (const auto &p : *ports) {
            const auto *port = p.if_object();
            if (port == nullptr || json::stringAt(*port, {"protocol"}, "TCP") != "TCP") {
                continue;
            }
            const std::uint16_t number = portValue(*port, "port");
            if (number == 0) {
                continue;
            }
            auto &list = out[json::stringAt(*port, {"name"})];
            for (const auto &a : *addresses) {
                const auto *address = a.if_object();
                const std::string ip = address ? json::stringAt(*address, {"ip"}) : "";
                if (!ip.empty()) {
                    list.push_back({ip, number});
                }
            }
        }
    }
    for (auto &[name, list] : out) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    return out;
}

} // namespace sandbox
