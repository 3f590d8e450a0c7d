#include "api/human_duration.h"

#include "util/clock.h"

#include <cstdint>

namespace sandbox {

namespace {

std::string join(std::int64_t a, const char *unitA, std::int64_t b, const char *unitB) {
    std::string out = std::to_string(a) + unitA;
    if (b != 0) {
        out += std::to_string(b) + unitB;
    }
    return out;
}

} // namespace

std::string humanDuration(std::chrono::nanoseconds d) {
    using namespace std::chrono;
    // Truncation toward zero, as Go's int(d.Seconds()): -1.5s counts as -1s and is tolerated.
    const std::int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
    if (seconds < -1) {
        return "<invalid>";
    }
    if (seconds < 0) {
        return "0s";
    }
    if (seconds < 60 * 2) {
        return std::to_string(seconds) + "s";
    }
    const std::int64_t minutes = seconds / 60;
    if (minutes < 10) {
        return join(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 60 * 3) {
        return std::to_string(minutes) + "m";
    }
    const std::int64_t hours = minutes / 60;
    if (hours < 8) {
        return join(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
        return std::to_string(hours) + "h";
    }
    if (hours < 24 * 8) {
        return join(hours / 24, "d", hours % 24, "h");
    }
    if (hours < 24 * 365 * 2) {
        return std::to_string(hours / 24) + "d";
    }
    if (hours < 24 * 365 * 8) {
        return join(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    return std::to_string(hours / 24 / 365) + "y";
}

std::string translateTimestampSince(std::string_view timestamp,
                                    std::chrono::system_clock::time_point now) {
    TimePoint when;
    if (timestamp.empty() || !parseRfc3339(std::string(timestamp), when)) {
        return "<unknown>";
    }
    return humanDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - when));
}

} // namespace sandbox
