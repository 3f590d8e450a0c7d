#include "core/domain/health.h"

namespace dashboard {

QString healthName(Health health) {
    switch (health) {
    case Health::Healthy:
        return QStringLiteral("Healthy");
    case Health::Progressing:
        return QStringLiteral("Progressing");
    case Health::Warning:
        return QStringLiteral("Warning");
    case Health::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

} // namespace dashboard
