#pragma once
// One HPA metric as a bar: how far the current value is towards (or past) its target, with a
// tick at the target. Above target the bar takes the warning colour: the autoscaler is about
// to add pods. Painted from the palette; the exact numbers are in the text beside it.

#include <QWidget>

#include <optional>

namespace dashboard {

class MetricBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricBar)

public:
    explicit MetricBar(QWidget *parent = nullptr);

    // Either may be missing (metrics not reported yet, or an <auto> target).
    void setValues(std::optional<double> current, std::optional<double> target);
    std::optional<double> current() const { return m_current; }
    std::optional<double> target() const { return m_target; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::optional<double> m_current;
    std::optional<double> m_target;
};

} // namespace dashboard
