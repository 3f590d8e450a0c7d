#pragma once
// Durations printed the way kubectl prints them (k8s.io/apimachinery/pkg/util/duration):
// AGE, "(40s ago)", "x3 over 5m". About 2–3 significant figures: "45s", "119s", "5m30s",
// "42m", "5h12m", "12h", "3d4h", "40d", "2y30d". "now" is always passed in so tests and the
// UI's single refresh tick agree on one instant.

#include <QDateTime>
#include <QString>

namespace dashboard {

// duration.HumanDuration: the AGE column, RESTARTS "(… ago)", event ages.
QString humanDuration(qint64 milliseconds);
// duration.ShortHumanDuration: one unit only ("5m", "3h", "2d").
QString shortHumanDuration(qint64 milliseconds);
// kubectl's translateTimestampSince: "<unknown>" for the zero (invalid) time, else the
// human duration from `since` to `now`.
QString timestampSince(const QDateTime &since, const QDateTime &now);

} // namespace dashboard
