#include "ui/workload_header.h"

#include "ui/elided_label.h"
#include "ui/figure_box.h"
#include "ui/status_palette.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace dashboard {

namespace {

// Fewer than desired is a warning; none at all while some are wanted is a failure.
Health shortfall(int value, int desired) {
    if (value >= desired)
        return Health::Healthy;
    return value == 0 ? Health::Failed : Health::Warning;
}

} // namespace

WorkloadHeader::WorkloadHeader(QWidget *parent)
    : QFrame(parent)
    , m_dot(new QLabel(QStringLiteral("●"), this))
    , m_name(new QLabel(this))
    , m_paused(new QLabel(tr("Rollout paused"), this))
    , m_rollout(new QLabel(this))
    , m_image(new ElidedLabel(this, Qt::ElideMiddle))
    , m_version(new QLabel(this))
    , m_revision(new QLabel(this))
    , m_strategy(new QLabel(this))
    , m_age(new QLabel(this))
    , m_conditions(new QLabel(this))
    , m_desired(new FigureBox(tr("Desired"), this))
    , m_updated(new FigureBox(tr("Updated"), this))
    , m_ready(new FigureBox(tr("Ready"), this))
    , m_available(new FigureBox(tr("Available"), this)) {
    setObjectName(QStringLiteral("workloadHeader"));
    setFrameShape(QFrame::StyledPanel);

    QFont title = m_name->font();
    title.setPointSizeF(title.pointSizeF() * 1.45);
    title.setBold(true);
    m_name->setFont(title);
    m_dot->setFont(title);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_paused->font();
    bold.setBold(true);
    m_paused->setFont(bold);
    m_paused->hide();
    m_rollout->setWordWrap(true);
    m_rollout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rollout->setTextFormat(Qt::PlainText);
    m_conditions->setWordWrap(true);
    m_conditions->setTextFormat(Qt::RichText);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(8);
    titleRow->addWidget(m_dot);
    titleRow->addWidget(m_name);
    titleRow->addWidget(m_paused);
    titleRow->addStretch(1);

    auto *details = new QHBoxLayout;
    details->setSpacing(6);
    addDetail(details, tr("Image"));
    m_image->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    details->addWidget(m_image, 1);
    details->addSpacing(14);
    addDetail(details, tr("Version"));
    details->addWidget(m_version);
    details->addSpacing(14);
    addDetail(details, tr("Revision"));
    details->addWidget(m_revision);
    details->addSpacing(14);
    addDetail(details, tr("Strategy"));
    details->addWidget(m_strategy);
    details->addSpacing(14);
    addDetail(details, tr("Age"));
    details->addWidget(m_age);
    details->addStretch(1);
    for (QLabel *value : {m_version, m_revision, m_strategy, m_age})
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_image->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *left = new QVBoxLayout;
    left->setSpacing(4);
    left->addLayout(titleRow);
    left->addWidget(m_rollout);
    left->addLayout(details);
    left->addWidget(m_conditions);

    auto *figures = new QHBoxLayout;
    figures->setSpacing(4);
    for (FigureBox *box : {m_desired, m_updated, m_ready, m_available})
        figures->addWidget(box);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addLayout(left, 1);
    layout->addSpacing(12);
    layout->addLayout(figures);
    applyColours();
}

QLabel *WorkloadHeader::addDetail(QHBoxLayout *row, const QString &caption) {
    auto *label = new QLabel(caption, this);
    m_captions << label;
    row->addWidget(label);
    return label;
}

void WorkloadHeader::setSummary(const DeploymentSummary &d) {
    m_summary = d;
    m_hasSummary = true;
    m_health = d.health;
    m_name->setText(d.name);
    m_paused->setVisible(d.paused);
    m_rollout->setText(d.rollout.message);
    m_rollout->setToolTip(d.healthReason);
    m_image->setFullText(d.images.join(QStringLiteral(", ")));
    m_version->setText(d.version.isEmpty() ? tr("unknown") : d.version);
    m_revision->setText(d.revision > 0 ? QString::number(d.revision) : tr("none yet"));
    m_strategy->setText(d.strategy);
    m_age->setText(d.age);

    QStringList parts;
    QStringList tips;
    for (const Condition &c : d.conditions) {
        const QString text = c.reason.isEmpty() ? tr("%1: %2").arg(c.type, c.status)
                                                : tr("%1: %2 (%3)").arg(c.type, c.status, c.reason);
        const bool bad = !c.isTrue() && c.type != QLatin1String("ReplicaFailure");
        const bool failure = c.type == QLatin1String("ReplicaFailure") && c.isTrue();
        if (bad || failure)
            parts << QStringLiteral("<span style=\"color:%1\">%2</span>")
                         .arg(healthAccent(Health::Failed, palette()).name(), text.toHtmlEscaped());
        else
            parts << text.toHtmlEscaped();
        if (!c.message.isEmpty())
            tips << QStringLiteral("%1: %2").arg(c.type, c.message);
    }
    m_conditions->setText(parts.isEmpty() ? tr("No conditions reported yet.").toHtmlEscaped()
                                          : parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    m_conditions->setToolTip(tips.join(u'\n'));

    m_desired->setValue(QString::number(d.desired));
    m_updated->setValue(QString::number(d.updated), shortfall(d.updated, d.desired));
    m_ready->setValue(QString::number(d.ready), shortfall(d.ready, d.desired));
    m_available->setValue(QString::number(d.available), shortfall(d.available, d.desired));
    m_desired->setToolTip(tr("spec.replicas: how many pods the Deployment wants."));
    m_updated->setToolTip(tr("Pods running the current revision's template."));
    m_ready->setToolTip(tr("Pods whose containers all pass their readiness probes."));
    m_available->setToolTip(tr("Pods ready for at least minReadySeconds: what serves traffic."));
    applyColours();
}

void WorkloadHeader::setPlaceholder(const QString &deployment, const QString &text) {
    m_hasSummary = false;
    m_health = Health::Progressing;
    m_name->setText(deployment);
    m_paused->hide();
    m_rollout->setText(text);
    m_rollout->setToolTip({});
    m_image->setFullText({});
    for (QLabel *value : {m_version, m_revision, m_strategy, m_age})
        value->clear();
    m_conditions->clear();
    for (FigureBox *box : {m_desired, m_updated, m_ready, m_available})
        box->setValue(QStringLiteral("–"));
    applyColours();
}

QString WorkloadHeader::name() const {
    return m_name->text();
}

QString WorkloadHeader::rolloutText() const {
    return m_rollout->text();
}

QString WorkloadHeader::imageText() const {
    return m_image->fullText();
}

QString WorkloadHeader::revisionText() const {
    return m_revision->text();
}

QString WorkloadHeader::conditionsText() const {
    QString plain = m_conditions->text();
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return plain.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
}

QString WorkloadHeader::figure(const QString &caption) const {
    for (const FigureBox *box : {m_desired, m_updated, m_ready, m_available}) {
        if (box->caption() == caption)
            return box->value();
    }
    return {};
}

void WorkloadHeader::changeEvent(QEvent *event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_hasSummary)
        setSummary(m_summary); // the conditions' colours are baked into their rich text
    else if (event->type() == QEvent::PaletteChange)
        applyColours();
}

void WorkloadHeader::applyColours() {
    QPalette dot = m_dot->palette();
    dot.setColor(QPalette::WindowText, healthAccent(m_health, palette()));
    m_dot->setPalette(dot);
    QPalette rollout = m_rollout->palette();
    rollout.setColor(QPalette::WindowText, m_health == Health::Healthy
                                               ? palette().color(QPalette::WindowText)
                                               : healthAccent(m_health, palette()));
    m_rollout->setPalette(rollout);
    QPalette paused = m_paused->palette();
    paused.setColor(QPalette::WindowText, healthAccent(Health::Warning, palette()));
    m_paused->setPalette(paused);
    for (QLabel *caption : m_captions) {
        QPalette p = caption->palette();
        p.setColor(QPalette::WindowText, secondaryText(palette()));
        caption->setPalette(p);
    }
}

} // namespace dashboard
