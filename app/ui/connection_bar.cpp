#include "ui/connection_bar.h"

#include "ui/elided_label.h"
#include "ui/status_palette.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace dashboard {

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
    , m_context(new QComboBox(this))
    , m_namespace(new QLineEdit(this))
    , m_deployment(new QLineEdit(this))
    , m_dot(new QLabel(this))
    , m_stateLabel(new ElidedLabel(this)) {
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);

    auto *contextLabel = new QLabel(tr("C&ontext:"), this);
    contextLabel->setBuddy(m_context);
    m_context->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_context->setMinimumContentsLength(12);
    m_context->setToolTip(tr("The kubeconfig context to connect with (Ctrl+K)."));
    auto *namespaceLabel = new QLabel(tr("&Namespace:"), this);
    namespaceLabel->setBuddy(m_namespace);
    m_namespace->setToolTip(tr("The namespace of the workload. Press Enter to apply (Ctrl+L)."));
    m_namespace->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 28);
    auto *deploymentLabel = new QLabel(tr("&Deployment:"), this);
    deploymentLabel->setBuddy(m_deployment);
    m_deployment->setToolTip(tr("The Deployment to watch. Press Enter to apply."));
    m_deployment->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 32);

    m_dot->setText(QStringLiteral("●"));
    m_stateLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 20);

    layout->addWidget(contextLabel);
    layout->addWidget(m_context);
    layout->addSpacing(12);
    layout->addWidget(namespaceLabel);
    layout->addWidget(m_namespace, 1);
    layout->addSpacing(12);
    layout->addWidget(deploymentLabel);
    layout->addWidget(m_deployment, 1);
    layout->addSpacing(16);
    layout->addWidget(m_dot);
    layout->addWidget(m_stateLabel, 3);

    connect(m_context, &QComboBox::activated, this,
            [this](int index) { Q_EMIT contextChosen(m_context->itemText(index)); });
    connect(m_namespace, &QLineEdit::returnPressed, this, [this] {
        const QString value = m_namespace->text().trimmed();
        if (value != m_appliedNamespace) {
            m_appliedNamespace = value;
            Q_EMIT namespaceChosen(value);
        }
    });
    connect(m_deployment, &QLineEdit::returnPressed, this, [this] {
        const QString value = m_deployment->text().trimmed();
        if (!value.isEmpty() && value != m_appliedDeployment) {
            m_appliedDeployment = value;
            Q_EMIT deploymentChosen(value);
        }
    });
    setState(State::NotConfigured, {});
}

void ConnectionBar::setContexts(const QStringList &contexts, const QString &current) {
    const QSignalBlocker blocker(m_context);
    m_context->clear();
    m_context->addItems(contexts);
    if (!current.isEmpty() && !contexts.contains(current))
        m_context->addItem(current); // named on the command line but not in the file: shown anyway
    m_context->setCurrentText(current);
    m_context->setEnabled(m_context->count() > 0);
}

void ConnectionBar::setNamespace(const QString &namespaceName, const QString &contextDefault) {
    m_appliedNamespace = namespaceName;
    m_namespace->setText(namespaceName);
    m_namespace->setPlaceholderText(contextDefault);
}

void ConnectionBar::setDeployment(const QString &deployment) {
    m_appliedDeployment = deployment;
    m_deployment->setText(deployment);
}

void ConnectionBar::setState(State state, const QString &server, const QString &reason) {
    m_state = state;
    QString text;
    switch (state) {
    case State::NotConfigured:
        text = tr("Not connected.");
        break;
    case State::Connecting:
        text = tr("Connecting to %1…").arg(server);
        break;
    case State::Connected:
        text = tr("Connected to %1.").arg(server);
        break;
    case State::Reconnecting:
        text = tr("Connection to %1 lost, reconnecting: %2").arg(server, reason);
        break;
    case State::Failed:
        text = tr("Cannot show the workload: %1").arg(reason);
        break;
    }
    m_stateLabel->setFullText(text);
    applyStateColour();
}

QString ConnectionBar::context() const {
    return m_context->currentText();
}

QString ConnectionBar::namespaceName() const {
    return m_namespace->text().trimmed();
}

QString ConnectionBar::deployment() const {
    return m_deployment->text().trimmed();
}

QString ConnectionBar::stateText() const {
    return m_stateLabel->fullText();
}

void ConnectionBar::focusContextPicker() {
    m_context->setFocus(Qt::ShortcutFocusReason);
    if (m_context->isEnabled())
        m_context->showPopup();
}

void ConnectionBar::focusNamespace() {
    m_namespace->setFocus(Qt::ShortcutFocusReason);
    m_namespace->selectAll();
}

void ConnectionBar::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyStateColour();
}

void ConnectionBar::applyStateColour() {
    Health health = Health::Progressing;
    switch (m_state) {
    case State::Connected:
        health = Health::Healthy;
        break;
    case State::Connecting:
        health = Health::Progressing;
        break;
    case State::Reconnecting:
        health = Health::Warning;
        break;
    case State::NotConfigured:
    case State::Failed:
        health = Health::Failed;
        break;
    }
    QPalette dot = m_dot->palette();
    dot.setColor(QPalette::WindowText, healthAccent(health, palette()));
    m_dot->setPalette(dot);
}

} // namespace dashboard
