#include "ui/figure_box.h"

#include "ui/status_palette.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace dashboard {

FigureBox::FigureBox(const QString &caption, QWidget *parent)
    : QFrame(parent)
    , m_value(new QLabel(QStringLiteral("–"), this))
    , m_caption(new QLabel(caption, this)) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->setSpacing(0);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setBold(true);
    m_value->setFont(big);
    m_value->setAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    m_caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    layout->addWidget(m_value);
    layout->addWidget(m_caption);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    applyColours();
}

void FigureBox::setValue(const QString &value, std::optional<Health> state) {
    m_value->setText(value);
    if (state != m_state) {
        m_state = state;
        applyColours();
    }
}

QString FigureBox::value() const {
    return m_value->text();
}

QString FigureBox::caption() const {
    return m_caption->text();
}

void FigureBox::changeEvent(QEvent *event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

void FigureBox::applyColours() {
    // Set on the labels, not on this frame: a palette set here would trigger PaletteChange
    // again and would also override the application palette for the children.
    QPalette valuePalette = m_value->palette();
    valuePalette.setColor(QPalette::WindowText, m_state ? healthAccent(*m_state, palette())
                                                        : palette().color(QPalette::WindowText));
    m_value->setPalette(valuePalette);
    QPalette captionPalette = m_caption->palette();
    captionPalette.setColor(QPalette::WindowText, secondaryText(palette()));
    m_caption->setPalette(captionPalette);
}

} // namespace dashboard
