#include "api/logger.h"

#include "http/json_writer.h"

#include <chrono>
#include <ctime>

namespace forecast::api {

namespace json = forecast::http::json;

void LogField::appendTo(std::string &out) const {
    out.push_back(',');
    json::appendString(out, m_key);
    out.push_back(':');
    switch (m_kind) {
    case Kind::Text:
        json::appendString(out, m_text);
        break;
    case Kind::Integer:
        json::appendInteger(out, m_integer);
        break;
    case Kind::Number:
        json::appendNumber(out, m_number, 6);
        break;
    case Kind::Boolean:
        out.append(m_integer != 0 ? "true" : "false");
        break;
    }
}

std::string formatTimestamp(std::chrono::system_clock::time_point time) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
    return buf;
}

std::string Logger::format(LogLevel level, std::string_view msg,
                           std::initializer_list<LogField> fields) {
    std::string line;
    line.reserve(128);
    line.append("{\"ts\":\"");
    line.append(formatTimestamp(std::chrono::system_clock::now()));
    line.append("\",\"level\":\"");
    line.append(logLevelName(level));
    line.append("\",\"msg\":");
    json::appendString(line, msg);
    for (const auto &field : fields) {
        field.appendTo(line);
    }
    line.append("}\n");
    return line;
}

void Logger::log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
    if (!enabled(level)) {
        return;
    }
    const std::string line = format(level, msg, fields);
    std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), m_out);
    std::fflush(m_out); // log collectors read pipes: a line must not sit in a buffer
}

} // namespace forecast::api
