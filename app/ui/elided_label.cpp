#include "ui/elided_label.h"

#include <QEvent>

namespace dashboard {

ElidedLabel::ElidedLabel(QWidget *parent, Qt::TextElideMode mode)
    : QLabel(parent)
    , m_mode(mode) {
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void ElidedLabel::setFullText(const QString &text) {
    if (text == m_full && !text.isEmpty())
        return;
    m_full = text;
    setToolTip(text);
    updateGeometry();
    updateElided();
}

QSize ElidedLabel::minimumSizeHint() const {
    const QSize hint = QLabel::minimumSizeHint();
    return {fontMetrics().horizontalAdvance(QStringLiteral("xxxxxx…")), hint.height()};
}

QSize ElidedLabel::sizeHint() const {
    const QSize hint = QLabel::sizeHint();
    const QMargins m = contentsMargins();
    return {fontMetrics().horizontalAdvance(m_full) + m.left() + m.right() + 2 * margin() + 4,
            hint.height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event) {
    QLabel::resizeEvent(event);
    updateElided();
}

void ElidedLabel::changeEvent(QEvent *event) {
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateElided();
}

void ElidedLabel::updateElided() {
    const int width = contentsRect().width() - 2 * margin();
    setText(fontMetrics().elidedText(m_full, m_mode, std::max(width, 0)));
}

} // namespace dashboard
