#include "api/media_range.h"

#include <cctype>

namespace sandbox {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

// Cuts text at the first `separator`: returns the head, leaves the rest in text.
std::string_view take(std::string_view &text, char separator) {
    const auto at = text.find(separator);
    const std::string_view head = text.substr(0, at);
    text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
    return head;
}

} // namespace

std::vector<MediaRange> parseAccept(std::string_view accept) {
    std::vector<MediaRange> ranges;
    while (!accept.empty()) {
        std::string_view params = take(accept, ',');
        MediaRange range;
        range.type = trim(take(params, ';'));
        while (!params.empty()) {
            const std::string_view param = trim(take(params, ';'));
            const auto eq = param.find('=');
            if (eq == std::string_view::npos) {
                continue;
            }
            const std::string_view key = trim(param.substr(0, eq));
            const std::string_view value = trim(param.substr(eq + 1));
            if (key == "g") {
                range.group = value;
            } else if (key == "v") {
                range.version = value;
            } else if (key == "as") {
                range.as = value;
            } else if (key == "q") {
                range.quality = value;
            }
        }
        ranges.push_back(range);
    }
    return ranges;
}

} // namespace sandbox
