#include "ui/hpa_chart.h"

#include "ui/hpa_history.h"
#include "ui/status_palette.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace dashboard {

namespace {

constexpr qint64 kMinimumSpanMs = 2 * 60 * 1000;

QList<QPointF> steps(const QList<QPointF> &points) {
    // A replica count holds until the next sample: draw it as a staircase.
    QList<QPointF> out;
    out.reserve(points.size() * 2);
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (i > 0)
            out.append(QPointF(points[i].x(), points[i - 1].y()));
        out.append(points[i]);
    }
    return out;
}

QColor cpuColour(const QPalette &palette) {
    return isDarkPalette(palette) ? QColor(0xff, 0xa6, 0x57) : QColor(0xc4, 0x5a, 0x00);
}

} // namespace

HpaChart::HpaChart(QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
    , m_time(new QDateTimeAxis(m_chart))
    , m_replicaAxis(new QValueAxis(m_chart))
    , m_cpuAxis(new QValueAxis(m_chart))
    , m_cpuTarget(new QLineSeries(m_chart)) {
    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_replicaAxis, Qt::AlignLeft);
    m_chart->addAxis(m_cpuAxis, Qt::AlignRight);
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTickCount(5);
    m_replicaAxis->setLabelFormat(QStringLiteral("%d"));
    m_replicaAxis->setTitleText(tr("Replicas"));
    // A narrow panel makes QtCharts elide short numbers to "…"; they always fit as they are.
    for (QAbstractAxis *axis : m_chart->axes())
        axis->setTruncateLabels(false);
    m_cpuAxis->setLabelFormat(QStringLiteral("%d%%"));
    m_cpuAxis->setTitleText(tr("CPU"));
    m_replicaAxis->setRange(0, 4);
    m_cpuAxis->setRange(0, 100);

    // Created in legend order: replicas, CPU, then the CPU target.
    m_replicas << makeSeries(tr("Replicas"), m_replicaAxis);
    m_cpu << makeSeries(tr("CPU utilization"), m_cpuAxis);
    m_cpuTarget->setName(tr("CPU target"));
    m_chart->addSeries(m_cpuTarget);
    m_cpuTarget->attachAxis(m_time);
    m_cpuTarget->attachAxis(m_cpuAxis);
    m_cpuTarget->setVisible(false);
    const QDateTime now = QDateTime::currentDateTime();
    m_time->setRange(now, now.addMSecs(kMinimumSpanMs));
    applyPalette();
}

QLineSeries *HpaChart::makeSeries(const QString &name, QValueAxis *axis) {
    auto *series = new QLineSeries(m_chart);
    series->setName(name);
    m_chart->addSeries(series);
    series->attachAxis(m_time);
    series->attachAxis(axis);
    return series;
}

void HpaChart::setSegments(QList<QLineSeries *> &series, const QList<QList<QPointF>> &segments,
                           const QString &name, QValueAxis *axis, bool asSteps) {
    // One series per unbroken run; the legend names only the first.
    while (series.size() < std::max<qsizetype>(segments.size(), 1)) {
        QLineSeries *extra = makeSeries(name, axis);
        extra->setPen(series.first()->pen());
        for (QLegendMarker *marker : m_chart->legend()->markers(extra))
            marker->setVisible(false);
        series << extra;
    }
    for (qsizetype i = 0; i < series.size(); ++i) {
        const QList<QPointF> points = i < segments.size() ? segments[i] : QList<QPointF>();
        series[i]->replace(asSteps ? steps(points) : points);
    }
}

void HpaChart::setHistory(const HpaHistory &history, int maxReplicas,
                          std::optional<double> cpuTarget) {
    setSegments(m_replicas, history.replicaSegments(), tr("Replicas"), m_replicaAxis, true);
    setSegments(m_cpu, history.cpuSegments(), tr("CPU utilization"), m_cpuAxis, false);

    const QDateTime first = history.isEmpty() ? QDateTime::currentDateTime() : history.firstTime();
    QDateTime last = history.isEmpty() ? first : history.lastTime();
    if (first.msecsTo(last) < kMinimumSpanMs)
        last = first.addMSecs(kMinimumSpanMs);
    m_time->setRange(first.toLocalTime(), last.toLocalTime());
    m_time->setFormat(first.msecsTo(last) < 10 * 60 * 1000 ? QStringLiteral("HH:mm:ss")
                                                           : QStringLiteral("HH:mm"));

    const int top = std::max({maxReplicas, history.maxReplicas(), 1}) + 1;
    m_replicaAxis->setRange(0, top);
    m_replicaAxis->setTickCount(std::min(top, 6) + 1);
    if (top > 6)
        m_replicaAxis->setRange(0, std::ceil(top / 6.0) * 6);
    m_replicaAxis->setLabelFormat(QStringLiteral("%d"));

    const double cpuTop =
        std::max({100.0, cpuTarget.value_or(0) * 1.3, history.maxCpuPercent() * 1.1});
    m_cpuAxis->setRange(0, std::ceil(cpuTop / 20.0) * 20.0);
    m_cpuAxis->setTickCount(6);

    if (cpuTarget) {
        m_cpuTarget->replace({QPointF(double(first.toMSecsSinceEpoch()), *cpuTarget),
                              QPointF(double(last.toMSecsSinceEpoch()), *cpuTarget)});
    }
    m_cpuTarget->setVisible(cpuTarget.has_value());
    for (QLegendMarker *marker : m_chart->legend()->markers(m_cpuTarget))
        marker->setVisible(cpuTarget.has_value());
}

int HpaChart::replicaPointCount() const {
    int n = 0;
    for (const QLineSeries *s : m_replicas)
        n += int(s->count());
    return n;
}

int HpaChart::cpuPointCount() const {
    int n = 0;
    for (const QLineSeries *s : m_cpu)
        n += int(s->count());
    return n;
}

void HpaChart::changeEvent(QEvent *event) {
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void HpaChart::applyPalette() {
    const QPalette &p = palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor grid = blend(p.color(QPalette::Base), text, 0.15);
    m_chart->setBackgroundBrush(p.color(QPalette::Base));
    m_chart->setPlotAreaBackgroundVisible(false);
    setBackgroundBrush(p.color(QPalette::Window));
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : m_chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        axis->setMinorGridLineColor(grid);
    }
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    for (QAbstractAxis *axis : m_chart->axes()) {
        axis->setLabelsFont(small);
        axis->setTitleFont(small);
    }
    m_chart->legend()->setFont(small);

    QPen replicas(p.color(QPalette::Highlight), 2.5);
    for (QLineSeries *s : m_replicas)
        s->setPen(replicas);
    QPen cpu(cpuColour(p), 2);
    for (QLineSeries *s : m_cpu)
        s->setPen(cpu);
    QPen target(cpuColour(p), 1.2, Qt::DashLine);
    m_cpuTarget->setPen(target);
}

} // namespace dashboard
