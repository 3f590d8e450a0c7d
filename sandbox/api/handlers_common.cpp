#include "api/content_field_validation.h"
#include "api/handlers.h"

#include "util/yaml_json.h"

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstdlib>

namespace sandbox {

namespace {

std::string quoteGo(const std::string &text) {
    return boost::json::serialize(boost::json::value(text));
}

} // namespace

HttpResponse jsonResponse(int status, const boost::json::value &body, std::string contentType) {
    HttpResponse response;
    response.status = status;
    response.contentType = std::move(contentType);
    response.body = boost::json::serialize(body);
    return response;
}

HttpResponse errorResponse(const ApiError &error) {
    boost::json::object status = error.toStatus();
    status["code"] = error.code;
    return jsonResponse(error.code, status);
}

HttpResponse objectResponse(int status, const boost::json::object &object, ResponseFormat format) {
    if (format == ResponseFormat::Yaml) {
        HttpResponse response;
        response.status = status;
        response.contentType = "application/yaml";
        response.body = yaml::fromJson(object);
        return response;
    }
    return jsonResponse(status, object);
}

HttpResponse statusSuccess(int status, const ResourceType *type, const std::string &name) {
    boost::json::object body{{"kind", "Status"},
                             {"apiVersion", "v1"},
                             {"metadata", boost::json::object()},
                             {"status", "Success"}};
    if (type) {
        boost::json::object details;
        if (!name.empty()) {
            details["name"] = name;
        }
        details["group"] = type->group;
        details["kind"] = type->resource;
        body["details"] = std::move(details);
    }
    return jsonResponse(status, body);
}

HttpResponse notFoundPath() {
    ApiError error;
    error.code = 404;
    error.reason = "NotFound";
    error.message = "the server could not find the requested resource";
    return errorResponse(error);
}

HttpResponse methodNotAllowed() {
    return errorResponse(ApiError::methodNotAllowed(
        "the server does not allow this method on the requested resource"));
}

std::string queryOr(const HttpRequest &request, const char *name, std::string fallback) {
    auto value = request.param(name);
    return value ? *value : fallback;
}

ApiResult<bool> boolParam(const HttpRequest &request, const char *name, bool fallback) {
    auto value = request.param(name);
    if (!value) {
        return fallback;
    }
    // Go's strconv.ParseBool forms; an empty value (?watch) counts as true, as the
    // apiserver's query decoder does for booleans.
    const std::string &v = *value;
    if (v.empty() || v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" ||
        v == "True") {
        return true;
    }
    if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") {
        return false;
    }
    return ApiError::badRequest("strconv.ParseBool: parsing " + quoteGo(v) + ": invalid syntax");
}

ApiResult<std::optional<std::int64_t>> intParam(const HttpRequest &request, const char *name) {
    auto value = request.param(name);
    if (!value || value->empty()) {
        return std::optional<std::int64_t>();
    }
    errno = 0;
    char *end = nullptr;
    long long parsed = std::strtoll(value->c_str(), &end, 10);
    if (errno == ERANGE || end == value->c_str() || *end != '\0') {
        return ApiError::badRequest("strconv.ParseInt: parsing " + quoteGo(*value) +
                                    ": invalid syntax");
    }
    return std::optional<std::int64_t>(parsed);
}

ApiResult<ListOptions> listOptionsFrom(const HttpRequest &request) {
    ListOptions options;
    options.labelSelector = queryOr(request, "labelSelector");
    options.fieldSelector = queryOr(request, "fieldSelector");
    options.continueToken = queryOr(request, "continue");
    options.resourceVersion = queryOr(request, "resourceVersion");
    options.resourceVersionMatch = queryOr(request, "resourceVersionMatch");
    auto limit = intParam(request, "limit");
    if (!limit.ok()) {
        return limit.error();
    }
    if (limit.value()) {
        options.limit = std::max<std::int64_t>(0, *limit.value());
    }
    if (!options.resourceVersionMatch.empty() && options.resourceVersionMatch != "Exact" &&
        options.resourceVersionMatch != "NotOlderThan") {
        ApiError error;
        error.code = 422;
        error.reason = "Invalid";
        error.message = "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: "
                        "Unsupported value: " +
                        quoteGo(options.resourceVersionMatch) +
                        ": supported values: \"Exact\", \"NotOlderThan\", \"\"";
        error.kind = "ListOptions";
        error.group = "meta.k8s.io";
        error.causes.push_back({"FieldValueNotSupported",
                                "Unsupported value: " + quoteGo(options.resourceVersionMatch) +
                                    ": supported values: \"Exact\", \"NotOlderThan\", \"\"",
                                "resourceVersionMatch"});
        return error;
    }
    return options;
}

std::string managerFromUserAgent(const HttpRequest &request) {
    // As the API server names the manager of a write without ?fieldManager=: the user
    // agent up to its first '/', so `kubectl scale` owns fields as "kubectl".
    std::string agent = request.header("user-agent");
    agent = agent.substr(0, agent.find('/'));
    if (agent.size() > 128) {
        agent.resize(128);
    }
    return agent;
}

ApiResult<WriteOptions> writeOptionsFrom(const HttpRequest &request, const char *optionsKind) {
    WriteOptions options;
    std::vector<std::string> dryRun;
    for (const auto &[key, value] : request.query) {
        if (key == "dryRun") {
            dryRun.push_back(value);
        }
    }
    for (const std::string &value : dryRun) {
        if (value != "All") {
            // As ValidateCreateOptions & co. answer: 422 on the options kind.
            std::string list = "[]string{";
            for (std::size_t i = 0; i < dryRun.size(); ++i) {
                list += (i ? ", " : "") + quoteGo(dryRun[i]);
            }
            list += "}";
            ApiError error;
            error.code = 422;
            error.reason = "Invalid";
            error.kind = optionsKind;
            error.group = "meta.k8s.io";
            std::string detail = "Unsupported value: " + list + ": supported values: \"All\"";
            error.message =
                std::string(optionsKind) + ".meta.k8s.io \"\" is invalid: dryRun: " + detail;
            error.causes.push_back({"FieldValueNotSupported", detail, "dryRun"});
            return error;
        }
    }
    options.dryRun = !dryRun.empty();
    options.fieldManager = queryOr(request, "fieldManager");
    // Apply requires an explicit manager (the patch handler checks); other writes default it.
    if (options.fieldManager.empty() && std::string_view(optionsKind) != "PatchOptions") {
        options.fieldManager = managerFromUserAgent(request);
    }
    if (options.fieldManager.size() > 128) {
        ApiError error;
        error.code = 422;
        error.reason = "Invalid";
        error.kind = optionsKind;
        error.group = "meta.k8s.io";
        error.message = std::string(optionsKind) +
                        ".meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more "
                        "than 128 bytes";
        return error;
    }
    auto force = boolParam(request, "force", false);
    if (!force.ok()) {
        return force.error();
    }
    options.force = force.value();
    options.fieldValidation = queryOr(request, "fieldValidation");
    if (!options.fieldValidation.empty() && options.fieldValidation != "Strict" &&
        options.fieldValidation != "Warn" && options.fieldValidation != "Ignore") {
        return ApiError::badRequest("fieldValidation: invalid value " +
                                    quoteGo(options.fieldValidation) +
                                    ", must be one of Ignore, Warn or Strict");
    }
    return options;
}

namespace {

const char *goKind(const boost::json::value &v) {
    switch (v.kind()) {
    case boost::json::kind::string:
        return "string";
    case boost::json::kind::bool_:
        return "bool";
    case boost::json::kind::array:
        return "array";
    case boost::json::kind::object:
        return "object";
    case boost::json::kind::null:
        return "null";
    default:
        return "number";
    }
}

// Object metadata with the wrong JSON types, which Go's decoder refuses before anything else
// (a name that is a number would otherwise become "no name").
ApiResult<bool> checkMetadataTypes(const ResourceType &type, const boost::json::object &body) {
    const auto *meta = body.if_contains("metadata");
    if (!meta || meta->is_null()) {
        return true;
    }
    auto fail = [&](const std::string &field, const boost::json::value &v, const char *want) {
        return ApiError::badRequest(type.kind + " in version \"" + type.version +
                                    "\" cannot be handled as a " + type.kind +
                                    ": json: cannot unmarshal " + goKind(v) +
                                    " into Go struct field " + field + " of type " + want);
    };
    if (!meta->is_object()) {
        return fail(type.kind + ".metadata", *meta, "v1.ObjectMeta");
    }
    for (const char *key : {"name", "generateName", "namespace", "uid", "resourceVersion"}) {
        if (const auto *v = meta->get_object().if_contains(key);
            v && !v->is_string() && !v->is_null()) {
            return fail(std::string("ObjectMeta.metadata.") + key, *v, "string");
        }
    }
    for (const char *key : {"labels", "annotations"}) {
        const auto *map = meta->get_object().if_contains(key);
        if (!map || map->is_null()) {
            continue;
        }
        if (!map->is_object()) {
            return fail(std::string("ObjectMeta.metadata.") + key, *map, "map[string]string");
        }
        for (const auto &entry : map->get_object()) {
            // null is how a merge patch removes a key
            if (!entry.value().is_string() && !entry.value().is_null()) {
                return fail(std::string("ObjectMeta.metadata.") + key, entry.value(), "string");
            }
        }
    }
    return true;
}

} // namespace

ApiResult<bool> checkFields(const ResourceType &type, const boost::json::object &body,
                            const WriteOptions &options, std::vector<std::string> &warnings) {
    if (auto types = checkMetadataTypes(type, body); !types.ok()) {
        return types.error();
    }
    if (options.fieldValidation == "Ignore") {
        return true;
    }
    auto unknown = unknownFields(type, body);
    if (unknown.empty()) {
        return true;
    }
    if (options.fieldValidation == "Strict") {
        return strictDecodingError(type, unknown);
    }
    for (const auto &field : unknown) {
        warnings.push_back("unknown field \"" + field + "\"");
    }
    return true;
}

void addWarnings(HttpResponse &response, const std::vector<std::string> &warnings) {
    for (const auto &warning : warnings) {
        // RFC 7234 warn-code 299 with the text as a quoted string, as the apiserver sends.
        response.headers.emplace_back("Warning", "299 - " + quoteGo(warning));
    }
}

} // namespace sandbox
