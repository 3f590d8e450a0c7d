#include "ui/banner.h"

#include "ui/status_palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace dashboard {

Banner::Banner(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_retry(new QPushButton(tr("Reconnect now"), this)) {
    setObjectName(QStringLiteral("disconnectBanner"));
    auto *text = new QVBoxLayout;
    text->setSpacing(2);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->addWidget(m_title);
    text->addWidget(m_reason);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(14, 6, 10, 6);
    layout->addLayout(text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignVCenter);
    m_retry->setToolTip(
        tr("Reconnect at once instead of waiting for the next automatic attempt (F5)."));
    connect(m_retry, &QPushButton::clicked, this, &Banner::retryRequested);
    hide();
}

void Banner::showDisconnected(const QString &reason, const QDateTime &lastUpdate) {
    if (lastUpdate.isValid())
        m_title->setText(
            tr("Not connected to the cluster. The dashboard reconnects automatically; "
               "the data below was last updated at %1.")
                .arg(QLocale().toString(lastUpdate.toLocalTime().time(), QLocale::LongFormat)));
    else
        m_title->setText(
            tr("Not connected to the cluster. The dashboard reconnects automatically."));
    m_reason->setText(reason.isEmpty() ? tr("The server did not say why.") : reason);
    show();
}

void Banner::clear() {
    hide();
    m_title->clear();
    m_reason->clear();
}

QString Banner::title() const {
    return m_title->text();
}

QString Banner::reason() const {
    return m_reason->text();
}

void Banner::paintEvent(QPaintEvent *event) {
    // Painted rather than set as a palette: the tint follows the theme's current window
    // colour, and the text keeps the theme's own colour.
    QPainter painter(this);
    painter.fillRect(rect(), healthTint(Health::Failed, palette(), 0.2));
    painter.fillRect(QRect(0, 0, 4, height()), healthAccent(Health::Failed, palette()));
    QFrame::paintEvent(event);
}

} // namespace dashboard
