#include "core/domain/event_list.h"

#include "core/domain/human_duration.h"
#include "core/domain/kube_json.h"

#include <algorithm>

namespace dashboard {

namespace kj = kube_json;

namespace {

QString eventSource(const QJsonObject &event) {
    const QString component = kj::string(event, u"source.component");
    const QString host = kj::string(event, u"source.host");
    if (!component.isEmpty())
        return host.isEmpty() ? component : component + QStringLiteral(", ") + host;
    const QString controller = kj::string(event, u"reportingComponent");
    const QString instance = kj::string(event, u"reportingInstance");
    if (controller.isEmpty())
        return {};
    return instance.isEmpty() ? controller : controller + QStringLiteral(", ") + instance;
}

} // namespace

EventRow presentEvent(const QJsonObject &event, const QDateTime &now) {
    EventRow row;
    row.name = kj::string(event, u"metadata.name");
    row.uid = kj::string(event, u"metadata.uid");
    row.type = kj::string(event, u"type");
    row.reason = kj::string(event, u"reason");
    row.message = kj::string(event, u"message").trimmed();
    row.objectKind = kj::string(event, u"involvedObject.kind");
    row.objectName = kj::string(event, u"involvedObject.name");
    row.object = row.objectName.isEmpty() ? row.objectKind.toLower()
                                          : row.objectKind.toLower() + u'/' + row.objectName;
    row.source = eventSource(event);
    row.warning = row.type == QLatin1String("Warning");

    // printEvent: first seen falls back to eventTime, last seen to first seen; a series
    // overrides both count and last seen.
    const QDateTime firstTimestamp = kj::timestamp(event, u"firstTimestamp");
    const QDateTime eventTime = kj::timestamp(event, u"eventTime");
    row.firstSeen = firstTimestamp.isValid() ? firstTimestamp : eventTime;
    const QDateTime lastTimestamp = kj::timestamp(event, u"lastTimestamp");
    row.lastSeen = lastTimestamp.isValid() ? lastTimestamp : row.firstSeen;
    row.count = static_cast<int>(kj::integer(event, u"count"));
    const bool series = kj::has(event, u"series");
    if (series) {
        row.lastSeen = kj::timestamp(event, u"series.lastObservedTime");
        row.count = static_cast<int>(kj::integer(event, u"series.count"));
    } else if (row.count == 0) {
        row.count = 1; // singleton events of the new API carry no count
    }
    const QString firstText = timestampSince(row.firstSeen, now);
    row.lastSeenText = timestampSince(row.lastSeen, now);

    // kubectl describe's Age column: the interval only for repeated events.
    const int describeCount = series ? row.count : static_cast<int>(kj::integer(event, u"count"));
    if (series || describeCount > 1)
        row.ageText = QStringLiteral("%1 (x%2 over %3)")
                          .arg(series ? row.lastSeenText : timestampSince(lastTimestamp, now))
                          .arg(describeCount)
                          .arg(eventTime.isValid() ? timestampSince(eventTime, now)
                                                   : timestampSince(firstTimestamp, now));
    else
        row.ageText = eventTime.isValid() ? timestampSince(eventTime, now) : firstText;
    return row;
}

QList<EventRow> eventsNewestFirst(const QList<QJsonObject> &events, const QDateTime &now) {
    QList<EventRow> rows;
    rows.reserve(events.size());
    for (const QJsonObject &event : events)
        rows << presentEvent(event, now);
    std::sort(rows.begin(), rows.end(), [](const EventRow &a, const EventRow &b) {
        // Invalid (unknown) times sort last.
        if (a.lastSeen != b.lastSeen) {
            if (!a.lastSeen.isValid() || !b.lastSeen.isValid())
                return a.lastSeen.isValid();
            return a.lastSeen > b.lastSeen;
        }
        if (a.firstSeen != b.firstSeen && a.firstSeen.isValid() && b.firstSeen.isValid())
            return a.firstSeen > b.firstSeen;
        return a.name < b.name;
    });
    return rows;
}

QList<EventRow> eventsAbout(const QList<EventRow> &events, const QSet<QString> &kindSlashNames) {
    QList<EventRow> out;
    for (const EventRow &row : events) {
        if (kindSlashNames.contains(row.objectKind + u'/' + row.objectName))
            out << row;
    }
    return out;
}

} // namespace dashboard
