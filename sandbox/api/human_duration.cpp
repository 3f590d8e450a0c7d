#include "api/human_duration.h"

#include "util/clock.h"

#include <cstdint>

namespace sandbox {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t count, int &out) {
    if (pos + count > s.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// The UTC forms the API server writes ("2026-11-25T12:00:00Z", with an optional fraction)
// without sscanf: Table rows parse two or three timestamps per object, thousands per list.
bool parseUtcTimestamp(std::string_view s, TimePoint &out) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) ||
        s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
        !digits(s, 17, 2, second) || month < 1 || month > 12 || day < 1 || day > 31) {
        return false;
    }
    std::size_t pos = 19;
    std::int64_t nanos = 0;
    if (s[pos] == '.') {
        std::int64_t scale = 100000000;
        ++pos;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            nanos += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) {
            return false;
        }
    }
    if (pos + 1 != s.size() || (s[pos] != 'Z' && s[pos] != 'z')) {
        return false; // offsets other than Z: leave them to the general parser
    }
    const std::int64_t seconds =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60 + second;
    out = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
    return true;
}

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

bool parseTimestamp(std::string_view text, std::chrono::system_clock::time_point &out) {
    return !text.empty() && (parseUtcTimestamp(text, out) || parseRfc3339(std::string(text), out));
}

std::string translateTimestampSince(std::string_view timestamp,
                                    std::chrono::system_clock::time_point now) {
    TimePoint when;
    if (!parseTimestamp(timestamp, when)) {
        return "<unknown>";
    }
    return humanDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - when));
}

} // namespace sandbox
