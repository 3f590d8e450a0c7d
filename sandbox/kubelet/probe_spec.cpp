#include "kubelet/probe_check.h"

#include "util/json_util.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>

namespace sandbox {

namespace bj = boost::json;

namespace {

int positiveOr(const bj::object &probe, std::string_view field, int fallback, int minimum) {
    const auto value = json::intAt(probe, {field});
    if (!value || *value < minimum) {
        return fallback;
    }
    return static_cast<int>(std::min<std::int64_t>(*value, 1'000'000));
}

// pkg/kubelet/prober getPort/findPortByName: a number, or a containerPort name, or a name
// that is a number after all.
void resolvePort(const bj::value *port, const bj::object &container, ProbeSpec &spec) {
    std::int64_t number = 0;
    if (port == nullptr) {
        spec.portError = "invalid port number: 0";
        return;
    }
    if (port->is_int64() || port->is_uint64()) {
        number = port->to_number<std::int64_t>();
    } else if (port->is_string()) {
        const std::string name(port->as_string());
        bool found = false;
        if (const bj::array *ports = json::arrayAt(container, {"ports"})) {
            for (const auto &entry : *ports) {
                if (entry.is_object() && json::stringAt(entry.as_object(), {"name"}) == name) {
                    number = json::intAt(entry.as_object(), {"containerPort"}).value_or(0);
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
            if (name.empty() || ec != std::errc() || end != name.data() + name.size()) {
                spec.portError = "strconv.Atoi: parsing " + probeGoQuote(name) + ": invalid syntax";
                return;
            }
        }
    } else {
        spec.portError = "invalid port number: " + bj::serialize(*port);
        return;
    }
    if (number <= 0 || number > 65535) {
        spec.portError = "invalid port number: " + std::to_string(number);
        return;
    }
    spec.port = static_cast<int>(number);
}

} // namespace

std::string probeGoQuote(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0xf]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
    return out;
}

std::optional<ProbeSpec> parseProbe(const bj::object &container, std::string_view field,
                                    const std::string &podIP) {
    const bj::object *probe = json::objectAt(container, {field});
    if (probe == nullptr) {
        return std::nullopt;
    }
    ProbeSpec spec;
    spec.host = podIP;
    if (const bj::object *http = json::objectAt(*probe, {"httpGet"})) {
        spec.kind = ProbeKind::HttpGet;
        spec.scheme = json::stringAt(*http, {"scheme"}, "HTTP");
        const std::string host = json::stringAt(*http, {"host"});
        if (!host.empty()) {
            spec.host = host;
        }
        spec.path = json::stringAt(*http, {"path"}, "/");
        resolvePort(http->if_contains("port"), container, spec);
        if (const bj::array *headers = json::arrayAt(*http, {"httpHeaders"})) {
            for (const auto &entry : *headers) {
                if (entry.is_object()) {
                    spec.headers.emplace_back(json::stringAt(entry.as_object(), {"name"}),
                                              json::stringAt(entry.as_object(), {"value"}));
                }
            }
        }
    } else if (const bj::object *tcp = json::objectAt(*probe, {"tcpSocket"})) {
        spec.kind = ProbeKind::TcpSocket;
        const std::string host = json::stringAt(*tcp, {"host"});
        if (!host.empty()) {
            spec.host = host;
        }
        resolvePort(tcp->if_contains("port"), container, spec);
    } else if (const bj::object *exec = json::objectAt(*probe, {"exec"})) {
        spec.kind = ProbeKind::Exec;
        if (const bj::array *command = json::arrayAt(*exec, {"command"})) {
            for (const auto &arg : *command) {
                if (arg.is_string()) {
                    spec.command.emplace_back(arg.as_string());
                }
            }
        }
    } else if (const bj::object *grpc = json::objectAt(*probe, {"grpc"})) {
        spec.kind = ProbeKind::Grpc;
        resolvePort(grpc->if_contains("port"), container, spec);
    } else {
        return std::nullopt;
    }
    spec.initialDelaySeconds = positiveOr(*probe, "initialDelaySeconds", 0, 0);
    spec.periodSeconds = positiveOr(*probe, "periodSeconds", 10, 1);
    spec.timeoutSeconds = positiveOr(*probe, "timeoutSeconds", 1, 1);
    spec.successThreshold = positiveOr(*probe, "successThreshold", 1, 1);
    spec.failureThreshold = positiveOr(*probe, "failureThreshold", 3, 1);
    if (field != "readinessProbe") {
        // Validation allows only 1 for liveness and startup probes.
        spec.successThreshold = 1;
    }
    return spec;
}

} // namespace sandbox
