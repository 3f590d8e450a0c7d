#pragma once
// Base64 as the API server's Go code uses it: standard padded encoding for []byte fields
// (Secret data, protobuf bytes, kubeconfig *-data), strict decoding that reports the first
// bad byte like Go's CorruptInputError, and the unpadded URL alphabet of continue tokens.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// base64.StdEncoding.EncodeToString
std::string base64Encode(std::string_view bytes);
// base64.StdEncoding.DecodeString: nullopt on malformed input, with `badByte` set to the
// offset Go reports ("illegal base64 data at input byte N").
std::optional<std::string> base64Decode(std::string_view text, std::size_t &badByte);

// base64.RawURLEncoding.EncodeToString
std::string base64UrlEncode(std::string_view bytes);
// Lenient URL decoding: padding optional, the standard alphabet's '+' '/' accepted too.
bool base64UrlDecode(std::string_view text, std::string &out);

} // namespace sandbox
