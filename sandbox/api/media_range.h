#pragma once
// An Accept header split into its media ranges, with the parameters the API server
// negotiates on (g=, v=, as=, q=). Discovery and Table negotiation both read it.

#include <string_view>
#include <vector>

namespace sandbox {

struct MediaRange {
    std::string_view type; // "application/json"
    std::string_view group;
    std::string_view version;
    std::string_view as;
    std::string_view quality;

    // application/json or a wildcard that covers it.
    bool coversJson() const {
        return type == "application/json" || type == "application/*" || type == "*/*";
    }
    // q=0: the client refuses this range.
    bool refused() const {
        return quality == "0" || quality == "0.0" || quality == "0.00" || quality == "0.000";
    }
};

// The ranges in header order; views point into `accept`.
std::vector<MediaRange> parseAccept(std::string_view accept);

} // namespace sandbox
