#pragma once
// Events, newest first (dashboard::eventsNewestFirst), warnings tinted: last seen with the
// repeat count ("4s (x9 over 68s)"), type, reason, object, message.

#include "core/domain/event_list.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace dashboard {

class EventsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsModel)

public:
    enum Column { LastSeen, Type, Reason, Object, Message, ColumnCount };
    enum Role { WarningRole = Qt::UserRole + 1 };

    explicit EventsModel(QObject *parent = nullptr);

    void setEvents(const QList<QJsonObject> &events, const QDateTime &now);
    void setNow(const QDateTime &now);
    const EventRow &event(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void apply(QList<EventRow> rows);

    QList<QJsonObject> m_objects;
    QList<EventRow> m_rows;
};

} // namespace dashboard
