#pragma once
// limit/continue paging. The continue token is what the real API server sends: base64url
// (no padding) of {"v":"meta.k8s.io/v1","rv":<list RV>,"start":"<ns>/<name>\u0000"} — the
// next page starts after the last key returned. Clients must treat it as opaque.

#include "api/api_error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sandbox {

struct ContinueToken {
    std::uint64_t resourceVersion = 0;
    std::string lastNamespace;
    std::string lastName;
};

std::string encodeContinueToken(const ContinueToken &token);
// 400 BadRequest for a token that is not one of ours.
ApiResult<ContinueToken> decodeContinueToken(std::string_view text);

} // namespace sandbox
