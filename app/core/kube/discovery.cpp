#include "kube/discovery.h"

#include "kube/kube_client.h"
#include "kube/resource_registry.h"
#include "net/http_engine.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dashboard {

namespace {

const QByteArray kDiscoveryAccept =
    QByteArrayLiteral("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
                      "application/json");

// The format is decided by the Content-Type alone (discovery_client.go), parameters in any
// order.
bool isAggregatedContentType(const QByteArray &contentType) {
    const QList<QByteArray> parts = contentType.split(';');
    bool group = false, kind = false, version = false;
    for (const QByteArray &raw : parts) {
        const QByteArray part = raw.trimmed();
        group = group || part == "g=apidiscovery.k8s.io";
        kind = kind || part == "as=APIGroupDiscoveryList";
        version = version || part == "v=v2" || part == "v=v2beta1";
    }
    return group && kind && version;
}

QStringList toStringList(const QJsonValue &value) {
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        out.append(item.toString());
    }
    return out;
}

} // namespace

Discovery::Discovery(KubeClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client) {}

Discovery::~Discovery() {
    for (const auto &call : std::as_const(m_calls)) {
        if (call) {
            call->cancel();
        }
    }
}

void Discovery::refresh() {
    for (const auto &call : std::as_const(m_calls)) {
        if (call) {
            call->cancel();
        }
    }
    m_calls.clear();
    m_staging.clear();
    m_failed.clear();
    m_coreBody.clear();
    m_groupsBody.clear();
    m_failedRoot = false;
    m_error.clear();
    m_rootsPending = 2;
    m_versionsPending = 0;
    for (bool core : {true, false}) {
        HttpRequest request = m_client.makeRequest(
            "GET", core ? QStringLiteral("/api") : QStringLiteral("/apis"), {});
        request.headers = {{"Accept", kDiscoveryAccept}};
        HttpCall *call = m_client.engine().send(std::move(request), this);
        connect(call, &HttpCall::finished, this,
                [this, core](const HttpResult &result) { onRoot(core, result); });
        m_calls.append(call);
    }
}

void Discovery::onRoot(bool core, const HttpResult &result) {
    --m_rootsPending;
    const bool aggregated = result.ok() && isAggregatedContentType(result.header("Content-Type"));
    if (core) {
        m_coreAggregated = aggregated;
        m_coreBody = result.ok() ? result.body : QByteArray();
        // 404 on /api is tolerated (a server without the legacy core group).
        if (!result.ok() && result.httpCode != 404) {
            m_failedRoot = true;
            m_error = decodeError(result, m_client.errorContext()).text();
        }
    } else {
        m_groupsAggregated = aggregated;
        m_groupsBody = result.body;
        if (!result.ok()) {
            m_failedRoot = true;
            m_error = decodeError(result, m_client.errorContext()).text();
        }
    }
    if (m_rootsPending == 0) {
        rootsDone();
    }
}

void Discovery::rootsDone() {
    if (m_failedRoot) {
        finish(false, m_error);
        return;
    }
    const QJsonObject core = QJsonDocument::fromJson(m_coreBody).object();
    const QJsonObject groups = QJsonDocument::fromJson(m_groupsBody).object();
    // Aggregated results are used only when both roots were aggregated.
    if (m_coreAggregated && m_groupsAggregated) {
        m_aggregated = true;
        parseAggregated(core);
        parseAggregated(groups);
        finish(true, {});
        return;
    }
    m_aggregated = false;
    for (const QJsonValue &version : core.value(QLatin1String("versions")).toArray()) {
        fetchGroupVersion(QStringLiteral("/api/") + version.toString(), QString(),
                          version.toString());
    }
    for (const QJsonValue &groupValue : groups.value(QLatin1String("groups")).toArray()) {
        const QJsonObject group = groupValue.toObject();
        const QString name = group.value(QLatin1String("name")).toString();
        for (const QJsonValue &versionValue : group.value(QLatin1String("versions")).toArray()) {
            const QString version =
                versionValue.toObject().value(QLatin1String("version")).toString();
            fetchGroupVersion(QStringLiteral("/apis/%1/%2").arg(name, version), name, version);
        }
    }
    if (m_versionsPending == 0) {
        finish(true, {});
    }
}

void Discovery::fetchGroupVersion(const QString &path, const QString &group,
                                  const QString &version) {
    ++m_versionsPending;
    HttpCall *call = m_client.engine().send(m_client.makeRequest("GET", path, {}), this);
    connect(call, &HttpCall::finished, this, [this, group, version](const HttpResult &result) {
        if (result.ok()) {
            parseResourceList(QJsonDocument::fromJson(result.body).object(), group, version);
        } else {
            // One broken group version (a dead aggregated API) must not hide the others.
            m_failed.append(group.isEmpty() ? version : group + QLatin1Char('/') + version);
        }
        if (--m_versionsPending == 0) {
            finish(true, {});
        }
    });
    m_calls.append(call);
}

void Discovery::parseAggregated(const QJsonObject &list) {
    for (const QJsonValue &itemValue : list.value(QLatin1String("items")).toArray()) {
        const QJsonObject item = itemValue.toObject();
        const QString group = item.value(QLatin1String("metadata"))
                                  .toObject()
                                  .value(QLatin1String("name"))
                                  .toString();
        for (const QJsonValue &versionValue : item.value(QLatin1String("versions")).toArray()) {
            const QJsonObject version = versionValue.toObject();
            const QString versionName = version.value(QLatin1String("version")).toString();
            if (version.value(QLatin1String("freshness")).toString() == QLatin1String("Stale")) {
                m_failed.append(group.isEmpty() ? versionName
                                                : group + QLatin1Char('/') + versionName);
                continue;
            }
            for (const QJsonValue &resourceValue :
                 version.value(QLatin1String("resources")).toArray()) {
                const QJsonObject resource = resourceValue.toObject();
                const QJsonObject responseKind =
                    resource.value(QLatin1String("responseKind")).toObject();
                if (responseKind.isEmpty()) {
                    continue; // dropped, as discovery_client does
                }
                ResourceId id;
                id.group = group;
                id.version = versionName;
                id.resource = resource.value(QLatin1String("resource")).toString();
                id.kind = responseKind.value(QLatin1String("kind")).toString();
                id.namespaced = resource.value(QLatin1String("scope")).toString() ==
                                QLatin1String("Namespaced");
                id.shortNames = toStringList(resource.value(QLatin1String("shortNames")));
                m_staging.append(id);
            }
        }
    }
}

void Discovery::parseResourceList(const QJsonObject &list, const QString &group,
                                  const QString &version) {
    for (const QJsonValue &value : list.value(QLatin1String("resources")).toArray()) {
        const QJsonObject resource = value.toObject();
        const QString name = resource.value(QLatin1String("name")).toString();
        if (name.contains(QLatin1Char('/'))) {
            continue; // a subresource (deployments/scale)
        }
        ResourceId id;
        id.group = group;
        id.version = version;
        id.resource = name;
        id.kind = resource.value(QLatin1String("kind")).toString();
        id.namespaced = resource.value(QLatin1String("namespaced")).toBool();
        id.shortNames = toStringList(resource.value(QLatin1String("shortNames")));
        m_staging.append(id);
    }
}

void Discovery::finish(bool ok, const QString &error) {
    m_calls.clear();
    if (ok) {
        m_resources = std::move(m_staging);
        m_staging.clear();
        m_ready = true;
    }
    m_error = error;
    Q_EMIT finished(ok, error);
}

std::optional<ResourceId> Discovery::resolve(const QString &apiVersion, const QString &kind) const {
    const qsizetype slash = apiVersion.indexOf(QLatin1Char('/'));
    const QString group = slash < 0 ? QString() : apiVersion.left(slash);
    const QString version = slash < 0 ? apiVersion : apiVersion.mid(slash + 1);
    for (const ResourceId &id : m_resources) {
        if (id.group == group && id.version == version && id.kind == kind) {
            return id;
        }
    }
    if (auto known = ResourceRegistry::builtin().byKind(group, kind)) {
        if (known->version == version) {
            return known;
        }
    }
    return std::nullopt;
}

std::optional<ResourceId> Discovery::byName(const QString &name) const {
    const QString lower = name.toLower();
    const qsizetype dot = lower.indexOf(QLatin1Char('.'));
    const QString head = dot < 0 ? lower : lower.left(dot);
    const QString group = dot < 0 ? QString() : lower.mid(dot + 1);
    for (const ResourceId &id : m_resources) {
        if (dot >= 0 && id.group != group) {
            continue;
        }
        if (id.resource == head || id.kind.toLower() == head || id.shortNames.contains(head)) {
            return id;
        }
    }
    return ResourceRegistry::builtin().byName(name);
}

} // namespace dashboard
