#include "api/managed_fields.h"

#include "util/clock.h"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace sandbox {

using boost::json::array;
using boost::json::object;
using boost::json::value;

bool ManagedFieldsEntry::sameIdentity(const ManagedFieldsEntry &other) const {
    if (manager != other.manager || operation != other.operation ||
        subresource != other.subresource) {
        return false;
    }
    return operation == "Apply" || apiVersion == other.apiVersion;
}

std::string ManagedFieldsEntry::describe() const {
    std::string out = boost::json::serialize(value(manager));
    if (!subresource.empty()) {
        out += " with subresource " + boost::json::serialize(value(subresource));
    }
    if (operation == "Update") {
        out += " using " + apiVersion;
    }
    return out;
}

boost::json::object ManagedFieldsEntry::toJson() const {
    object out;
    out["manager"] = manager;
    out["operation"] = operation;
    out["apiVersion"] = apiVersion;
    if (!time.empty()) {
        out["time"] = time;
    }
    out["fieldsType"] = "FieldsV1";
    out["fieldsV1"] = fields.toFieldsV1();
    if (!subresource.empty()) {
        out["subresource"] = subresource;
    }
    return out;
}

namespace {

std::string stringField(const object &entry, std::string_view key) {
    const value *v = entry.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

} // namespace

std::optional<ManagedFields> decodeManagedFields(const boost::json::object &object) {
    ManagedFields entries;
    const value *metadata = object.if_contains("metadata");
    const value *list = metadata != nullptr && metadata->is_object()
                            ? metadata->get_object().if_contains("managedFields")
                            : nullptr;
    if (list == nullptr || list->is_null()) {
        return entries;
    }
    if (!list->is_array()) {
        return std::nullopt;
    }
    for (const value &raw : list->get_array()) {
        const auto *entry = raw.if_object();
        if (entry == nullptr) {
            return std::nullopt;
        }
        ManagedFieldsEntry decoded;
        decoded.manager = stringField(*entry, "manager");
        decoded.operation = stringField(*entry, "operation");
        decoded.apiVersion = stringField(*entry, "apiVersion");
        decoded.time = stringField(*entry, "time");
        decoded.subresource = stringField(*entry, "subresource");
        if (decoded.operation != "Apply" && decoded.operation != "Update") {
            return std::nullopt;
        }
        const std::string type = stringField(*entry, "fieldsType");
        if (!type.empty() && type != "FieldsV1") {
            return std::nullopt;
        }
        const value *fields = entry->if_contains("fieldsV1");
        if (fields != nullptr && !fields->is_null()) {
            // An empty document owns nothing (not "the root itself").
            if (!fields->is_object()) {
                return std::nullopt;
            }
            if (!fields->get_object().empty()) {
                std::optional<FieldSet> set = FieldSet::fromFieldsV1(*fields);
                if (!set) {
                    return std::nullopt;
                }
                decoded.fields = std::move(*set);
            }
        }
        entries.push_back(std::move(decoded));
    }
    return entries;
}

void encodeManagedFields(boost::json::object &object, ManagedFields entries) {
    std::erase_if(entries, [](const ManagedFieldsEntry &e) { return e.fields.empty(); });
    auto seconds = [](const std::string &text) {
        TimePoint t{};
        return !text.empty() && parseRfc3339(text, t) ? t : TimePoint{};
    };
    std::stable_sort(entries.begin(), entries.end(),
                     [&](const ManagedFieldsEntry &p, const ManagedFieldsEntry &q) {
                         if (p.operation != q.operation) {
                             return p.operation < q.operation;
                         }
                         TimePoint pt = seconds(p.time);
                         TimePoint qt = seconds(q.time);
                         if (pt != qt) {
                             return pt < qt;
                         }
                         if (p.manager != q.manager) {
                             return p.manager < q.manager;
                         }
                         if (p.apiVersion != q.apiVersion) {
                             return p.apiVersion < q.apiVersion;
                         }
                         return p.subresource < q.subresource;
                     });
    value &metadataValue = object["metadata"];
    if (!metadataValue.is_object()) {
        metadataValue = boost::json::object();
    }
    boost::json::object &metadata = metadataValue.get_object();
    if (entries.empty()) {
        metadata.erase("managedFields");
        return;
    }
    array out;
    for (const ManagedFieldsEntry &entry : entries) {
        out.push_back(entry.toJson());
    }
    metadata["managedFields"] = std::move(out);
}

ManagedFieldsEntry *findEntry(ManagedFields &entries, const ManagedFieldsEntry &probe) {
    for (ManagedFieldsEntry &entry : entries) {
        if (entry.sameIdentity(probe)) {
            return &entry;
        }
    }
    return nullptr;
}

} // namespace sandbox
