#include "core/domain/hpa_summary.h"

#include "core/domain/human_duration.h"
#include "core/domain/kube_json.h"
#include "core/domain/quantity.h"
#include "core/translate.h"

#include <QJsonArray>

namespace dashboard {

namespace kj = kube_json;

namespace {

const QString kUnknown = QStringLiteral("<unknown>");

// autoscaling/v2 defaulting: no metrics means average CPU utilization of 80%.
QJsonArray specMetrics(const QJsonObject &hpa) {
    QJsonArray metrics = kj::array(hpa, u"spec.metrics");
    if (metrics.isEmpty()) {
        metrics.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("Resource")},
            {QStringLiteral("resource"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("cpu")},
                         {QStringLiteral("target"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("Utilization")},
                                      {QStringLiteral("averageUtilization"), 80}}}}}});
    }
    return metrics;
}

// Quantities come as strings ("230m"), occasionally as JSON numbers from hand-written objects.
QString quantityText(const QJsonValue &value) {
    if (value.isString())
        return canonicalQuantity(value.toString());
    if (value.isDouble())
        return canonicalQuantity(QString::number(value.toDouble(), 'g', 15));
    return {};
}

std::optional<double> quantityNumber(const QJsonValue &value) {
    if (value.isDouble())
        return value.toDouble();
    if (const std::optional<Quantity> q = Quantity::parse(value.toString()))
        return q->toDouble();
    return std::nullopt;
}

// Fills current/target for one source ("resource", "pods", ...) following formatHPAMetrics.
void describe(HpaMetric &m, const QJsonObject &target, const QJsonObject &status, bool hasStatus,
              bool namePrefix) {
    const QJsonObject current = status.value(QLatin1String("current")).toObject();
    const bool byAverageValue = target.contains(QLatin1String("averageValue"));
    const bool utilization = !byAverageValue && namePrefix; // Resource kinds only
    if (utilization) {
        m.targetType = QStringLiteral("Utilization");
        m.currentText = kUnknown;
        if (hasStatus && current.contains(QLatin1String("averageUtilization"))) {
            const int value = current.value(QLatin1String("averageUtilization")).toInt();
            m.currentText = QStringLiteral("%1%").arg(value);
            m.current = value;
        }
        m.targetText = QStringLiteral("<auto>");
        if (target.contains(QLatin1String("averageUtilization"))) {
            const int value = target.value(QLatin1String("averageUtilization")).toInt();
            m.targetText = QStringLiteral("%1%").arg(value);
            m.target = value;
        }
    } else {
        const QLatin1String field =
            byAverageValue ? QLatin1String("averageValue") : QLatin1String("value");
        m.targetType = byAverageValue ? QStringLiteral("AverageValue") : QStringLiteral("Value");
        m.targetText = quantityText(target.value(field));
        m.target = quantityNumber(target.value(field));
        m.currentText = kUnknown;
        if (hasStatus && current.contains(field)) {
            m.currentText = quantityText(current.value(field));
            m.current = quantityNumber(current.value(field));
        }
    }
    const QString pair = m.currentText + u'/' + m.targetText;
    if (namePrefix)
        m.text = m.name + QStringLiteral(": ") + pair;
    else if (byAverageValue && m.sourceType != QLatin1String("Pods"))
        m.text = pair + QStringLiteral(" (avg)");
    else
        m.text = pair;
}

QList<HpaMetric> readMetrics(const QJsonObject &hpa) {
    const QJsonArray specs = specMetrics(hpa);
    const QJsonArray statuses = kj::array(hpa, u"status.currentMetrics");
    QList<HpaMetric> out;
    for (qsizetype i = 0; i < specs.size(); ++i) {
        const QJsonObject spec = specs[i].toObject();
        // Like kubectl, status i describes spec i, and only when it is of the same kind.
        const QJsonObject statusEntry =
            i < statuses.size() ? statuses[i].toObject() : QJsonObject{};
        HpaMetric m;
        m.sourceType = spec.value(QLatin1String("type")).toString();
        auto sourceOf = [](const QString &type) {
            QString key = type;
            if (!key.isEmpty())
                key[0] = key[0].toLower();
            return key; // "Resource" -> "resource", "ContainerResource" -> "containerResource"
        };
        const QString key = sourceOf(m.sourceType);
        const QJsonObject source = spec.value(key).toObject();
        const bool hasStatus = statusEntry.contains(key);
        const QJsonObject status = statusEntry.value(key).toObject();
        const QJsonObject target = source.value(QLatin1String("target")).toObject();
        if (m.sourceType == QLatin1String("Resource") ||
            m.sourceType == QLatin1String("ContainerResource")) {
            m.name = source.value(QLatin1String("name")).toString();
            m.container = source.value(QLatin1String("container")).toString();
            describe(m, target, status, hasStatus, true);
        } else if (m.sourceType == QLatin1String("Pods") ||
                   m.sourceType == QLatin1String("Object") ||
                   m.sourceType == QLatin1String("External")) {
            m.name = kj::string(source, u"metric.name");
            QJsonObject t = target;
            if (m.sourceType == QLatin1String("Pods") && !t.contains(QLatin1String("averageValue")))
                t.insert(QStringLiteral("averageValue"), QString()); // Pods targets are averages
            describe(m, t, status, hasStatus, false);
        } else {
            m.text = QStringLiteral("<unknown type>");
        }
        out << m;
    }
    return out;
}

QString joinTargets(const QList<HpaMetric> &metrics) {
    constexpr int kShown = 2;
    QStringList parts;
    for (int i = 0; i < metrics.size() && i < kShown; ++i)
        parts << metrics[i].text;
    QString text = parts.join(QStringLiteral(", "));
    if (metrics.size() > kShown)
        text += QStringLiteral(" + %1 more...").arg(metrics.size() - kShown);
    return text;
}

void classify(HpaSummary &h) {
    auto set = [&](Health health, QString why) {
        h.health = health;
        h.healthReason = std::move(why);
    };
    const Condition *able = findCondition(h.conditions, u"AbleToScale");
    const Condition *active = findCondition(h.conditions, u"ScalingActive");
    const Condition *limited = findCondition(h.conditions, u"ScalingLimited");
    if (able && able->isFalse())
        return set(Health::Failed, able->message.isEmpty() ? able->reason : able->message);
    if (active && active->isFalse())
        return set(Health::Warning, active->message.isEmpty() ? active->reason : active->message);
    // Held at maxReplicas (or by a scale-up limit) the load may outgrow the workload; resting
    // at minReplicas (TooFewReplicas) is the normal quiet state.
    if (limited && limited->isTrue() && limited->reason != QLatin1String("TooFewReplicas"))
        return set(Health::Warning,
                   limited->message.isEmpty() ? limited->reason : limited->message);
    if (h.conditions.isEmpty())
        return set(Health::Progressing, tr("waiting for the first metrics"));
    if (h.desiredReplicas != h.currentReplicas)
        return set(Health::Progressing,
                   tr("scaling from %1 to %2").arg(h.currentReplicas).arg(h.desiredReplicas));
    return set(Health::Healthy, tr("metrics within target"));
}

} // namespace

QString hpaTargets(const QJsonObject &hpa) {
    return joinTargets(readMetrics(hpa));
}

HpaSummary summarizeHpa(const QJsonObject &hpa, const QDateTime &now) {
    HpaSummary h;
    h.name = kj::string(hpa, u"metadata.name");
    h.namespaceName = kj::string(hpa, u"metadata.namespace");
    h.targetKind = kj::string(hpa, u"spec.scaleTargetRef.kind");
    h.targetName = kj::string(hpa, u"spec.scaleTargetRef.name");
    h.reference = h.targetKind + u'/' + h.targetName;
    h.metrics = readMetrics(hpa);
    h.targets = joinTargets(h.metrics);
    if (kj::has(hpa, u"spec.minReplicas")) {
        h.minReplicas = static_cast<int>(kj::integer(hpa, u"spec.minReplicas"));
        h.minReplicasText = QString::number(h.minReplicas);
    } else {
        h.minReplicasText = QStringLiteral("<unset>");
    }
    h.maxReplicas = static_cast<int>(kj::integer(hpa, u"spec.maxReplicas"));
    h.currentReplicas = static_cast<int>(kj::integer(hpa, u"status.currentReplicas"));
    h.desiredReplicas = static_cast<int>(kj::integer(hpa, u"status.desiredReplicas"));
    h.conditions = readConditions(kj::array(hpa, u"status.conditions"));
    h.lastScaleTime = kj::timestamp(hpa, u"status.lastScaleTime");
    h.created = kj::timestamp(hpa, u"metadata.creationTimestamp");
    h.age = timestampSince(h.created, now);
    classify(h);
    return h;
}

} // namespace dashboard
