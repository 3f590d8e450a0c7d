#include "http/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace forecast::http::json {

void appendString(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(text.substr(runStart, i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.append("\\u00");
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        }
    }
    out.append(text.substr(runStart));
    out.push_back('"');
}

void appendShortest(std::string &out, double value) {
    if (!std::isfinite(value)) {
        out.append("null");
        return;
    }
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

void appendNumber(std::string &out, double value, int decimals) {
    // Integer arithmetic instead of pow() + shortest-form formatting: this runs three times
    // per forecast day and dominated the /predict profile.
    static constexpr std::int64_t kPow10[] = {1,      10,      100,      1000,      10000,
                                              100000, 1000000, 10000000, 100000000, 1000000000};
    if (!std::isfinite(value)) {
        out.append("null");
        return;
    }
    decimals = std::clamp(decimals, 0, 9);
    const std::int64_t scale = kPow10[decimals];
    const double scaled = value * static_cast<double>(scale);
    if (std::fabs(scaled) >= 9.0e15) {
        appendShortest(out, value); // beyond exact int64 range: rounding is moot anyway
        return;
    }
    const std::int64_t n = std::llround(scaled);
    if (n < 0) {
        out.push_back('-');
    }
    const std::uint64_t magnitude =
        n < 0 ? static_cast<std::uint64_t>(-n) : static_cast<std::uint64_t>(n);
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, magnitude / static_cast<std::uint64_t>(scale));
    out.append(buf, res.ptr);
    std::uint64_t fraction = magnitude % static_cast<std::uint64_t>(scale);
    if (fraction == 0) {
        return;
    }
    int digits = decimals;
    while (fraction % 10 == 0) { // shortest form: 12.5, not 12.500
        fraction /= 10;
        --digits;
    }
    char frac[10];
    for (int i = digits - 1; i >= 0; --i) {
        frac[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
    }
    out.push_back('.');
    out.append(frac, static_cast<std::size_t>(digits));
}

void appendInteger(std::string &out, std::int64_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

void appendDate(std::string &out, std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    const unsigned month = static_cast<unsigned>(ymd.month());
    const unsigned dayOfMonth = static_cast<unsigned>(ymd.day());
    if (year < 0 || year > 9999) {
        out.append("null");
        return;
    }
    char buf[12] = {'"',
                    static_cast<char>('0' + year / 1000),
                    static_cast<char>('0' + year / 100 % 10),
                    static_cast<char>('0' + year / 10 % 10),
                    static_cast<char>('0' + year % 10),
                    '-',
                    static_cast<char>('0' + month / 10),
                    static_cast<char>('0' + month % 10),
                    '-',
                    static_cast<char>('0' + dayOfMonth / 10),
                    static_cast<char>('0' + dayOfMonth % 10),
                    '"'};
    out.append(buf, sizeof buf);
}

} // namespace forecast::http::json
