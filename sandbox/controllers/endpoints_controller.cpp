#include "controllers/endpoints_controller.h"

#include "controllers/controller_utils.h"
#include "controllers/deployment_util.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace sandbox {

namespace {

constexpr std::string_view kFieldManager = "kube-controller-manager";

bool hasSelector(const boost::json::object &svc) {
    const auto *selector = json::objectAt(svc, {"spec", "selector"});
    return selector != nullptr && !selector->empty();
}

// targetPort of a service port resolved against one pod: number, named container port, or
// the service port itself.
std::optional<std::int64_t> resolvePort(const boost::json::object &servicePort,
                                        const boost::json::object &pod) {
    const auto *target = servicePort.if_contains("targetPort");
    if (target == nullptr || target->is_null()) {
        return json::intAt(servicePort, {"port"});
    }
    if (target->is_int64() || target->is_uint64()) {
        return json::intAt(servicePort, {"targetPort"});
    }
    if (!target->is_string()) {
        return std::nullopt;
    }
    const std::string name(target->get_string());
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
        return std::stoll(name);
    }
    const std::string protocol = json::stringAt(servicePort, {"protocol"}, "TCP");
    if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
        for (const auto &c : *containers) {
            const auto *ports = c.is_object() ? json::arrayAt(c.get_object(), {"ports"}) : nullptr;
            if (ports == nullptr) {
                continue;
            }
            for (const auto &p : *ports) {
                if (p.is_object() && json::stringAt(p.get_object(), {"name"}) == name &&
                    json::stringAt(p.get_object(), {"protocol"}, "TCP") == protocol) {
                    return json::intAt(p.get_object(), {"containerPort"});
                }
            }
        }
    }
    return std::nullopt;
}

} // namespace

boost::json::array computeEndpointSubsets(const boost::json::object &svc,
                                          const std::vector<boost::json::object> &pods) {
    const bool publishNotReady =
        json::boolAt(svc, {"spec", "publishNotReadyAddresses"}).value_or(false);
    const auto *servicePorts = json::arrayAt(svc, {"spec", "ports"});
    struct Subset {
        boost::json::array ports;
        std::vector<boost::json::object> ready;
        std::vector<boost::json::object> notReady;
    };
    std::map<std::string, Subset> subsets; // canonical ports -> subset
    for (const auto &pod : pods) {
        const std::string ip = json::stringAt(pod, {"status", "podIP"});
        const std::string phase = json::stringAt(pod, {"status", "phase"});
        if (ip.empty() || phase == "Succeeded" || phase == "Failed") {
            continue;
        }
        if (deployment::beingDeleted(pod) && !publishNotReady) {
            continue;
        }
        boost::json::array ports;
        bool missing = false;
        if (servicePorts != nullptr) {
            for (const auto &sp : *servicePorts) {
                if (!sp.is_object()) {
                    continue;
                }
                const auto &servicePort = sp.get_object();
                auto port = resolvePort(servicePort, pod);
                if (!port) {
                    missing = true;
                    continue;
                }
                boost::json::object entry;
                const std::string name = json::stringAt(servicePort, {"name"});
                if (!name.empty()) {
                    entry["name"] = name;
                }
                entry["port"] = *port;
                entry["protocol"] = json::stringAt(servicePort, {"protocol"}, "TCP");
                if (const auto *app = servicePort.if_contains("appProtocol")) {
                    entry["appProtocol"] = *app;
                }
                ports.push_back(std::move(entry));
            }
        }
        if (ports.empty() && missing) {
            continue; // no port of this pod serves the Service
        }
        boost::json::object address{{"ip", ip}};
        const std::string node = json::stringAt(pod, {"spec", "nodeName"});
        if (!node.empty()) {
            address["nodeName"] = node;
        }
        address["targetRef"] = boost::json::object{{"kind", "Pod"},
                                                   {"namespace", json::namespaceOf(pod)},
                                                   {"name", json::name(pod)},
                                                   {"uid", uidOf(pod)}};
        Subset &subset = subsets[json::canonical(ports)];
        subset.ports = ports;
        if (publishNotReady || deployment::podReady(pod)) {
            subset.ready.push_back(std::move(address));
        } else {
            subset.notReady.push_back(std::move(address));
        }
    }
    auto byIp = [](const boost::json::object &a, const boost::json::object &b) {
        return json::stringAt(a, {"ip"}) < json::stringAt(b, {"ip"});
    };
    boost::json::array out;
    for (auto &[key, subset] : subsets) {
        std::sort(subset.ready.begin(), subset.ready.end(), byIp);
        std::sort(subset.notReady.begin(), subset.notReady.end(), byIp);
        boost::json::object entry;
        if (!subset.ready.empty()) {
            entry["addresses"] = boost::json::array(subset.ready.begin(), subset.ready.end());
        }
        if (!subset.notReady.empty()) {
            entry["notReadyAddresses"] =
                boost::json::array(subset.notReady.begin(), subset.notReady.end());
        }
        if (!subset.ports.empty()) {
            entry["ports"] = subset.ports;
        }
        out.push_back(std::move(entry));
    }
    return out;
}

EndpointsController::EndpointsController(ResourceService &service, int workers)
    : Controller("endpoint-controller", service, workers)
    , m_serviceType(type("", "services"))
    , m_podType(type("", "pods"))
    , m_endpointsType(type("", "endpoints")) {
    watch(m_serviceType, [this](const WatchEvent &event) {
        const std::string ns = json::namespaceOf(event.object);
        {
            std::lock_guard lock(m_indexMutex);
            if (event.type == WatchEventType::Deleted || !hasSelector(event.object)) {
                m_selecting[ns].erase(json::name(event.object));
            } else {
                m_selecting[ns].insert(json::name(event.object));
            }
        }
        enqueue(objectKey(event.object));
    });
    watch(m_podType, [this](const WatchEvent &event) {
        const std::string ns = json::namespaceOf(event.object);
        std::vector<std::string> names;
        {
            std::lock_guard lock(m_indexMutex);
            auto it = m_selecting.find(ns);
            if (it == m_selecting.end()) {
                return;
            }
            names.assign(it->second.begin(), it->second.end());
        }
        for (const auto &name : names) {
            enqueue(objectKey(ns, name));
        }
    });
    // A deleted or edited Endpoints object of a selecting Service is put back.
    watch(m_endpointsType, [this](const WatchEvent &event) {
        const std::string ns = json::namespaceOf(event.object);
        std::lock_guard lock(m_indexMutex);
        auto it = m_selecting.find(ns);
        if (it != m_selecting.end() && it->second.count(json::name(event.object)) != 0) {
            enqueue(objectKey(event.object));
        }
    });
}

EndpointsController::~EndpointsController() {
    stop();
}

SyncResult EndpointsController::sync(const std::string &key) {
    const auto [ns, name] = splitKey(key);
    auto svc = service().get(m_serviceType, ns, name);
    if (!svc) {
        if (!isNotFound(svc.error())) {
            return SyncResult::error(svc.error().message);
        }
        // The Service is gone: its Endpoints go too, as the real controller does.
        auto removed = service().remove(m_endpointsType, ns, name, DeleteOptions{});
        if (!removed && !isNotFound(removed.error())) {
            return SyncResult::error(removed.error().message);
        }
        return SyncResult::done();
    }
    if (!hasSelector(*svc)) {
        return SyncResult::done();
    }
    std::vector<std::string> terms;
    for (const auto &[k, v] : *json::objectAt(*svc, {"spec", "selector"})) {
        terms.push_back(std::string(k) + "=" + (v.is_string() ? std::string(v.get_string()) : ""));
    }
    ListOptions options;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        options.labelSelector += (i ? "," : "") + terms[i];
    }
    auto pods = service().list(m_podType, ns, options);
    if (!pods) {
        return SyncResult::error(pods.error().message);
    }
    boost::json::array subsets = computeEndpointSubsets(*svc, pods->items);

    boost::json::object labels;
    if (const auto *svcLabels = json::labels(*svc)) {
        labels = *svcLabels;
    }
    if (json::stringAt(*svc, {"spec", "clusterIP"}) == "None") {
        labels["service.kubernetes.io/headless"] = "";
    }
    auto existing = service().get(m_endpointsType, ns, name);
    if (existing) {
        const auto *oldSubsets = json::arrayAt(*existing, {"subsets"});
        const auto *oldLabels = json::labels(*existing);
        const bool sameSubsets =
            json::canonical(oldSubsets ? boost::json::value(*oldSubsets)
                                       : boost::json::value(boost::json::array{})) ==
            json::canonical(subsets);
        const bool sameLabels = json::canonical(oldLabels ? *oldLabels : boost::json::object{}) ==
                                json::canonical(labels);
        if (sameSubsets && sameLabels) {
            return SyncResult::done();
        }
    }
    boost::json::object endpoints =
        existing ? *existing : boost::json::object{{"apiVersion", "v1"}, {"kind", "Endpoints"}};
    auto &metadata = json::ensureObject(endpoints, {"metadata"});
    metadata["name"] = name;
    metadata["namespace"] = ns;
    if (labels.empty()) {
        metadata.erase("labels");
    } else {
        metadata["labels"] = labels;
    }
    auto &annotations = json::ensureObject(endpoints, {"metadata", "annotations"});
    annotations["endpoints.kubernetes.io/last-change-trigger-time"] = formatRfc3339(clock().now());
    if (subsets.empty()) {
        endpoints.erase("subsets");
    } else {
        endpoints["subsets"] = std::move(subsets);
    }
    auto written = existing ? service().update(m_endpointsType, ns, name, std::move(endpoints),
                                               managerOptions(kFieldManager))
                            : service().create(m_endpointsType, ns, std::move(endpoints),
                                               managerOptions(kFieldManager));
    if (!written) {
        const ApiError &error = written.error();
        return isConflict(error) || isAlreadyExists(error) || isNotFound(error)
                   ? SyncResult::retry()
                   : SyncResult::error(error.message);
    }
    return SyncResult::done();
}

} // namespace sandbox
