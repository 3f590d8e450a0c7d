#include "api/paging.h"

#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sandbox {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-' || c == '+') {
        return 62;
    }
    if (c == '_' || c == '/') {
        return 63;
    }
    return -1;
}

} // namespace

std::string base64UrlEncode(std::string_view data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : data) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += kAlphabet[(buffer << (6 - bits)) & 0x3f];
    }
    return out;
}

bool base64UrlDecode(std::string_view text, std::string &out) {
    out.clear();
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int value = decodeChar(c);
        if (value < 0) {
            return false;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return true;
}

std::string encodeContinueToken(const ContinueToken &token) {
    boost::json::object body;
    body["v"] = "meta.k8s.io/v1";
    body["rv"] = token.resourceVersion;
    body["start"] = token.lastNamespace + "/" + token.lastName + std::string(1, '\0');
    return base64UrlEncode(boost::json::serialize(body));
}

ApiResult<ContinueToken> decodeContinueToken(std::string_view text) {
    std::string decoded;
    const ApiError invalid = ApiError::badRequest("continue key is not valid: incorrect encoded "
                                                  "start resourceVersion (version meta.k8s.io/v1)");
    if (!base64UrlDecode(text, decoded)) {
        return ApiError::badRequest("continue key is not valid: illegal base64 data");
    }
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(decoded, ec);
    if (ec || !value.is_object()) {
        return ApiError::badRequest("continue key is not valid: " +
                                    (ec ? ec.message() : std::string("not an object")));
    }
    const boost::json::object &body = value.get_object();
    if (json::stringAt(body, {"v"}) != "meta.k8s.io/v1") {
        return ApiError::badRequest("continue key is not valid: server does not recognize this "
                                    "encoded version");
    }
    const auto rv = json::intAt(body, {"rv"});
    std::string start = json::stringAt(body, {"start"});
    if (!rv || *rv <= 0) {
        return invalid;
    }
    if (!start.empty() && start.back() == '\0') {
        start.pop_back();
    }
    const std::size_t slash = start.find('/');
    if (slash == std::string::npos) {
        return ApiError::badRequest("continue key is not valid: invalid start key");
    }
    ContinueToken token;
    token.resourceVersion = static_cast<std::uint64_t>(*rv);
    token.lastNamespace = start.substr(0, slash);
    token.lastName = start.substr(slash + 1);
    return token;
}

} // namespace sandbox
