#include "ui/replica_sets_model.h"

#include <QFont>

namespace dashboard {

ReplicaSetsModel::ReplicaSetsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void ReplicaSetsModel::setReplicaSets(const QJsonObject &deployment,
                                      const QList<QJsonObject> &replicaSets, const QDateTime &now) {
    m_deployment = deployment;
    m_objects = replicaSets;
    apply(replicaSetHistory(deployment, replicaSets, now));
}

void ReplicaSetsModel::setNow(const QDateTime &now) {
    apply(replicaSetHistory(m_deployment, m_objects, now));
}

// Same ReplicaSets in the same order: update cells in place (keeps the selection);
// otherwise the short list is rebuilt.
void ReplicaSetsModel::apply(QList<ReplicaSetRevision> rows) {
    bool sameRows = rows.size() == m_rows.size();
    for (int i = 0; sameRows && i < rows.size(); ++i)
        sameRows = rows[i].uid == m_rows[i].uid;
    if (sameRows) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int ReplicaSetsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplicaSetsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReplicaSetsModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ReplicaSetRevision &rs = m_rows[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Revision:
            return rs.revision > 0 ? QString::number(rs.revision) : QStringLiteral("—");
        case Name:
            return rs.name;
        case Images:
            return rs.images.join(QStringLiteral(", "));
        case ChangeCause:
            return rs.changeCause.isEmpty() ? tr("<none>") : rs.changeCause;
        case Desired:
            return rs.desired;
        case Current:
            return rs.current;
        case Ready:
            return rs.ready;
        case Age:
            return rs.age;
        default:
            return {};
        }
    }
    if (role == Qt::FontRole && rs.isCurrent) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && rs.isCurrent)
        return tr("Current revision");
    if (role == Qt::TextAlignmentRole && index.column() >= Desired && index.column() <= Age)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ReplicaSetsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Revision:
        return tr("Revision");
    case Name:
        return tr("ReplicaSet");
    case Images:
        return tr("Image");
    case ChangeCause:
        return tr("Change cause");
    case Desired:
        return tr("Desired");
    case Current:
        return tr("Current");
    case Ready:
        return tr("Ready");
    case Age:
        return tr("Age");
    default:
        return {};
    }
}

} // namespace dashboard
