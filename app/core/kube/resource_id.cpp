#include "kube/resource_id.h"

#include <QUrl>

namespace dashboard {

QString ResourceId::apiVersion() const {
    return group.isEmpty() ? version : group + QLatin1Char('/') + version;
}

QString ResourceId::groupResource() const {
    return group.isEmpty() ? resource : resource + QLatin1Char('.') + group;
}

QString ResourceId::path(const QString &ns, const QString &name, const QString &subresource) const {
    QString out = group.isEmpty() ? QStringLiteral("/api/") + version
                                  : QStringLiteral("/apis/") + group + QLatin1Char('/') + version;
    if (namespaced && !ns.isEmpty()) {
        out += QStringLiteral("/namespaces/") + QString::fromUtf8(QUrl::toPercentEncoding(ns));
    }
    out += QLatin1Char('/') + resource;
    if (!name.isEmpty()) {
        out += QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(name));
        if (!subresource.isEmpty()) {
            out += QLatin1Char('/') + subresource;
        }
    }
    return out;
}

} // namespace dashboard
