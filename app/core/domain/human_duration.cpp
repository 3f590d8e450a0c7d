#include "core/domain/human_duration.h"

namespace dashboard {

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;

// Go's int(d.Seconds()) truncates toward zero; so does C++ integer division.
QString tooSmall(qint64 ms, bool *handled) {
    *handled = true;
    const qint64 seconds = ms / kSecond;
    // A couple of seconds of clock skew between client and server reads as "now".
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (ms < 0)
        return QStringLiteral("0s");
    *handled = false;
    return {};
}

} // namespace

QString humanDuration(qint64 ms) {
    bool handled = false;
    if (QString early = tooSmall(ms, &handled); handled)
        return early;
    const qint64 seconds = ms / kSecond;
    if (seconds < 60 * 2)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = ms / kMinute;
    if (minutes < 10) {
        const qint64 s = seconds % 60;
        return s == 0 ? QStringLiteral("%1m").arg(minutes)
                      : QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 60 * 3)
        return QStringLiteral("%1m").arg(minutes);
    const qint64 hours = ms / kHour;
    if (hours < 8) {
        const qint64 m = minutes % 60;
        return m == 0 ? QStringLiteral("%1h").arg(hours)
                      : QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 8) {
        const qint64 h = hours % 24;
        return h == 0 ? QStringLiteral("%1d").arg(hours / 24)
                      : QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        const qint64 dy = (hours / 24) % 365;
        return dy == 0 ? QStringLiteral("%1y").arg(hours / 24 / 365)
                       : QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(dy);
    }
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

QString shortHumanDuration(qint64 ms) {
    bool handled = false;
    if (QString early = tooSmall(ms, &handled); handled)
        return early;
    const qint64 seconds = ms / kSecond;
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (const qint64 minutes = ms / kMinute; minutes < 60)
        return QStringLiteral("%1m").arg(minutes);
    const qint64 hours = ms / kHour;
    if (hours < 24)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 365)
        return QStringLiteral("%1d").arg(hours / 24);
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

QString timestampSince(const QDateTime &since, const QDateTime &now) {
    if (!since.isValid())
        return QStringLiteral("<unknown>");
    return humanDuration(since.msecsTo(now));
}

} // namespace dashboard
