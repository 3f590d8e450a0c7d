#pragma once
// The strip under the connection bar that says the live view is not live: the connection to
// the cluster is lost (with the reason the informers report), the dashboard reconnects by
// itself, and when the data shown was last confirmed. Hidden while connected.

#include <QDateTime>
#include <QFrame>

class QLabel;
class QPushButton;

namespace dashboard {

class Banner final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Banner)

public:
    explicit Banner(QWidget *parent = nullptr);

    // Shows the banner for a lost connection; `lastUpdate` invalid when nothing was shown yet.
    void showDisconnected(const QString &reason, const QDateTime &lastUpdate);
    void clear();

    bool isShown() const { return !isHidden(); }
    QString title() const;
    QString reason() const;

Q_SIGNALS:
    void retryRequested();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_title;
    QLabel *m_reason;
    QPushButton *m_retry;
};

} // namespace dashboard
