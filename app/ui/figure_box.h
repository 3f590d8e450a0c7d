#pragma once
// One figure at a glance: a large number over a small caption ("3" over "Ready"). An
// optional state colours the number (e.g. fewer ready than desired); colours follow the
// palette and are recomputed when it changes (light/dark switch at runtime).

#include "core/domain/health.h"

#include <QFrame>

#include <optional>

class QLabel;

namespace dashboard {

class FigureBox final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FigureBox)

public:
    explicit FigureBox(const QString &caption, QWidget *parent = nullptr);

    void setValue(const QString &value, std::optional<Health> state = std::nullopt);
    QString value() const;
    QString caption() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QLabel *m_value;
    QLabel *m_caption;
    std::optional<Health> m_state;
};

} // namespace dashboard
