#include "http/api_error.h"

#include "http/json_writer.h"

namespace forecast::http {

void appendErrorMember(std::string &out, const ApiError &error) {
    out.append("\"error\":{\"code\":");
    json::appendString(out, error.code);
    out.append(",\"message\":");
    json::appendString(out, error.message);
    out.push_back('}');
}

std::string renderError(const ApiError &error) {
    std::string out = "{";
    appendErrorMember(out, error);
    out.push_back('}');
    return out;
}

} // namespace forecast::http
