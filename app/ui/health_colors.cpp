#include "ui/health_colors.h"

#include <QBrush>
#include <QColor>

namespace dashboard {

QVariant healthBackground(Health health) {
    switch (health) {
    case Health::Failed:
        return QBrush(QColor(220, 50, 47, 64));
    case Health::Warning:
        return QBrush(QColor(230, 160, 0, 64));
    case Health::Progressing:
    case Health::Healthy:
        break;
    }
    return {};
}

QVariant healthForeground(Health health) {
    switch (health) {
    case Health::Failed:
        return QBrush(QColor(230, 60, 55));
    case Health::Warning:
        return QBrush(QColor(215, 140, 0));
    case Health::Progressing:
    case Health::Healthy:
        break;
    }
    return {};
}

} // namespace dashboard
