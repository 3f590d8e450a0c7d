#include "api/printer_util.h"

#include "api/human_duration.h"
#include "util/json_util.h"

#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

namespace sandbox::printing {

namespace {

// The descriptions the real server copies from ObjectMeta's swagger docs.
const char *kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although "
    "some resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char *kCreationTimestampDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";

std::string asString(const boost::json::value &value) {
    if (value.is_string()) {
        return std::string(value.get_string());
    }
    if (value.is_int64()) {
        return std::to_string(value.get_int64());
    }
    if (value.is_uint64()) {
        return std::to_string(value.get_uint64());
    }
    if (value.is_bool()) {
        return value.get_bool() ? "true" : "false";
    }
    return {};
}

} // namespace

TableColumn column(std::string name, std::string type, std::string description, int priority) {
    TableColumn c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.description = std::move(description);
    c.priority = priority;
    return c;
}

TableColumn nameColumn() {
    TableColumn c = column("Name", "string", kNameDescription);
    c.format = "name";
    return c;
}

TableColumn ageColumn() {
    return column("Age", "string", kCreationTimestampDescription);
}

std::string name(const boost::json::object &object) {
    return json::name(object);
}

std::string age(const boost::json::object &object, Now now) {
    return translateTimestampSince(json::stringAt(object, {"metadata", "creationTimestamp"}), now);
}

std::string formatLabels(const boost::json::object *labels) {
    if (!labels || labels->empty()) {
        return "<none>";
    }
    std::map<std::string, std::string> sorted;
    for (const auto &entry : *labels) {
        sorted.emplace(std::string(entry.key()), asString(entry.value()));
    }
    std::string out;
    for (const auto &[key, value] : sorted) {
        if (!out.empty()) {
            out += ',';
        }
        out += key + "=" + value;
    }
    return out;
}

std::string selectorString(const boost::json::object *selector) {
    if (!selector) {
        return {};
    }
    // key -> rendered requirement(s); labels.Selector sorts its requirements by key.
    std::multimap<std::string, std::string> requirements;
    if (const auto *matchLabels = json::objectAt(*selector, {"matchLabels"})) {
        for (const auto &entry : *matchLabels) {
            requirements.emplace(std::string(entry.key()),
                                 std::string(entry.key()) + "=" + asString(entry.value()));
        }
    }
    if (const auto *expressions = json::arrayAt(*selector, {"matchExpressions"})) {
        for (const auto &item : *expressions) {
            if (!item.is_object()) {
                continue;
            }
            const auto &expr = item.get_object();
            const std::string key = json::stringAt(expr, {"key"});
            const std::string op = json::stringAt(expr, {"operator"});
            std::set<std::string> values;
            if (const auto *list = json::arrayAt(expr, {"values"})) {
                for (const auto &v : *list) {
                    values.insert(asString(v));
                }
            }
            std::string joined;
            for (const auto &v : values) {
                joined += (joined.empty() ? "" : ",") + v;
            }
            if (op == "In") {
                requirements.emplace(key, key + " in (" + joined + ")");
            } else if (op == "NotIn") {
                requirements.emplace(key, key + " notin (" + joined + ")");
            } else if (op == "Exists") {
                requirements.emplace(key, key);
            } else if (op == "DoesNotExist") {
                requirements.emplace(key, "!" + key);
            }
        }
    }
    std::string out;
    for (const auto &[key, text] : requirements) {
        if (!out.empty()) {
            out += ',';
        }
        out += text;
    }
    return out;
}

std::string formatLabelSelector(const boost::json::object *selector) {
    std::string text = selectorString(selector);
    return text.empty() ? "<none>" : text;
}

void containerCells(const boost::json::object *podSpec, std::string &names, std::string &images) {
    names.clear();
    images.clear();
    if (!podSpec) {
        return;
    }
    const auto *containers = json::arrayAt(*podSpec, {"containers"});
    if (!containers) {
        return;
    }
    bool first = true;
    for (const auto &item : *containers) {
        if (!item.is_object()) {
            continue;
        }
        if (!first) {
            names += ',';
            images += ',';
        }
        first = false;
        names += json::stringAt(item.get_object(), {"name"});
        images += json::stringAt(item.get_object(), {"image"});
    }
}

std::string intOrString(const boost::json::value *value, std::string_view fallback) {
    if (!value || value->is_null()) {
        return std::string(fallback);
    }
    if (value->is_double()) {
        return std::to_string(static_cast<std::int64_t>(value->get_double()));
    }
    return asString(*value);
}

std::string quantity(const boost::json::value *value) {
    if (!value || value->is_null()) {
        return "<nil>"; // what Go prints for a nil *Quantity
    }
    if (value->is_double()) {
        // A fractional number is a milli-quantity in canonical form: 0.5 -> "500m".
        const double d = value->get_double();
        if (d == std::floor(d)) {
            return std::to_string(static_cast<std::int64_t>(d));
        }
        return std::to_string(static_cast<std::int64_t>(std::ceil(d * 1000))) + "m";
    }
    return asString(*value);
}

std::int64_t intOr(const boost::json::object &object, std::initializer_list<std::string_view> path,
                   std::int64_t fallback) {
    return json::intAt(object, path).value_or(fallback);
}

} // namespace sandbox::printing
