#pragma once
// Structured logs of the HTTP layer and the CLI: one JSON object per line on stderr
// (ts, level, msg, fields). Never pass a token or a request header to it.

#include <boost/json/object.hpp>

#include <string_view>

namespace sandbox {

enum class LogLevel { Debug, Info, Warn, Error };

void setLogLevel(LogLevel minimum);
void logLine(LogLevel level, std::string_view message, boost::json::object fields = {});

} // namespace sandbox
