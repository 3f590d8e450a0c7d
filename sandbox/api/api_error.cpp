#include "api/api_error.h"

#include "api/resource_registry.h"

#include <boost/json/array.hpp>

namespace sandbox {

namespace {

ApiError make(int code, std::string reason, std::string message) {
    ApiError error;
    error.code = code;
    error.reason = std::move(reason);
    error.message = std::move(message);
    return error;
}

ApiError forResource(int code, std::string reason, std::string message, const ResourceType &type,
                     std::string_view name) {
    ApiError error = make(code, std::move(reason), std::move(message));
    error.name = std::string(name);
    error.group = type.group;
    error.kind = type.resource;
    return error;
}

std::string quoted(std::string_view name) {
    return "\"" + std::string(name) + "\"";
}

} // namespace

boost::json::object ApiError::toStatus() const {
    boost::json::object status;
    status["kind"] = "Status";
    status["apiVersion"] = "v1";
    status["metadata"] = boost::json::object();
    status["status"] = "Failure";
    status["message"] = message;
    status["reason"] = reason;
    if (!name.empty() || !group.empty() || !kind.empty() || !causes.empty()) {
        boost::json::object details;
        if (!name.empty()) {
            details["name"] = name;
        }
        if (!group.empty()) {
            details["group"] = group;
        }
        if (!kind.empty()) {
            details["kind"] = kind;
        }
        if (!causes.empty()) {
            boost::json::array list;
            for (const StatusCause &cause : causes) {
                boost::json::object item;
                if (!cause.reason.empty()) {
                    item["reason"] = cause.reason;
                }
                if (!cause.message.empty()) {
                    item["message"] = cause.message;
                }
                if (!cause.field.empty()) {
                    item["field"] = cause.field;
                }
                list.push_back(std::move(item));
            }
            details["causes"] = std::move(list);
        }
        status["details"] = std::move(details);
    }
    status["code"] = code;
    return status;
}

ApiError ApiError::notFound(const ResourceType &type, std::string_view name) {
    return forResource(404, "NotFound", type.groupResource() + " " + quoted(name) + " not found",
                       type, name);
}

ApiError ApiError::alreadyExists(const ResourceType &type, std::string_view name) {
    return forResource(409, "AlreadyExists",
                       type.groupResource() + " " + quoted(name) + " already exists", type, name);
}

ApiError ApiError::conflict(const ResourceType &type, std::string_view name) {
    return forResource(409, "Conflict",
                       "Operation cannot be fulfilled on " + type.groupResource() + " " +
                           quoted(name) +
                           ": the object has been modified; please apply your changes to the "
                           "latest version and try again",
                       type, name);
}

ApiError ApiError::invalid(const ResourceType &type, std::string_view name,
                           std::vector<StatusCause> causes) {
    // The real server qualifies the kind with its group ("Deployment.apps", plain "Pod")
    // and lists several causes in brackets, one without.
    const std::string qualified = type.group.empty() ? type.kind : type.kind + "." + type.group;
    std::string summary;
    for (std::size_t i = 0; i < causes.size(); ++i) {
        if (i > 0) {
            summary += ", ";
        }
        const StatusCause &cause = causes[i];
        summary += cause.field.empty() ? cause.message : cause.field + ": " + cause.message;
    }
    if (causes.size() > 1) {
        summary = "[" + summary + "]";
    }
    ApiError error =
        make(422, "Invalid", qualified + " " + quoted(name) + " is invalid: " + summary);
    error.name = std::string(name);
    error.group = type.group;
    error.kind = type.kind;
    error.causes = std::move(causes);
    return error;
}

ApiError ApiError::badRequest(std::string message) {
    return make(400, "BadRequest", std::move(message));
}

ApiError ApiError::unauthorized() {
    return make(401, "Unauthorized", "Unauthorized");
}

ApiError ApiError::forbidden(std::string message) {
    return make(403, "Forbidden", std::move(message));
}

ApiError ApiError::methodNotAllowed(std::string message) {
    return make(405, "MethodNotAllowed", std::move(message));
}

ApiError ApiError::unsupportedMediaType(std::string message) {
    return make(415, "UnsupportedMediaType", std::move(message));
}

ApiError ApiError::notAcceptable(std::string message) {
    return make(406, "NotAcceptable", std::move(message));
}

ApiError ApiError::expired(std::string message) {
    return make(410, "Expired", std::move(message));
}

ApiError ApiError::gone(std::string message) {
    return make(410, "Gone", std::move(message));
}

ApiError ApiError::tooLarge(std::string message) {
    return make(413, "RequestEntityTooLarge", std::move(message));
}

ApiError ApiError::internal(std::string message) {
    ApiError error = make(500, "InternalError", "Internal error occurred: " + message);
    error.causes.push_back(StatusCause{"", std::move(message), ""});
    return error;
}

} // namespace sandbox
