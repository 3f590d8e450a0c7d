#include "net/retry_policy.h"

#include <QLocale>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace dashboard {

bool isIdempotentMethod(const QByteArray &method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
           method == "DELETE";
}

bool isRetryableResponse(const QByteArray &method, int httpCode, bool hasRetryAfter) {
    if (httpCode == 429) {
        return true;
    }
    if (!isIdempotentMethod(method)) {
        return false;
    }
    if (httpCode == 502 || httpCode == 503 || httpCode == 504) {
        return true;
    }
    return httpCode >= 500 && httpCode < 600 && hasRetryAfter;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value,
                                                         const QDateTime &now) {
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty()) {
        return std::nullopt;
    }
    bool isNumber = false;
    const qlonglong seconds = trimmed.toLongLong(&isNumber);
    if (isNumber) {
        if (seconds < 0) {
            return std::nullopt;
        }
        return std::chrono::milliseconds(seconds * 1000);
    }
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    const QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(trimmed).remove(QStringLiteral(" GMT")),
                                QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!when.isValid()) {
        return std::nullopt;
    }
    QDateTime utc = when;
    utc.setTimeSpec(Qt::UTC);
    return std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(utc)));
}

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                 std::function<double()> unitRandom)
    : m_initial(initial)
    , m_cap(cap)
    , m_random(std::move(unitRandom)) {
    if (!m_random) {
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    }
}

std::chrono::milliseconds Backoff::next() {
    const double base = std::min<double>(static_cast<double>(m_cap.count()),
                                         static_cast<double>(m_initial.count()) *
                                             std::pow(2.0, std::min(m_attempt, 30)));
    ++m_attempt;
    // Jitter spreads the reconnects of many informers (and many dashboards) after an API
    // server restart instead of having them arrive in lockstep.
    const double delay = base * (0.5 + 0.5 * m_random());
    return std::chrono::milliseconds(static_cast<qint64>(delay));
}

} // namespace dashboard
