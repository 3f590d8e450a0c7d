#include "api/quantity.h"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

namespace sandbox::quantity {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

bool mulOverflows(std::int64_t a, std::int64_t b) {
    return a != 0 && b > kMax / a;
}

// A suffix's multiplier as base^exponent: decimal (10^n) or binary (2^n).
struct Suffix {
    std::string_view text;
    int base;
    int exponent;
};

constexpr std::array<Suffix, 14> kSuffixes{{{"n", 10, -9},
                                            {"u", 10, -6},
                                            {"m", 10, -3},
                                            {"", 10, 0},
                                            {"k", 10, 3},
                                            {"M", 10, 6},
                                            {"G", 10, 9},
                                            {"T", 10, 12},
                                            {"P", 10, 15},
                                            {"E", 10, 18},
                                            {"Ki", 2, 10},
                                            {"Mi", 2, 20},
                                            {"Gi", 2, 30},
                                            {"Ti", 2, 40}}};

// Canonical decimal printing of value * 10^exponent (exponent a multiple of 3): moves
// factors of 1000 into the suffix as long as the mantissa stays whole.
std::string formatScaled(std::int64_t value, int exponent) {
    if (value == 0) {
        return "0";
    }
    while (value % 1000 == 0 && exponent < 18) {
        value /= 1000;
        exponent += 3;
    }
    std::string_view suffix;
    for (const Suffix &s : kSuffixes) {
        if (s.base == 10 && s.exponent == exponent) {
            suffix = s.text;
        }
    }
    return std::to_string(value) + std::string(suffix);
}

} // namespace

std::optional<std::int64_t> parseMilli(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    bool negative = false;
    std::size_t i = 0;
    if (text[0] == '+' || text[0] == '-') {
        negative = text[0] == '-';
        ++i;
    }
    // Digits before and after the decimal point as one integer plus a decimal exponent.
    std::int64_t digits = 0;
    int exponent = 0;
    bool any = false;
    bool fraction = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !fraction) {
            fraction = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c))) {
            break;
        }
        any = true;
        if (digits > (kMax - 9) / 10) {
            if (!fraction) {
                return std::nullopt; // too large for int64 milli-units anyway
            }
            continue; // precision beyond int64: the remaining fraction only rounds up
        }
        digits = digits * 10 + (c - '0');
        if (fraction) {
            --exponent;
        }
    }
    if (!any) {
        return std::nullopt;
    }
    std::string_view rest = text.substr(i);
    int base = 10;
    int suffixExponent = 0;
    if (!rest.empty() && (rest[0] == 'e' || rest[0] == 'E') && rest.size() > 1 &&
        (std::isdigit(static_cast<unsigned char>(rest[1])) || rest[1] == '-' || rest[1] == '+')) {
        int sign = 1;
        std::size_t k = 1;
        if (rest[k] == '-' || rest[k] == '+') {
            sign = rest[k] == '-' ? -1 : 1;
            ++k;
        }
        int e = 0;
        for (; k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])); ++k) {
            e = e * 10 + (rest[k] - '0');
            if (e > 40) {
                return std::nullopt;
            }
        }
        if (k != rest.size()) {
            return std::nullopt;
        }
        suffixExponent = sign * e;
    } else {
        bool found = false;
        for (const Suffix &s : kSuffixes) {
            if (s.text == rest) {
                base = s.base;
                suffixExponent = s.exponent;
                found = true;
                break;
            }
        }
        if (!found) {
            return std::nullopt;
        }
    }
    // value = digits * 10^exponent * base^suffixExponent; in milli-units: * 10^3.
    exponent += 3;
    std::int64_t value = digits;
    if (base == 2) {
        for (int k = 0; k < suffixExponent; ++k) {
            if (mulOverflows(value, 2)) {
                return std::nullopt;
            }
            value *= 2;
        }
    } else {
        exponent += suffixExponent;
    }
    bool roundUp = false;
    for (; exponent > 0; --exponent) {
        if (mulOverflows(value, 10)) {
            return std::nullopt;
        }
        value *= 10;
    }
    for (; exponent < 0; ++exponent) {
        roundUp = roundUp || value % 10 != 0;
        value /= 10;
    }
    if (roundUp) {
        ++value; // MilliValue() rounds away from zero
    }
    return negative ? -value : value;
}

std::string formatDecimalMilli(std::int64_t milli) {
    return formatScaled(milli, -3);
}

std::string formatNanoCores(std::int64_t nanoCores) {
    return formatScaled(nanoCores, -9);
}

std::string formatBinary(std::int64_t bytes) {
    if (bytes > -1024 && bytes < 1024) {
        return formatScaled(bytes, 0); // as Go does: small amounts print as DecimalSI
    }
    static constexpr std::array<std::string_view, 5> kBinary{"", "Ki", "Mi", "Gi", "Ti"};
    std::size_t step = 0;
    while (bytes % 1024 == 0 && step + 1 < kBinary.size()) {
        bytes /= 1024;
        ++step;
    }
    return std::to_string(bytes) + std::string(kBinary[step]);
}

} // namespace sandbox::quantity
