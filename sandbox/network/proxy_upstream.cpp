#include "network/proxy_upstream.h"

#include "network/service_table.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <random>

namespace sandbox::proxy {

namespace {

std::size_t randomIndex(std::size_t size) {
    static thread_local std::mt19937 engine{std::random_device{}()};
    return size == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, size - 1)(engine);
}

bool allDigits(const std::string &text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// A port number, or 0 when it is none (too long, out of range).
std::int64_t portNumber(const std::string &digits) {
    if (digits.size() > 5) {
        return 0;
    }
    const std::int64_t value = std::stoll(digits);
    return value <= 65535 ? value : 0;
}

} // namespace

ApiError serviceUnavailable(std::string message) {
    ApiError error;
    error.code = 503;
    error.reason = "ServiceUnavailable";
    error.message = std::move(message);
    return error;
}

std::optional<ProxyTarget> splitSchemeNamePort(const std::string &id) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = id.find(':', start);
        parts.push_back(id.substr(start, colon == std::string::npos ? colon : colon - start));
        if (colon == std::string::npos) {
            break;
        }
        start = colon + 1;
    }
    ProxyTarget target;
    switch (parts.size()) {
    case 1:
        target.name = parts[0];
        break;
    case 2:
        target.name = parts[0];
        target.port = parts[1];
        break;
    case 3:
        target.scheme = parts[0];
        target.name = parts[1];
        target.port = parts[2];
        break;
    default:
        return std::nullopt;
    }
    if (target.name.empty() ||
        (target.scheme != "" && target.scheme != "http" && target.scheme != "https")) {
        return std::nullopt;
    }
    return target;
}

ApiResult<Upstream> serviceUpstream(const ProxyTarget &target, const boost::json::object &service,
                                    const boost::json::object *endpoints, const std::string &id) {
    std::string portName = target.port;
    if (allDigits(portName)) {
        // A port number names the Service port; endpoints are matched by that port's name.
        bool found = false;
        if (const auto *ports = json::arrayAt(service, {"spec", "ports"})) {
            for (const auto &p : *ports) {
                const auto *port = p.if_object();
                if (port != nullptr &&
                    json::intAt(*port, {"port"}).value_or(-1) == portNumber(target.port)) {
                    portName = json::stringAt(*port, {"name"});
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            return serviceUnavailable("no service port " + target.port + " found for service \"" +
                                      target.name + "\"");
        }
    }
    if (target.port.empty()) {
        // Kubernetes then only matches an unnamed port; a Service with a single (named)
        // port is meant too, so the sandbox takes that one.
        const auto *ports = json::arrayAt(service, {"spec", "ports"});
        if (ports != nullptr && ports->size() == 1 && ports->front().is_object()) {
            portName = json::stringAt(ports->front().get_object(), {"name"});
        }
    }
    const auto *subsets = endpoints ? json::arrayAt(*endpoints, {"subsets"}) : nullptr;
    if (subsets == nullptr || subsets->empty()) {
        return serviceUnavailable("no endpoints available for service \"" + target.name + "\"");
    }
    const auto backends = readyBackends(*endpoints);
    auto it = backends.find(portName);
    if (it == backends.end() || it->second.empty()) {
        return serviceUnavailable("no endpoints available for service \"" + id + "\"");
    }
    Upstream upstream;
    upstream.scheme = target.scheme.empty() ? "http" : target.scheme;
    const std::size_t first = randomIndex(it->second.size());
    for (std::size_t i = 0; i < it->second.size(); ++i) {
        const Backend &backend = it->second[(first + i) % it->second.size()];
        upstream.addresses.emplace_back(backend.ip, backend.port);
    }
    return upstream;
}

ApiResult<Upstream> podUpstream(const ProxyTarget &target, const boost::json::object &pod) {
    std::string port = target.port;
    if (port.empty()) {
        if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
            for (const auto &c : *containers) {
                const auto *ports =
                    c.is_object() ? json::arrayAt(c.get_object(), {"ports"}) : nullptr;
                if (ports != nullptr && !ports->empty() && ports->front().is_object()) {
                    if (auto number = json::intAt(ports->front().get_object(), {"containerPort"})) {
                        port = std::to_string(*number);
                        break;
                    }
                }
            }
        }
    } else if (!allDigits(port)) {
        // A named port: the container port of that name.
        std::string named;
        if (const auto *containers = json::arrayAt(pod, {"spec", "containers"})) {
            for (const auto &c : *containers) {
                const auto *ports =
                    c.is_object() ? json::arrayAt(c.get_object(), {"ports"}) : nullptr;
                for (std::size_t i = 0; ports != nullptr && i < ports->size(); ++i) {
                    const auto *entry = (*ports)[i].if_object();
                    if (entry != nullptr && json::stringAt(*entry, {"name"}) == port) {
                        named = std::to_string(json::intAt(*entry, {"containerPort"}).value_or(0));
                    }
                }
            }
        }
        if (named.empty()) {
            return serviceUnavailable("pod \"" + target.name + "\" has no port named \"" + port +
                                      "\"");
        }
        port = named;
    }
    if (port.empty()) {
        port = "80";
    }
    const std::string ip = json::stringAt(pod, {"status", "podIP"});
    if (ip.empty()) {
        return serviceUnavailable("error trying to reach service: pod \"" + target.name +
                                  "\" has no IP address yet");
    }
    const std::int64_t number = allDigits(port) ? portNumber(port) : 0;
    if (number <= 0) {
        return ApiError::badRequest("invalid port " + port);
    }
    Upstream upstream;
    upstream.scheme = target.scheme.empty() ? "http" : target.scheme;
    upstream.addresses.emplace_back(ip, static_cast<std::uint16_t>(number));
    return upstream;
}

std::string proxyTail(const std::string &target) {
    const std::string path = target.substr(0, target.find('?'));
    // /api/v1/namespaces/{ns}/{resource}/{name}/proxy: seven segments before the tail.
    std::size_t at = 0;
    for (int segment = 0; segment < 7; ++segment) {
        while (at < path.size() && path[at] == '/') {
            ++at;
        }
        const std::size_t slash = path.find('/', at);
        if (slash == std::string::npos) {
            return {};
        }
        at = slash;
    }
    return path.substr(at);
}

} // namespace sandbox::proxy
