#include "util/clock.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace sandbox {

Duration Clock::scaled(std::chrono::milliseconds period) const {
    const double scale = m_timeScale.load();
    auto scaledMs = std::chrono::duration<double, std::milli>(period.count() / scale);
    auto result = std::chrono::duration_cast<Duration>(scaledMs);
    return std::max<Duration>(result, std::chrono::milliseconds(1));
}

TimePoint ManualClock::now() const {
    std::lock_guard lock(m_mutex);
    return m_now;
}

void ManualClock::advance(std::chrono::milliseconds by) {
    std::lock_guard lock(m_mutex);
    m_now += by;
}

namespace {
std::tm utcParts(TimePoint t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return parts;
}
} // namespace

std::string formatRfc3339(TimePoint t) {
    const std::tm parts = utcParts(t);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

std::string formatRfc3339Micro(TimePoint t) {
    const std::tm parts = utcParts(t);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() %
        1000000;
    char buffer[48];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
    std::snprintf(buffer + n, sizeof buffer - n, ".%06lldZ", static_cast<long long>(micros));
    return buffer;
}

bool parseRfc3339(const std::string &text, TimePoint &out) {
    std::tm parts{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0;
    double second = 0;
    char zone = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%lf%c", &year, &month, &day, &hour, &minute,
                    &second, &zone) < 6) {
        return false;
    }
    parts.tm_year = year - 1900;
    parts.tm_mon = month - 1;
    parts.tm_mday = day;
    parts.tm_hour = hour;
    parts.tm_min = minute;
    parts.tm_sec = static_cast<int>(second);
    const std::time_t seconds = timegm(&parts);
    if (seconds == static_cast<std::time_t>(-1)) {
        return false;
    }
    const double fraction = second - static_cast<int>(second);
    out = std::chrono::system_clock::from_time_t(seconds) +
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::duration<double>(fraction));
    return true;
}

} // namespace sandbox
