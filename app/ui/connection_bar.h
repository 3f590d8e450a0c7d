#pragma once
// The top bar: which cluster and workload the window shows, and whether it is live. A context
// picker (the kubeconfig's contexts), the namespace and the Deployment name (editable: Enter
// applies), and the connection state with the reason when something is wrong. It only
// reports the user's choices; the window reconnects.

#include "core/domain/health.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace dashboard {

class ElidedLabel;

class ConnectionBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBar)

public:
    enum class State { NotConfigured, Connecting, Connected, Reconnecting, Failed };

    explicit ConnectionBar(QWidget *parent = nullptr);

    // `current` is selected; an empty list disables the picker.
    void setContexts(const QStringList &contexts, const QString &current);
    // The namespace in use; `contextDefault` is what the context says (shown as placeholder).
    void setNamespace(const QString &namespaceName, const QString &contextDefault);
    void setDeployment(const QString &deployment);
    void setState(State state, const QString &server, const QString &reason = {});

    QString context() const;
    QString namespaceName() const;
    QString deployment() const;
    State state() const { return m_state; }
    QString stateText() const;

    void focusContextPicker(); // opens the picker's list, for the keyboard shortcut
    void focusNamespace();

Q_SIGNALS:
    void contextChosen(const QString &context);
    void namespaceChosen(const QString &namespaceName);
    void deploymentChosen(const QString &deployment);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyStateColour();

    QComboBox *m_context;
    QLineEdit *m_namespace;
    QLineEdit *m_deployment;
    QLabel *m_dot;
    ElidedLabel *m_stateLabel;
    State m_state = State::NotConfigured;
    QString m_appliedNamespace;
    QString m_appliedDeployment;
};

} // namespace dashboard
