#include "api/paging.h"

#include "util/base64.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sandbox {

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
