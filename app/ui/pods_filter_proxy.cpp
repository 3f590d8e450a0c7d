#include "ui/pods_filter_proxy.h"

#include "ui/pods_table_model.h"

namespace dashboard {

PodsFilterProxy::PodsFilterProxy(PodsTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_source(source) {
    setSourceModel(source);
    setDynamicSortFilter(true);
}

void PodsFilterProxy::setFilterText(const QString &text) {
    if (m_filter.text == text)
        return;
    m_filter.text = text;
    invalidateFilter();
}

void PodsFilterProxy::setProblemsOnly(bool problemsOnly) {
    if (m_filter.problemsOnly == problemsOnly)
        return;
    m_filter.problemsOnly = problemsOnly;
    invalidateFilter();
}

bool PodsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const {
    return podMatches(m_source->pod(sourceRow), m_filter);
}

bool PodsFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const {
    return podLessThan(m_source->pod(left.row()), m_source->pod(right.row()),
                       PodColumn(left.column()));
}

} // namespace dashboard
