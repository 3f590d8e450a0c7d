#pragma once
// status.conditions entries of Deployments, Pods and HPAs, read into values.

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace dashboard {

struct Condition {
    QString type;
    QString status; // "True", "False", "Unknown"
    QString reason;
    QString message;
    QDateTime lastUpdateTime; // deployments only
    QDateTime lastTransitionTime;

    bool isTrue() const { return status == QLatin1String("True"); }
    bool isFalse() const { return status == QLatin1String("False"); }
};

QList<Condition> readConditions(const QJsonArray &conditions);
// The condition of that type; nullptr when absent.
const Condition *findCondition(const QList<Condition> &conditions, QStringView type);

} // namespace dashboard
