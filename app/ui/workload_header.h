#pragma once
// The workload at a glance, above the tables: the Deployment's name, image and version,
// current revision, the rollout state in kubectl's own words (dashboard::rolloutStatus), its
// conditions, and replicas desired / updated / ready / available as large figures that turn
// amber or red when they fall short of the desired count.

#include "core/domain/deployment_summary.h"

#include <QFrame>

class QHBoxLayout;
class QLabel;

namespace dashboard {

class ElidedLabel;
class FigureBox;

class WorkloadHeader final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadHeader)

public:
    explicit WorkloadHeader(QWidget *parent = nullptr);

    void setSummary(const DeploymentSummary &summary);
    // Before the first data, or when there is none: the name and one line saying why.
    void setPlaceholder(const QString &deployment, const QString &text);

    QString name() const;
    QString rolloutText() const;
    QString imageText() const;
    QString revisionText() const;
    QString conditionsText() const;
    QString figure(const QString &caption) const; // "3" for tr("Ready")

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    QLabel *addDetail(QHBoxLayout *row, const QString &caption);

    QLabel *m_dot;
    QLabel *m_name;
    QLabel *m_paused;
    QLabel *m_rollout;
    ElidedLabel *m_image;
    QLabel *m_version;
    QLabel *m_revision;
    QLabel *m_strategy;
    QLabel *m_age;
    QLabel *m_conditions;
    QList<QLabel *> m_captions;
    FigureBox *m_desired;
    FigureBox *m_updated;
    FigureBox *m_ready;
    FigureBox *m_available;
    Health m_health = Health::Progressing;
    bool m_hasSummary = false;
    DeploymentSummary m_summary;
};

} // namespace dashboard
