#pragma once
// An error answer of the HTTP API: status, a stable machine-readable code and a message a
// user can act on. Rendered as {"error":{"code":...,"message":...}}.

#include <string>

namespace forecast::http {

struct ApiError {
    int status = 500;
    const char *code = "internal"; // static string: errors never allocate for the code
    std::string message;
};

inline ApiError badRequest(std::string message) {
    return {400, "invalid_json", std::move(message)};
}
inline ApiError invalidField(std::string message) {
    return {422, "invalid_field", std::move(message)};
}

// {"error":{"code":"...","message":"..."}}
std::string renderError(const ApiError &error);
// Appends "error":{"code":"...","message":"..."} (no surrounding braces) to `out`.
void appendErrorMember(std::string &out, const ApiError &error);

} // namespace forecast::http
