#include "ui/pods_table_model.h"

#include "ui/health_colors.h"

#include <QHash>

namespace dashboard {

namespace {

QString keyOf(const QJsonObject &pod) {
    const QJsonObject meta = pod.value(QLatin1String("metadata")).toObject();
    const QString ns = meta.value(QLatin1String("namespace")).toString();
    const QString name = meta.value(QLatin1String("name")).toString();
    return ns.isEmpty() ? name : ns + u'/' + name;
}

} // namespace

PodsTableModel::PodsTableModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void PodsTableModel::setPods(const QList<QJsonObject> &pods, const QDateTime &now) {
    m_now = now;
    QHash<QString, const QJsonObject *> incoming;
    for (const QJsonObject &pod : pods)
        incoming.insert(keyOf(pod), &pod);

    // Removals from the back so earlier row numbers stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(m_rows[row].key)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    QHash<QString, int> existing;
    for (int row = 0; row < m_rows.size(); ++row)
        existing.insert(m_rows[row].key, row);

    for (const QJsonObject &pod : pods) {
        const QString key = keyOf(pod);
        if (const auto it = existing.constFind(key); it != existing.cend()) {
            Row &row = m_rows[*it];
            row.object = pod;
            row.presentation = presentPod(pod, now);
            Q_EMIT dataChanged(index(*it, 0), index(*it, columnCount() - 1));
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(Row{key, pod, presentPod(pod, now)});
        endInsertRows();
        existing.insert(key, at);
    }
}

void PodsTableModel::setNow(const QDateTime &now) {
    m_now = now;
    if (m_rows.isEmpty())
        return;
    for (Row &row : m_rows)
        row.presentation = presentPod(row.object, now);
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

int PodsTableModel::rowOfKey(const QString &key) const {
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].key == key)
            return row;
    }
    return -1;
}

int PodsTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PodsTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(PodColumn::Count);
}

QVariant PodsTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const PodPresentation &pod = m_rows[index.row()].presentation;
    const auto column = PodColumn(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return podCellText(pod, column);
    case Qt::ToolTipRole: {
        QString tip = pod.healthReason;
        if (!pod.lastTerminationText.isEmpty() && column == PodColumn::Restarts)
            tip = tr("Last termination: %1").arg(pod.lastTerminationText);
        return tip;
    }
    case Qt::BackgroundRole:
        return healthBackground(pod.health);
    case Qt::ForegroundRole:
        return column == PodColumn::Status ? healthForeground(pod.health) : QVariant();
    case Qt::TextAlignmentRole:
        if (column == PodColumn::Ready || column == PodColumn::Restarts || column == PodColumn::Age)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        return int(pod.health);
    case KeyRole:
        return m_rows[index.row()].key;
    default:
        return {};
    }
}

QVariant PodsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (PodColumn(section)) {
    case PodColumn::Name:
        return tr("Name");
    case PodColumn::Ready:
        return tr("Ready");
    case PodColumn::Status:
        return tr("Status");
    case PodColumn::Restarts:
        return tr("Restarts");
    case PodColumn::LastTermination:
        return tr("Last termination");
    case PodColumn::Age:
        return tr("Age");
    case PodColumn::Ip:
        return tr("IP");
    case PodColumn::Node:
        return tr("Node");
    case PodColumn::Count:
        break;
    }
    return {};
}

} // namespace dashboard
