#include "util/base64.h"

#include <cstdint>

namespace sandbox {

namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes, std::string_view table, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    auto byte = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += table[v >> 18];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
        out += table[v >> 18];
        out += table[(v >> 12) & 63];
        if (rest == 2) {
            out += table[(v >> 6) & 63];
        }
        if (pad) {
            out.append(rest == 2 ? 1 : 2, '=');
        }
    }
    return out;
}

int urlValue(char c) {
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

std::string base64Encode(std::string_view bytes) {
    return encode(bytes, kStandard, true);
}

std::string base64UrlEncode(std::string_view bytes) {
    return encode(bytes, kUrl, false);
}

bool base64UrlDecode(std::string_view text, std::string &out) {
    out.clear();
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int value = urlValue(c);
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

std::optional<std::string> base64Decode(std::string_view text, std::size_t &badByte) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] != '='; ++i) {
        const int v = value(text[i]);
        if (v < 0) {
            badByte = i;
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(v);
        if (++count == 4) {
            out.push_back(static_cast<char>((bits >> 16) & 0xff));
            out.push_back(static_cast<char>((bits >> 8) & 0xff));
            out.push_back(static_cast<char>(bits & 0xff));
            bits = 0;
            count = 0;
        }
    }
    const std::size_t padding = text.size() - i;
    if (count == 1 || (count == 0 && padding > 0) ||
        (count > 0 && padding != 0 && padding != static_cast<std::size_t>(4 - count))) {
        badByte = i > 0 ? i - (count == 1 ? 1 : 0) : 0;
        return std::nullopt;
    }
    for (std::size_t j = i; j < text.size(); ++j) {
        if (text[j] != '=') {
            badByte = j;
            return std::nullopt;
        }
    }
    if (count == 2) {
        out.push_back(static_cast<char>((bits >> 4) & 0xff));
    } else if (count == 3) {
        out.push_back(static_cast<char>((bits >> 10) & 0xff));
        out.push_back(static_cast<char>((bits >> 2) & 0xff));
    }
    return out;
}

} // namespace sandbox
