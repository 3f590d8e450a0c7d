#pragma once
// metadata.managedFields entries: decoding from and encoding to the object, the manager
// identity the API server uses to tell entries apart, and how conflicts name a manager.

#include "api/field_set.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

struct ManagedFieldsEntry {
    std::string manager;
    std::string operation; // "Apply" or "Update"
    std::string apiVersion;
    std::string time; // RFC 3339, may be empty
    std::string subresource;
    FieldSet fields;

    // Appliers are one entry per manager (and subresource) whatever the API version;
    // updaters are one entry per manager, API version and subresource.
    bool sameIdentity(const ManagedFieldsEntry &other) const;
    // How conflicts print the manager: `"kubectl"` for an applier,
    // `"kubectl" with subresource "scale" using apps/v1` for an updater.
    std::string describe() const;

    boost::json::object toJson() const;
};

using ManagedFields = std::vector<ManagedFieldsEntry>;

// The object's entries; nullopt when managedFields is present but malformed (the real
// server then starts over with none).
std::optional<ManagedFields> decodeManagedFields(const boost::json::object &object);

// Writes entries into metadata.managedFields in the server's order (Apply before Update,
// then by time, manager, apiVersion, subresource), dropping entries that own nothing. No
// entries at all removes the field.
void encodeManagedFields(boost::json::object &object, ManagedFields entries);

// The entry with the identity of `probe`, or nullptr.
ManagedFieldsEntry *findEntry(ManagedFields &entries, const ManagedFieldsEntry &probe);

} // namespace sandbox
