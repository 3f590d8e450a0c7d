#include "api/patch.h"
#include "api/strategic_schema.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

// Strategic merge patch as the API server applies it (apimachinery strategicpatch with
// MergeParallelList and IgnoreUnmatchedNulls): lists merge by their merge key, patch items
// and server-only items interleave by the live order, and the directives kubectl writes
// ($patch, $setElementOrder, $retainKeys, $deleteFromPrimitiveList) are honoured. Values
// taken from the patch are cleaned of directives and nulls, as decoding into the typed
// object does on a real server.

namespace sandbox {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kSetElementOrder = "$setElementOrder";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList";

using Failure = std::optional<ApiError>;

ApiError withCode(int code, std::string reason, std::string message) {
    ApiError error;
    error.code = code;
    error.reason = std::move(reason);
    error.message = std::move(message);
    return error;
}

ApiError badRequest(std::string message) {
    return withCode(400, "BadRequest", std::move(message));
}

// apimachinery returns plain Go errors for these; the server answers 500 with the text.
ApiError internal(std::string message) {
    return withCode(500, "InternalError", std::move(message));
}

// Go's %v rendering of a decoded JSON value ("map[image:nginx name:app]"), so messages
// read like the real server's.
std::string goFormat(const value &v) {
    switch (v.kind()) {
    case boost::json::kind::null:
        return "<nil>";
    case boost::json::kind::string:
        return std::string(v.get_string());
    case boost::json::kind::object: {
        std::vector<std::string> keys;
        for (const auto &entry : v.get_object()) {
            keys.emplace_back(entry.key());
        }
        std::sort(keys.begin(), keys.end());
        std::string out = "map[";
        for (std::size_t i = 0; i < keys.size(); ++i) {
            out += (i > 0 ? " " : "") + keys[i] + ":" + goFormat(v.get_object().at(keys[i]));
        }
        return out + "]";
    }
    case boost::json::kind::array: {
        std::string out = "[";
        const array &arr = v.get_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            out += (i > 0 ? " " : "") + goFormat(arr[i]);
        }
        return out + "]";
    }
    default:
        return boost::json::serialize(v);
    }
}

ApiError noMergeKey(const value &element, std::string_view key) {
    return internal("map: " + goFormat(element) +
                    " does not contain declared merge key: " + std::string(key));
}

bool hasPrefix(std::string_view text, std::string_view prefix) {
    return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix &&
           text[prefix.size()] == '/';
}

const SchemaNode *nodeOf(const FieldSchema *field) {
    return field != nullptr ? field->node : nullptr;
}

Failure mergeMap(object &original, object patch, const SchemaNode *node);
Failure mergeList(array &original, array patch, const FieldSchema *field);

// A value taken from the patch as is: merged into an empty container so directives and
// nulls disappear.
Failure clean(value &out, const value &patch, const FieldSchema *field) {
    if (const object *obj = patch.if_object()) {
        object result;
        if (Failure f = mergeMap(result, *obj, nodeOf(field))) {
            return f;
        }
        out = std::move(result);
        return std::nullopt;
    }
    if (const array *arr = patch.if_array()) {
        array result;
        if (field != nullptr && field->list != ListKind::Atomic) {
            if (Failure f = mergeList(result, *arr, field)) {
                return f;
            }
        } else {
            for (const value &item : *arr) {
                value cleaned;
                if (Failure f = clean(cleaned, item, nullptr)) {
                    return f;
                }
                result.push_back(std::move(cleaned));
            }
        }
        out = std::move(result);
        return std::nullopt;
    }
    out = patch;
    return std::nullopt;
}

// Position of `item` in `list`, comparing merge key values for keyed lists.
int indexOf(const array &list, const value &item, std::string_view mergeKey) {
    const value *itemKey = nullptr;
    if (!mergeKey.empty()) {
        const object *obj = item.if_object();
        itemKey = obj != nullptr ? obj->if_contains(mergeKey) : nullptr;
        if (itemKey == nullptr) {
            return -1;
        }
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (mergeKey.empty()) {
            if (jsonEquals(list[i], item)) {
                return static_cast<int>(i);
            }
            continue;
        }
        const object *obj = list[i].if_object();
        const value *key = obj != nullptr ? obj->if_contains(mergeKey) : nullptr;
        if (key != nullptr && jsonEquals(*key, *itemKey)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void sortBy(std::vector<value> &items, const array &order, std::string_view mergeKey) {
    std::stable_sort(items.begin(), items.end(), [&](const value &a, const value &b) {
        int ia = indexOf(order, a, mergeKey);
        int ib = indexOf(order, b, mergeKey);
        return ia >= 0 && ib >= 0 && ia < ib;
    });
}

// Puts `merged` in the order the real server produces: items named in `patchOrder` sorted
// by it, server-only items sorted by the live list, then interleaved by live positions
// (a patch item unknown to the live list goes before the server-only item it meets).
array normalizeOrder(const array &merged, const array &patchOrder, const array &serverOrder,
                     std::string_view mergeKey) {
    std::vector<value> patchItems;
    std::vector<value> serverOnly;
    for (const value &item : merged) {
        (indexOf(patchOrder, item, mergeKey) >= 0 ? patchItems : serverOnly).push_back(item);
    }
    sortBy(patchItems, patchOrder, mergeKey);
    sortBy(serverOnly, serverOrder, mergeKey);
    array result;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < serverOnly.size() || j < patchItems.size()) {
        if (j >= patchItems.size()) {
            result.push_back(std::move(serverOnly[i++]));
        } else if (i >= serverOnly.size()) {
            result.push_back(std::move(patchItems[j++]));
        } else {
            int li = indexOf(serverOrder, serverOnly[i], mergeKey);
            int ri = indexOf(serverOrder, patchItems[j], mergeKey);
            if (li >= 0 && ri >= 0 && li < ri) {
                result.push_back(std::move(serverOnly[i++]));
            } else {
                result.push_back(std::move(patchItems[j++]));
            }
        }
    }
    return result;
}

bool isObjectList(const array &a, const array &b) {
    for (const array *list : {&a, &b}) {
        for (const value &item : *list) {
            return item.is_object();
        }
    }
    return false;
}

Failure mergeList(array &original, array patch, const FieldSchema *field) {
    if (original.empty() && patch.empty()) {
        return std::nullopt;
    }
    const std::string mergeKey =
        (field != nullptr && field->list == ListKind::Keyed) ? field->mergeKey : std::string();
    if (!isObjectList(original, patch)) {
        // Primitive merge list: union without duplicates, patch order first.
        array merged = original;
        for (const value &item : patch) {
            if (indexOf(merged, item, {}) < 0) {
                merged.push_back(item);
            }
        }
        original = normalizeOrder(merged, patch, original, {});
        return std::nullopt;
    }
    if (mergeKey.empty()) {
        return internal("cannot merge lists without merge key for type map");
    }
    // Special elements: {"$patch":"delete", key: v} removes, {"$patch":"replace"} replaces.
    array plain;
    bool replace = false;
    for (value &item : patch) {
        object *obj = item.if_object();
        if (obj == nullptr) {
            return internal("list element types are not identical: " + goFormat(value(patch)));
        }
        const value *directive = obj->if_contains(kDirective);
        if (directive == nullptr) {
            plain.push_back(std::move(item));
            continue;
        }
        std::string kind = directive->is_string() ? std::string(directive->get_string()) : "";
        if (kind == "delete") {
            const value *key = obj->if_contains(mergeKey);
            if (key == nullptr) {
                return noMergeKey(item, mergeKey);
            }
            for (int at = indexOf(original, item, mergeKey); at >= 0;
                 at = indexOf(original, item, mergeKey)) {
                original.erase(original.begin() + at);
            }
        } else if (kind == "replace") {
            replace = true;
        } else if (kind == "merge") {
            // Sandbox leniency: an explicit merge is the default behaviour for keyed lists.
            obj->erase(kDirective);
            plain.push_back(std::move(item));
        } else {
            return internal("unknown patch type: " + goFormat(*directive) +
                            " in map: " + goFormat(item));
        }
    }
    if (replace) {
        array result;
        for (const value &item : plain) {
            object fresh;
            if (Failure f = mergeMap(fresh, item.get_object(), field->node)) {
                return f;
            }
            result.push_back(std::move(fresh));
        }
        original = std::move(result);
        return std::nullopt;
    }
    const array serverOrder = original;
    array merged = original;
    for (const value &item : plain) {
        if (item.get_object().if_contains(mergeKey) == nullptr) {
            return noMergeKey(item, mergeKey);
        }
        int at = indexOf(merged, item, mergeKey);
        if (at >= 0 && merged[at].is_object()) {
            if (Failure f = mergeMap(merged[at].get_object(), item.get_object(), field->node)) {
                return f;
            }
            continue;
        }
        object fresh;
        if (Failure f = mergeMap(fresh, item.get_object(), field->node)) {
            return f;
        }
        merged.push_back(std::move(fresh));
    }
    original = normalizeOrder(merged, plain, serverOrder, mergeKey);
    return std::nullopt;
}

std::string suffixOf(std::string_view key) {
    return std::string(key.substr(key.find('/') + 1));
}

// Checks that the non-deleting items of the patch list appear in the order list in the
// same relative order.
Failure validateOrder(const array &patchList, const array &order, const std::string &mergeKey) {
    std::size_t p = 0;
    std::size_t o = 0;
    std::vector<const value *> items;
    for (const value &item : patchList) {
        const object *obj = item.if_object();
        if (obj == nullptr || obj->if_contains(kDirective) == nullptr) {
            items.push_back(&item);
        }
    }
    while (p < items.size() && o < order.size()) {
        array one;
        one.push_back(order[o]);
        if (indexOf(one, *items[p], mergeKey) == 0) {
            ++p;
        }
        ++o;
    }
    if (p < items.size()) {
        return internal("The order in patch list:\n" + goFormat(value(patchList)) +
                        "\n doesn't match $setElementOrder list:\n" + goFormat(value(order)) +
                        "\n");
    }
    return std::nullopt;
}

// $setElementOrder/<field>: merge the field's list now and enforce the given order.
Failure applySetElementOrder(object &original, object &patch, const SchemaNode *node) {
    std::vector<std::string> orderKeys;
    for (const auto &entry : patch) {
        if (hasPrefix(entry.key(), kSetElementOrder)) {
            orderKeys.emplace_back(entry.key());
        } else if (entry.key().starts_with(kSetElementOrder)) {
            return badRequest("invalid patch format of setElementOrder list");
        }
    }
    for (const std::string &orderKey : orderKeys) {
        value orderValue = patch.at(orderKey);
        patch.erase(orderKey);
        if (!orderValue.is_array()) {
            return badRequest("invalid patch format of setElementOrder list");
        }
        const array &order = orderValue.get_array();
        const std::string fieldName = suffixOf(orderKey);
        const FieldSchema *field = node != nullptr ? node->field(fieldName) : nullptr;
        const std::string mergeKey =
            (field != nullptr && field->list == ListKind::Keyed) ? field->mergeKey : "";
        value *live = original.if_contains(fieldName);
        value *patchList = patch.if_contains(fieldName);
        if ((live != nullptr && !live->is_array()) ||
            (patchList != nullptr && !patchList->is_array())) {
            return badRequest("invalid patch format of setElementOrder list");
        }
        if (patchList != nullptr) {
            if (Failure f = validateOrder(patchList->get_array(), order, mergeKey)) {
                return f;
            }
        }
        array merged;
        array serverOrder;
        if (live != nullptr && patchList != nullptr) {
            serverOrder = live->get_array();
            merged = live->get_array();
            if (Failure f = mergeList(merged, patchList->get_array(), field)) {
                return f;
            }
        } else if (live != nullptr) {
            serverOrder = live->get_array();
            merged = live->get_array();
        } else if (patchList != nullptr) {
            value cleaned;
            if (Failure f = clean(cleaned, *patchList, field)) {
                return f;
            }
            merged = cleaned.get_array();
        } else {
            continue;
        }
        original[fieldName] = normalizeOrder(merged, order, serverOrder, mergeKey);
        patch.erase(fieldName);
    }
    return std::nullopt;
}

Failure applyRetainKeys(object &original, object &patch) {
    const value *retain = patch.if_contains(kRetainKeys);
    if (retain == nullptr) {
        return std::nullopt;
    }
    if (!retain->is_array()) {
        return badRequest("invalid patch format of retainKeys");
    }
    const array keep = retain->get_array();
    patch.erase(kRetainKeys);
    auto listed = [&](std::string_view key) {
        return std::any_of(keep.begin(), keep.end(),
                           [&](const value &k) { return k.is_string() && k.get_string() == key; });
    };
    for (const auto &entry : patch) {
        if (entry.value().is_null() || hasPrefix(entry.key(), kDeleteFromPrimitiveList) ||
            hasPrefix(entry.key(), kSetElementOrder)) {
            continue;
        }
        if (!listed(entry.key())) {
            return badRequest("invalid patch format of retainKeys");
        }
    }
    std::vector<std::string> drop;
    for (const auto &entry : original) {
        if (!listed(entry.key())) {
            drop.emplace_back(entry.key());
        }
    }
    for (const std::string &key : drop) {
        original.erase(key);
    }
    return std::nullopt;
}

Failure applyDeleteFromPrimitiveLists(object &original, object &patch) {
    std::vector<std::string> keys;
    for (const auto &entry : patch) {
        if (hasPrefix(entry.key(), kDeleteFromPrimitiveList)) {
            keys.emplace_back(entry.key());
        } else if (entry.key().starts_with(kDeleteFromPrimitiveList)) {
            return badRequest("invalid patch format of primitive list");
        }
    }
    for (const std::string &key : keys) {
        value toDelete = patch.at(key);
        patch.erase(key);
        if (!toDelete.is_array()) {
            return badRequest("invalid patch format of primitive list");
        }
        value *live = original.if_contains(suffixOf(key));
        if (live == nullptr || !live->is_array()) {
            continue;
        }
        array kept;
        for (const value &item : live->get_array()) {
            if (indexOf(toDelete.get_array(), item, {}) < 0) {
                kept.push_back(item);
            }
        }
        *live = std::move(kept);
    }
    return std::nullopt;
}

Failure mergeMap(object &original, object patch, const SchemaNode *node) {
    if (const value *directive = patch.if_contains(kDirective)) {
        std::string kind = directive->is_string() ? std::string(directive->get_string()) : "";
        if (kind == "replace") {
            patch.erase(kDirective);
            object replaced;
            if (Failure f = mergeMap(replaced, std::move(patch), node)) {
                return f;
            }
            original = std::move(replaced);
            return std::nullopt;
        }
        if (kind == "delete") {
            original.clear();
            return std::nullopt;
        }
        if (kind != "merge") {
            return internal("unknown patch type: " + goFormat(*directive) +
                            " in map: " + goFormat(value(patch)));
        }
        // Sandbox leniency: "$patch: merge" on a map is the default behaviour.
        patch.erase(kDirective);
    }
    if (Failure f = applyRetainKeys(original, patch)) {
        return f;
    }
    if (Failure f = applySetElementOrder(original, patch, node)) {
        return f;
    }
    if (Failure f = applyDeleteFromPrimitiveLists(original, patch)) {
        return f;
    }
    for (auto &entry : patch) {
        const std::string key(entry.key());
        value &patchValue = entry.value();
        if (key.starts_with("$")) {
            continue; // unknown directives vanish like unknown fields on decode
        }
        if (patchValue.is_null()) {
            original.erase(key);
            continue;
        }
        const FieldSchema *field = node != nullptr ? node->field(key) : nullptr;
        value *live = original.if_contains(key);
        if (live == nullptr || live->kind() != patchValue.kind()) {
            value cleaned;
            if (Failure f = clean(cleaned, patchValue, field)) {
                return f;
            }
            original[key] = std::move(cleaned);
            continue;
        }
        if (live->is_object()) {
            if (Failure f = mergeMap(live->get_object(), std::move(patchValue.get_object()),
                                     nodeOf(field))) {
                return f;
            }
        } else if (live->is_array()) {
            if (field != nullptr && field->list != ListKind::Atomic) {
                if (Failure f =
                        mergeList(live->get_array(), std::move(patchValue.get_array()), field)) {
                    return f;
                }
            } else {
                value cleaned;
                if (Failure f = clean(cleaned, patchValue, field)) {
                    return f;
                }
                *live = std::move(cleaned);
            }
        } else {
            *live = patchValue;
        }
    }
    return std::nullopt;
}

} // namespace

ApiResult<boost::json::value> applyStrategicMergePatch(const boost::json::value &document,
                                                       const boost::json::value &patch,
                                                       std::string_view kind) {
    const object *patchObj = patch.if_object();
    if (patchObj == nullptr) {
        return badRequest(std::string("json: cannot unmarshal ") +
                          (patch.is_array() ? "array" : "value") +
                          " into Go value of type map[string]interface {}");
    }
    const SchemaNode *schema = strategicSchemaFor(kind);
    if (schema == nullptr) {
        // Custom resources: the real server refuses strategic merge there (415); kubectl
        // sends them merge patches. The sandbox degrades gracefully to a merge patch.
        return applyMergePatch(document, patch);
    }
    object result;
    if (const object *docObj = document.if_object()) {
        result = *docObj;
    }
    if (Failure f = mergeMap(result, *patchObj, schema)) {
        return *f;
    }
    return value(std::move(result));
}

} // namespace sandbox
