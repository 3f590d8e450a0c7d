#include "ui/events_model.h"

#include "ui/health_colors.h"

namespace dashboard {

EventsModel::EventsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void EventsModel::setEvents(const QList<QJsonObject> &events, const QDateTime &now) {
    m_objects = events;
    apply(eventsNewestFirst(events, now));
}

void EventsModel::setNow(const QDateTime &now) {
    apply(eventsNewestFirst(m_objects, now));
}

void EventsModel::apply(QList<EventRow> rows) {
    // Only new events at the top: insert them, so the rows below keep their selection.
    const qsizetype added = rows.size() - m_rows.size();
    bool onlyPrepended = added >= 0;
    for (qsizetype i = 0; onlyPrepended && i < m_rows.size(); ++i)
        onlyPrepended =
            rows[i + added].uid == m_rows[i].uid && rows[i + added].name == m_rows[i].name;
    if (!onlyPrepended) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    if (added > 0) {
        beginInsertRows({}, 0, int(added) - 1);
        m_rows = std::move(rows);
        endInsertRows();
    } else {
        m_rows = std::move(rows);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int EventsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventsModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const EventRow &e = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LastSeen:
            return e.ageText;
        case Type:
            return e.type;
        case Reason:
            return e.reason;
        case Object:
            return e.object;
        case Message:
            return e.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return e.source.isEmpty() ? e.message : tr("%1\nFrom: %2").arg(e.message, e.source);
    case Qt::BackgroundRole:
        return e.warning ? healthBackground(Health::Warning) : QVariant();
    case WarningRole:
        return e.warning;
    default:
        return {};
    }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LastSeen:
        return tr("Last seen");
    case Type:
        return tr("Type");
    case Reason:
        return tr("Reason");
    case Object:
        return tr("Object");
    case Message:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace dashboard
