#include "api/field_set.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <system_error>

namespace sandbox {

using boost::json::array;
using boost::json::object;
using boost::json::value;

void FieldSet::insert(const FieldPath &path) {
    FieldSet *node = this;
    for (const std::string &element : path) {
        node = &node->m_children[element];
    }
    node->m_member = true;
}

bool FieldSet::contains(const FieldPath &path) const {
    const FieldSet *node = this;
    for (const std::string &element : path) {
        auto it = node->m_children.find(element);
        if (it == node->m_children.end()) {
            return false;
        }
        node = &it->second;
    }
    return node->m_member;
}

bool FieldSet::containsPrefix(const FieldPath &path) const {
    const FieldSet *node = this;
    for (const std::string &element : path) {
        auto it = node->m_children.find(element);
        if (it == node->m_children.end()) {
            return false;
        }
        node = &it->second;
    }
    return !node->empty();
}

FieldSet FieldSet::unionWith(const FieldSet &other) const {
    FieldSet result = *this;
    result.m_member = m_member || other.m_member;
    for (const auto &[element, child] : other.m_children) {
        auto it = result.m_children.find(element);
        if (it == result.m_children.end()) {
            result.m_children.emplace(element, child);
        } else {
            it->second = it->second.unionWith(child);
        }
    }
    return result;
}

FieldSet FieldSet::difference(const FieldSet &other) const {
    FieldSet result;
    result.m_member = m_member && !other.m_member;
    for (const auto &[element, child] : m_children) {
        auto it = other.m_children.find(element);
        FieldSet kept = it == other.m_children.end() ? child : child.difference(it->second);
        if (!kept.empty()) {
            result.m_children.emplace(element, std::move(kept));
        }
    }
    return result;
}

FieldSet FieldSet::intersection(const FieldSet &other) const {
    FieldSet result;
    result.m_member = m_member && other.m_member;
    for (const auto &[element, child] : m_children) {
        auto it = other.m_children.find(element);
        if (it == other.m_children.end()) {
            continue;
        }
        FieldSet both = child.intersection(it->second);
        if (!both.empty()) {
            result.m_children.emplace(element, std::move(both));
        }
    }
    return result;
}

void FieldSet::removeSubtree(const FieldPath &path) {
    if (path.empty()) {
        *this = FieldSet();
        return;
    }
    FieldSet *node = this;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        auto it = node->m_children.find(path[i]);
        if (it == node->m_children.end()) {
            return;
        }
        node = &it->second;
    }
    node->m_children.erase(path.back());
    prune();
}

void FieldSet::prune() {
    for (auto it = m_children.begin(); it != m_children.end();) {
        it->second.prune();
        it = it->second.empty() ? m_children.erase(it) : std::next(it);
    }
}

void FieldSet::forEachFrom(FieldPath &prefix,
                           const std::function<void(const FieldPath &)> &visit) const {
    for (const auto &[element, child] : m_children) {
        if (child.m_member) {
            prefix.push_back(element);
            visit(prefix);
            prefix.pop_back();
        }
    }
    for (const auto &[element, child] : m_children) {
        if (!child.m_children.empty()) {
            prefix.push_back(element);
            child.forEachFrom(prefix, visit);
            prefix.pop_back();
        }
    }
}

void FieldSet::forEach(const std::function<void(const FieldPath &)> &visit) const {
    FieldPath prefix;
    if (m_member) {
        visit(prefix);
    }
    forEachFrom(prefix, visit);
}

std::vector<FieldPath> FieldSet::paths() const {
    std::vector<FieldPath> out;
    forEach([&](const FieldPath &p) { out.push_back(p); });
    return out;
}

boost::json::object FieldSet::toFieldsV1() const {
    object out;
    if (m_member && !m_children.empty()) {
        out["."] = object();
    }
    for (const auto &[element, child] : m_children) {
        out[element] = child.toFieldsV1();
    }
    return out;
}

std::optional<FieldSet> FieldSet::fromFieldsV1(const boost::json::value &fields) {
    const object *obj = fields.if_object();
    if (obj == nullptr) {
        return std::nullopt;
    }
    FieldSet result;
    // An empty object names a member without children.
    result.m_member = obj->empty();
    for (const auto &entry : *obj) {
        if (entry.key() == ".") {
            result.m_member = true;
            continue;
        }
        std::string_view key = entry.key();
        if (key.size() < 2 || key[1] != ':' ||
            (key[0] != 'f' && key[0] != 'k' && key[0] != 'v' && key[0] != 'i')) {
            return std::nullopt;
        }
        std::optional<FieldSet> child = fromFieldsV1(entry.value());
        if (!child) {
            return std::nullopt;
        }
        result.m_children.emplace(std::string(key), std::move(*child));
    }
    return result;
}

bool FieldSet::operator==(const FieldSet &other) const {
    return m_member == other.m_member && m_children == other.m_children;
}

namespace {

// Go's %q for the strings in paths; JSON escaping is close enough for printable text.
std::string quoted(const value &v) {
    return boost::json::serialize(v);
}

std::string elementString(const std::string &element) {
    std::string_view body = std::string_view(element).substr(2);
    switch (element[0]) {
    case 'f':
        return "." + std::string(body);
    case 'i':
        return "[" + std::string(body) + "]";
    case 'v': {
        std::error_code ec;
        value v = boost::json::parse(body, ec);
        return "[=" + (ec ? std::string(body) : quoted(v)) + "]";
    }
    case 'k': {
        std::error_code ec;
        value v = boost::json::parse(body, ec);
        if (ec || !v.is_object()) {
            return "[" + std::string(body) + "]";
        }
        std::string out = "[";
        bool first = true;
        for (const auto &entry : v.get_object()) {
            out += (first ? "" : ",") + std::string(entry.key()) + "=" + quoted(entry.value());
            first = false;
        }
        return out + "]";
    }
    default:
        return "{{invalid path element}}";
    }
}

std::string missingKey(const boost::json::object *item, const FieldSchema &field) {
    for (const ListKey &key : field.keys) {
        if (!key.defaultValue && (item == nullptr || item->if_contains(key.name) == nullptr)) {
            return key.name;
        }
    }
    return field.keys.empty() ? std::string() : field.keys.front().name;
}

} // namespace

// Go map-typed fields: Update comparisons record the map itself when it appears.
bool isMapTypedField(std::string_view name) {
    static constexpr std::array<std::string_view, 9> kMaps{
        "labels",      "annotations",  "data",   "binaryData", "stringData",
        "matchLabels", "nodeSelector", "limits", "requests"};
    return std::find(kMaps.begin(), kMaps.end(), name) != kMaps.end();
}

namespace {

class Walker {
public:
    Walker(ObjectFields &out, FieldSetOptions options)
        : m_out(out)
        , m_options(options) {}

    void object(const boost::json::object &obj, const SchemaNode *node) {
        for (const auto &entry : obj) {
            const FieldSchema *field = node != nullptr ? node->field(entry.key()) : nullptr;
            m_path.push_back("f:" + std::string(entry.key()));
            fieldValue(entry.key(), entry.value(), field);
            m_path.pop_back();
        }
    }

private:
    void leaf(const value &v) {
        m_out.set.insert(m_path);
        m_out.leaves[m_path] = &v;
    }

    void fieldValue(std::string_view name, const value &v, const FieldSchema *field) {
        const SchemaNode *node = field != nullptr ? field->node : nullptr;
        if (const auto *obj = v.if_object()) {
            if (node != nullptr && node->atomic) {
                leaf(v);
                return;
            }
            if (m_options.includeMaps && isMapTypedField(name)) {
                m_out.set.insert(m_path);
            }
            object(*obj, node);
            return;
        }
        const auto *arr = v.if_array();
        if (arr == nullptr || field == nullptr || field->list == ListKind::Atomic) {
            leaf(v);
            return;
        }
        if (field->list == ListKind::Set) {
            for (const value &item : *arr) {
                m_path.push_back("v:" + boost::json::serialize(item));
                leaf(item);
                m_path.pop_back();
            }
            return;
        }
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const value &item = (*arr)[i];
            const auto *itemObj = item.if_object();
            std::string key = itemObj != nullptr ? keyElement(*itemObj, *field) : "";
            if (key.empty()) {
                if (m_out.error.empty()) {
                    m_out.error = fieldPathString(m_path) + ": element " + std::to_string(i) +
                                  ": associative list with keys has an element that omits key "
                                  "field \"" +
                                  missingKey(itemObj, *field) +
                                  "\" (and doesn't have default value)";
                }
                continue;
            }
            m_path.push_back(std::move(key));
            if (m_out.set.contains(m_path) && m_out.duplicate.empty()) {
                m_out.duplicate = fieldPathString({m_path.begin(), m_path.end() - 1}) +
                                  ": duplicate entries for key " + fieldPathString({m_path.back()});
            }
            m_out.set.insert(m_path);
            object(*itemObj, field->node);
            m_path.pop_back();
        }
    }

    ObjectFields &m_out;
    FieldSetOptions m_options;
    FieldPath m_path;
};

} // namespace

std::string fieldPathString(const FieldPath &path) {
    std::string out;
    for (const std::string &element : path) {
        out += elementString(element);
    }
    return out;
}

std::string keyElement(const boost::json::object &item, const FieldSchema &field) {
    std::vector<const ListKey *> keys;
    for (const ListKey &key : field.keys) {
        keys.push_back(&key);
    }
    std::sort(keys.begin(), keys.end(),
              [](const ListKey *a, const ListKey *b) { return a->name < b->name; });
    boost::json::object encoded;
    for (const ListKey *key : keys) {
        const value *v = item.if_contains(key->name);
        if (v != nullptr && !v->is_null()) {
            encoded[key->name] = *v;
        } else if (key->defaultValue) {
            encoded[key->name] = *key->defaultValue;
        } else {
            return {};
        }
    }
    return "k:" + boost::json::serialize(encoded);
}

ObjectFields fieldsOf(const boost::json::object &object, const SchemaNode *schema,
                      FieldSetOptions options) {
    ObjectFields out;
    Walker walker(out, options);
    walker.object(object, schema);
    return out;
}

} // namespace sandbox
