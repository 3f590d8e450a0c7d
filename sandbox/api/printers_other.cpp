// Row printers for autoscaling/v2 HPAs, networking.k8s.io Ingresses, policy/v1 PDBs, and
// the default convertors the API server uses for CRDs and custom resources.
#include "api/printers.h"

#include "api/printer_util.h"
#include "util/json_util.h"

#include <boost/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace sandbox {

namespace {

namespace bj = boost::json;
using namespace printing;

// ---- HorizontalPodAutoscaler -------------------------------------------------------------

const bj::object *statusAt(const bj::array *statuses, std::size_t i, std::string_view field) {
    if (!statuses || i >= statuses->size() || !(*statuses)[i].is_object()) {
        return nullptr;
    }
    return json::objectAt((*statuses)[i].get_object(), {field});
}

// One metric as kubectl 1.32 prints it. Resource metrics carry their name ("cpu: 45%/70%");
// the current value comes from the status entry at the same index, "<unknown>" until the
// controller has measured it.
std::string formatMetric(const bj::object &spec, const bj::array *statuses, std::size_t i) {
    const std::string type = json::stringAt(spec, {"type"});
    const std::string unknown = "<unknown>";
    auto valueAt = [](const bj::object *obj, std::string_view field) -> const bj::value * {
        return obj ? json::valueAt(*obj, {field}) : nullptr;
    };
    if (type == "External" || type == "Object") {
        const std::string field = type == "External" ? "external" : "object";
        const bj::object *target = json::objectAt(spec, {field, "target"});
        const bj::object *current = [&]() -> const bj::object * {
            const bj::object *s = statusAt(statuses, i, field);
            return s ? json::objectAt(*s, {"current"}) : nullptr;
        }();
        if (const bj::value *avg = valueAt(target, "averageValue")) {
            const bj::value *cur = valueAt(current, "averageValue");
            return (cur ? quantity(cur) : unknown) + "/" + quantity(avg) + " (avg)";
        }
        const bool haveStatus = statusAt(statuses, i, field) != nullptr;
        return (haveStatus ? quantity(valueAt(current, "value")) : unknown) + "/" +
               quantity(valueAt(target, "value"));
    }
    if (type == "Pods") {
        const bj::object *s = statusAt(statuses, i, "pods");
        const std::string current =
            s ? quantity(json::valueAt(*s, {"current", "averageValue"})) : unknown;
        return current + "/" + quantity(json::valueAt(spec, {"pods", "target", "averageValue"}));
    }
    if (type == "Resource" || type == "ContainerResource") {
        const std::string field = type == "Resource" ? "resource" : "containerResource";
        const std::string metricName = json::stringAt(spec, {field, "name"});
        const bj::object *target = json::objectAt(spec, {field, "target"});
        const bj::object *s = statusAt(statuses, i, field);
        if (const bj::value *avg = valueAt(target, "averageValue")) {
            const std::string current =
                s ? quantity(json::valueAt(*s, {"current", "averageValue"})) : unknown;
            return metricName + ": " + current + "/" + quantity(avg);
        }
        std::string current = unknown;
        if (s) {
            if (auto util = json::intAt(*s, {"current", "averageUtilization"})) {
                current = std::to_string(*util) + "%";
            }
        }
        std::string targetText = "<auto>";
        if (target) {
            if (auto util = json::intAt(*target, {"averageUtilization"})) {
                targetText = std::to_string(*util) + "%";
            }
        }
        return metricName + ": " + current + "/" + targetText;
    }
    return "<unknown type>";
}

std::string formatHpaMetrics(const bj::object &hpa) {
    const bj::array *specs = json::arrayAt(hpa, {"spec", "metrics"});
    if (!specs || specs->empty()) {
        return "<none>";
    }
    const bj::array *statuses = json::arrayAt(hpa, {"status", "currentMetrics"});
    constexpr std::size_t kMax = 2;
    std::vector<std::string> list;
    std::size_t count = 0;
    for (std::size_t i = 0; i < specs->size(); ++i) {
        if ((*specs)[i].is_object()) {
            list.push_back(formatMetric((*specs)[i].get_object(), statuses, i));
        } else {
            list.push_back("<unknown type>");
        }
        ++count;
    }
    const bool more = count > kMax;
    if (more) {
        list.resize(kMax);
    }
    std::string out;
    for (const auto &item : list) {
        out += (out.empty() ? "" : ", ") + item;
    }
    if (more) {
        out += " + " + std::to_string(count - kMax) + " more...";
    }
    return out;
}

void printHpa(const bj::object &hpa, Now now, bj::array &cells) {
    const std::string reference = json::stringAt(hpa, {"spec", "scaleTargetRef", "kind"}) + "/" +
                                  json::stringAt(hpa, {"spec", "scaleTargetRef", "name"});
    std::string minPods = "<unset>";
    if (auto min = json::intAt(hpa, {"spec", "minReplicas"})) {
        minPods = std::to_string(*min);
    }
    cells.emplace_back(bj::string(name(hpa)));
    cells.emplace_back(bj::string(reference));
    cells.emplace_back(bj::string(formatHpaMetrics(hpa)));
    cells.emplace_back(bj::string(minPods));
    cells.emplace_back(intOr(hpa, {"spec", "maxReplicas"}, 0));
    cells.emplace_back(intOr(hpa, {"status", "currentReplicas"}, 0));
    cells.emplace_back(bj::string(age(hpa, now)));
}

// ---- Ingress -----------------------------------------------------------------------------

std::string ingressHosts(const bj::object &ingress) {
    const bj::array *rules = json::arrayAt(ingress, {"spec", "rules"});
    constexpr std::size_t kMax = 3;
    std::vector<std::string> list;
    bool more = false;
    if (rules) {
        for (const auto &rule : *rules) {
            if (list.size() == kMax) {
                more = true;
            }
            const std::string host =
                rule.is_object() ? json::stringAt(rule.get_object(), {"host"}) : std::string();
            if (!more && !host.empty()) {
                list.push_back(host);
            }
        }
    }
    if (list.empty()) {
        return "*";
    }
    std::string out;
    for (const auto &h : list) {
        out += (out.empty() ? "" : ",") + h;
    }
    if (more) {
        out += " + " + std::to_string(rules->size() - kMax) + " more...";
    }
    return out;
}

void printIngress(const bj::object &ingress, Now now, bj::array &cells) {
    std::string className = json::stringAt(ingress, {"spec", "ingressClassName"});
    if (const auto *value = json::valueAt(ingress, {"spec", "ingressClassName"});
        !value || !value->is_string()) {
        className = "<none>";
    }
    std::set<std::string> addresses;
    if (const auto *lb = json::arrayAt(ingress, {"status", "loadBalancer", "ingress"})) {
        for (const auto &entry : *lb) {
            if (!entry.is_object()) {
                continue;
            }
            const std::string ip = json::stringAt(entry.get_object(), {"ip"});
            const std::string host = json::stringAt(entry.get_object(), {"hostname"});
            if (!ip.empty()) {
                addresses.insert(ip);
            } else if (!host.empty()) {
                addresses.insert(host);
            }
        }
    }
    std::string address;
    for (const auto &a : addresses) {
        address += (address.empty() ? "" : ",") + a;
    }
    const auto *tls = json::arrayAt(ingress, {"spec", "tls"});
    cells.emplace_back(bj::string(name(ingress)));
    cells.emplace_back(bj::string(className));
    cells.emplace_back(bj::string(ingressHosts(ingress)));
    cells.emplace_back(bj::string(address));
    cells.emplace_back(bj::string(tls && !tls->empty() ? "80, 443" : "80"));
    cells.emplace_back(bj::string(age(ingress, now)));
}

// ---- PodDisruptionBudget -----------------------------------------------------------------

void printPdb(const bj::object &pdb, Now now, bj::array &cells) {
    cells.emplace_back(bj::string(name(pdb)));
    cells.emplace_back(
        bj::string(intOrString(json::valueAt(pdb, {"spec", "minAvailable"}), "N/A")));
    cells.emplace_back(
        bj::string(intOrString(json::valueAt(pdb, {"spec", "maxUnavailable"}), "N/A")));
    cells.emplace_back(intOr(pdb, {"status", "disruptionsAllowed"}, 0));
    cells.emplace_back(bj::string(age(pdb, now)));
}

// ---- Defaults ----------------------------------------------------------------------------

void printNameAndCreatedAt(const bj::object &object, Now, bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(json::stringAt(object, {"metadata", "creationTimestamp"})));
}

void printNameAndAge(const bj::object &object, Now now, bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(age(object, now)));
}

} // namespace

PrinterSpec hpaPrinter() {
    return {{nameColumn(),
             column("Reference", "string",
                    "scaleTargetRef points to the target resource to scale, and is used to the "
                    "pods for which metrics should be collected, as well as to actually change "
                    "the replica count."),
             column("Targets", "string",
                    "metrics contains the specifications for which to use to calculate the "
                    "desired replica count (the maximum replica count across all metrics will "
                    "be used)."),
             column("MinPods", "string",
                    "minReplicas is the lower limit for the number of replicas to which the "
                    "autoscaler can scale down."),
             column("MaxPods", "string",
                    "maxReplicas is the upper limit for the number of replicas to which the "
                    "autoscaler can scale up. It cannot be less that minReplicas."),
             column("Replicas", "string",
                    "currentReplicas is current number of replicas of pods managed by this "
                    "autoscaler, as last seen by the autoscaler."),
             ageColumn()},
            printHpa};
}

PrinterSpec ingressPrinter() {
    return {{nameColumn(),
             column("Class", "string",
                    "The name of the IngressClass resource that should be used for additional "
                    "configuration"),
             column("Hosts", "string",
                    "Hosts that incoming requests are matched against before the ingress rule"),
             column("Address", "string",
                    "Address is a list containing ingress points for the load-balancer"),
             column("Ports", "string", "Ports of TLS configurations that open"), ageColumn()},
            printIngress};
}

PrinterSpec pdbPrinter() {
    return {
        {nameColumn(),
         column("Min Available", "string", "The minimum number of pods that must be available."),
         column("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
         column("Allowed Disruptions", "integer",
                "Calculated number of pods that may be disrupted at this time."),
         ageColumn()},
        printPdb};
}

PrinterSpec crdPrinter() {
    TableColumn createdAt = ageColumn();
    createdAt.name = "Created At";
    createdAt.type = "date";
    return {{nameColumn(), createdAt}, printNameAndCreatedAt};
}

PrinterSpec genericPrinter() {
    // Custom resources without additionalPrinterColumns get an "Age" column of type date,
    // printed as a human duration by the server.
    TableColumn ageCol = ageColumn();
    ageCol.type = "date";
    return {{nameColumn(), ageCol}, printNameAndAge};
}

} // namespace sandbox
