#include "controllers/pod_template_hash.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <cmath>
#include <mutex>
#include <random>

namespace sandbox {

namespace {

// Removes nulls and empties, recursively; true when the value itself became empty.
bool prune(boost::json::value &value) {
    if (value.is_null()) {
        return true;
    }
    if (value.is_double()) {
        const double d = value.get_double();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
            value = static_cast<std::int64_t>(d);
        }
        return false;
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        value = static_cast<std::int64_t>(value.get_uint64());
        return false;
    }
    if (value.is_string()) {
        return value.get_string().empty();
    }
    if (value.is_array()) {
        auto &array = value.get_array();
        for (auto &item : array) {
            // Keep positions in arrays: an emptied element still counts (e.g. args: [""]).
            if (item.is_object() || item.is_array()) {
                prune(item);
            }
        }
        return array.empty();
    }
    if (value.is_object()) {
        auto &object = value.get_object();
        for (auto it = object.begin(); it != object.end();) {
            if (prune(it->value())) {
                it = object.erase(it);
            } else {
                ++it;
            }
        }
        return object.empty();
    }
    return false;
}

void setDefault(boost::json::object &object, std::string_view key, boost::json::value value) {
    if (!object.contains(key)) {
        object[key] = std::move(value);
    }
}

// imagePullPolicy default: Always for ":latest" or no tag (and no digest), else IfNotPresent.
std::string defaultPullPolicy(std::string_view image) {
    if (image.find('@') != std::string_view::npos) {
        return "IfNotPresent";
    }
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    const bool hasTag =
        colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
    if (!hasTag || image.substr(colon + 1) == "latest") {
        return "Always";
    }
    return "IfNotPresent";
}

void defaultProbe(boost::json::object &container, std::string_view field) {
    auto *probe = container.if_contains(field);
    if (probe == nullptr || !probe->is_object()) {
        return;
    }
    auto &p = probe->get_object();
    setDefault(p, "timeoutSeconds", 1);
    setDefault(p, "periodSeconds", 10);
    setDefault(p, "successThreshold", 1);
    setDefault(p, "failureThreshold", 3);
    if (auto *http = p.if_contains("httpGet"); http && http->is_object()) {
        setDefault(http->get_object(), "scheme", "HTTP");
    }
}

void defaultContainers(boost::json::object &spec, std::string_view field) {
    auto *containers = spec.if_contains(field);
    if (containers == nullptr || !containers->is_array()) {
        return;
    }
    for (auto &c : containers->get_array()) {
        if (!c.is_object()) {
            continue;
        }
        auto &container = c.get_object();
        setDefault(container, "terminationMessagePath", "/dev/termination-log");
        setDefault(container, "terminationMessagePolicy", "File");
        setDefault(container, "imagePullPolicy",
                   boost::json::value(defaultPullPolicy(json::stringAt(container, {"image"}))));
        if (auto *ports = container.if_contains("ports"); ports && ports->is_array()) {
            for (auto &port : ports->get_array()) {
                if (port.is_object()) {
                    setDefault(port.get_object(), "protocol", "TCP");
                }
            }
        }
        for (const char *probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
            defaultProbe(container, probe);
        }
    }
}

std::mutex g_randomMutex;
std::mt19937_64 &generator() {
    static std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

} // namespace

std::uint32_t fnv32a(std::string_view data, std::uint32_t hash) {
    for (unsigned char c : data) {
        hash ^= c;
        hash *= 16777619u;
    }
    return hash;
}

std::string safeEncode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        out.push_back(kSafeAlphabet[c % kSafeAlphabet.size()]);
    }
    return out;
}

std::string randomSafeString(std::size_t n) {
    std::lock_guard lock(g_randomMutex);
    std::uniform_int_distribution<std::size_t> pick(0, kSafeAlphabet.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kSafeAlphabet[pick(generator())]);
    }
    return out;
}

boost::json::object normalizePodTemplate(const boost::json::object &podTemplate) {
    boost::json::value copy = podTemplate;
    auto &root = copy.get_object();
    if (auto *metadata = root.if_contains("metadata"); metadata && metadata->is_object()) {
        auto &meta = metadata->get_object();
        meta.erase("creationTimestamp");
        if (auto *labels = meta.if_contains("labels"); labels && labels->is_object()) {
            labels->get_object().erase(kPodTemplateHashLabel);
        }
    }
    auto &spec = json::ensureObject(root, {"spec"});
    setDefault(spec, "restartPolicy", "Always");
    setDefault(spec, "terminationGracePeriodSeconds", 30);
    setDefault(spec, "dnsPolicy", "ClusterFirst");
    setDefault(spec, "schedulerName", "default-scheduler");
    defaultContainers(spec, "containers");
    defaultContainers(spec, "initContainers");
    prune(copy);
    return copy.is_object() ? copy.get_object() : boost::json::object{};
}

std::string computePodTemplateHash(const boost::json::object &podTemplate,
                                   std::optional<std::int64_t> collisionCount) {
    const std::string text = json::canonical(normalizePodTemplate(podTemplate));
    std::uint32_t hash = fnv32a(text);
    if (collisionCount) {
        const auto count = static_cast<std::uint32_t>(*collisionCount);
        const char bytes[4] = {
            static_cast<char>(count & 0xff), static_cast<char>((count >> 8) & 0xff),
            static_cast<char>((count >> 16) & 0xff), static_cast<char>((count >> 24) & 0xff)};
        hash = fnv32a(std::string_view(bytes, 4), hash);
    }
    return safeEncode(std::to_string(hash));
}

bool templatesEqualIgnoringHash(const boost::json::object &a, const boost::json::object &b) {
    return json::canonical(normalizePodTemplate(a)) == json::canonical(normalizePodTemplate(b));
}

} // namespace sandbox
