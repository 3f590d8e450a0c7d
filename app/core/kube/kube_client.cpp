#include "kube/kube_client.h"

#include "net/http_engine.h"

#include "kube/resource_registry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dashboard {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");
const QString kDefaultFieldManager = QStringLiteral("forecast-dashboard");

QByteArray patchContentType(PatchType type) {
    switch (type) {
    case PatchType::Merge:
        return QByteArrayLiteral("application/merge-patch+json");
    case PatchType::Strategic:
        return QByteArrayLiteral("application/strategic-merge-patch+json");
    case PatchType::Json:
        return QByteArrayLiteral("application/json-patch+json");
    case PatchType::Apply:
        return QByteArrayLiteral("application/apply-patch+yaml"); // JSON is valid YAML
    }
    return kJson;
}

void addWriteOptions(QUrlQuery &query, const WriteOptions &options) {
    if (!options.fieldManager.isEmpty()) {
        query.addQueryItem(QStringLiteral("fieldManager"), options.fieldManager);
    }
    if (options.dryRun) {
        query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
    }
}

QString objectName(const QJsonObject &object) {
    return object.value(QLatin1String("metadata"))
        .toObject()
        .value(QLatin1String("name"))
        .toString();
}

QByteArray toJson(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

KubeClient::KubeClient(HttpEngine &engine, std::shared_ptr<const RestConfig> config)
    : m_engine(engine)
    , m_config(std::move(config)) {}

ErrorContext KubeClient::errorContext() const {
    ErrorContext context;
    context.server = m_config->server.toString(QUrl::RemoveUserInfo);
    context.clusterName = m_config->clusterName;
    context.userName = m_config->userName;
    context.credentialKind = m_config->credentials ? m_config->credentials->describe() : QString();
    context.sourceFile = m_config->sourceFile;
    return context;
}

QUrl KubeClient::urlFor(const QString &path, const QUrlQuery &query) const {
    QUrl url = m_config->server;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/'))) {
        prefix.chop(1);
    }
    url.setPath(prefix + path);
    url.setQuery(query);
    return url;
}

HttpRequest KubeClient::makeRequest(const QByteArray &method, const QString &path,
                                    const QUrlQuery &query, const QByteArray &body,
                                    const QByteArray &contentType) const {
    HttpRequest request;
    request.method = method;
    request.url = urlFor(path, query);
    request.body = body;
    request.config = m_config;
    request.headers.append({"Accept", kJson});
    if (!contentType.isEmpty()) {
        request.headers.append({"Content-Type", contentType});
    }
    return request;
}

KubeResult KubeClient::decode(const HttpResult &result, const ErrorContext &context) {
    if (!result.ok()) {
        return decodeError(result, context);
    }
    if (result.body.trimmed().isEmpty()) {
        return QJsonObject();
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(result.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        KubeError error;
        error.httpCode = result.httpCode;
        error.reason = QStringLiteral("MalformedResponse");
        error.message = QStringLiteral("The server's answer is not a JSON object (%1)")
                            .arg(parseError.errorString())
                            .toStdString();
        return error;
    }
    return document.object();
}

HttpCall *KubeClient::sendJson(HttpRequest request, QObject *context, KubeCallback callback) {
    HttpCall *call = m_engine.send(std::move(request), context);
    QObject::connect(
        call, &HttpCall::finished, context,
        [callback = std::move(callback), errorContext = errorContext()](const HttpResult &result) {
            if (callback) {
                callback(decode(result, errorContext));
            }
        });
    return call;
}

HttpCall *KubeClient::request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                              const QByteArray &body, const QByteArray &contentType,
                              QObject *context, KubeCallback callback,
                              const HttpHeaders &extraHeaders) {
    HttpRequest request = makeRequest(method, path, query, body, contentType);
    for (const auto &header : extraHeaders) {
        if (header.first.compare("Accept", Qt::CaseInsensitive) == 0) {
            request.headers.removeIf([](const auto &h) { return h.first == "Accept"; });
        }
        request.headers.append(header);
    }
    return sendJson(std::move(request), context, std::move(callback));
}

HttpCall *KubeClient::get(const ResourceId &id, const QString &ns, const QString &name,
                          QObject *context, KubeCallback callback, const QString &subresource) {
    return sendJson(makeRequest("GET", id.path(ns, name, subresource), {}), context,
                    std::move(callback));
}

HttpCall *KubeClient::list(const ResourceId &id, const QString &ns, const ListOptions &options,
                           QObject *context, KubeCallback callback) {
    QUrlQuery query;
    if (!options.labelSelector.isEmpty()) {
        query.addQueryItem(QStringLiteral("labelSelector"), options.labelSelector);
    }
    if (!options.fieldSelector.isEmpty()) {
        query.addQueryItem(QStringLiteral("fieldSelector"), options.fieldSelector);
    }
    if (options.limit > 0) {
        query.addQueryItem(QStringLiteral("limit"), QString::number(options.limit));
    }
    if (!options.continueToken.isEmpty()) {
        query.addQueryItem(QStringLiteral("continue"), options.continueToken);
    }
    if (!options.resourceVersion.isEmpty()) {
        query.addQueryItem(QStringLiteral("resourceVersion"), options.resourceVersion);
    }
    if (!options.resourceVersionMatch.isEmpty()) {
        query.addQueryItem(QStringLiteral("resourceVersionMatch"), options.resourceVersionMatch);
    }
    HttpRequest request = makeRequest("GET", id.path(ns), query);
    // Large lists on a slow link take a while: more than the default 30 s.
    request.timeout = std::chrono::minutes(2);
    return sendJson(std::move(request), context, std::move(callback));
}

WatchStream *KubeClient::watch(const ResourceId &id, const QString &ns, const WatchOptions &options,
                               QObject *context) {
    QUrlQuery query;
    if (options.allowBookmarks) {
        query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    }
    if (!options.labelSelector.isEmpty()) {
        query.addQueryItem(QStringLiteral("labelSelector"), options.labelSelector);
    }
    if (!options.fieldSelector.isEmpty()) {
        query.addQueryItem(QStringLiteral("fieldSelector"), options.fieldSelector);
    }
    if (!options.resourceVersion.isEmpty()) {
        query.addQueryItem(QStringLiteral("resourceVersion"), options.resourceVersion);
    }
    if (options.timeoutSeconds > 0) {
        query.addQueryItem(QStringLiteral("timeoutSeconds"),
                           QString::number(options.timeoutSeconds));
    }
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    HttpRequest request = makeRequest("GET", id.path(ns), query);
    request.stream = true;
    request.splitLines = true;
    request.maxRetries = 0; // the informer owns reconnects
    HttpCall *call = m_engine.send(std::move(request), context);
    return new WatchStream(call, errorContext(), context);
}

HttpCall *KubeClient::create(const ResourceId &id, const QString &ns, const QJsonObject &object,
                             const WriteOptions &options, QObject *context, KubeCallback callback) {
    QUrlQuery query;
    addWriteOptions(query, options);
    return sendJson(makeRequest("POST", id.path(ns), query, toJson(object), kJson), context,
                    std::move(callback));
}

HttpCall *KubeClient::replace(const ResourceId &id, const QString &ns, const QString &name,
                              const QJsonObject &object, const WriteOptions &options,
                              QObject *context, KubeCallback callback) {
    QUrlQuery query;
    addWriteOptions(query, options);
    return sendJson(
        makeRequest("PUT", id.path(ns, name, options.subresource), query, toJson(object), kJson),
        context, std::move(callback));
}

HttpCall *KubeClient::patch(const ResourceId &id, const QString &ns, const QString &name,
                            PatchType type, const QByteArray &body, const WriteOptions &options,
                            QObject *context, KubeCallback callback) {
    QUrlQuery query;
    WriteOptions effective = options;
    if (type == PatchType::Apply) {
        if (effective.fieldManager.isEmpty()) {
            effective.fieldManager = kDefaultFieldManager;
        }
        if (effective.force) {
            query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
        }
    }
    addWriteOptions(query, effective);
    return sendJson(makeRequest("PATCH", id.path(ns, name, options.subresource), query, body,
                                patchContentType(type)),
                    context, std::move(callback));
}

HttpCall *KubeClient::apply(const ResourceId &id, const QString &ns, const QJsonObject &object,
                            const WriteOptions &options, QObject *context, KubeCallback callback) {
    return patch(id, ns, objectName(object), PatchType::Apply, toJson(object), options, context,
                 std::move(callback));
}

HttpCall *KubeClient::remove(const ResourceId &id, const QString &ns, const QString &name,
                             const DeleteOptions &options, QObject *context,
                             KubeCallback callback) {
    QJsonObject body{{QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                     {QStringLiteral("apiVersion"), QStringLiteral("v1")}};
    if (!options.propagationPolicy.isEmpty()) {
        body.insert(QStringLiteral("propagationPolicy"), options.propagationPolicy);
    }
    if (options.gracePeriodSeconds) {
        body.insert(QStringLiteral("gracePeriodSeconds"), *options.gracePeriodSeconds);
    }
    if (options.dryRun) {
        body.insert(QStringLiteral("dryRun"), QJsonArray{QStringLiteral("All")});
    }
    QJsonObject preconditions;
    if (!options.preconditionResourceVersion.isEmpty()) {
        preconditions.insert(QStringLiteral("resourceVersion"),
                             options.preconditionResourceVersion);
    }
    if (!options.preconditionUid.isEmpty()) {
        preconditions.insert(QStringLiteral("uid"), options.preconditionUid);
    }
    if (!preconditions.isEmpty()) {
        body.insert(QStringLiteral("preconditions"), preconditions);
    }
    return sendJson(makeRequest("DELETE", id.path(ns, name), {}, toJson(body), kJson), context,
                    std::move(callback));
}

HttpCall *KubeClient::getScale(const ResourceId &id, const QString &ns, const QString &name,
                               QObject *context, KubeCallback callback) {
    return get(id, ns, name, context, std::move(callback), QStringLiteral("scale"));
}

HttpCall *KubeClient::setScale(const ResourceId &id, const QString &ns, const QString &name,
                               int replicas, QObject *context, KubeCallback callback) {
    const QJsonObject body{
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas}}}};
    WriteOptions options;
    options.subresource = QStringLiteral("scale");
    return patch(id, ns, name, PatchType::Merge, toJson(body), options, context,
                 std::move(callback));
}

HttpCall *KubeClient::logs(const QString &ns, const QString &pod, const LogOptions &options,
                           QObject *context) {
    QUrlQuery query;
    if (!options.container.isEmpty()) {
        query.addQueryItem(QStringLiteral("container"), options.container);
    }
    if (options.follow) {
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    }
    if (options.previous) {
        query.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
    }
    if (options.timestamps) {
        query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    }
    if (options.tailLines) {
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(*options.tailLines));
    }
    if (options.sinceSeconds) {
        query.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(*options.sinceSeconds));
    }
    if (options.limitBytes) {
        query.addQueryItem(QStringLiteral("limitBytes"), QString::number(*options.limitBytes));
    }
    HttpRequest request =
        makeRequest("GET", resources::pods().path(ns, pod, QStringLiteral("log")), query);
    request.headers = {{"Accept", "*/*"}};
    request.stream = true;
    request.splitLines = true;
    if (!options.follow) {
        request.maxRetries = 3;
    } else {
        request.maxRetries = 0;
    }
    return m_engine.send(std::move(request), context);
}

} // namespace dashboard
