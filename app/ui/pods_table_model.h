#pragma once
// The pods table's source model: one row per pod, columns of dashboard::PodColumn, strings
// computed by the domain layer (presentPod). setPods() updates rows in place, inserts and
// removes only what changed, so live updates keep the selection and do not flicker; setNow()
// refreshes the ages once per tick.

#include "core/domain/pod_presentation.h"
#include "core/domain/pod_table_rules.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace dashboard {

class PodsTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PodsTableModel)

public:
    enum Role {
        HealthRole = Qt::UserRole + 1, // int(dashboard::Health)
        KeyRole,                       // "namespace/name"
    };

    explicit PodsTableModel(QObject *parent = nullptr);

    void setPods(const QList<QJsonObject> &pods, const QDateTime &now);
    void setNow(const QDateTime &now);
    const PodPresentation &pod(int row) const { return m_rows.at(row).presentation; }
    int rowOfKey(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString key;
        QJsonObject object;
        PodPresentation presentation;
    };
    QList<Row> m_rows;
    QDateTime m_now;
};

} // namespace dashboard
