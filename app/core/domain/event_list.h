#pragma once
// Events as the dashboard lists them: newest first, warnings flagged, the repeat count in
// kubectl describe's words ("40s (x3 over 5m)"), and the LAST SEEN / OBJECT columns of
// `kubectl get events` (printEvent). Handles both core/v1 events (lastTimestamp, count) and
// events.k8s.io-style ones (eventTime, series).

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace dashboard {

struct EventRow {
    QString name;
    QString uid;
    QString type; // "Normal" / "Warning"
    QString reason;
    QString message;    // trimmed, as kubectl prints it
    QString objectKind; // involvedObject.kind
    QString objectName;
    QString object; // kubectl OBJECT: "pod/web-1", "deployment/web"
    QString source; // "kubelet, node-1" / reporting controller
    int count = 1;
    QDateTime firstSeen;
    QDateTime lastSeen;   // what the list is sorted by
    QString lastSeenText; // kubectl LAST SEEN: "40s"
    QString ageText;      // kubectl describe: "40s (x3 over 5m)" or "5m"
    bool warning = false;
};

EventRow presentEvent(const QJsonObject &event, const QDateTime &now);

// Newest first by last seen; ties by first seen, then name (a stable order while refreshing).
QList<EventRow> eventsNewestFirst(const QList<QJsonObject> &events, const QDateTime &now);

// Keeps the events about the given objects, keyed "Kind/name" ("Pod/web-1", "Deployment/web").
QList<EventRow> eventsAbout(const QList<EventRow> &events, const QSet<QString> &kindSlashNames);

} // namespace dashboard
