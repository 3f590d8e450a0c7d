#include "util/json_util.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <vector>

namespace sandbox::json {

const boost::json::value *valueAt(const boost::json::object &root, Path path) {
    const boost::json::object *current = &root;
    const boost::json::value *found = nullptr;
    std::size_t index = 0;
    for (std::string_view key : path) {
        if (current == nullptr) {
            return nullptr;
        }
        found = current->if_contains(key);
        if (found == nullptr) {
            return nullptr;
        }
        ++index;
        current = index < path.size() ? found->if_object() : nullptr;
    }
    return found;
}

const boost::json::object *objectAt(const boost::json::object &root, Path path) {
    const boost::json::value *v = valueAt(root, path);
    return v != nullptr ? v->if_object() : nullptr;
}

const boost::json::array *arrayAt(const boost::json::object &root, Path path) {
    const boost::json::value *v = valueAt(root, path);
    return v != nullptr ? v->if_array() : nullptr;
}

std::string stringAt(const boost::json::object &root, Path path, std::string_view fallback) {
    const boost::json::value *v = valueAt(root, path);
    if (v != nullptr && v->is_string()) {
        return std::string(v->get_string());
    }
    return std::string(fallback);
}

std::optional<std::int64_t> intAt(const boost::json::object &root, Path path) {
    const boost::json::value *v = valueAt(root, path);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64()) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double()) {
        const double d = v->get_double();
        if (d == static_cast<double>(static_cast<std::int64_t>(d))) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::optional<bool> boolAt(const boost::json::object &root, Path path) {
    const boost::json::value *v = valueAt(root, path);
    if (v != nullptr && v->is_bool()) {
        return v->get_bool();
    }
    return std::nullopt;
}

boost::json::object &ensureObject(boost::json::object &root, Path path) {
    boost::json::object *current = &root;
    for (std::string_view key : path) {
        boost::json::value &slot = (*current)[key];
        if (!slot.is_object()) {
            slot = boost::json::object();
        }
        current = &slot.get_object();
    }
    return *current;
}

std::string name(const boost::json::object &object) {
    return stringAt(object, {"metadata", "name"});
}

std::string namespaceOf(const boost::json::object &object) {
    return stringAt(object, {"metadata", "namespace"});
}

const boost::json::object *labels(const boost::json::object &object) {
    return objectAt(object, {"metadata", "labels"});
}

const boost::json::object *annotations(const boost::json::object &object) {
    return objectAt(object, {"metadata", "annotations"});
}

std::string annotation(const boost::json::object &object, std::string_view key) {
    const boost::json::object *all = annotations(object);
    if (all == nullptr) {
        return {};
    }
    const boost::json::value *v = all->if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

namespace {
void writeCanonical(const boost::json::value &value, std::string &out) {
    if (const auto *object = value.if_object()) {
        std::vector<std::pair<std::string_view, const boost::json::value *>> entries;
        entries.reserve(object->size());
        for (const auto &entry : *object) {
            entries.emplace_back(entry.key(), &entry.value());
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto &[key, child] : entries) {
            if (!first) {
                out += ',';
            }
            first = false;
            out += boost::json::serialize(boost::json::string(key));
            out += ':';
            writeCanonical(*child, out);
        }
        out += '}';
    } else if (const auto *array = value.if_array()) {
        out += '[';
        bool first = true;
        for (const auto &child : *array) {
            if (!first) {
                out += ',';
            }
            first = false;
            writeCanonical(child, out);
        }
        out += ']';
    } else {
        out += boost::json::serialize(value);
    }
}
} // namespace

std::string canonical(const boost::json::value &value) {
    std::string out;
    writeCanonical(value, out);
    return out;
}

} // namespace sandbox::json
