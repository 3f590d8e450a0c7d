#pragma once
// Small readers for Kubernetes objects held as QJsonObject: a missing field reads as the
// zero value, exactly like Go's zero-valued structs, so the kubectl ports below can follow
// kubectl's logic without null checks at every step.

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dashboard::kube_json {

// obj["a"]["b"]["c"] for a path "a.b.c"; missing or non-object steps give an empty object.
QJsonObject object(const QJsonObject &obj, QStringView path);
QJsonArray array(const QJsonObject &obj, QStringView path);
QString string(const QJsonObject &obj, QStringView path);
qint64 integer(const QJsonObject &obj, QStringView path, qint64 fallback = 0);
bool boolean(const QJsonObject &obj, QStringView path, bool fallback = false);
bool has(const QJsonObject &obj, QStringView path);

// RFC 3339 timestamps as the API server writes them ("2024-05-01T10:00:00Z", with optional
// fractional seconds for MicroTime). Invalid QDateTime when absent or malformed, which
// kubectl's printers treat as the zero time.
QDateTime timestamp(const QJsonObject &obj, QStringView path);
QDateTime parseTimestamp(const QString &text);

// metadata.annotations[key] / metadata.labels[key].
QString annotation(const QJsonObject &obj, const QString &key);

// Images of spec.containers (for a pod) or spec.template.spec.containers (for workloads).
QStringList containerImages(const QJsonObject &podSpec);

} // namespace dashboard::kube_json
