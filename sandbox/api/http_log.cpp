#include "api/http_log.h"

#include "util/clock.h"

#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace sandbox {

namespace {

std::atomic<int> g_minimum{static_cast<int>(LogLevel::Info)};
std::mutex g_mutex;

const char *levelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}

} // namespace

void setLogLevel(LogLevel minimum) {
    g_minimum.store(static_cast<int>(minimum));
}

void logLine(LogLevel level, std::string_view message, boost::json::object fields) {
    if (static_cast<int>(level) < g_minimum.load()) {
        return;
    }
    boost::json::object line;
    line["ts"] = formatRfc3339Micro(std::chrono::system_clock::now());
    line["level"] = levelName(level);
    line["msg"] = message;
    for (auto &entry : fields) {
        line[entry.key()] = std::move(entry.value());
    }
    std::string text = boost::json::serialize(line);
    text.push_back('\n');
    std::lock_guard lock(g_mutex);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

} // namespace sandbox
