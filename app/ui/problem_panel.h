#pragma once
// What the window shows instead of the workload when there is nothing to show: a
// WindowProblem's title, the error as reported, and what to do, with a button to try again
// (and, for kubeconfig problems, to pick another file). Colours come from the palette.

#include "ui/window_problem.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace dashboard {

class ProblemPanel final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemPanel)

public:
    explicit ProblemPanel(QWidget *parent = nullptr);

    void setProblem(const WindowProblem &problem);
    const WindowProblem &problem() const { return m_problem; }
    QString text() const; // title, details and what to do, as shown

Q_SIGNALS:
    void retryRequested();
    void chooseKubeconfigRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    WindowProblem m_problem;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_details;
    QLabel *m_todo;
    QLabel *m_retrying;
    QPushButton *m_retry;
    QPushButton *m_choose;
};

} // namespace dashboard
