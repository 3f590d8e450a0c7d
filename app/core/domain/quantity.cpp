#include "core/domain/quantity.h"

#include <cmath>

namespace dashboard {

namespace {

struct Suffix {
    const char *text;
    int base;     // 10 or 2
    int exponent; // power of the base
};

// Longest suffixes first so "Ki" is not read as "K".
constexpr Suffix kSuffixes[] = {
    {"Ki", 2, 10}, {"Mi", 2, 20}, {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50},
    {"Ei", 2, 60}, {"n", 10, -9}, {"u", 10, -6}, {"m", 10, -3}, {"k", 10, 3},
    {"M", 10, 6},  {"G", 10, 9},  {"T", 10, 12}, {"P", 10, 15}, {"E", 10, 18},
};

constexpr int kSmallestExponent = -9; // the API server keeps nano precision

QuantityInt pow10(int n) {
    QuantityInt result = 1;
    while (n-- > 0)
        result *= 10;
    return result;
}

QString int128ToString(QuantityInt value) {
    if (value == 0)
        return QStringLiteral("0");
    const bool negative = value < 0;
    QuantityUInt magnitude =
        negative ? -static_cast<QuantityUInt>(value) : static_cast<QuantityUInt>(value);
    QString digits;
    while (magnitude > 0) {
        digits.prepend(QChar(u'0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    }
    return negative ? u'-' + digits : digits;
}

const char *decimalSuffix(int exponent) {
    switch (exponent) {
    case -9:
        return "n";
    case -6:
        return "u";
    case -3:
        return "m";
    case 0:
        return "";
    case 3:
        return "k";
    case 6:
        return "M";
    case 9:
        return "G";
    case 12:
        return "T";
    case 15:
        return "P";
    case 18:
        return "E";
    default:
        return nullptr;
    }
}

} // namespace

std::optional<Quantity> Quantity::parse(const QString &input) {
    const QString text = input.trimmed();
    int pos = 0;
    bool negative = false;
    if (pos < text.size() && (text[pos] == u'+' || text[pos] == u'-'))
        negative = text[pos++] == u'-';

    QuantityInt mantissa = 0;
    int exponent = 0;
    int digits = 0;
    bool seenPoint = false;
    for (; pos < text.size(); ++pos) {
        const QChar c = text[pos];
        if (c == u'.' && !seenPoint) {
            seenPoint = true;
            continue;
        }
        if (!c.isDigit())
            break;
        ++digits;
        if (digits > 30)
            return std::nullopt; // beyond what any quantity field carries
        mantissa = mantissa * 10 + (c.unicode() - u'0');
        if (seenPoint)
            --exponent;
    }
    if (digits == 0)
        return std::nullopt;

    Quantity q;
    const QString suffix = text.mid(pos);
    if (suffix.isEmpty()) {
        q.m_format = Format::DecimalSI;
    } else if ((suffix[0] == u'e' || suffix[0] == u'E') && suffix.size() > 1) {
        // "1E" alone is exa; "1e3" / "1E3" is an exponent.
        bool ok = false;
        const int e = suffix.mid(1).toInt(&ok);
        if (!ok || e < -30 || e > 30)
            return std::nullopt;
        exponent += e;
        q.m_format = Format::DecimalExponent;
    } else {
        const Suffix *found = nullptr;
        for (const Suffix &s : kSuffixes) {
            if (suffix == QLatin1String(s.text)) {
                found = &s;
                break;
            }
        }
        if (!found)
            return std::nullopt;
        if (found->base == 10) {
            exponent += found->exponent;
            q.m_format = Format::DecimalSI;
        } else {
            mantissa *= static_cast<QuantityInt>(1) << found->exponent;
            q.m_format = Format::BinarySI;
        }
    }

    // Below nano precision the API server rounds away from zero.
    if (exponent < kSmallestExponent) {
        const QuantityInt divisor = pow10(kSmallestExponent - exponent);
        mantissa = mantissa / divisor + (mantissa % divisor != 0 ? 1 : 0);
        exponent = kSmallestExponent;
    }
    while (mantissa != 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        ++exponent;
    }
    if (mantissa == 0)
        exponent = 0;
    q.m_mantissa = negative ? -mantissa : mantissa;
    q.m_exponent = exponent;
    return q;
}

QString Quantity::toString() const {
    if (m_mantissa == 0)
        return QStringLiteral("0");

    // Binary format only for whole numbers of at least 1024: smaller or fractional values
    // read better (and lose nothing) in decimal.
    if (m_format == Format::BinarySI && m_exponent >= 0) {
        QuantityInt value = m_mantissa * pow10(m_exponent);
        if (value >= 1024 || value <= -1024) {
            int power = 0;
            while (power < 60 && value % 1024 == 0) {
                value /= 1024;
                power += 10;
            }
            static const char *binary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
            return int128ToString(value) + QLatin1String(binary[power / 10]);
        }
    }

    // Largest multiple of three not above the exponent keeps the mantissa integral.
    int exponent = m_exponent >= 0 ? (m_exponent / 3) * 3 : -(((-m_exponent) + 2) / 3) * 3;
    if (exponent > 18)
        exponent = 18;
    const QuantityInt mantissa = m_mantissa * pow10(m_exponent - exponent);
    if (m_format == Format::DecimalExponent)
        return exponent == 0 ? int128ToString(mantissa)
                             : int128ToString(mantissa) + u'e' + QString::number(exponent);
    return int128ToString(mantissa) + QLatin1String(decimalSuffix(exponent));
}

double Quantity::toDouble() const {
    return static_cast<double>(m_mantissa) * std::pow(10.0, m_exponent);
}

QString canonicalQuantity(const QString &text) {
    const std::optional<Quantity> q = Quantity::parse(text);
    return q ? q->toString() : text;
}

} // namespace dashboard
