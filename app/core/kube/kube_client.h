#pragma once
// Typed Kubernetes requests for what the dashboard does: get/list/watch, create, replace,
// patch (merge, strategic, JSON, server-side apply), delete, the scale subresource and pod
// logs. Every call returns at once; the callback runs later in the context object's thread
// (and never once the context is gone or the returned call was cancelled). Failures come
// back as KubeError values with a message for the user.

#include "kube/resource_id.h"
#include "kube/status_error.h"
#include "kube/watch_stream.h"
#include "net/http_call.h"

#include <rf/result.h>

#include <QJsonObject>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace dashboard {

class HttpEngine;

using KubeResult = rf::Result<QJsonObject, KubeError>;
using KubeCallback = std::function<void(const KubeResult &)>;

struct ListOptions {
    QString labelSelector;
    QString fieldSelector;
    int limit = 0; // 0: everything at once
    QString continueToken;
    QString resourceVersion; // empty: the latest (a consistent read)
    QString resourceVersionMatch;
};

struct WatchOptions {
    QString labelSelector;
    QString fieldSelector;
    QString resourceVersion; // only changes after it
    bool allowBookmarks = true;
    int timeoutSeconds = 0; // server-side end of the watch; 0: the server's default
};

enum class PatchType { Merge, Strategic, Json, Apply };

struct WriteOptions {
    QString fieldManager; // default for apply: "forecast-dashboard"
    bool force = false;   // apply: take over conflicting fields
    bool dryRun = false;  // dryRun=All: validated and admitted, not stored
    QString subresource;  // "status", "scale"
};

struct DeleteOptions {
    QString propagationPolicy; // Foreground, Background, Orphan; empty: the server's default
    std::optional<int> gracePeriodSeconds;
    bool dryRun = false;
    QString preconditionResourceVersion;
    QString preconditionUid;
};

struct LogOptions {
    QString container;
    bool follow = false;
    bool previous = false;
    bool timestamps = false;
    std::optional<int> tailLines;
    std::optional<int> sinceSeconds;
    std::optional<qint64> limitBytes;
};

class KubeClient final {
public:
    KubeClient(HttpEngine &engine, std::shared_ptr<const RestConfig> config);

    const RestConfig &config() const { return *m_config; }
    std::shared_ptr<const RestConfig> configPtr() const { return m_config; }
    HttpEngine &engine() const { return m_engine; }
    ErrorContext errorContext() const;

    HttpCall *get(const ResourceId &id, const QString &ns, const QString &name, QObject *context,
                  KubeCallback callback, const QString &subresource = {});
    HttpCall *list(const ResourceId &id, const QString &ns, const ListOptions &options,
                   QObject *context, KubeCallback callback);
    // A stream of watch events; see WatchStream.
    WatchStream *watch(const ResourceId &id, const QString &ns, const WatchOptions &options,
                       QObject *context);
    HttpCall *create(const ResourceId &id, const QString &ns, const QJsonObject &object,
                     const WriteOptions &options, QObject *context, KubeCallback callback);
    // PUT: with metadata.resourceVersion set it is conditional (409 Conflict when stale).
    HttpCall *replace(const ResourceId &id, const QString &ns, const QString &name,
                      const QJsonObject &object, const WriteOptions &options, QObject *context,
                      KubeCallback callback);
    HttpCall *patch(const ResourceId &id, const QString &ns, const QString &name, PatchType type,
                    const QByteArray &body, const WriteOptions &options, QObject *context,
                    KubeCallback callback);
    // Server-side apply of `object` (fieldManager defaults to "forecast-dashboard").
    HttpCall *apply(const ResourceId &id, const QString &ns, const QJsonObject &object,
                    const WriteOptions &options, QObject *context, KubeCallback callback);
    HttpCall *remove(const ResourceId &id, const QString &ns, const QString &name,
                     const DeleteOptions &options, QObject *context, KubeCallback callback);
    // The autoscaling/v1 Scale of a scalable resource, and setting its replicas.
    HttpCall *getScale(const ResourceId &id, const QString &ns, const QString &name,
                       QObject *context, KubeCallback callback);
    HttpCall *setScale(const ResourceId &id, const QString &ns, const QString &name, int replicas,
                       QObject *context, KubeCallback callback);
    // Pod logs as a stream of lines (lineReceived), ending with finished(): a non-2xx
    // result's body is the Status; decode it with decodeError(result, errorContext()).
    HttpCall *logs(const QString &ns, const QString &pod, const LogOptions &options,
                   QObject *context);
    // Any path under the server (discovery, /version); the reply must be JSON.
    HttpCall *request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                      const QByteArray &body, const QByteArray &contentType, QObject *context,
                      KubeCallback callback, const HttpHeaders &extraHeaders = {});

    // The URL of `path` on this cluster (keeps a server path prefix such as /k8s/clusters/x).
    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;

    // A reply decoded: the JSON object of a 2xx, else a KubeError.
    static KubeResult decode(const HttpResult &result, const ErrorContext &context);

    // A request to `path` with this cluster's TLS, credentials and Accept: application/json,
    // for callers that need the raw reply (headers, non-JSON bodies).
    HttpRequest makeRequest(const QByteArray &method, const QString &path, const QUrlQuery &query,
                            const QByteArray &body = {}, const QByteArray &contentType = {}) const;

private:
    HttpCall *sendJson(HttpRequest request, QObject *context, KubeCallback callback);

    HttpEngine &m_engine;
    std::shared_ptr<const RestConfig> m_config;
};

} // namespace dashboard
