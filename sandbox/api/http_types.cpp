#include "api/http_types.h"

namespace sandbox {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

bool percentDecode(std::string_view in, std::string &out, bool plusIsSpace) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) {
                return false;
            }
            int hi = hexValue(in[i + 1]);
            int lo = hexValue(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return false;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

std::string HttpRequest::header(std::string_view lowerName) const {
    for (const auto &[name, value] : headers) {
        if (name == lowerName) {
            return value;
        }
    }
    return {};
}

std::optional<std::string> HttpRequest::param(std::string_view name) const {
    for (const auto &[key, value] : query) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

bool HttpRequest::parseTarget() {
    std::string_view raw = target;
    std::size_t q = raw.find('?');
    std::string_view rawPath = raw.substr(0, q);
    if (!percentDecode(rawPath, path, false)) {
        return false;
    }
    query.clear();
    if (q == std::string_view::npos) {
        return true;
    }
    std::string_view rest = raw.substr(q + 1);
    while (!rest.empty()) {
        std::size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        std::size_t eq = pair.find('=');
        std::string key;
        std::string value;
        if (!percentDecode(pair.substr(0, eq), key, true)) {
            return false;
        }
        if (eq != std::string_view::npos && !percentDecode(pair.substr(eq + 1), value, true)) {
            return false;
        }
        query.emplace_back(std::move(key), std::move(value));
    }
    return true;
}

} // namespace sandbox
