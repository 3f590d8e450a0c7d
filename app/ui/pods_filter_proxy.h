#pragma once
// Sorting and filtering of the pods table: the rules are dashboard::podLessThan and
// podMatches (core, tested headless); this proxy only forwards to them.

#include "core/domain/pod_table_rules.h"

#include <QSortFilterProxyModel>

namespace dashboard {

class PodsTableModel;

class PodsFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PodsFilterProxy)

public:
    explicit PodsFilterProxy(PodsTableModel *source, QObject *parent = nullptr);

    void setFilterText(const QString &text);
    void setProblemsOnly(bool problemsOnly);
    const PodFilter &podFilter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    PodsTableModel *m_source;
    PodFilter m_filter;
};

} // namespace dashboard
