#include "api/server_side_apply.h"

#include "api/field_set.h"
#include "api/managed_fields.h"
#include "api/patch.h"
#include "api/strategic_schema.h"
#include "util/json_util.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

// Server-side apply after structured-merge-diff's Updater: the applied configuration is
// merged into the live object (keyed lists item by item, atomic values whole), the
// manager's previous applied set minus everything still owned is pruned, and fields that
// change while another manager owns them are conflicts unless forced. Ordinary writes
// (recordUpdateOwnership) move the fields they change to their manager.

namespace sandbox {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

const SchemaNode *schemaFor(const ResourceType &type) {
    const SchemaNode *schema = strategicSchemaFor(type.kind);
    return schema != nullptr ? schema : genericObjectSchema();
}

// Fields the API server never tracks ownership of (stripmeta) plus status on the main
// resource of kinds with a status subresource (reset fields).
void stripIgnored(FieldSet &set, const ResourceType &type, std::string_view subresource) {
    static const std::vector<FieldPath> kIgnored{
        {"f:apiVersion"},
        {"f:kind"},
        {"f:metadata", "f:name"},
        {"f:metadata", "f:namespace"},
        {"f:metadata", "f:uid"},
        {"f:metadata", "f:resourceVersion"},
        {"f:metadata", "f:generation"},
        {"f:metadata", "f:creationTimestamp"},
        {"f:metadata", "f:managedFields"},
        {"f:metadata", "f:selfLink"},
        {"f:metadata", "f:deletionTimestamp"},
        {"f:metadata", "f:deletionGracePeriodSeconds"},
    };
    for (const FieldPath &path : kIgnored) {
        set.removeSubtree(path);
    }
    if (type.hasStatus && subresource != "status") {
        set.removeSubtree({"f:status"});
    }
}

using Comparison = FieldDiff;

Comparison compare(const object &before, const object &after, const SchemaNode *schema,
                   const ResourceType &type, std::string_view subresource) {
    FieldSetOptions options;
    options.includeMaps = true;
    Comparison result = diffFields(before, after, schema, options);
    stripIgnored(result.added, type, subresource);
    stripIgnored(result.removed, type, subresource);
    stripIgnored(result.modified, type, subresource);
    return result;
}

// Copies a value from the applied configuration, dropping nulls inside objects.
value withoutNulls(const value &v) {
    if (const object *obj = v.if_object()) {
        object out;
        for (const auto &entry : *obj) {
            if (!entry.value().is_null()) {
                out[entry.key()] = withoutNulls(entry.value());
            }
        }
        return out;
    }
    if (const array *arr = v.if_array()) {
        array out;
        for (const value &item : *arr) {
            out.push_back(withoutNulls(item));
        }
        return out;
    }
    return v;
}

void mergeObject(object &lhs, const object &rhs, const SchemaNode *node);

std::string identity(const value &item, const FieldSchema &field) {
    if (field.list == ListKind::Keyed) {
        const object *obj = item.if_object();
        return obj != nullptr ? keyElement(*obj, field) : std::string();
    }
    return "v:" + boost::json::serialize(item);
}

// Associative lists and sets: items present on both sides merge in place (in the applied
// order), live-only items keep their positions, new items follow the applied item before
// them.
array mergeList(const array &lhs, const array &rhs, const FieldSchema &field) {
    std::vector<std::string> lhsKeys;
    std::vector<std::string> rhsKeys;
    std::unordered_map<std::string, std::size_t> lhsIndex;
    std::unordered_map<std::string, std::size_t> rhsIndex;
    for (const value &item : lhs) {
        lhsKeys.push_back(identity(item, field));
        if (!lhsKeys.back().empty()) {
            lhsIndex.emplace(lhsKeys.back(), lhsKeys.size() - 1);
        }
    }
    for (const value &item : rhs) {
        rhsKeys.push_back(identity(item, field));
        rhsIndex.emplace(rhsKeys.back(), rhsKeys.size() - 1);
    }
    std::vector<std::string> shared;
    for (const std::string &key : rhsKeys) {
        if (lhsIndex.count(key) != 0 &&
            std::find(shared.begin(), shared.end(), key) == shared.end()) {
            shared.push_back(key);
        }
    }
    array out;
    std::size_t nextShared = 0;
    std::size_t nextRhs = 0;
    auto emitRhsOnlyUntil = [&](const std::string &stop) {
        while (nextRhs < rhs.size() && rhsKeys[nextRhs] != stop) {
            if (lhsIndex.count(rhsKeys[nextRhs]) == 0) {
                out.push_back(withoutNulls(rhs[nextRhs]));
            }
            ++nextRhs;
        }
        if (nextRhs < rhs.size()) {
            ++nextRhs;
        }
    };
    for (std::size_t i = 0; i < lhs.size(); ++i) {
        if (lhsKeys[i].empty() || rhsIndex.count(lhsKeys[i]) == 0) {
            out.push_back(lhs[i]);
            continue;
        }
        if (nextShared >= shared.size()) {
            continue; // a duplicate live item already merged
        }
        const std::string &key = shared[nextShared++];
        emitRhsOnlyUntil(key);
        const value &live = lhs[lhsIndex.at(key)];
        const value &applied = rhs[rhsIndex.at(key)];
        if (live.is_object() && applied.is_object()) {
            object merged = live.get_object();
            mergeObject(merged, applied.get_object(), field.node);
            out.push_back(std::move(merged));
        } else {
            out.push_back(withoutNulls(applied));
        }
    }
    emitRhsOnlyUntil({});
    return out;
}

value mergeField(const value *live, const value &applied, const FieldSchema *field) {
    const SchemaNode *node = field != nullptr ? field->node : nullptr;
    if (const object *rhs = applied.if_object()) {
        if (live != nullptr && live->is_object() && !(node != nullptr && node->atomic)) {
            object merged = live->get_object();
            mergeObject(merged, *rhs, node);
            return merged;
        }
        return withoutNulls(applied);
    }
    if (const array *rhs = applied.if_array()) {
        if (field != nullptr && field->list != ListKind::Atomic && live != nullptr &&
            live->is_array()) {
            return mergeList(live->get_array(), *rhs, *field);
        }
        return withoutNulls(applied);
    }
    return applied;
}

void mergeObject(object &lhs, const object &rhs, const SchemaNode *node) {
    for (const auto &entry : rhs) {
        if (entry.value().is_null()) {
            lhs.erase(entry.key());
            continue;
        }
        const FieldSchema *field = node != nullptr ? node->field(entry.key()) : nullptr;
        value merged = mergeField(lhs.if_contains(entry.key()), entry.value(), field);
        lhs[entry.key()] = std::move(merged);
    }
}

// Removes the field, list item or set item at path; maps left empty disappear, as an
// empty Go map is omitted from the stored object.
void removePath(object &obj, const FieldPath &path, std::size_t at, const SchemaNode *node) {
    const std::string &element = path[at];
    if (element.rfind("f:", 0) != 0) {
        return;
    }
    const std::string name = element.substr(2);
    value *child = obj.if_contains(name);
    if (child == nullptr) {
        return;
    }
    if (at + 1 == path.size()) {
        obj.erase(name);
        return;
    }
    const FieldSchema *field = node != nullptr ? node->field(name) : nullptr;
    if (object *childObj = child->if_object()) {
        removePath(*childObj, path, at + 1, field != nullptr ? field->node : nullptr);
        if (childObj->empty() && isMapTypedField(name)) {
            obj.erase(name);
        }
        return;
    }
    array *items = child->if_array();
    if (items == nullptr || field == nullptr || field->list == ListKind::Atomic) {
        return;
    }
    const std::string &itemElement = path[at + 1];
    for (std::size_t i = 0; i < items->size(); ++i) {
        if (identity((*items)[i], *field) != itemElement) {
            continue;
        }
        if (at + 2 == path.size()) {
            items->erase(items->begin() + static_cast<std::ptrdiff_t>(i));
        } else if (object *itemObj = (*items)[i].if_object()) {
            removePath(*itemObj, path, at + 2, field->node);
        }
        return;
    }
}

ApiError conflictError(const std::vector<std::pair<const ManagedFieldsEntry *, FieldSet>> &found) {
    struct Conflict {
        std::string manager;
        std::string path;
    };
    std::vector<Conflict> conflicts;
    for (const auto &[entry, set] : found) {
        set.forEach([&](const FieldPath &p) {
            conflicts.push_back({entry->describe(), fieldPathString(p)});
        });
    }
    ApiError error;
    error.code = 409;
    error.reason = "Conflict";
    for (const Conflict &c : conflicts) {
        error.causes.push_back({"FieldManagerConflict", "conflict with " + c.manager, c.path});
    }
    if (conflicts.size() == 1) {
        error.message = "Apply failed with 1 conflict: conflict with " + conflicts[0].manager +
                        ": " + conflicts[0].path;
        return error;
    }
    std::map<std::string, std::vector<std::string>> byManager;
    for (const Conflict &c : conflicts) {
        byManager[c.manager].push_back(c.path);
    }
    std::string lines;
    for (const auto &[manager, paths] : byManager) {
        lines += (lines.empty() ? "" : "\n") + std::string("conflicts with ") + manager + ":";
        for (const std::string &p : paths) {
            lines += "\n- " + p;
        }
    }
    error.message =
        "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: " + lines;
    return error;
}

ApiError badRequest(std::string message) {
    ApiError error;
    error.code = 400;
    error.reason = "BadRequest";
    error.message = std::move(message);
    return error;
}

} // namespace

ApiResult<boost::json::object> serverSideApply(const boost::json::object *live,
                                               const boost::json::object &applied,
                                               std::string_view manager, bool force,
                                               const ResourceType &type, TimePoint now) {
    if (manager.empty()) {
        ApiError error;
        error.code = 422;
        error.reason = "Invalid";
        error.kind = "PatchOptions";
        error.group = "meta.k8s.io";
        error.message = "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
                        "value: is required for apply patch";
        error.causes.push_back(
            {"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"});
        return error;
    }
    if (const value *meta = applied.if_contains("metadata"); meta != nullptr && meta->is_object()) {
        const value *managed = meta->get_object().if_contains("managedFields");
        if (managed != nullptr && !managed->is_null()) {
            return badRequest("metadata.managedFields must be nil");
        }
    }
    const SchemaNode *schema = schemaFor(type);
    ObjectFields config = fieldsOf(applied, schema);
    if (config.error.empty() && !config.duplicate.empty()) {
        config.error = config.duplicate;
    }
    if (!config.error.empty()) {
        return badRequest("failed to create typed patch object (" + json::namespaceOf(applied) +
                          "/" + json::name(applied) + "; " + type.apiVersion() +
                          ", Kind=" + type.kind + "): " + config.error);
    }
    FieldSet configSet = config.set;
    stripIgnored(configSet, type, {});

    object liveObject = live != nullptr ? *live : object();
    ManagedFields entries = decodeManagedFields(liveObject).value_or(ManagedFields{});
    if (object *meta =
            liveObject.contains("metadata") ? liveObject["metadata"].if_object() : nullptr) {
        meta->erase("managedFields");
    }

    object merged = liveObject;
    mergeObject(merged, applied, schema);

    ManagedFieldsEntry probe;
    probe.manager = std::string(manager);
    probe.operation = "Apply";
    probe.apiVersion = type.apiVersion();
    ManagedFieldsEntry *mine = findEntry(entries, probe);
    const FieldSet lastSet = mine != nullptr ? mine->fields : FieldSet();
    const bool setChanged = mine == nullptr || !(mine->fields == configSet);
    if (mine == nullptr) {
        entries.push_back(probe);
        mine = &entries.back();
    }
    mine->fields = configSet;
    mine->apiVersion = type.apiVersion();

    // Prune what this manager applied last time and nobody owns any more.
    FieldSet owned;
    for (const ManagedFieldsEntry &entry : entries) {
        owned = owned.unionWith(entry.fields);
    }
    for (const FieldPath &path : lastSet.difference(owned).paths()) {
        if (!owned.containsPrefix(path)) {
            removePath(merged, path, 0, schema);
        }
    }

    const Comparison change = compare(liveObject, merged, schema, type, {});
    const FieldSet changed = change.modified.unionWith(change.added);
    std::vector<std::pair<const ManagedFieldsEntry *, FieldSet>> conflicts;
    for (const ManagedFieldsEntry &entry : entries) {
        if (&entry == mine) {
            continue;
        }
        FieldSet clash = entry.fields.intersection(changed);
        if (!clash.empty()) {
            conflicts.emplace_back(&entry, std::move(clash));
        }
    }
    if (!conflicts.empty() && !force) {
        return conflictError(conflicts);
    }
    for (ManagedFieldsEntry &entry : entries) {
        if (&entry == mine) {
            continue;
        }
        entry.fields = entry.fields.difference(changed).difference(change.removed);
    }
    if (setChanged || !change.same() || mine->time.empty()) {
        mine->time = formatRfc3339(now);
    }
    encodeManagedFields(merged, std::move(entries));
    return merged;
}

void recordUpdateOwnership(boost::json::object &updated, const boost::json::object *previous,
                           std::string_view manager, const ResourceType &type, TimePoint now) {
    recordUpdateOwnership(updated, previous, manager, type, now, {});
}

void recordUpdateOwnership(boost::json::object &updated, const boost::json::object *previous,
                           std::string_view manager, const ResourceType &type, TimePoint now,
                           std::string_view subresource) {
    // A request that rewrites managedFields itself (kubectl's client-side-apply migration)
    // sets the starting point; otherwise the live object's entries carry over.
    std::optional<ManagedFields> requested = decodeManagedFields(updated);
    std::optional<ManagedFields> existing =
        previous != nullptr ? decodeManagedFields(*previous) : ManagedFields{};
    ManagedFields entries = existing.value_or(ManagedFields{});
    if (subresource.empty() && requested && !requested->empty()) {
        const value *before =
            previous != nullptr ? json::valueAt(*previous, {"metadata", "managedFields"}) : nullptr;
        const value *after = json::valueAt(updated, {"metadata", "managedFields"});
        if (before == nullptr || after == nullptr || !jsonEquals(*before, *after)) {
            entries = std::move(*requested);
        }
    }
    static const object kNothing;
    const object &before = previous != nullptr ? *previous : kNothing;
    if (object *meta = updated.contains("metadata") ? updated["metadata"].if_object() : nullptr) {
        meta->erase("managedFields");
    }
    if (manager.empty()) {
        encodeManagedFields(updated, std::move(entries));
        return;
    }
    const Comparison change = compare(before, updated, schemaFor(type), type, subresource);
    const FieldSet changed = change.modified.unionWith(change.added);

    ManagedFieldsEntry probe;
    probe.manager = std::string(manager);
    probe.operation = "Update";
    probe.apiVersion = type.apiVersion();
    probe.subresource = std::string(subresource);
    for (ManagedFieldsEntry &entry : entries) {
        if (!entry.sameIdentity(probe)) {
            entry.fields = entry.fields.difference(changed).difference(change.removed);
        }
    }
    ManagedFieldsEntry *mine = findEntry(entries, probe);
    if (mine == nullptr && !changed.empty()) {
        entries.push_back(probe);
        mine = &entries.back();
    }
    if (mine != nullptr) {
        FieldSet owned = mine->fields.difference(change.removed).unionWith(changed);
        // Stamped whenever the write changed something, as the real server does.
        if (!changed.empty() || mine->time.empty()) {
            mine->time = formatRfc3339(now);
        }
        mine->fields = std::move(owned);
    }
    encodeManagedFields(updated, std::move(entries));
}

} // namespace sandbox
