#include "core/domain/condition.h"

#include "core/domain/kube_json.h"

#include <QJsonObject>

namespace dashboard {

QList<Condition> readConditions(const QJsonArray &conditions) {
    QList<Condition> out;
    out.reserve(conditions.size());
    for (const QJsonValue &value : conditions) {
        const QJsonObject c = value.toObject();
        Condition condition;
        condition.type = c.value(QLatin1String("type")).toString();
        condition.status = c.value(QLatin1String("status")).toString();
        condition.reason = c.value(QLatin1String("reason")).toString();
        condition.message = c.value(QLatin1String("message")).toString();
        condition.lastUpdateTime = kube_json::timestamp(c, u"lastUpdateTime");
        condition.lastTransitionTime = kube_json::timestamp(c, u"lastTransitionTime");
        out << condition;
    }
    return out;
}

const Condition *findCondition(const QList<Condition> &conditions, QStringView type) {
    for (const Condition &c : conditions) {
        if (c.type == type)
            return &c;
    }
    return nullptr;
}

} // namespace dashboard
