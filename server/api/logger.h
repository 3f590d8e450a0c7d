#pragma once
// One JSON object per line on stdout: {"ts":"2026-11-25T14:00:00.123Z","level":"info",
// "msg":"...", ...fields}. Lines are written whole under a lock, so threads never interleave.

#include "api/config.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>

namespace forecast::api {

class LogField final {
public:
    enum class Kind { Text, Integer, Number, Boolean };

    LogField(std::string_view key, std::string_view text)
        : m_key(key)
        , m_kind(Kind::Text)
        , m_text(text) {}
    LogField(std::string_view key, const char *text)
        : LogField(key, std::string_view(text)) {}
    LogField(std::string_view key, const std::string &text)
        : LogField(key, std::string_view(text)) {}
    LogField(std::string_view key, bool value)
        : m_key(key)
        , m_kind(Kind::Boolean)
        , m_integer(value ? 1 : 0) {}
    template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
        LogField(std::string_view key, T value)
        : m_key(key)
        , m_kind(Kind::Integer)
        , m_integer(static_cast<std::int64_t>(value)) {}
    LogField(std::string_view key, double value)
        : m_key(key)
        , m_kind(Kind::Number)
        , m_number(value) {}

    void appendTo(std::string &out) const;

private:
    std::string_view m_key;
    Kind m_kind;
    std::string_view m_text;
    std::int64_t m_integer = 0;
    double m_number = 0.0;
};

class Logger final {
public:
    explicit Logger(LogLevel level, std::FILE *out = stdout)
        : m_level(level)
        , m_out(out) {}

    bool enabled(LogLevel level) const {
        return static_cast<int>(level) >= static_cast<int>(m_level.load(std::memory_order_relaxed));
    }
    void setLevel(LogLevel level) { m_level.store(level, std::memory_order_relaxed); }

    void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});
    void debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Debug, msg, fields);
    }
    void info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Info, msg, fields);
    }
    void warn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Warn, msg, fields);
    }
    void error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Error, msg, fields);
    }

    // Formats one line without writing it (tests).
    static std::string format(LogLevel level, std::string_view msg,
                              std::initializer_list<LogField> fields);

private:
    std::atomic<LogLevel> m_level;
    std::FILE *m_out;
    std::mutex m_mutex;
};

// RFC 3339 UTC with milliseconds: 2026-11-25T14:00:00.123Z
std::string formatTimestamp(std::chrono::system_clock::time_point time);

} // namespace forecast::api
