#pragma once
// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1e3"): parsing to a number for
// charts, and the canonical text kubectl prints (resource.Quantity.String()), so "0.5" shows
// as "500m" and "1024Ki" as "1Mi" just as in `kubectl get hpa`.

#include <QString>

#include <optional>

namespace dashboard {

// 128-bit mantissas: "128Ei" in nano units overflows 64 bits. __extension__ keeps -Wpedantic quiet
// about the GCC/Clang builtin.
__extension__ typedef __int128 QuantityInt;
__extension__ typedef unsigned __int128 QuantityUInt;

class Quantity final {
public:
    enum class Format { DecimalSI, BinarySI, DecimalExponent };

    // nullopt when `text` is not a quantity.
    static std::optional<Quantity> parse(const QString &text);

    // Canonical form: an integer mantissa and the largest suffix that keeps it integral
    // (values below 1n round up to 1n, as the API server stores them).
    QString toString() const;
    double toDouble() const;
    Format format() const { return m_format; }

private:
    // value = m_mantissa × 10^m_exponent, m_mantissa without trailing zeros.
    QuantityInt m_mantissa = 0;
    int m_exponent = 0;
    Format m_format = Format::DecimalSI;
};

// The canonical text of a quantity; the text unchanged when it does not parse.
QString canonicalQuantity(const QString &text);

} // namespace dashboard
