#include "api/router.h"

#include "api/handlers.h"
#include "api/http_log.h"

#include "util/clock.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>

namespace sandbox {

namespace {

std::vector<std::string> splitPath(const std::string &path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) {
            slash = path.size();
        }
        if (slash > start) {
            parts.push_back(path.substr(start, slash - start));
        }
        start = slash + 1;
    }
    return parts;
}

bool hasVerb(const std::vector<std::string> &verbs, std::string_view verb) {
    return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

HttpResponse unauthorized() {
    ApiError error = ApiError::unauthorized();
    error.message = "Unauthorized";
    return errorResponse(error);
}

bool isHealthPath(const std::string &path, std::string &which) {
    for (const char *root : {"/healthz", "/livez", "/readyz"}) {
        std::string r(root);
        if (path == r || path.rfind(r + "/", 0) == 0) {
            which = path.substr(1);
            return true;
        }
    }
    return false;
}

} // namespace

bool parseResourcePath(const std::string &path, ResourcePath &out) {
    auto parts = splitPath(path);
    std::size_t i = 0;
    if (parts.size() >= 2 && parts[0] == "api") {
        out.group.clear();
        out.version = parts[1];
        i = 2;
    } else if (parts.size() >= 3 && parts[0] == "apis") {
        out.group = parts[1];
        out.version = parts[2];
        i = 3;
    } else {
        return false;
    }
    if (i < parts.size() && parts[i] == "watch") {
        out.watchPrefix = true;
        ++i;
    }
    std::vector<std::string> rest(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());
    if (rest.empty()) {
        return false;
    }
    if (rest[0] == "namespaces" && rest.size() >= 3) {
        // /namespaces/<name>/status|finalize is the namespace itself; anything else under
        // /namespaces/<ns>/ is a namespaced resource.
        if (rest.size() == 3 && out.group.empty() &&
            (rest[2] == "status" || rest[2] == "finalize")) {
            out.resource = "namespaces";
            out.name = rest[1];
            out.subresource = rest[2];
            return true;
        }
        out.ns = rest[1];
        rest.erase(rest.begin(), rest.begin() + 2);
    }
    // Only the proxy subresource has a path of its own after it (.../proxy/{path}); the
    // proxy handler reads that from the raw target.
    if (rest.size() > 3 && rest[2] != "proxy") {
        return false;
    }
    out.resource = rest[0];
    if (rest.size() >= 2) {
        out.name = rest[1];
    }
    if (rest.size() >= 3) {
        out.subresource = rest[2];
    }
    return true;
}

struct ApiRouter::Impl {
    ApiRouterConfig config;

    bool authorized(const HttpRequest &request) const {
        std::string header = request.header("authorization");
        constexpr std::string_view scheme = "bearer ";
        if (header.size() <= scheme.size()) {
            return false;
        }
        for (std::size_t k = 0; k < scheme.size(); ++k) {
            if (std::tolower(static_cast<unsigned char>(header[k])) != scheme[k]) {
                return false;
            }
        }
        std::string_view presented = std::string_view(header).substr(scheme.size());
        while (!presented.empty() && presented.front() == ' ') {
            presented.remove_prefix(1);
        }
        const std::string &expected = config.token;
        if (expected.empty() || presented.size() != expected.size()) {
            return false;
        }
        // Constant time over the token's length: no early exit on the first differing byte.
        return CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
    }

    HttpResponse route(HttpRequest &request) {
        std::string path = request.path;
        if (path.size() > 1 && path.back() == '/') {
            path.pop_back();
            request.path = path;
        }
        std::string which;
        if (isHealthPath(path, which)) {
            if (request.method != "GET" && request.method != "HEAD") {
                return methodNotAllowed();
            }
            return handleHealth(request, which);
        }
        if (!authorized(request)) {
            return unauthorized();
        }
        if (path == "/version") {
            return request.method == "GET" ? handleVersion(request) : methodNotAllowed();
        }
        HttpResponse out;
        if (path.rfind("/openapi/", 0) == 0 || path == "/swagger.json") {
            if (request.method != "GET") {
                return methodNotAllowed();
            }
            return handleOpenApi(config, request, out) ? out : notFoundPath();
        }
        ResourcePath resource;
        if (!parseResourcePath(path, resource)) {
            if (path == "/api" || path == "/apis" || path.rfind("/api/", 0) == 0 ||
                path.rfind("/apis/", 0) == 0) {
                if (request.method != "GET") {
                    return methodNotAllowed();
                }
                if (handleDiscovery(config, request, out)) {
                    return out;
                }
            }
            return notFoundPath();
        }
        // /apis/<group>/<version> with a trailing resource-less path was handled above;
        // /apis/<group>/<version>/<x> may still be a discovery path only for "api/v1".
        const ResourceType *type =
            config.registry->byResource(resource.group, resource.version, resource.resource);
        if (!type) {
            return notFoundPath();
        }
        if (config.registry->isServedOnly(*type)) {
            if (type->namespaced ? (!resource.name.empty() && resource.ns.empty())
                                 : !resource.ns.empty()) {
                return notFoundPath();
            }
            return handleServedOnly(config, request, *type, resource);
        }
        return dispatch(request, *type, resource);
    }

    HttpResponse dispatch(HttpRequest &request, const ResourceType &type, ResourcePath &path) {
        const std::string &method = request.method;
        if (!type.namespaced && !path.ns.empty()) {
            return notFoundPath();
        }
        if (type.namespaced && path.ns.empty() && !path.name.empty()) {
            return notFoundPath();
        }
        const std::vector<std::string> *verbs = &type.verbs;
        if (!path.subresource.empty()) {
            const SubresourceType *sub = type.subresource(path.subresource);
            if (!sub || path.name.empty()) {
                return notFoundPath();
            }
            verbs = &sub->verbs;
        }
        auto require = [&](std::string_view verb) { return hasVerb(*verbs, verb); };

        if (path.subresource == "log") {
            return method == "GET" ? handleLog(config, request, type, path) : methodNotAllowed();
        }
        if (path.subresource == "proxy") {
            return path.watchPrefix ? notFoundPath() : handleProxy(config, request, type, path);
        }
        if (type.resource == "selfsubjectaccessreviews") {
            return method == "POST" && path.name.empty()
                       ? handleSelfSubjectAccessReview(config, request, type)
                       : methodNotAllowed();
        }
        const bool collection = path.name.empty();
        if (method == "GET" || method == "HEAD") {
            auto watch = boolParam(request, "watch", false);
            if (!watch.ok()) {
                return errorResponse(watch.error());
            }
            if (collection) {
                if (watch.value() || path.watchPrefix) {
                    return require("watch") ? handleWatch(config, request, type, path)
                                            : methodNotAllowed();
                }
                return require("list") ? handleList(config, request, type, path)
                                       : methodNotAllowed();
            }
            if (path.watchPrefix) {
                // Legacy /watch/.../<name>: a watch of one object.
                if (!require("watch")) {
                    return methodNotAllowed();
                }
                request.query.emplace_back("fieldSelector", "metadata.name=" + path.name);
                ResourcePath listPath = path;
                listPath.name.clear();
                return handleWatch(config, request, type, listPath);
            }
            return require("get") ? handleGet(config, request, type, path) : methodNotAllowed();
        }
        if (path.watchPrefix) {
            return methodNotAllowed();
        }
        if (method == "POST") {
            if (!collection || !path.subresource.empty() || !require("create") ||
                (type.namespaced && path.ns.empty())) {
                return methodNotAllowed();
            }
            return handleCreate(config, request, type, path);
        }
        if (method == "PUT") {
            return !collection && require("update") ? handleUpdate(config, request, type, path)
                                                    : methodNotAllowed();
        }
        if (method == "PATCH") {
            return !collection && require("patch") ? handlePatch(config, request, type, path)
                                                   : methodNotAllowed();
        }
        if (method == "DELETE") {
            if (collection) {
                return require("deletecollection")
                           ? handleDeleteCollection(config, request, type, path)
                           : methodNotAllowed();
            }
            return path.subresource.empty() && require("delete")
                       ? handleDelete(config, request, type, path)
                       : methodNotAllowed();
        }
        return methodNotAllowed();
    }
};

ApiRouter::ApiRouter(ApiRouterConfig config)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->config = std::move(config);
}

ApiRouter::~ApiRouter() = default;

HttpResponse ApiRouter::handle(HttpRequest &request) {
    const auto started = std::chrono::steady_clock::now();
    HttpResponse response = m_impl->route(request);
    if (request.method == "HEAD") {
        response.body.clear();
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    // Paths and verbs only: never headers (the token) or bodies (secrets).
    logLine(response.status >= 500 ? LogLevel::Warn : LogLevel::Debug, "request",
            {{"method", request.method},
             {"path", request.path},
             {"status", response.status},
             {"stream", response.stream != nullptr},
             {"micros", micros},
             {"remote", request.remoteAddress}});
    return response;
}

} // namespace sandbox
