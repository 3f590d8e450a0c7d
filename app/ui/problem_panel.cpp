#include "ui/problem_panel.h"

#include "ui/status_palette.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace dashboard {

ProblemPanel::ProblemPanel(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(QStringLiteral("⚠"), this))
    , m_title(new QLabel(this))
    , m_details(new QLabel(this))
    , m_todo(new QLabel(this))
    , m_retrying(new QLabel(
          tr("The dashboard keeps checking and shows the workload as soon as it can."), this))
    , m_retry(new QPushButton(tr("Try again"), this))
    , m_choose(new QPushButton(tr("Choose a kubeconfig file…"), this)) {
    setObjectName(QStringLiteral("problemPanel"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    QFont icon = big;
    icon.setPointSizeF(big.pointSizeF() * 1.6);
    m_icon->setFont(icon);
    m_icon->setAlignment(Qt::AlignTop);
    for (QLabel *label : {m_title, m_details, m_todo, m_retrying}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setMargin(8);
    m_details->setAutoFillBackground(true);
    m_retry->setToolTip(tr("Load the kubeconfig again and reconnect (F5)."));

    auto *text = new QVBoxLayout;
    text->setSpacing(10);
    text->addWidget(m_title);
    text->addWidget(m_details);
    text->addWidget(m_todo);
    text->addWidget(m_retrying);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_choose);
    buttons->addStretch(1);
    text->addLayout(buttons);
    text->addStretch(1);

    auto *row = new QHBoxLayout;
    row->setSpacing(16);
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addLayout(text, 1);

    // Centred, at a readable line length even on a 1920 px wide window.
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 32, 24, 24);
    outer->addStretch(1);
    outer->addLayout(row, 6);
    outer->addStretch(1);

    connect(m_retry, &QPushButton::clicked, this, &ProblemPanel::retryRequested);
    connect(m_choose, &QPushButton::clicked, this, &ProblemPanel::chooseKubeconfigRequested);
    applyColours();
}

void ProblemPanel::setProblem(const WindowProblem &problem) {
    m_problem = problem;
    m_title->setText(problem.title);
    m_details->setText(problem.details);
    m_details->setVisible(!problem.details.isEmpty());
    m_todo->setText(problem.todo);
    m_retrying->setVisible(problem.resolvesItself());
    const bool kubeconfig = problem.kind == WindowProblem::Kind::NoKubeconfig ||
                            problem.kind == WindowProblem::Kind::BrokenKubeconfig;
    m_choose->setVisible(kubeconfig);
}

QString ProblemPanel::text() const {
    QStringList parts{m_problem.title, m_problem.details, m_problem.todo};
    parts.removeAll(QString());
    return parts.join(u'\n');
}

void ProblemPanel::changeEvent(QEvent *event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

void ProblemPanel::applyColours() {
    QPalette icon = m_icon->palette();
    icon.setColor(QPalette::WindowText, healthAccent(Health::Failed, palette()));
    m_icon->setPalette(icon);
    QPalette details = m_details->palette();
    details.setColor(QPalette::Window, blend(palette().color(QPalette::Window),
                                             palette().color(QPalette::WindowText), 0.07));
    m_details->setPalette(details);
    QPalette dim = m_retrying->palette();
    dim.setColor(QPalette::WindowText, secondaryText(palette()));
    m_retrying->setPalette(dim);
}

} // namespace dashboard
