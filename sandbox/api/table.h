#pragma once
// meta.k8s.io Table responses, what `kubectl get` asks for (k8s-api-notes §2):
// column definitions from the registry, one row of cells per object from the kind's row
// printer, and row.object as PartialObjectMetadata (default), the full object, or nothing,
// per ?includeObject=.

#include "api/api_error.h"
#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

enum class IncludeObject { None, Metadata, Object };

struct TableOptions {
    IncludeObject includeObject = IncludeObject::Metadata;
    // Omit columnDefinitions (TableOptions.noHeaders; also how watch events after the first
    // may be sent).
    bool noHeaders = false;
    // "v1" or "v1beta1": the meta.k8s.io version the client negotiated.
    std::string apiVersion = "v1";
};

// ?includeObject= value: "" or "Metadata", "None", "Object"; anything else is a 400.
ApiResult<IncludeObject> parseIncludeObject(std::string_view text);

// The Table version an Accept header asks for ("v1" or "v1beta1", the first acceptable
// entry in the header's order), or nullopt when it does not ask for a Table (plain
// application/json, YAML, ...). Entries look like
// `application/json;as=Table;v=v1;g=meta.k8s.io` with parameters in any order.
std::optional<std::string> tableVersionFromAccept(std::string_view accept);

struct TableListMeta {
    std::string resourceVersion;
    std::string continueToken;
    std::optional<std::int64_t> remainingItemCount;
};

// A Table for a list response: one row per item, in order.
boost::json::object buildTable(const ResourceType &type,
                               const std::vector<boost::json::object> &items,
                               std::chrono::system_clock::time_point now,
                               const TableOptions &options, const TableListMeta &listMeta);

// A Table for one object (GET of a name, and each watch event): one row; the table's
// resourceVersion is the object's.
boost::json::object buildTable(const ResourceType &type, const boost::json::object &object,
                               std::chrono::system_clock::time_point now,
                               const TableOptions &options);

// The columns a type prints (its own, or NAME/AGE for types without a printer).
const std::vector<TableColumn> &tableColumns(const ResourceType &type);

} // namespace sandbox
