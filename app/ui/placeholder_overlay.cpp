#include "ui/placeholder_overlay.h"

#include "ui/status_palette.h"

#include <QAbstractItemView>
#include <QEvent>

namespace dashboard {

PlaceholderOverlay::PlaceholderOverlay(QAbstractItemView *view)
    : QLabel(view->viewport())
    , m_view(view) {
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setMargin(16);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    view->viewport()->installEventFilter(this);
    applyColours();
    hide();
}

void PlaceholderOverlay::setMessage(const QString &text) {
    if (text.isEmpty()) {
        hide();
        return;
    }
    setText(text);
    follow();
    show();
    raise();
}

bool PlaceholderOverlay::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        follow();
    return QLabel::eventFilter(watched, event);
}

void PlaceholderOverlay::changeEvent(QEvent *event) {
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

void PlaceholderOverlay::follow() {
    setGeometry(m_view->viewport()->rect());
}

void PlaceholderOverlay::applyColours() {
    // Derived from the view's palette (not ours, which carries the colour set here).
    const QColor colour = secondaryText(m_view->palette());
    if (palette().color(QPalette::WindowText) == colour)
        return;
    QPalette p = palette();
    p.setColor(QPalette::WindowText, colour);
    setPalette(p);
}

} // namespace dashboard
