#pragma once
// The Deployment's ReplicaSets by revision, newest first (dashboard::replicaSetHistory):
// revision, name, image, change-cause, desired/current/ready, age. The current revision is
// shown in bold.

#include "core/domain/replica_set_history.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace dashboard {

class ReplicaSetsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicaSetsModel)

public:
    enum Column { Revision, Name, Images, ChangeCause, Desired, Current, Ready, Age, ColumnCount };

    explicit ReplicaSetsModel(QObject *parent = nullptr);

    void setReplicaSets(const QJsonObject &deployment, const QList<QJsonObject> &replicaSets,
                        const QDateTime &now);
    void setNow(const QDateTime &now);
    const ReplicaSetRevision &replicaSet(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void apply(QList<ReplicaSetRevision> rows);

    QJsonObject m_deployment;
    QList<QJsonObject> m_objects;
    QList<ReplicaSetRevision> m_rows;
};

} // namespace dashboard
