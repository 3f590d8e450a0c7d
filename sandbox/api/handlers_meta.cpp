#include "api/discovery.h"
#include "api/handlers.h"
#include "api/openapi.h"
#include "api/server_version.h"

#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/serialize.hpp>

namespace sandbox {

namespace {

const char *const kHealthChecks[] = {"ping", "log", "etcd", "poststarthook/start-controllers"};

HttpResponse textResponse(int status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = std::move(body);
    return response;
}

// Discovery documents carry a strong ETag; a client that revalidates gets 304.
HttpResponse discoveryResponse(const HttpRequest &request, const boost::json::object &document,
                               const std::string &contentType) {
    std::string etag = documentEtag(document);
    if (!etag.empty() && request.header("if-none-match") == etag) {
        HttpResponse response;
        response.status = 304;
        response.contentType.clear();
        response.headers.emplace_back("ETag", etag);
        return response;
    }
    HttpResponse response = jsonResponse(200, document, contentType);
    if (!etag.empty()) {
        response.headers.emplace_back("ETag", etag);
    }
    response.headers.emplace_back("Vary", "Accept");
    return response;
}

} // namespace

HttpResponse handleVersion(const HttpRequest &) {
    return jsonResponse(200, serverVersionInfo());
}

HttpResponse handleHealth(const HttpRequest &request, const std::string &which) {
    // which: "healthz", "livez", "readyz", or "healthz/ping" etc. for a single check.
    auto slash = which.find('/');
    if (slash != std::string::npos) {
        std::string check = which.substr(slash + 1);
        for (const char *known : kHealthChecks) {
            if (check == known) {
                return textResponse(200, "ok");
            }
        }
        return textResponse(404, "404 page not found\n");
    }
    if (request.hasParam("verbose")) {
        std::string body;
        for (const char *check : kHealthChecks) {
            body += std::string("[+]") + check + " ok\n";
        }
        body += which + " check passed\n";
        return textResponse(200, body);
    }
    return textResponse(200, "ok");
}

bool handleDiscovery(const Config &config, const HttpRequest &request, HttpResponse &out) {
    const std::string &path = request.path;
    const ResourceRegistry &registry = *config.registry;
    if (path == "/api" || path == "/apis") {
        const bool core = path == "/api";
        auto negotiated = negotiateDiscovery(request.header("accept"));
        if (negotiated.format != DiscoveryFormat::Legacy) {
            out = discoveryResponse(request, aggregatedDiscovery(registry, core, negotiated.format),
                                    negotiated.contentType);
            return true;
        }
        std::string host = request.header("host");
        out = discoveryResponse(request, core ? apiVersions(host) : apiGroupList(registry),
                                negotiated.contentType.empty() ? "application/json"
                                                               : negotiated.contentType);
        return true;
    }
    // /api/v1, /apis/<group>, /apis/<group>/<version>
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        std::string part =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!part.empty()) {
            parts.push_back(std::move(part));
        }
        if (slash == std::string::npos) {
            break;
        }
        start = slash + 1;
    }
    std::optional<boost::json::object> document;
    if (parts.size() == 2 && parts[0] == "api") {
        document = apiResourceList(registry, "", parts[1]);
    } else if (parts.size() == 2 && parts[0] == "apis") {
        document = apiGroup(registry, parts[1]);
    } else if (parts.size() == 3 && parts[0] == "apis") {
        document = apiResourceList(registry, parts[1], parts[2]);
    } else {
        return false;
    }
    out = document ? discoveryResponse(request, *document, "application/json") : notFoundPath();
    return true;
}

bool handleOpenApi(const Config &config, const HttpRequest &request, HttpResponse &out) {
    const std::string &path = request.path;
    if (path == "/openapi/v3") {
        out = jsonResponse(200, openApiV3Index(*config.registry, kServerGitVersion));
        return true;
    }
    const std::string prefix = "/openapi/v3/";
    if (path.rfind(prefix, 0) == 0) {
        auto document =
            openApiV3Document(*config.registry, path.substr(prefix.size()), kServerGitVersion);
        out = document ? jsonResponse(200, *document) : notFoundPath();
        if (document) {
            // The index names each document with ?hash=, so it may be cached for good.
            out.headers.emplace_back("Cache-Control", "public, immutable");
        }
        return true;
    }
    if (path == "/openapi/v2" || path == "/swagger.json") {
        // Not served: kubectl only asks when v3 fails (documented in docs/sandbox.md).
        out = notFoundPath();
        return true;
    }
    return false;
}

HttpResponse handleSelfSubjectAccessReview(const Config &config, const HttpRequest &request,
                                           const ResourceType &type) {
    auto options = writeOptionsFrom(request, "CreateOptions");
    if (!options.ok()) {
        return errorResponse(options.error());
    }
    // `kubectl auth can-i` posts the review as protobuf; decodeObjectBody decodes it, so the
    // answer echoes the attributes that were asked about.
    auto body = decodeObjectBody(request.header("content-type"), request.body);
    if (!body.ok()) {
        return errorResponse(body.error());
    }
    boost::json::object review = std::move(body.value());
    std::string kind = json::stringAt(review, {"kind"});
    std::string apiVersion = json::stringAt(review, {"apiVersion"});
    if ((!kind.empty() && kind != type.kind) ||
        (!apiVersion.empty() && apiVersion != type.apiVersion())) {
        return errorResponse(ApiError::badRequest("the API version in the data (" + apiVersion +
                                                  ") does not match the expected API "
                                                  "version (" +
                                                  type.apiVersion() + ")"));
    }
    const auto *spec = json::objectAt(review, {"spec"});
    if (!spec ||
        (!spec->contains("resourceAttributes") && !spec->contains("nonResourceAttributes"))) {
        ApiError error;
        error.code = 422;
        error.reason = "Invalid";
        error.kind = type.kind;
        error.group = type.group;
        error.message = type.kind + "." + type.group +
                        " \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": "
                        "exactly one of nonResourceAttributes or resourceAttributes must be "
                        "specified";
        return errorResponse(error);
    }
    review["kind"] = type.kind;
    review["apiVersion"] = type.apiVersion();
    auto &meta = json::ensureObject(review, {"metadata"});
    meta["creationTimestamp"] = nullptr;
    // The sandbox has one user, its token holder, who may do everything: tell clients so
    // (the dashboard shows this reason next to actions it enables).
    review["status"] = boost::json::object{
        {"allowed", true}, {"reason", "forecast-sandbox grants every verb to its token holder"}};
    (void)config;
    return jsonResponse(201, review);
}

} // namespace sandbox
