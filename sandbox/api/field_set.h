#pragma once
// A set of field paths, as server-side apply tracks ownership (structured-merge-diff's
// fieldpath.Set), stored as a trie whose edges are path elements in their FieldsV1
// spelling: "f:<field>", "k:<json of the key fields>" for an item of an associative list,
// "v:<json>" for an item of a set. It converts to and from the FieldsV1 JSON kept in
// metadata.managedFields, and builds itself from an object and its schema.

#include "api/strategic_schema.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sandbox {

using FieldPath = std::vector<std::string>;

class FieldSet final {
public:
    void insert(const FieldPath &path);
    bool contains(const FieldPath &path) const;
    // True when the path or anything below it is a member.
    bool containsPrefix(const FieldPath &path) const;
    bool empty() const { return !m_member && m_children.empty(); }

    FieldSet unionWith(const FieldSet &other) const;
    FieldSet difference(const FieldSet &other) const;
    FieldSet intersection(const FieldSet &other) const;
    // Removes the path and everything below it.
    void removeSubtree(const FieldPath &path);

    // Members in structured-merge-diff's iteration order: a node's member children (sorted),
    // then the subtrees of its children (sorted).
    void forEach(const std::function<void(const FieldPath &)> &visit) const;
    std::vector<FieldPath> paths() const;

    boost::json::object toFieldsV1() const;
    // nullopt when the JSON is not a FieldsV1 document.
    static std::optional<FieldSet> fromFieldsV1(const boost::json::value &fields);

    bool operator==(const FieldSet &other) const;

private:
    void forEachFrom(FieldPath &prefix, const std::function<void(const FieldPath &)> &visit) const;

    bool m_member = false;
    std::map<std::string, FieldSet> m_children;
};

// ".spec.template.spec.containers[name=\"app\"].image", as conflicts print paths.
std::string fieldPathString(const FieldPath &path);

struct FieldSetOptions {
    // Include paths of maps (labels, annotations, data, ...) themselves, as an Update's
    // comparison does when a map appears ("." in FieldsV1).
    bool includeMaps = false;
};

// The fields an object sets, following the schema for lists and atomic structs. A keyed
// list item without its key yields an error message.
struct ObjectFields {
    FieldSet set;
    std::string error;
    // The first keyed item whose key repeats: live objects may hold such lists, an applied
    // configuration may not.
    std::string duplicate;
};
ObjectFields fieldsOf(const boost::json::object &object, const SchemaNode *schema,
                      FieldSetOptions options = {});

// Fields that are Go maps (labels, annotations, data, ...): an Update records the map itself
// when it appears, and server-side apply drops it again when pruning leaves it empty.
bool isMapTypedField(std::string_view name);

// What changed between two versions of an object, as structured-merge-diff's Compare
// reports it: paths only in `after`, leaf values that differ, paths only in `before`.
struct FieldDiff {
    FieldSet added;
    FieldSet modified;
    FieldSet removed;
    bool same() const { return added.empty() && modified.empty() && removed.empty(); }
};
FieldDiff diffFields(const boost::json::object &before, const boost::json::object &after,
                     const SchemaNode *schema, FieldSetOptions options = {});

// "k:{...}" for an item of a keyed list (keys sorted by name, defaults filled in), or ""
// when a key without default is missing.
std::string keyElement(const boost::json::object &item, const FieldSchema &field);

} // namespace sandbox
