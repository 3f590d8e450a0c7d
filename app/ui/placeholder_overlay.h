#pragma once
// Text over an item view that is empty, saying why ("No pod matches …", "The Deployment is
// scaled to zero …"), so an empty table is never left without an explanation. It sits on the
// view's viewport, follows its size, and lets clicks through.

#include <QLabel>

class QAbstractItemView;

namespace dashboard {

class PlaceholderOverlay final : public QLabel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaceholderOverlay)

public:
    explicit PlaceholderOverlay(QAbstractItemView *view);

    // Empty text hides the overlay.
    void setMessage(const QString &text);
    QString message() const { return isHidden() ? QString() : text(); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void follow();
    void applyColours();

    QAbstractItemView *m_view;
};

} // namespace dashboard
