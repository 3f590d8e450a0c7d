#include "ui/metric_bar.h"

#include "ui/status_palette.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace dashboard {

MetricBar::MetricBar(QWidget *parent)
    : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void MetricBar::setValues(std::optional<double> current, std::optional<double> target) {
    if (current == m_current && target == m_target)
        return;
    m_current = current;
    m_target = target;
    update();
}

QSize MetricBar::sizeHint() const {
    return {160, fontMetrics().height() * 3 / 4};
}

QSize MetricBar::minimumSizeHint() const {
    return {60, fontMetrics().height() * 3 / 4};
}

void MetricBar::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &p = palette();
    const QRectF track = QRectF(rect()).adjusted(1, 2, -1, -2);
    const double radius = track.height() / 2;
    QPainterPath trackPath;
    trackPath.addRoundedRect(track, radius, radius);
    painter.fillPath(trackPath,
                     blend(p.color(QPalette::Window), p.color(QPalette::WindowText), 0.12));

    // The scale shows the target at two thirds, or the current value when it is far beyond.
    const double target = m_target.value_or(0);
    const double scale = std::max({target * 1.5, m_current.value_or(0) * 1.05, 1.0});
    if (m_current) {
        const double fraction = std::clamp(*m_current / scale, 0.0, 1.0);
        const bool over = m_target && *m_current > target;
        QRectF fill = track;
        fill.setWidth(std::max(track.width() * fraction, track.height()));
        QPainterPath fillPath;
        fillPath.addRoundedRect(fill, radius, radius);
        painter.fillPath(fillPath,
                         over ? healthAccent(Health::Warning, p) : p.color(QPalette::Highlight));
    }
    if (m_target) {
        const double x = track.left() + track.width() * std::clamp(target / scale, 0.0, 1.0);
        painter.setPen(QPen(p.color(QPalette::WindowText), 2));
        painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    }
}

} // namespace dashboard
