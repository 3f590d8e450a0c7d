#pragma once
// Patch metadata of the built-in kinds the sandbox serves: which lists merge by a key
// (patchMergeKey / listMapKeys), which merge as sets of primitives, which structs are
// atomic for server-side apply. Mirrors the struct tags of k8s.io/api v1.32 for the fields
// kubectl and controllers touch. Anything not described here has the default handling:
// objects merge field by field, lists are replaced as a whole (atomic).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

struct SchemaNode;

enum class ListKind {
    Atomic, // replaced as a whole (no patchStrategy / listType=atomic)
    Keyed,  // patchStrategy=merge with a patchMergeKey / listType=map
    Set,    // patchStrategy=merge on primitives / listType=set
};

// One key of an associative list as server-side apply sees it (listMapKeys). A key with a
// default (protocol: TCP) may be omitted by the applier.
struct ListKey {
    std::string name;
    std::optional<std::string> defaultValue;
};

struct FieldSchema {
    ListKind list = ListKind::Atomic;
    std::string mergeKey;      // strategic merge patch key ("name", "containerPort", ...)
    std::vector<ListKey> keys; // server-side apply keys (Service ports: port + protocol)
    // The object this field holds, or the element object of a list; nullptr = no metadata.
    const SchemaNode *node = nullptr;
};

struct SchemaNode {
    // Only the fields that need non-default handling, or lead to some.
    std::map<std::string, FieldSchema, std::less<>> fields;
    // structType=atomic / mapType=atomic: server-side apply owns it as one field.
    bool atomic = false;

    const FieldSchema *field(std::string_view name) const;
};

// The schema root for a kind ("Deployment", "Pod", ...), or nullptr for kinds without
// strategic merge support (PrometheusRule and other custom resources): they get a JSON
// merge patch, as the real API server does for custom resources.
const SchemaNode *strategicSchemaFor(std::string_view kind);

// The schema used for kinds without built-in metadata when server-side apply needs one:
// only metadata (finalizers, ownerReferences) is described.
const SchemaNode *genericObjectSchema();

} // namespace sandbox
