#include "api/table.h"

#include "api/media_range.h"

#include "api/printers.h"
#include "util/json_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace sandbox {

namespace {

namespace bj = boost::json;

const PrinterSpec &fallbackPrinter() {
    static const PrinterSpec spec = genericPrinter();
    return spec;
}

RowPrinter rowPrinter(const ResourceType &type) {
    return type.printRow ? type.printRow : fallbackPrinter().printRow;
}

bj::object columnDefinition(const TableColumn &column) {
    // Every field is serialized, as metav1.TableColumnDefinition has no omitempty tags.
    bj::object out;
    out["name"] = column.name;
    out["type"] = column.type;
    out["format"] = column.format;
    out["description"] = column.description;
    out["priority"] = column.priority;
    return out;
}

// Finished pods carry a row condition "Completed" (kubectl uses it to mark them).
void addRowConditions(const ResourceType &type, const bj::object &object, bj::object &row) {
    if (type.group != "" || type.kind != "Pod") {
        return;
    }
    const std::string phase = json::stringAt(object, {"status", "phase"});
    if (phase != "Succeeded" && phase != "Failed") {
        return;
    }
    bj::object condition;
    condition["type"] = "Completed";
    condition["status"] = "True";
    condition["reason"] = phase;
    condition["message"] =
        phase == "Succeeded" ? "The pod has completed successfully." : "The pod failed.";
    row["conditions"] = bj::array{condition};
}

bj::value rowObject(const bj::object &object, const TableOptions &options) {
    switch (options.includeObject) {
    case IncludeObject::None:
        return nullptr;
    case IncludeObject::Object:
        return object;
    case IncludeObject::Metadata:
        break;
    }
    bj::object partial;
    partial["kind"] = "PartialObjectMetadata";
    partial["apiVersion"] = "meta.k8s.io/" + options.apiVersion;
    if (const auto *metadata = json::objectAt(object, {"metadata"})) {
        partial["metadata"] = *metadata;
    } else {
        partial["metadata"] = bj::object{};
    }
    return partial;
}

bj::object makeRow(const ResourceType &type, const bj::object &object,
                   std::chrono::system_clock::time_point now, const TableOptions &options) {
    bj::array cells;
    cells.reserve(tableColumns(type).size());
    rowPrinter(type)(object, now, cells);
    bj::object row;
    row["cells"] = std::move(cells);
    addRowConditions(type, object, row);
    row["object"] = rowObject(object, options);
    return row;
}

bj::object tableShell(const ResourceType &type, const TableOptions &options) {
    bj::object table;
    table["kind"] = "Table";
    table["apiVersion"] = "meta.k8s.io/" + options.apiVersion;
    table["metadata"] = bj::object{};
    if (!options.noHeaders) {
        bj::array columns;
        for (const auto &column : tableColumns(type)) {
            columns.push_back(columnDefinition(column));
        }
        table["columnDefinitions"] = std::move(columns);
    }
    return table;
}

} // namespace

ApiResult<IncludeObject> parseIncludeObject(std::string_view text) {
    if (text.empty() || text == "Metadata") {
        return IncludeObject::Metadata;
    }
    if (text == "None") {
        return IncludeObject::None;
    }
    if (text == "Object") {
        return IncludeObject::Object;
    }
    return ApiError::badRequest("Invalid value: \"" + std::string(text) +
                                "\": includeObject must be one of None, Metadata, Object");
}

std::optional<std::string> tableVersionFromAccept(std::string_view accept) {
    for (const MediaRange &range : parseAccept(accept)) {
        if (!range.coversJson()) {
            continue;
        }
        const std::string_view as = range.as, group = range.group, version = range.version;
        if (as == "Table" && group == "meta.k8s.io" && (version == "v1" || version == "v1beta1")) {
            return std::string(version);
        }
        if (as.empty()) {
            // A plain JSON entry before any Table entry: the client prefers full objects.
            return std::nullopt;
        }
    }
    return std::nullopt;
}

const std::vector<TableColumn> &tableColumns(const ResourceType &type) {
    return type.printRow ? type.columns : fallbackPrinter().columns;
}

bj::object buildTable(const ResourceType &type, const std::vector<bj::object> &items,
                      std::chrono::system_clock::time_point now, const TableOptions &options,
                      const TableListMeta &listMeta) {
    bj::object table = tableShell(type, options);
    bj::object &metadata = table["metadata"].as_object();
    if (!listMeta.resourceVersion.empty()) {
        metadata["resourceVersion"] = listMeta.resourceVersion;
    }
    if (!listMeta.continueToken.empty()) {
        metadata["continue"] = listMeta.continueToken;
    }
    if (listMeta.remainingItemCount) {
        metadata["remainingItemCount"] = *listMeta.remainingItemCount;
    }
    bj::array rows;
    rows.reserve(items.size());
    for (const auto &item : items) {
        rows.push_back(makeRow(type, item, now, options));
    }
    table["rows"] = std::move(rows);
    return table;
}

bj::object buildTable(const ResourceType &type, const bj::object &object,
                      std::chrono::system_clock::time_point now, const TableOptions &options) {
    bj::object table = tableShell(type, options);
    const std::string rv = json::stringAt(object, {"metadata", "resourceVersion"});
    if (!rv.empty()) {
        table["metadata"].as_object()["resourceVersion"] = rv;
    }
    table["rows"] = bj::array{makeRow(type, object, now, options)};
    return table;
}

} // namespace sandbox
