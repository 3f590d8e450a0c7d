#include "ui/hpa_panel.h"

#include "ui/figure_box.h"
#include "ui/hpa_chart.h"
#include "ui/hpa_history.h"
#include "ui/metric_bar.h"
#include "ui/status_palette.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace dashboard {

namespace {

std::optional<double> cpuTargetOf(const HpaSummary &hpa) {
    for (const HpaMetric &m : hpa.metrics) {
        if (m.name == QLatin1String("cpu") && m.isPercent())
            return m.target;
    }
    return std::nullopt;
}

} // namespace

HpaPanel::HpaPanel(QWidget *parent)
    : QFrame(parent)
    , m_dot(new QLabel(QStringLiteral("●"), this))
    , m_title(new QLabel(tr("Autoscaling"), this))
    , m_targets(new QLabel(this))
    , m_details(new QWidget(this))
    , m_min(new FigureBox(tr("Min"), m_details))
    , m_max(new FigureBox(tr("Max"), m_details))
    , m_current(new FigureBox(tr("Current"), m_details))
    , m_desired(new FigureBox(tr("Desired"), m_details))
    , m_metricsGrid(new QGridLayout)
    , m_conditions(new QLabel(m_details))
    , m_placeholder(new QLabel(this))
    , m_chart(new HpaChart(this)) {
    setObjectName(QStringLiteral("hpaPanel"));
    setFrameShape(QFrame::StyledPanel);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_targets->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_targets->setWordWrap(true);
    m_targets->setToolTip(tr("TARGETS as kubectl get hpa prints it."));

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_dot);
    titleRow->addWidget(m_title, 1);

    auto *figures = new QHBoxLayout;
    figures->setSpacing(4);
    for (FigureBox *box : {m_min, m_max, m_current, m_desired})
        figures->addWidget(box);
    m_min->setToolTip(tr("spec.minReplicas: the autoscaler never goes below this."));
    m_max->setToolTip(tr("spec.maxReplicas: the autoscaler never goes above this."));
    m_current->setToolTip(tr("status.currentReplicas: pods the autoscaler last saw."));
    m_desired->setToolTip(tr("status.desiredReplicas: what the autoscaler asks for now."));

    m_metricsGrid->setHorizontalSpacing(8);
    m_metricsGrid->setVerticalSpacing(4);
    m_metricsGrid->setColumnStretch(1, 1);
    m_conditions->setWordWrap(true);
    m_conditions->setTextFormat(Qt::RichText);

    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(0, 0, 0, 0);
    details->addLayout(figures);
    details->addLayout(m_metricsGrid);
    details->addWidget(m_conditions);

    m_placeholder->setWordWrap(true);
    m_placeholder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_placeholder->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(6);
    layout->addLayout(titleRow);
    layout->addWidget(m_targets);
    layout->addWidget(m_details);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_chart, 1);
    m_details->hide();
    applyColours();
}

void HpaPanel::setAutoscalers(const QList<HpaSummary> &autoscalers, const QString &deployment) {
    m_hasHpa = !autoscalers.isEmpty();
    m_details->setVisible(m_hasHpa);
    m_placeholder->setVisible(!m_hasHpa);
    if (!m_hasHpa) {
        m_hpa = HpaSummary{};
        m_title->setText(tr("Autoscaling"));
        m_targets->clear();
        m_maxReplicas = 0;
        m_cpuTarget.reset();
        m_placeholder->setText(
            tr("No HorizontalPodAutoscaler scales the Deployment \"%1\", so its replica count only "
               "changes when someone scales it. To add one: kubectl apply -f "
               "manifests/k8s/hpa.yaml")
                .arg(deployment));
        applyColours();
        return;
    }
    const HpaSummary &hpa = autoscalers.first();
    m_hpa = hpa;
    m_title->setText(autoscalers.size() == 1
                         ? tr("Autoscaler %1").arg(hpa.name)
                         : tr("Autoscaler %1 (and %n more targeting the same Deployment)", nullptr,
                              int(autoscalers.size() - 1))
                               .arg(hpa.name));
    m_title->setToolTip(hpa.healthReason);
    m_targets->setText(hpa.targets);
    m_min->setValue(hpa.minReplicasText);
    m_max->setValue(QString::number(hpa.maxReplicas));
    m_current->setValue(QString::number(hpa.currentReplicas));
    const bool atMax = hpa.desiredReplicas >= hpa.maxReplicas && hpa.maxReplicas > 0;
    m_desired->setValue(QString::number(hpa.desiredReplicas),
                        atMax ? std::optional<Health>(Health::Warning) : std::nullopt);
    m_desired->setToolTip(atMax ? tr("The autoscaler wants the maximum: it cannot add more pods.")
                                : tr("status.desiredReplicas: what the autoscaler asks for now."));
    m_maxReplicas = hpa.maxReplicas;
    m_cpuTarget = cpuTargetOf(hpa);
    showMetrics(hpa.metrics);

    QStringList parts;
    QStringList tips;
    for (const Condition &c : hpa.conditions) {
        const QString text = tr("%1: %2 (%3)").arg(c.type, c.status, c.reason);
        parts << (c.isTrue() ? text.toHtmlEscaped()
                             : QStringLiteral("<span style=\"color:%1\">%2</span>")
                                   .arg(healthAccent(Health::Warning, palette()).name(),
                                        text.toHtmlEscaped()));
        if (!c.message.isEmpty())
            tips << QStringLiteral("%1: %2").arg(c.type, c.message);
    }
    m_conditions->setText(
        parts.isEmpty() ? tr("The autoscaler has not reported conditions yet.").toHtmlEscaped()
                        : parts.join(QStringLiteral("<br>")));
    m_conditions->setToolTip(tips.join(u'\n'));
    applyColours();
}

void HpaPanel::showMetrics(const QList<HpaMetric> &metrics) {
    while (m_metricRows.size() > metrics.size()) {
        const MetricRow row = m_metricRows.takeLast();
        delete row.name;
        delete row.bar;
        delete row.value;
    }
    while (m_metricRows.size() < metrics.size()) {
        const int r = int(m_metricRows.size());
        MetricRow row{new QLabel(m_details), new MetricBar(m_details), new QLabel(m_details)};
        row.value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_metricsGrid->addWidget(row.name, r, 0);
        m_metricsGrid->addWidget(row.bar, r, 1);
        m_metricsGrid->addWidget(row.value, r, 2);
        m_metricRows << row;
    }
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        const HpaMetric &m = metrics[i];
        const MetricRow &row = m_metricRows[i];
        const QString name =
            m.container.isEmpty() ? m.name : tr("%1 (container %2)").arg(m.name, m.container);
        row.name->setText(name);
        row.value->setText(tr("%1 now, target %2").arg(m.currentText, m.targetText));
        row.bar->setValues(m.current, m.target);
        const QString tip = tr("%1 metric %2: %3").arg(m.sourceType, m.name, m.text);
        row.name->setToolTip(tip);
        row.bar->setToolTip(tip);
    }
}

void HpaPanel::setHistory(const HpaHistory &history) {
    m_chart->setHistory(history, m_maxReplicas, m_cpuTarget);
}

QString HpaPanel::title() const {
    return m_title->text();
}

QString HpaPanel::targetsText() const {
    return m_targets->text();
}

QString HpaPanel::figure(const QString &caption) const {
    for (const FigureBox *box : {m_min, m_max, m_current, m_desired}) {
        if (box->caption() == caption)
            return box->value();
    }
    return {};
}

QStringList HpaPanel::metricTexts() const {
    QStringList out;
    for (const MetricRow &row : m_metricRows)
        out << QStringLiteral("%1: %2").arg(row.name->text(), row.value->text());
    return out;
}

QString HpaPanel::conditionsText() const {
    QString plain = m_conditions->text();
    plain.replace(QStringLiteral("<br>"), QStringLiteral("\n"));
    return plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
}

QString HpaPanel::placeholderText() const {
    return m_placeholder->isHidden() ? QString() : m_placeholder->text();
}

void HpaPanel::changeEvent(QEvent *event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

void HpaPanel::applyColours() {
    QPalette dot = m_dot->palette();
    dot.setColor(QPalette::WindowText,
                 m_hasHpa ? healthAccent(m_hpa.health, palette()) : secondaryText(palette()));
    m_dot->setPalette(dot);
    QPalette dim = m_targets->palette();
    dim.setColor(QPalette::WindowText, secondaryText(palette()));
    m_targets->setPalette(dim);
    m_placeholder->setPalette(dim);
}

} // namespace dashboard
