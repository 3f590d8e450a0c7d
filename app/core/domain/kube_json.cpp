#include "core/domain/kube_json.h"

#include <QJsonValue>

namespace dashboard::kube_json {

namespace {

QJsonValue valueAt(const QJsonObject &obj, QStringView path) {
    QJsonValue current = obj;
    for (QStringView part : path.split(u'.')) {
        if (!current.isObject())
            return {};
        current = current.toObject().value(part);
    }
    return current;
}

} // namespace

QJsonObject object(const QJsonObject &obj, QStringView path) {
    return valueAt(obj, path).toObject();
}

QJsonArray array(const QJsonObject &obj, QStringView path) {
    return valueAt(obj, path).toArray();
}

QString string(const QJsonObject &obj, QStringView path) {
    return valueAt(obj, path).toString();
}

qint64 integer(const QJsonObject &obj, QStringView path, qint64 fallback) {
    const QJsonValue value = valueAt(obj, path);
    return value.isDouble() ? value.toInteger(fallback) : fallback;
}

bool boolean(const QJsonObject &obj, QStringView path, bool fallback) {
    const QJsonValue value = valueAt(obj, path);
    return value.isBool() ? value.toBool() : fallback;
}

bool has(const QJsonObject &obj, QStringView path) {
    const QJsonValue value = valueAt(obj, path);
    return !value.isUndefined() && !value.isNull();
}

QDateTime parseTimestamp(const QString &text) {
    if (text.isEmpty())
        return {};
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        parsed = QDateTime::fromString(text, Qt::ISODate);
    if (!parsed.isValid())
        return {};
    return parsed.toUTC();
}

QDateTime timestamp(const QJsonObject &obj, QStringView path) {
    return parseTimestamp(string(obj, path));
}

QString annotation(const QJsonObject &obj, const QString &key) {
    return object(obj, u"metadata.annotations").value(key).toString();
}

QStringList containerImages(const QJsonObject &podSpec) {
    QStringList images;
    for (const QJsonValue &container : podSpec.value(QLatin1String("containers")).toArray())
        images << container.toObject().value(QLatin1String("image")).toString();
    return images;
}

} // namespace dashboard::kube_json
