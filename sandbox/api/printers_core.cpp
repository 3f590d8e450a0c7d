// Row printers for core/v1 kinds other than Pod (printers_pod.cpp), following kubectl's
// server-side printers column for column and cell for cell. Cell types matter: clients such
// as the dashboard read integer cells as numbers.
#include "api/printers.h"

#include "api/human_duration.h"
#include "api/printer_util.h"
#include "util/json_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sandbox {

namespace {

namespace bj = boost::json;
using namespace printing;

// ---- Service -----------------------------------------------------------------------------

std::string joinStrings(const bj::array *list) {
    std::string out;
    if (list) {
        for (const auto &v : *list) {
            if (v.is_string()) {
                out += (out.empty() ? "" : ",") + std::string(v.get_string());
            }
        }
    }
    return out;
}

// Load-balancer ingress IPs (or hostnames), sorted and de-duplicated; the server clips the
// column to 16 characters, but it prints wide, so nothing is clipped here.
std::string loadBalancerAddresses(const bj::object &object) {
    std::set<std::string> result;
    if (const auto *ingress = json::arrayAt(object, {"status", "loadBalancer", "ingress"})) {
        for (const auto &entry : *ingress) {
            if (!entry.is_object()) {
                continue;
            }
            const std::string ip = json::stringAt(entry.get_object(), {"ip"});
            const std::string host = json::stringAt(entry.get_object(), {"hostname"});
            if (!ip.empty()) {
                result.insert(ip);
            } else if (!host.empty()) {
                result.insert(host);
            }
        }
    }
    std::string out;
    for (const auto &r : result) {
        out += (out.empty() ? "" : ",") + r;
    }
    return out;
}

std::string serviceExternalIp(const bj::object &svc) {
    std::string type = json::stringAt(svc, {"spec", "type"});
    if (type.empty()) {
        type = "ClusterIP";
    }
    const std::string externalIps = joinStrings(json::arrayAt(svc, {"spec", "externalIPs"}));
    if (type == "ClusterIP" || type == "NodePort") {
        return externalIps.empty() ? "<none>" : externalIps;
    }
    if (type == "LoadBalancer") {
        const std::string lb = loadBalancerAddresses(svc);
        if (!externalIps.empty()) {
            return lb.empty() ? externalIps : lb + "," + externalIps;
        }
        return lb.empty() ? "<pending>" : lb;
    }
    if (type == "ExternalName") {
        return json::stringAt(svc, {"spec", "externalName"});
    }
    return "<unknown>";
}

std::string servicePorts(const bj::object &svc) {
    std::string out;
    if (const auto *ports = json::arrayAt(svc, {"spec", "ports"})) {
        for (const auto &item : *ports) {
            if (!item.is_object()) {
                continue;
            }
            const auto &port = item.get_object();
            std::string protocol = json::stringAt(port, {"protocol"});
            if (protocol.empty()) {
                protocol = "TCP";
            }
            std::string piece = std::to_string(json::intAt(port, {"port"}).value_or(0));
            if (const std::int64_t nodePort = json::intAt(port, {"nodePort"}).value_or(0);
                nodePort > 0) {
                piece += ":" + std::to_string(nodePort);
            }
            out += (out.empty() ? "" : ",") + piece + "/" + protocol;
        }
    }
    return out.empty() ? "<none>" : out;
}

void printService(const bj::object &svc, Now now, bj::array &cells) {
    std::string type = json::stringAt(svc, {"spec", "type"});
    if (type.empty()) {
        type = "ClusterIP";
    }
    std::string clusterIp = "<none>";
    if (const auto *ips = json::arrayAt(svc, {"spec", "clusterIPs"});
        ips && !ips->empty() && ips->front().is_string()) {
        clusterIp = std::string(ips->front().get_string());
    } else if (const std::string ip = json::stringAt(svc, {"spec", "clusterIP"}); !ip.empty()) {
        // Objects written before clusterIPs was defaulted still carry the singular field.
        clusterIp = ip;
    }
    cells.emplace_back(bj::string(name(svc)));
    cells.emplace_back(bj::string(type));
    cells.emplace_back(bj::string(clusterIp));
    cells.emplace_back(bj::string(serviceExternalIp(svc)));
    cells.emplace_back(bj::string(servicePorts(svc)));
    cells.emplace_back(bj::string(age(svc, now)));
    cells.emplace_back(bj::string(formatLabels(json::objectAt(svc, {"spec", "selector"}))));
}

// ---- Endpoints ---------------------------------------------------------------------------

std::string hostPort(const std::string &ip, std::int64_t port) {
    if (ip.find(':') != std::string::npos) {
        return "[" + ip + "]:" + std::to_string(port);
    }
    return ip + ":" + std::to_string(port);
}

std::string formatEndpoints(const bj::object &endpoints) {
    const auto *subsets = json::arrayAt(endpoints, {"subsets"});
    if (!subsets || subsets->empty()) {
        return "<none>";
    }
    constexpr std::size_t kMax = 3;
    std::vector<std::string> list;
    bool more = false;
    std::size_t count = 0;
    for (const auto &item : *subsets) {
        if (!item.is_object()) {
            continue;
        }
        const auto &subset = item.get_object();
        const auto *addresses = json::arrayAt(subset, {"addresses"});
        const std::size_t addressCount = addresses ? addresses->size() : 0;
        const auto *ports = json::arrayAt(subset, {"ports"});
        auto addAll = [&](std::optional<std::int64_t> port) {
            count += addressCount;
            if (!addresses) {
                return;
            }
            for (const auto &address : *addresses) {
                if (list.size() == kMax) {
                    more = true;
                    break;
                }
                const std::string ip =
                    address.is_object() ? json::stringAt(address.get_object(), {"ip"}) : "";
                list.push_back(port ? hostPort(ip, *port) : ip);
            }
        };
        if (!ports || ports->empty()) {
            addAll(std::nullopt); // headless services may have no ports
            continue;
        }
        for (const auto &port : *ports) {
            addAll(port.is_object() ? json::intAt(port.get_object(), {"port"}).value_or(0) : 0);
        }
    }
    std::string out;
    for (const auto &entry : list) {
        out += (out.empty() ? "" : ",") + entry;
    }
    if (more) {
        out += " + " + std::to_string(count - kMax) + " more...";
    }
    return out;
}

void printEndpoints(const bj::object &object, Now now, bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(formatEndpoints(object)));
    cells.emplace_back(bj::string(age(object, now)));
}

// ---- ConfigMap, Secret, Namespace, ServiceAccount ----------------------------------------

std::int64_t objectSize(const bj::object &object, std::string_view field) {
    const auto *value = json::objectAt(object, {field});
    return value ? static_cast<std::int64_t>(value->size()) : 0;
}

void printConfigMap(const bj::object &object, Now now, bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(objectSize(object, "data") + objectSize(object, "binaryData"));
    cells.emplace_back(bj::string(age(object, now)));
}

void printSecret(const bj::object &object, Now now, bj::array &cells) {
    std::string type = json::stringAt(object, {"type"});
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(type.empty() ? "Opaque" : type));
    // The API server folds stringData into data on write; should a stored object still carry
    // stringData, count the keys of both once.
    std::set<std::string> keys;
    for (const char *field : {"data", "stringData"}) {
        if (const auto *map = json::objectAt(object, {field})) {
            for (const auto &entry : *map) {
                keys.emplace(entry.key());
            }
        }
    }
    cells.emplace_back(static_cast<std::int64_t>(keys.size()));
    cells.emplace_back(bj::string(age(object, now)));
}

void printNamespace(const bj::object &object, Now now, bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(json::stringAt(object, {"status", "phase"})));
    cells.emplace_back(bj::string(age(object, now)));
}

void printServiceAccount(const bj::object &object, Now now, bj::array &cells) {
    const auto *secrets = json::arrayAt(object, {"secrets"});
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(static_cast<std::int64_t>(secrets ? secrets->size() : 0));
    cells.emplace_back(bj::string(age(object, now)));
}

// ---- Node --------------------------------------------------------------------------------

std::string nodeAddress(const bj::object &node, std::string_view type) {
    if (const auto *addresses = json::arrayAt(node, {"status", "addresses"})) {
        for (const auto &a : *addresses) {
            if (a.is_object() && json::stringAt(a.get_object(), {"type"}) == type) {
                return json::stringAt(a.get_object(), {"address"});
            }
        }
    }
    return "<none>";
}

void printNode(const bj::object &node, Now now, bj::array &cells) {
    std::string status;
    if (const auto *conditions = json::arrayAt(node, {"status", "conditions"})) {
        for (const auto &c : *conditions) {
            if (c.is_object() && json::stringAt(c.get_object(), {"type"}) == "Ready") {
                status =
                    json::stringAt(c.get_object(), {"status"}) == "True" ? "Ready" : "NotReady";
            }
        }
    }
    if (status.empty()) {
        status = "Unknown";
    }
    if (json::boolAt(node, {"spec", "unschedulable"}).value_or(false)) {
        status += ",SchedulingDisabled";
    }
    std::set<std::string> roles;
    if (const auto *labels = json::labels(node)) {
        const std::string prefix = "node-role.kubernetes.io/";
        for (const auto &entry : *labels) {
            const std::string key(entry.key());
            if (key.rfind(prefix, 0) == 0 && key.size() > prefix.size()) {
                roles.insert(key.substr(prefix.size()));
            } else if (key == "kubernetes.io/role" && entry.value().is_string() &&
                       !entry.value().get_string().empty()) {
                roles.insert(std::string(entry.value().get_string()));
            }
        }
    }
    std::string roleText;
    for (const auto &r : roles) {
        roleText += (roleText.empty() ? "" : ",") + r;
    }
    auto orUnknown = [](std::string s) { return s.empty() ? std::string("<unknown>") : s; };
    cells.emplace_back(bj::string(name(node)));
    cells.emplace_back(bj::string(status));
    cells.emplace_back(bj::string(roleText.empty() ? "<none>" : roleText));
    cells.emplace_back(bj::string(age(node, now)));
    cells.emplace_back(bj::string(json::stringAt(node, {"status", "nodeInfo", "kubeletVersion"})));
    cells.emplace_back(bj::string(nodeAddress(node, "InternalIP")));
    cells.emplace_back(bj::string(nodeAddress(node, "ExternalIP")));
    cells.emplace_back(
        bj::string(orUnknown(json::stringAt(node, {"status", "nodeInfo", "osImage"}))));
    cells.emplace_back(
        bj::string(orUnknown(json::stringAt(node, {"status", "nodeInfo", "kernelVersion"}))));
    cells.emplace_back(bj::string(
        orUnknown(json::stringAt(node, {"status", "nodeInfo", "containerRuntimeVersion"}))));
}

// ---- Event -------------------------------------------------------------------------------

std::string trim(std::string s) {
    const char *ws = " \t\n\r\f\v";
    const auto begin = s.find_first_not_of(ws);
    if (begin == std::string::npos) {
        return {};
    }
    const auto end = s.find_last_not_of(ws);
    return s.substr(begin, end - begin + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void printEvent(const bj::object &event, Now now, bj::array &cells) {
    std::string firstSeen = translateTimestampSince(json::stringAt(event, {"firstTimestamp"}), now);
    if (json::stringAt(event, {"firstTimestamp"}).empty()) {
        firstSeen = translateTimestampSince(json::stringAt(event, {"eventTime"}), now);
    }
    std::string lastSeen = translateTimestampSince(json::stringAt(event, {"lastTimestamp"}), now);
    if (json::stringAt(event, {"lastTimestamp"}).empty()) {
        lastSeen = firstSeen;
    }
    std::int64_t count = json::intAt(event, {"count"}).value_or(0);
    if (const auto *series = json::objectAt(event, {"series"})) {
        lastSeen = translateTimestampSince(json::stringAt(*series, {"lastObservedTime"}), now);
        count = json::intAt(*series, {"count"}).value_or(0);
    } else if (count == 0) {
        count = 1; // singleton events of the new API carry no count
    }

    const std::string kind = lower(json::stringAt(event, {"involvedObject", "kind"}));
    const std::string objectName = json::stringAt(event, {"involvedObject", "name"});
    const std::string target = objectName.empty() ? kind : kind + "/" + objectName;

    std::string component = json::stringAt(event, {"source", "component"});
    if (component.empty()) {
        component = json::stringAt(event, {"reportingComponent"});
    }
    std::string host = json::stringAt(event, {"source", "host"});
    if (host.empty()) {
        host = json::stringAt(event, {"reportingInstance"});
    }
    const std::string source = host.empty() ? component : component + ", " + host;

    cells.emplace_back(bj::string(lastSeen));
    cells.emplace_back(bj::string(json::stringAt(event, {"type"})));
    cells.emplace_back(bj::string(json::stringAt(event, {"reason"})));
    cells.emplace_back(bj::string(target));
    cells.emplace_back(bj::string(json::stringAt(event, {"involvedObject", "fieldPath"})));
    cells.emplace_back(bj::string(source));
    cells.emplace_back(bj::string(trim(json::stringAt(event, {"message"}))));
    cells.emplace_back(bj::string(firstSeen));
    cells.emplace_back(count);
    cells.emplace_back(bj::string(name(event)));
}

} // namespace

PrinterSpec servicePrinter() {
    return {{nameColumn(),
             column("Type", "string",
                    "type determines how the Service is exposed. Defaults to ClusterIP. Valid "
                    "options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
             column("Cluster-IP", "string",
                    "clusterIP is the IP address of the service and is usually assigned "
                    "randomly."),
             column("External-IP", "string",
                    "externalIPs is a list of IP addresses for which nodes in the cluster will "
                    "also accept traffic for this service."),
             column("Port(s)", "string", "The list of ports that are exposed by this service."),
             ageColumn(),
             column("Selector", "string",
                    "Route service traffic to pods with label keys and values matching this "
                    "selector.",
                    1)},
            printService};
}

PrinterSpec endpointsPrinter() {
    return {{nameColumn(),
             column("Endpoints", "string",
                    "The set of all endpoints is the union of all subsets. Addresses are placed "
                    "into subsets according to the IPs they share."),
             ageColumn()},
            printEndpoints};
}

PrinterSpec configMapPrinter() {
    return {{nameColumn(),
             column("Data", "string",
                    "Data contains the configuration data. Each key must consist of "
                    "alphanumeric characters, '-', '_' or '.'."),
             ageColumn()},
            printConfigMap};
}

PrinterSpec secretPrinter() {
    return {{nameColumn(),
             column("Type", "string", "Used to facilitate programmatic handling of secret data."),
             column("Data", "string",
                    "Data contains the secret data. Each key must consist of alphanumeric "
                    "characters, '-', '_' or '.'."),
             ageColumn()},
            printSecret};
}

PrinterSpec namespacePrinter() {
    return {{nameColumn(), column("Status", "string", "The status of the namespace"), ageColumn()},
            printNamespace};
}

PrinterSpec serviceAccountPrinter() {
    return {{nameColumn(),
             column("Secrets", "string",
                    "Secrets is a list of the secrets in the same namespace that pods running "
                    "using this ServiceAccount are allowed to use."),
             ageColumn()},
            printServiceAccount};
}

PrinterSpec nodePrinter() {
    const char *addresses = "List of addresses reachable to the node.";
    return {
        {nameColumn(), column("Status", "string", "The status of the node"),
         column("Roles", "string", "The roles of the node"), ageColumn(),
         column("Version", "string", "Kubelet Version reported by the node."),
         column("Internal-IP", "string", addresses, 1),
         column("External-IP", "string", addresses, 1),
         column("OS-Image", "string",
                "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux "
                "7 (wheezy)).",
                1),
         column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r'.",
                1),
         column("Container-Runtime", "string",
                "ContainerRuntime Version reported by the node through runtime remote API.", 1)},
        printNode};
}

PrinterSpec eventPrinter() {
    TableColumn nameCol = nameColumn();
    nameCol.priority = 1;
    return {{column("Last Seen", "string",
                    "The time at which the most recent occurrence of this event was recorded."),
             column("Type", "string",
                    "Type of this event (Normal, Warning), new types could "
                    "be added in the future"),
             column("Reason", "string",
                    "This should be a short, machine understandable string that gives the "
                    "reason for the transition into the object's current status."),
             column("Object", "string", "The object that this event is about."),
             column("Subobject", "string",
                    "If referring to a piece of an object instead of an entire object, this "
                    "string should contain a valid JSON/Go field access statement.",
                    1),
             column("Source", "string",
                    "The component reporting this event. Should be a short machine "
                    "understandable string.",
                    1),
             column("Message", "string",
                    "A human-readable description of the status of this operation."),
             column("First Seen", "string",
                    "The time at which the event was first recorded. (Time of server receipt "
                    "is in TypeMeta.)",
                    1),
             column("Count", "string", "The number of times this event has occurred.", 1), nameCol},
            printEvent};
}

} // namespace sandbox
