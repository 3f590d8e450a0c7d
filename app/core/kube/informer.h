#pragma once
// A list+watch cache of one resource, the way client-go's reflector keeps one
// (k8s-api-notes §3): list in pages of 500, then watch from the list's resourceVersion with
// bookmarks and a randomized timeoutSeconds (300-599); when the server ends the watch,
// watch again from the last resourceVersion; on 410 (Expired/Gone) list again; when the
// network or the server goes away, reconnect with a capped, jittered exponential back-off.
// Label and field selectors keep the cache to the workload's objects.
//
// Item models read items(); changed() says which keys moved, once per event-loop turn
// however many watch events arrived in it.

#include "kube/kube_client.h"
#include "kube/object_cache.h"
#include "kube/resource_id.h"
#include "kube/watch_stream.h"
#include "net/retry_policy.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

namespace dashboard {

class KubeClient;

struct InformerOptions {
    ResourceId resource;
    QString namespaceName; // empty: all namespaces (cluster-scoped resources ignore it)
    QString labelSelector;
    QString fieldSelector;
    int pageSize = 500;
    // Client-side narrowing where a server-side selector cannot express the set (events of
    // several objects): objects it rejects are never cached, and an object that stops
    // matching leaves the cache as if deleted. Empty: keep everything.
    std::function<bool(const QJsonObject &)> keep;
    std::chrono::milliseconds backoffInitial{800};
    std::chrono::milliseconds backoffCap{30000};
};

class Informer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Informer)

public:
    enum class ConnectionState {
        Stopped,      // not started
        Connecting,   // first list in progress
        Connected,    // listed and watching
        Reconnecting, // the last list or watch failed; retrying after a back-off
    };
    Q_ENUM(ConnectionState)

    Informer(KubeClient &client, InformerOptions options, QObject *parent = nullptr);
    ~Informer() override;

    void start();
    void stop(); // keeps the cache; start() lists again

    const InformerOptions &options() const { return m_options; }
    bool isSynced() const { return m_synced; } // the first list has completed
    ConnectionState state() const { return m_state; }
    QString stateReason() const { return m_reason; } // why Reconnecting, for the UI's banner
    QString resourceVersion() const { return m_resourceVersion; }
    int listCount() const { return m_lists; } // completed lists (1 + relists)

    const QHash<QString, QJsonObject> &items() const { return m_cache.items(); }
    QJsonObject item(const QString &key) const { return m_cache.value(key); }
    bool contains(const QString &key) const { return m_cache.contains(key); }
    int size() const { return m_cache.size(); }

Q_SIGNALS:
    // Batched: at most once per event-loop turn. Keys are "namespace/name" (or "name").
    void changed(const QStringList &added, const QStringList &updated, const QStringList &removed);
    void syncedChanged(bool synced);
    void connectionStateChanged(dashboard::Informer::ConnectionState state, const QString &reason);

private:
    void listPage(const QString &continueToken);
    void onListPage(const KubeResult &result, bool continued);
    void onRetryTimer();
    void startWatch();
    void onWatchEvent(const WatchEvent &event);
    void onWatchClosed(const WatchEnd &end);
    void retryLater(const KubeError &error, bool relist);
    void setState(ConnectionState state, const QString &reason = {});
    void scheduleFlush();
    void flush();

    KubeClient &m_client;
    InformerOptions m_options;
    ObjectCache m_cache;
    QList<QJsonObject> m_listing; // pages of the list in progress
    QString m_resourceVersion;
    QPointer<HttpCall> m_listCall;
    QPointer<WatchStream> m_watch;
    QTimer m_retryTimer;
    Backoff m_backoff;
    QElapsedTimer m_watchAge;
    bool m_relistOnRetry = false;
    bool m_running = false;
    bool m_synced = false;
    bool m_flushScheduled = false;
    int m_lists = 0;
    int m_watchEvents = 0;
    ConnectionState m_state = ConnectionState::Stopped;
    QString m_reason;
};

} // namespace dashboard
