#pragma once
// A Kubernetes API error as a value: the HTTP code, the Status reason and the message a
// real API server would give (k8s-api-notes §10). Every layer of the sandbox returns
// these; only the HTTP layer turns them into a Status body.

#include <rf/result.h>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

struct ResourceType;

struct StatusCause {
    std::string reason; // "FieldValueInvalid", "FieldValueRequired", "FieldManagerConflict", ...
    std::string message;
    std::string field; // "spec.replicas"
};

struct ApiError {
    int code = 500;
    std::string reason; // "NotFound", "AlreadyExists", "Conflict", "Invalid", ...
    std::string message;
    // Status.details: name, group, kind, causes, retryAfterSeconds.
    std::string name;
    std::string group;
    std::string kind; // the resource plural, as the real server puts it ("deployments")
    std::vector<StatusCause> causes;

    boost::json::object toStatus() const;

    static ApiError notFound(const ResourceType &type, std::string_view name);
    static ApiError alreadyExists(const ResourceType &type, std::string_view name);
    static ApiError conflict(const ResourceType &type, std::string_view name);
    // kind is the object kind ("Deployment"); message becomes
    // `Deployment.apps "web" is invalid: <cause>: <message>, ...`.
    static ApiError invalid(const ResourceType &type, std::string_view name,
                            std::vector<StatusCause> causes);
    static ApiError badRequest(std::string message);
    static ApiError unauthorized();
    static ApiError forbidden(std::string message);
    static ApiError methodNotAllowed(std::string message);
    static ApiError unsupportedMediaType(std::string message);
    static ApiError notAcceptable(std::string message);
    static ApiError expired(std::string message); // 410 Expired
    static ApiError gone(std::string message);    // 410 Gone
    static ApiError tooLarge(std::string message);
    static ApiError internal(std::string message);
};

template <class T>
using ApiResult = rf::Result<T, ApiError>;

} // namespace sandbox
