#include "http/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

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

namespace {

char *writeShortest(char *out, double value) {
    if (!std::isfinite(value)) {
        std::memcpy(out, "null", 4);
        return out + 4;
    }
    return std::to_chars(out, out + kMaxNumberChars, value).ptr; // at most 24 characters
}

// Integer arithmetic instead of pow() + shortest-form formatting: this runs three times per
// forecast day and dominated the /predict profile. The scale is a compile-time constant so
// the divisions become multiplications.
template <std::int64_t Scale, int Decimals> char *writeScaled(char *out, double value) {
    const double scaled = value * static_cast<double>(Scale);
    if (std::fabs(scaled) >= 9.0e15) {
        return writeShortest(out, value); // beyond exact int64 range: rounding is moot anyway
    }
    // Round half away from zero, inline (llround is an out-of-line libm call).
    const auto n = static_cast<std::int64_t>(scaled + (scaled < 0.0 ? -0.5 : 0.5));
    if (n < 0) {
        *out++ = '-';
    }
    const auto magnitude = n < 0 ? static_cast<std::uint64_t>(-n) : static_cast<std::uint64_t>(n);
    out = std::to_chars(out, out + 20, magnitude / Scale).ptr;
    std::uint64_t fraction = magnitude % Scale;
    if (fraction != 0) {
        int digits = Decimals;
        while (fraction % 10 == 0) { // shortest form: 12.5, not 12.500
            fraction /= 10;
            --digits;
        }
        *out++ = '.';
        for (int i = digits - 1; i >= 0; --i) {
            out[i] = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
        out += digits;
    }
    return out;
}

} // namespace

void appendShortest(std::string &out, double value) {
    char buf[kMaxNumberChars];
    out.append(buf, writeShortest(buf, value));
}

char *writeNumber(char *out, double value, int decimals) {
    if (!std::isfinite(value)) {
        return writeShortest(out, value);
    }
    switch (decimals) {
    case 0:
        return writeScaled<1, 0>(out, value);
    case 1:
        return writeScaled<10, 1>(out, value);
    case 2:
        return writeScaled<100, 2>(out, value);
    case 3:
        return writeScaled<1000, 3>(out, value);
    case 4:
        return writeScaled<10000, 4>(out, value);
    case 5:
        return writeScaled<100000, 5>(out, value);
    default:
        return writeScaled<1000000, 6>(out, value);
    }
}

void appendNumber(std::string &out, double value, int decimals) {
    char buf[kMaxNumberChars];
    out.append(buf, writeNumber(buf, value, decimals));
}

void appendInteger(std::string &out, std::int64_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

void appendDate(std::string &out, std::chrono::sys_days day) {
    char buf[kDateChars];
    out.append(buf, writeDate(buf, day));
}

char *writeDate(char *out, std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    const unsigned month = static_cast<unsigned>(ymd.month());
    const unsigned dayOfMonth = static_cast<unsigned>(ymd.day());
    if (year < 0 || year > 9999) {
        std::memcpy(out, "null", 4);
        return out + 4;
    }
    const char text[kDateChars] = {'"',
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
    std::memcpy(out, text, kDateChars);
    return out + kDateChars;
}

} // namespace forecast::http::json
