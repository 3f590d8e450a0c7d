#include "api/openapi.h"

#include "api/discovery.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace sandbox {

namespace {

namespace bj = boost::json;

std::string openApiPath(const std::string &groupVersion) {
    return groupVersion.find('/') == std::string::npos ? "api/" + groupVersion
                                                       : "apis/" + groupVersion;
}

bj::object queryParameter(const char *name, const char *description) {
    return {{"name", name},
            {"in", "query"},
            {"description", description},
            {"schema", bj::object{{"type", "string"}, {"uniqueItems", true}}}};
}

bj::object booleanQueryParameter(const char *name, const char *description) {
    return {{"name", name},
            {"in", "query"},
            {"description", description},
            {"schema", bj::object{{"type", "boolean"}, {"uniqueItems", true}}}};
}

bj::object pathParameter(const char *name, const char *description) {
    return {{"name", name},
            {"in", "path"},
            {"description", description},
            {"required", true},
            {"schema", bj::object{{"type", "string"}, {"uniqueItems", true}}}};
}

bj::object gvk(const std::string &group, const std::string &version, const std::string &kind) {
    return {{"group", group}, {"version", version}, {"kind", kind}};
}

const char *kDryRun = "When present, indicates that modifications should not be persisted. "
                      "Valid values are: - All: all dry run stages will be processed";
const char *kFieldManager = "fieldManager is a name associated with the actor or entity that is "
                            "making these changes.";
const char *kFieldValidation =
    "fieldValidation instructs the server on how to handle objects in the request "
    "(POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - "
    "Warn - Strict";
const char *kForce = "Force is going to \"force\" Apply requests. It means user will re-acquire "
                     "conflicting fields owned by other people.";

bj::array writeParameters(bool patch) {
    bj::array params{queryParameter("dryRun", kDryRun),
                     queryParameter("fieldManager", kFieldManager),
                     queryParameter("fieldValidation", kFieldValidation)};
    if (patch) {
        params.push_back(booleanQueryParameter("force", kForce));
    }
    return params;
}

bj::object operation(const std::string &id, const std::string &action, bj::object kind,
                     bj::array parameters) {
    bj::object op;
    op["description"] = action + " the specified object";
    op["operationId"] = id;
    op["x-kubernetes-action"] = action;
    op["x-kubernetes-group-version-kind"] = std::move(kind);
    if (!parameters.empty()) {
        op["parameters"] = std::move(parameters);
    }
    op["responses"] = bj::object{{"200", bj::object{{"description", "OK"}}},
                                 {"401", bj::object{{"description", "Unauthorized"}}}};
    return op;
}

bool hasVerb(const ResourceType &type, std::string_view verb) {
    return std::find(type.verbs.begin(), type.verbs.end(), verb) != type.verbs.end();
}

// "patchAppsV1NamespacedDeployment", as the real spec names operations.
std::string operationId(const std::string &verb, const ResourceType &type,
                        const std::string &suffix = {}) {
    std::string gv;
    std::string group = type.group.empty() ? "core" : type.group;
    // Only the first label of a dotted group: "networking.k8s.io" -> "Networking".
    group = group.substr(0, group.find('.'));
    gv += static_cast<char>(std::toupper(static_cast<unsigned char>(group[0])));
    gv += group.substr(1);
    gv += static_cast<char>(std::toupper(static_cast<unsigned char>(type.version[0])));
    gv += type.version.substr(1);
    return verb + gv + (type.namespaced ? "Namespaced" : "") + type.kind + suffix;
}

void addKind(const ResourceType &type, bj::object &paths) {
    const std::string prefix =
        (type.group.empty() ? "/api/" : "/apis/" + type.group + "/") + type.version;
    const std::string collection =
        prefix + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.resource;
    const std::string item = collection + "/{name}";
    const bj::object kind = gvk(type.group, type.version, type.kind);

    bj::array common;
    common.push_back(pathParameter("name", ("name of the " + type.kind).c_str()));
    if (type.namespaced) {
        common.push_back(pathParameter(
            "namespace", "object name and auth scope, such as for teams and projects"));
    }

    if (hasVerb(type, "create")) {
        bj::object collectionPath;
        collectionPath["post"] =
            operation(operationId("create", type), "post", kind, writeParameters(false));
        if (type.namespaced) {
            collectionPath["parameters"] = bj::array{pathParameter(
                "namespace", "object name and auth scope, such as for teams and projects")};
        }
        paths[collection] = std::move(collectionPath);
    }
    if (hasVerb(type, "patch") || hasVerb(type, "get")) {
        bj::object itemPath;
        if (hasVerb(type, "get")) {
            itemPath["get"] = operation(operationId("read", type), "get", kind, {});
        }
        if (hasVerb(type, "update")) {
            itemPath["put"] =
                operation(operationId("replace", type), "put", kind, writeParameters(false));
        }
        if (hasVerb(type, "patch")) {
            itemPath["patch"] =
                operation(operationId("patch", type), "patch", kind, writeParameters(true));
        }
        itemPath["parameters"] = common;
        paths[item] = std::move(itemPath);
    }
    for (const auto &sub : type.subresources) {
        if (std::find(sub.verbs.begin(), sub.verbs.end(), "patch") == sub.verbs.end()) {
            continue;
        }
        std::string suffix = sub.name;
        suffix[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(suffix[0])));
        bj::object subPath;
        subPath["patch"] =
            operation(operationId("patch", type, suffix), "patch",
                      gvk(sub.responseKind.group, sub.responseKind.version, sub.responseKind.kind),
                      writeParameters(true));
        subPath["parameters"] = common;
        paths[item + "/" + sub.name] = std::move(subPath);
    }
}

std::string normalizePath(std::string_view path) {
    if (const auto query = path.find('?'); query != std::string_view::npos) {
        path = path.substr(0, query);
    }
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    return std::string(path);
}

} // namespace

std::optional<bj::object> openApiV3Document(const ResourceRegistry &registry, std::string_view path,
                                            std::string_view serverVersion) {
    const std::string wanted = normalizePath(path);
    bj::object paths;
    bool served = false;
    for (const auto &type : registry.all()) {
        if (openApiPath(type.apiVersion()) != wanted) {
            continue;
        }
        served = true;
        addKind(type, paths);
    }
    if (!served) {
        return std::nullopt;
    }
    bj::object doc;
    doc["openapi"] = "3.0.0";
    doc["info"] = bj::object{{"title", "Kubernetes"}, {"version", serverVersion}};
    doc["paths"] = std::move(paths);
    doc["components"] = bj::object{{"schemas", bj::object{}}};
    return doc;
}

bj::object openApiV3Index(const ResourceRegistry &registry, std::string_view serverVersion) {
    bj::object paths;
    for (const auto &gv : registry.groupVersions()) {
        const std::string path = openApiPath(gv);
        const auto doc = openApiV3Document(registry, path, serverVersion);
        // The hash changes whenever the document does, so clients may cache by URL.
        std::string hash = doc ? documentEtag(*doc) : std::string("\"0\"");
        hash = hash.substr(1, hash.size() - 2);
        paths[path] = bj::object{{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash}};
    }
    return {{"paths", std::move(paths)}};
}

} // namespace sandbox
