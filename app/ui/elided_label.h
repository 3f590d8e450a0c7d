#pragma once
// A one-line label that elides its text to the width it gets (the full text is the tooltip),
// so long server URLs, image references and error reasons never widen the window or get cut
// mid-letter at 1280 px.

#include <QLabel>

namespace dashboard {

class ElidedLabel final : public QLabel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLabel)

public:
    explicit ElidedLabel(QWidget *parent = nullptr, Qt::TextElideMode mode = Qt::ElideRight);

    void setFullText(const QString &text);
    QString fullText() const { return m_full; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateElided();

    QString m_full;
    Qt::TextElideMode m_mode;
};

} // namespace dashboard
