#include "core/domain/pod_table_rules.h"

#include <QStringList>

#include <algorithm>
#include <limits>
#include <tuple>

namespace dashboard {

QString podColumnTitle(PodColumn column) {
    switch (column) {
    case PodColumn::Name:
        return QStringLiteral("Name");
    case PodColumn::Ready:
        return QStringLiteral("Ready");
    case PodColumn::Status:
        return QStringLiteral("Status");
    case PodColumn::Restarts:
        return QStringLiteral("Restarts");
    case PodColumn::LastTermination:
        return QStringLiteral("Last termination");
    case PodColumn::Age:
        return QStringLiteral("Age");
    case PodColumn::Ip:
        return QStringLiteral("IP");
    case PodColumn::Node:
        return QStringLiteral("Node");
    case PodColumn::Count:
        break;
    }
    return {};
}

QString podCellText(const PodPresentation &pod, PodColumn column) {
    switch (column) {
    case PodColumn::Name:
        return pod.name;
    case PodColumn::Ready:
        return pod.ready;
    case PodColumn::Status:
        return pod.status;
    case PodColumn::Restarts:
        return pod.restartsText;
    case PodColumn::LastTermination:
        return pod.lastTerminationText;
    case PodColumn::Age:
        return pod.age;
    case PodColumn::Ip:
        return pod.ip;
    case PodColumn::Node:
        return pod.node;
    case PodColumn::Count:
        break;
    }
    return {};
}

namespace {

// Unknown times sort as the oldest: kubectl prints them "<unknown>".
qint64 msecs(const QDateTime &t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

// IPv4 addresses numerically so 10.0.0.9 comes before 10.0.0.10; "<none>" last.
QString ipSortKey(const QString &ip) {
    const QStringList parts = ip.split(u'.');
    if (parts.size() != 4)
        return QStringLiteral("~") + ip;
    QString key;
    for (const QString &part : parts)
        key += part.rightJustified(3, u'0');
    return key;
}

} // namespace

bool podLessThan(const PodPresentation &a, const PodPresentation &b, PodColumn column) {
    auto byName = [&] { return a.name < b.name; };
    switch (column) {
    case PodColumn::Name:
        return byName();
    case PodColumn::Ready: {
        // Fraction ready, then the larger pod first at the same fraction.
        const qint64 left = qint64(a.readyContainers) * std::max(1, b.totalContainers);
        const qint64 right = qint64(b.readyContainers) * std::max(1, a.totalContainers);
        if (left != right)
            return left < right;
        return std::tie(a.totalContainers, a.name) < std::tie(b.totalContainers, b.name);
    }
    case PodColumn::Status:
        // Healthiest first, so a descending sort puts failures on top.
        return std::make_tuple(int(a.health), a.status, a.name) <
               std::make_tuple(int(b.health), b.status, b.name);
    case PodColumn::Restarts:
        return std::make_tuple(a.restarts, msecs(a.lastRestart), a.name) <
               std::make_tuple(b.restarts, msecs(b.lastRestart), b.name);
    case PodColumn::LastTermination:
        return std::make_tuple(msecs(a.lastTermination.finishedAt), a.name) <
               std::make_tuple(msecs(b.lastTermination.finishedAt), b.name);
    case PodColumn::Age:
        // Ascending age = youngest first = newest creation time first.
        return std::make_tuple(-msecs(a.created), a.name) <
               std::make_tuple(-msecs(b.created), b.name);
    case PodColumn::Ip:
        return std::make_tuple(ipSortKey(a.ip), a.name) < std::make_tuple(ipSortKey(b.ip), b.name);
    case PodColumn::Node:
        return std::make_tuple(a.node, a.name) < std::make_tuple(b.node, b.name);
    case PodColumn::Count:
        break;
    }
    return byName();
}

bool podMatches(const PodPresentation &pod, const PodFilter &filter) {
    if (filter.problemsOnly && pod.health != Health::Warning && pod.health != Health::Failed)
        return false;
    const QStringList words = filter.text.split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        bool found = false;
        for (int c = 0; c < int(PodColumn::Count) && !found; ++c)
            found = podCellText(pod, PodColumn(c)).contains(word, Qt::CaseInsensitive);
        if (!found)
            found = pod.images.join(u' ').contains(word, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}

} // namespace dashboard
