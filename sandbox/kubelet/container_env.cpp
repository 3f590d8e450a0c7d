#include "kubelet/container_env.h"

#include "api/quantity.h"
#include "util/base64.h"
#include "util/json_util.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <thread>
#include <unistd.h>

namespace sandbox {

namespace bj = boost::json;

namespace {

// ---- $(VAR) expansion (k8s.io/kubernetes third_party/forked/golang/expansion) ----

// Expands $(NAME) from `vars`; an unknown name stays as written, `$$` is a literal `$`, and
// a `$` that starts no reference (or an unclosed `$(`) is kept as is.
std::string expand(std::string_view input, const std::map<std::string, std::string> &vars) {
    std::string out;
    std::size_t checkpoint = 0;
    for (std::size_t cursor = 0; cursor < input.size(); ++cursor) {
        if (input[cursor] != '$' || cursor + 1 >= input.size()) {
            continue;
        }
        out.append(input.substr(checkpoint, cursor - checkpoint));
        const std::string_view rest = input.substr(cursor + 1);
        std::size_t advance = 1;
        if (rest[0] == '$') {
            out.push_back('$');
        } else if (rest[0] == '(') {
            const auto close = rest.find(')', 1);
            if (close == std::string_view::npos) {
                out.append("$(");
            } else {
                const std::string name(rest.substr(1, close - 1));
                const auto it = vars.find(name);
                out.append(it != vars.end() ? it->second : "$(" + name + ")");
                advance = close + 1;
            }
        } else {
            out.push_back('$');
            out.push_back(rest[0]);
        }
        cursor += advance;
        checkpoint = cursor + 1;
    }
    if (checkpoint < input.size()) {
        out.append(input.substr(checkpoint));
    }
    return out;
}

// ---- resource quantities (resourceFieldRef) ----

// A resource.Quantity as a number of base units ("500m" -> 0.5, "1Gi" -> 1073741824).
std::optional<long double> parseQuantity(std::string_view text) {
    const std::optional<std::int64_t> milli = quantity::parseMilli(text);
    if (!milli) {
        return std::nullopt;
    }
    return static_cast<long double>(*milli) / 1000.0L;
}

std::optional<long double> quantityAt(const bj::object &container, std::string_view section,
                                      std::string_view resource) {
    const bj::value *value = json::valueAt(container, {"resources", section, resource});
    if (value == nullptr) {
        return std::nullopt;
    }
    if (value->is_string()) {
        return parseQuantity(value->as_string());
    }
    if (value->is_number()) {
        return static_cast<long double>(value->to_number<double>());
    }
    return std::nullopt;
}

// The node's allocatable CPU (cores) and memory (bytes), as the kubelet registers them: the
// downward API falls back to these when a container sets no limit.
long double nodeAllocatable(std::string_view resource) {
    if (resource == "cpu") {
        return static_cast<long double>(std::max(1u, std::thread::hardware_concurrency()));
    }
    const long double pages = static_cast<long double>(sysconf(_SC_PHYS_PAGES));
    const long double pageSize = static_cast<long double>(sysconf(_SC_PAGE_SIZE));
    return std::floor(pages * pageSize / 1024.0L) * 1024.0L;
}

// pkg/api/v1/resource ExtractContainerResourceValue after defaultPodLimitsForDownwardAPI:
// CPU in ceil(milli / divisor milli), memory in ceil(bytes / divisor bytes).
rf::Result<std::string> resourceFieldValue(const bj::object &fieldRef, const bj::object &pod,
                                           const bj::object &container) {
    const std::string resource = json::stringAt(fieldRef, {"resource"});
    const bj::object *target = &container;
    const std::string containerName = json::stringAt(fieldRef, {"containerName"});
    if (!containerName.empty()) {
        target = nullptr;
        if (const bj::array *containers = json::arrayAt(pod, {"spec", "containers"})) {
            for (const auto &entry : *containers) {
                if (entry.is_object() &&
                    json::stringAt(entry.as_object(), {"name"}) == containerName) {
                    target = &entry.as_object();
                }
            }
        }
        if (target == nullptr) {
            return rf::fail("container " + containerName + " not found");
        }
    }
    const auto dot = resource.find('.');
    const std::string section = dot == std::string::npos ? "" : resource.substr(0, dot);
    const std::string name = dot == std::string::npos ? "" : resource.substr(dot + 1);
    if ((section != "limits" && section != "requests") || (name != "cpu" && name != "memory")) {
        return rf::fail("unsupported container resource : " + resource);
    }
    std::optional<long double> amount = quantityAt(*target, section, name);
    if (section == "requests" && !amount) {
        // API defaulting copies a limit into a missing request.
        amount = quantityAt(*target, "limits", name);
    }
    if (section == "limits" && !amount) {
        amount = nodeAllocatable(name);
    }
    const long double value = amount.value_or(0);

    long double divisor = 1;
    if (const bj::value *raw = fieldRef.if_contains("divisor")) {
        std::optional<long double> parsed;
        if (raw->is_string()) {
            parsed = parseQuantity(raw->as_string());
        } else if (raw->is_number()) {
            parsed = static_cast<long double>(raw->to_number<double>());
        }
        if (parsed && *parsed != 0) {
            divisor = *parsed;
        }
    }
    long double result = 0;
    if (name == "cpu") {
        const long double milli = std::ceil(value * 1000.0L);
        const long double divisorMilli = std::ceil(divisor * 1000.0L);
        result = std::ceil(milli / divisorMilli);
    } else {
        result = std::ceil(std::ceil(value) / std::ceil(divisor));
    }
    return std::to_string(static_cast<long long>(result));
}

// ---- fieldRef (pkg/kubelet podFieldSelectorRuntimeValue + fieldpath) ----

// Go's %q of a string (fieldpath.FormatMap quotes values).
std::string goQuote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                static const char hex[] = "0123456789abcdef";
                out += "\\x";
                out.push_back(hex[(static_cast<unsigned char>(c) >> 4) & 0xf]);
                out.push_back(hex[static_cast<unsigned char>(c) & 0xf]);
            } else {
                out.push_back(c);
            }
        }
    }
    return out + "\"";
}

std::string formatMap(const bj::object *map) {
    if (map == nullptr) {
        return {};
    }
    std::map<std::string, std::string> sorted;
    for (const auto &entry : *map) {
        sorted.emplace(entry.key(), entry.value().is_string()
                                        ? std::string(entry.value().as_string())
                                        : bj::serialize(entry.value()));
    }
    std::string out;
    for (const auto &[key, value] : sorted) {
        if (!out.empty()) {
            out.push_back('\n');
        }
        out += key + "=" + goQuote(value);
    }
    return out;
}

std::string mapValue(const bj::object *map, const std::string &key) {
    if (map == nullptr) {
        return {};
    }
    const bj::value *value = map->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

rf::Result<std::string> fieldRefValue(const bj::object &fieldRef, const bj::object &pod,
                                      const EnvContext &context) {
    const std::string apiVersion = json::stringAt(fieldRef, {"apiVersion"}, "v1");
    const std::string path = json::stringAt(fieldRef, {"fieldPath"});
    if (apiVersion != "v1") {
        return rf::fail("unsupported pod version: " + apiVersion);
    }
    // metadata.labels['key'] / metadata.annotations['key']
    if (const auto open = path.find("['"); open != std::string::npos) {
        if (path.size() < open + 4 || path.compare(path.size() - 2, 2, "']") != 0) {
            return rf::fail("field label not supported: " + path);
        }
        const std::string base = path.substr(0, open);
        const std::string key = path.substr(open + 2, path.size() - open - 4);
        if (base == "metadata.labels") {
            return mapValue(json::labels(pod), key);
        }
        if (base == "metadata.annotations") {
            return mapValue(json::annotations(pod), key);
        }
        return rf::fail("field label not supported: " + path);
    }
    if (path == "metadata.name") {
        return json::name(pod);
    }
    if (path == "metadata.namespace") {
        return json::namespaceOf(pod);
    }
    if (path == "metadata.uid") {
        return json::stringAt(pod, {"metadata", "uid"});
    }
    if (path == "metadata.labels") {
        return formatMap(json::labels(pod));
    }
    if (path == "metadata.annotations") {
        return formatMap(json::annotations(pod));
    }
    if (path == "spec.nodeName") {
        const std::string node = json::stringAt(pod, {"spec", "nodeName"});
        return node.empty() ? context.nodeName : node;
    }
    if (path == "spec.serviceAccountName") {
        return json::stringAt(pod, {"spec", "serviceAccountName"});
    }
    if (path == "status.hostIP" || path == "status.hostIPs") {
        return context.hostIP;
    }
    if (path == "status.podIP" || path == "status.podIPs") {
        return context.podIP;
    }
    if (path == "spec.restartPolicy" || path == "spec.schedulerName" || path == "status.phase") {
        return rf::fail("unsupported fieldPath: " + path);
    }
    return rf::fail("field label not supported: " + path);
}

// ---- ConfigMaps and Secrets ----

using DataMap = std::map<std::string, std::string>;

struct Source {
    bool found = false;
    DataMap data;
};

class SourceCache {
public:
    SourceCache(ResourceService &service, std::string ns)
        : m_service(service)
        , m_ns(std::move(ns)) {}

    // nullopt value with an error: a failure other than not-found; found=false: not found.
    rf::Result<const Source *> get(bool secret, const std::string &name) {
        auto &cache = secret ? m_secrets : m_configMaps;
        if (const auto it = cache.find(name); it != cache.end()) {
            return &it->second;
        }
        const ResourceType *type =
            m_service.registry().byResource("", "v1", secret ? "secrets" : "configmaps");
        if (type == nullptr) {
            return rf::fail(std::string("the registry has no ") +
                            (secret ? "secrets" : "configmaps"));
        }
        auto object = m_service.get(*type, m_ns, name);
        Source source;
        if (!object) {
            if (object.error().code != 404) {
                return rf::fail(object.error().message);
            }
            return &cache.emplace(name, std::move(source)).first->second;
        }
        source.found = true;
        if (const bj::object *data = json::objectAt(*object, {"data"})) {
            for (const auto &entry : *data) {
                if (!entry.value().is_string()) {
                    continue;
                }
                const std::string_view raw = entry.value().as_string();
                if (!secret) {
                    source.data[entry.key()] = raw;
                    continue;
                }
                std::size_t badByte = 0;
                auto decoded = base64Decode(raw, badByte);
                if (!decoded) {
                    return rf::fail("couldn't decode key " + std::string(entry.key()) +
                                    " in Secret " + m_ns + "/" + name +
                                    ": illegal base64 data at input byte " +
                                    std::to_string(badByte));
                }
                source.data[entry.key()] = std::move(*decoded);
            }
        }
        if (secret) {
            // The API server folds stringData into data on write (stringData wins); a
            // stored Secret that still carries it is read the same way.
            if (const bj::object *stringData = json::objectAt(*object, {"stringData"})) {
                for (const auto &entry : *stringData) {
                    if (entry.value().is_string()) {
                        source.data[entry.key()] = entry.value().as_string();
                    }
                }
            }
        }
        return &cache.emplace(name, std::move(source)).first->second;
    }

private:
    ResourceService &m_service;
    std::string m_ns;
    std::map<std::string, Source> m_configMaps;
    std::map<std::string, Source> m_secrets;
};

std::string notFoundMessage(bool secret, const std::string &name) {
    return std::string(secret ? "secret" : "configmap") + " \"" + name + "\" not found";
}

// Keeps first-set order while later sets overwrite values.
class OrderedEnv {
public:
    void set(const std::string &name, std::string value) {
        const auto [it, inserted] = m_values.insert_or_assign(name, std::move(value));
        if (inserted) {
            m_order.push_back(name);
        }
        (void)it;
    }
    const std::map<std::string, std::string> &values() const { return m_values; }
    EnvList list() const {
        EnvList out;
        out.reserve(m_order.size());
        for (const auto &name : m_order) {
            out.emplace_back(name, m_values.at(name));
        }
        return out;
    }

private:
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_order;
};

bool isOptional(const bj::object &ref) {
    return json::boolAt(ref, {"optional"}).value_or(false);
}

} // namespace

rf::Result<EnvList> resolveContainerEnv(ResourceService &service, const bj::object &pod,
                                        const bj::object &container, const EnvContext &context) {
    const std::string ns = json::namespaceOf(pod);
    SourceCache sources(service, ns);
    OrderedEnv env;

    if (const bj::array *envFrom = json::arrayAt(container, {"envFrom"})) {
        for (const auto &item : *envFrom) {
            if (!item.is_object()) {
                continue;
            }
            const bj::object &entry = item.as_object();
            const std::string prefix = json::stringAt(entry, {"prefix"});
            const bool secret = !entry.contains("configMapRef") && entry.contains("secretRef");
            const bj::object *ref = json::objectAt(entry, {secret ? "secretRef" : "configMapRef"});
            if (ref == nullptr) {
                continue;
            }
            const std::string name = json::stringAt(*ref, {"name"});
            auto source = sources.get(secret, name);
            if (!source) {
                return rf::fail(source.message());
            }
            if (!(*source)->found) {
                if (isOptional(*ref)) {
                    continue;
                }
                return rf::fail(notFoundMessage(secret, name));
            }
            for (const auto &[key, value] : (*source)->data) {
                const std::string fullName = prefix + key;
                // A name with '=' cannot be an environment entry at all.
                if (fullName.find('=') != std::string::npos) {
                    continue;
                }
                env.set(fullName, value);
            }
        }
    }

    if (const bj::array *entries = json::arrayAt(container, {"env"})) {
        for (const auto &item : *entries) {
            if (!item.is_object()) {
                continue;
            }
            const bj::object &entry = item.as_object();
            const std::string name = json::stringAt(entry, {"name"});
            std::string value = json::stringAt(entry, {"value"});
            const bj::object *valueFrom = json::objectAt(entry, {"valueFrom"});
            if (!value.empty()) {
                value = expand(value, env.values());
            } else if (valueFrom != nullptr) {
                if (const bj::object *fieldRef = json::objectAt(*valueFrom, {"fieldRef"})) {
                    auto resolved = fieldRefValue(*fieldRef, pod, context);
                    if (!resolved) {
                        return rf::fail(resolved.message());
                    }
                    value = std::move(*resolved);
                } else if (const bj::object *resourceRef =
                               json::objectAt(*valueFrom, {"resourceFieldRef"})) {
                    auto resolved = resourceFieldValue(*resourceRef, pod, container);
                    if (!resolved) {
                        return rf::fail(resolved.message());
                    }
                    value = std::move(*resolved);
                } else {
                    const bool secret = valueFrom->contains("secretKeyRef");
                    const bj::object *ref =
                        json::objectAt(*valueFrom, {secret ? "secretKeyRef" : "configMapKeyRef"});
                    if (ref != nullptr) {
                        const std::string sourceName = json::stringAt(*ref, {"name"});
                        const std::string key = json::stringAt(*ref, {"key"});
                        auto source = sources.get(secret, sourceName);
                        if (!source) {
                            return rf::fail(source.message());
                        }
                        if (!(*source)->found) {
                            if (isOptional(*ref)) {
                                continue;
                            }
                            return rf::fail(notFoundMessage(secret, sourceName));
                        }
                        const auto it = (*source)->data.find(key);
                        if (it == (*source)->data.end()) {
                            if (isOptional(*ref)) {
                                continue;
                            }
                            return rf::fail("couldn't find key " + key + " in " +
                                            (secret ? "Secret " : "ConfigMap ") + ns + "/" +
                                            sourceName);
                        }
                        value = it->second;
                    }
                }
            }
            env.set(name, std::move(value));
        }
    }
    return env.list();
}

} // namespace sandbox
