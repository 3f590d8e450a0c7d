#pragma once
// Small append-only JSON writing helpers. Responses are built by appending to one reserved
// string: no DOM, no intermediate allocations on the hot path.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace forecast::http::json {

// Appends a JSON string literal (quoted, escaped).
void appendString(std::string &out, std::string_view text);
// Appends a number rounded to `decimals` places (0..6) in its shortest form ("12.5", not
// "12.500").
// NaN and infinities become null: JSON has no spelling for them.
void appendNumber(std::string &out, double value, int decimals = 3);
// Appends the shortest decimal form that reads back as the same double ("0.1").
void appendShortest(std::string &out, double value);
void appendInteger(std::string &out, std::int64_t value);
// Appends "YYYY-MM-DD" (quoted).
void appendDate(std::string &out, std::chrono::sys_days day);

// The same number and date forms written at a cursor, for loops that size the output once
// and then write without a capacity check per piece. Each returns the end of what it wrote.
inline constexpr std::size_t kMaxNumberChars = 32;
inline constexpr std::size_t kDateChars = 12;
char *writeNumber(char *out, double value, int decimals = 3);
char *writeDate(char *out, std::chrono::sys_days day);

} // namespace forecast::http::json
