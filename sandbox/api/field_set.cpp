#include "api/field_set.h"

#include "api/patch.h"

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
    // Drop ancestors the removal left empty, walking down again from the root.
    for (std::size_t depth = path.size() - 1; depth > 0; --depth) {
        FieldSet *parent = this;
        for (std::size_t i = 0; i + 1 < depth; ++i) {
            parent = &parent->m_children.at(path[i]);
        }
        auto it = parent->m_children.find(path[depth - 1]);
        if (it == parent->m_children.end() || !it->second.empty()) {
            break;
        }
        parent->m_children.erase(it);
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

// Adds the fields of a value to a set, following the schema. Shared by fieldsOf and by the
// diff below (for subtrees present on one side only).
class Walker {
public:
    Walker(FieldSet &set, FieldSetOptions options, FieldPath &path, ObjectFields *report = nullptr)
        : m_set(set)
        , m_options(options)
        , m_path(path)
        , m_report(report) {}

    void object(const boost::json::object &obj, const SchemaNode *node) {
        for (const auto &entry : obj) {
            const FieldSchema *field = node != nullptr ? node->field(entry.key()) : nullptr;
            m_path.push_back("f:" + std::string(entry.key()));
            fieldValue(entry.key(), entry.value(), field);
            m_path.pop_back();
        }
    }

    void fieldValue(std::string_view name, const value &v, const FieldSchema *field) {
        const SchemaNode *node = field != nullptr ? field->node : nullptr;
        if (const auto *obj = v.if_object()) {
            if (node != nullptr && node->atomic) {
                m_set.insert(m_path);
                return;
            }
            if (m_options.includeMaps && isMapTypedField(name)) {
                m_set.insert(m_path);
            }
            object(*obj, node);
            return;
        }
        const auto *arr = v.if_array();
        if (arr == nullptr || field == nullptr || field->list == ListKind::Atomic) {
            m_set.insert(m_path);
            return;
        }
        if (field->list == ListKind::Set) {
            for (const value &item : *arr) {
                m_path.push_back("v:" + boost::json::serialize(item));
                m_set.insert(m_path);
                m_path.pop_back();
            }
            return;
        }
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const value &item = (*arr)[i];
            const auto *itemObj = item.if_object();
            std::string key = itemObj != nullptr ? keyElement(*itemObj, *field) : "";
            if (key.empty()) {
                if (m_report != nullptr && m_report->error.empty()) {
                    m_report->error = fieldPathString(m_path) + ": element " + std::to_string(i) +
                                      ": associative list with keys has an element that omits "
                                      "key field \"" +
                                      missingKey(itemObj, *field) +
                                      "\" (and doesn't have default value)";
                }
                continue;
            }
            m_path.push_back(std::move(key));
            if (m_report != nullptr && m_report->duplicate.empty() && m_set.contains(m_path)) {
                m_report->duplicate = fieldPathString({m_path.begin(), m_path.end() - 1}) +
                                      ": duplicate entries for key " +
                                      fieldPathString({m_path.back()});
            }
            m_set.insert(m_path);
            object(*itemObj, field->node);
            m_path.pop_back();
        }
    }

private:
    FieldSet &m_set;
    FieldSetOptions m_options;
    FieldPath &m_path;
    ObjectFields *m_report;
};

// Walks two versions of an object side by side and records only what differs, so an
// ordinary write costs in proportion to its change rather than to the object's size.
class Differ {
public:
    Differ(FieldDiff &out, FieldSetOptions options)
        : m_out(out)
        , m_options(options) {}

    void object(const boost::json::object &before, const boost::json::object &after,
                const SchemaNode *node) {
        // managedFields is bookkeeping about the object, never a field anyone owns.
        const bool inMetadata = m_path.size() == 1 && m_path[0] == "f:metadata";
        for (const auto &entry : after) {
            if (inMetadata && entry.key() == "managedFields") {
                continue;
            }
            const FieldSchema *field = node != nullptr ? node->field(entry.key()) : nullptr;
            m_path.push_back("f:" + std::string(entry.key()));
            const value *old = before.if_contains(entry.key());
            if (old == nullptr) {
                Walker(m_out.added, m_options, m_path)
                    .fieldValue(entry.key(), entry.value(), field);
            } else {
                fieldValue(entry.key(), *old, entry.value(), field);
            }
            m_path.pop_back();
        }
        for (const auto &entry : before) {
            if (after.contains(entry.key()) || (inMetadata && entry.key() == "managedFields")) {
                continue;
            }
            const FieldSchema *field = node != nullptr ? node->field(entry.key()) : nullptr;
            m_path.push_back("f:" + std::string(entry.key()));
            Walker(m_out.removed, m_options, m_path).fieldValue(entry.key(), entry.value(), field);
            m_path.pop_back();
        }
    }

private:
    void fieldValue(std::string_view name, const value &before, const value &after,
                    const FieldSchema *field) {
        const SchemaNode *node = field != nullptr ? field->node : nullptr;
        if (before.is_object() && after.is_object() && !(node != nullptr && node->atomic)) {
            object(before.get_object(), after.get_object(), node);
            return;
        }
        if (before.is_array() && after.is_array() && field != nullptr &&
            field->list != ListKind::Atomic) {
            list(before.get_array(), after.get_array(), *field);
            return;
        }
        if (before.is_object() != after.is_object() || before.is_array() != after.is_array()) {
            // The shape changed: everything below went away and came back as something else.
            Walker(m_out.removed, m_options, m_path).fieldValue(name, before, field);
            Walker(m_out.added, m_options, m_path).fieldValue(name, after, field);
            m_out.modified.insert(m_path);
            return;
        }
        if (!jsonEquals(before, after)) {
            m_out.modified.insert(m_path);
        }
    }

    std::string identity(const value &item, const FieldSchema &field) {
        if (field.list == ListKind::Set) {
            return "v:" + boost::json::serialize(item);
        }
        const auto *obj = item.if_object();
        return obj != nullptr ? keyElement(*obj, field) : std::string();
    }

    void list(const array &before, const array &after, const FieldSchema &field) {
        std::map<std::string, const value *> old;
        for (const value &item : before) {
            std::string key = identity(item, field);
            if (!key.empty()) {
                old.emplace(std::move(key), &item);
            }
        }
        std::map<std::string, const value *> now;
        for (const value &item : after) {
            std::string key = identity(item, field);
            if (!key.empty()) {
                now.emplace(std::move(key), &item);
            }
        }
        for (const auto &[key, item] : now) {
            m_path.push_back(key);
            auto it = old.find(key);
            if (it == old.end()) {
                addItem(m_out.added, *item, field);
            } else if (field.list == ListKind::Keyed && item->is_object() &&
                       it->second->is_object()) {
                object(it->second->get_object(), item->get_object(), field.node);
            }
            m_path.pop_back();
        }
        for (const auto &[key, item] : old) {
            if (now.count(key) == 0) {
                m_path.push_back(key);
                addItem(m_out.removed, *item, field);
                m_path.pop_back();
            }
        }
    }

    void addItem(FieldSet &set, const value &item, const FieldSchema &field) {
        set.insert(m_path);
        if (field.list == ListKind::Keyed && item.is_object()) {
            Walker(set, m_options, m_path).object(item.get_object(), field.node);
        }
    }

    FieldDiff &m_out;
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
    FieldPath path;
    Walker(out.set, options, path, &out).object(object, schema);
    return out;
}

FieldDiff diffFields(const boost::json::object &before, const boost::json::object &after,
                     const SchemaNode *schema, FieldSetOptions options) {
    FieldDiff out;
    Differ(out, options).object(before, after, schema);
    return out;
}

} // namespace sandbox
